import * as vscode from 'vscode';
import type { CloudBotAuthenticationProvider } from '../auth/provider';
import type { CloudBot } from '../services/cloudBot';
import { inert } from '../core/serverText';
import { pickAccount } from './pickAccount';

export function registerSignOut(context: vscode.ExtensionContext, auth: CloudBotAuthenticationProvider, cloudBot: CloudBot): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.signOut', async () => {
      const account = await pickAccount(cloudBot, vscode.l10n.t('Account to sign out'));
      if (!account) return;
      await auth.removeSession(account.sessionId);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Cloud BOT: {0}', inert(account.label)));
    }),
  );
}
