import * as vscode from 'vscode';
import { describeError } from '../words';
import type { CloudBotAuthenticationProvider, SignInMethod } from '../auth/provider';

export function registerSignIn(context: vscode.ExtensionContext, auth: CloudBotAuthenticationProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.signIn', async (method?: SignInMethod) => {
      try {
        const session = await auth.signIn(method === 'oauth' || method === 'accessToken' ? method : undefined);
        void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Cloud BOT: {0}', session.account.label));
        return session.account.label;
      } catch (error) {
        if (error instanceof vscode.CancellationError) return undefined;
        void vscode.window.showErrorMessage(vscode.l10n.t('Sign-in failed: {0}', describeError(error)));
        return undefined;
      }
    }),
  );
}
