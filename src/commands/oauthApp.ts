// Setting up the user's OAuth app: the client ID goes to settings, the client secret only to
// SecretStorage; and the exact redirect URI to register in My Apps, for this environment.
import * as vscode from 'vscode';
import { OAuthAppStore, redirectUriFor } from '../auth/oauthApp';
import { flowLabel } from '../auth/provider';
import type { OAuthFlowId } from '../auth/oauthSignIn';

export function registerOAuthAppCommands(context: vscode.ExtensionContext, apps: OAuthAppStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.setUpOAuthApp', async () => {
      const config = vscode.workspace.getConfiguration('cloudbot');
      const current = config.get<number | null>('oauth.clientId');
      const clientId = await vscode.window.showInputBox({
        title: vscode.l10n.t('Cloud BOT OAuth app (1/2)'),
        prompt: vscode.l10n.t('Client ID of your app, from Cloud BOT: Dashboard > For Developers > My Apps'),
        value: typeof current === 'number' ? String(current) : '',
        ignoreFocusOut: true,
        validateInput: (text) => (/^\s*[1-9]\d*\s*$/.test(text) ? undefined : vscode.l10n.t('The client ID is a whole number, such as 123.')),
      });
      if (clientId === undefined) return false;
      const secret = await vscode.window.showInputBox({
        title: vscode.l10n.t('Cloud BOT OAuth app (2/2)'),
        prompt: vscode.l10n.t('Client secret of the app. It is kept only in VS Code\'s secret storage.'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter a value, or press Escape to cancel.')),
      });
      if (secret === undefined) return false;
      await config.update('oauth.clientId', Number(clientId.trim()), vscode.ConfigurationTarget.Global);
      await apps.setClientSecret(secret.trim());
      void vscode.window.showInformationMessage(vscode.l10n.t('Cloud BOT OAuth app {0} is set up. Register the redirect URI shown by "Cloud BOT: Copy OAuth Redirect URI" in My Apps.', clientId.trim()));
      return true;
    }),
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
