// Setting up the user's OAuth app: the client ID goes to settings, the client secret only to
// SecretStorage; and the exact redirect URI to register in My Apps, for this environment.
import * as vscode from 'vscode';
import { OAuthAppStore, redirectUriFor } from '../auth/oauthApp';
import { flowLabel } from '../auth/provider';
import type { OAuthFlowId } from '../auth/oauthSignIn';

export function registerOAuthAppCommands(context: vscode.ExtensionContext, apps: OAuthAppStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.setUpOAuthApp', () => apps.setUp()),
    vscode.commands.registerCommand('cloudbot.copyRedirectUri', async (flow?: OAuthFlowId) => {
      const flows: OAuthFlowId[] = ['uriHandler', 'loopback', 'manual'];
      const chosen =
        flow && flows.includes(flow)
          ? flow
          : (await vscode.window.showQuickPick(
              await Promise.all(flows.map(async (id) => ({ label: flowLabel(id), description: await redirectUriFor(id), id }))),
              { title: vscode.l10n.t('Redirect URI to register in My Apps'), placeHolder: vscode.l10n.t('Which way back from the browser?') },
            ))?.id;
      if (!chosen) return undefined;
      const uri = await redirectUriFor(chosen);
      await vscode.env.clipboard.writeText(uri);
      void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0}. Register it exactly, in Cloud BOT: Dashboard > For Developers > My Apps.', uri));
      return uri;
    }),
  );
}
