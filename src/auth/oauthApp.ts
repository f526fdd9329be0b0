// The user's Cloud BOT OAuth app: client ID in settings, client secret only in SecretStorage (together
// with the server and client ID it is for), and the redirect URIs each flow uses (the ones to register
// in Dashboard > For Developers > My Apps).
import * as vscode from 'vscode';
import { appOfStoredSecret, encodeClientSecret } from '../core/clientSecret';
import type { OAuthApp } from '../core/oauth';
import { credentialSetting, readSettings } from '../config';
import { CALLBACK_PATH } from '../core/loopbackServer';
import type { FlowId } from './flows';

export const CLIENT_SECRET_KEY = 'cloudbot.oauth.clientSecret';
export const EXTENSION_AUTHORITY = 'cloudbot-tools.cloudbot-vscode';
export const DEFAULT_LOOPBACK_PORT = 33418;

export class OAuthAppStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The app, or undefined while the client ID or a client secret set up for this server and client ID is missing. */
  async current(): Promise<OAuthApp | undefined> {
    const settings = readSettings();
    return appOfStoredSecret(await this.secrets.get(CLIENT_SECRET_KEY), settings.oauthBaseUrl, settings.oauthClientId);
  }

  /** Keeps the secret for this client ID on the configured OAuth server only. */
  setClientSecret(clientId: number, secret: string): Thenable<void> {
    return this.secrets.store(CLIENT_SECRET_KEY, encodeClientSecret({ oauthBaseUrl: readSettings().oauthBaseUrl, clientId, clientSecret: secret }));
  }

  /** Asks for the client ID (kept in settings) and the client secret (kept only in SecretStorage); false when cancelled. */
  async setUp(): Promise<boolean> {
    const host = new URL(readSettings().oauthBaseUrl).host;
    const current = credentialSetting<number | null>('oauth.clientId');
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
      prompt: vscode.l10n.t('Client secret of the app, sent only to {0}. It is kept only in VS Code\'s secret storage.', host),
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter a value, or press Escape to cancel.')),
    });
    if (secret === undefined) return false;
    await vscode.workspace.getConfiguration('cloudbot').update('oauth.clientId', Number(clientId.trim()), vscode.ConfigurationTarget.Global);
    await this.setClientSecret(Number(clientId.trim()), secret.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Cloud BOT OAuth app {0} is set up. Register the redirect URI shown by "Cloud BOT: Copy OAuth Redirect URI" in My Apps.', clientId.trim()));
    return true;
  }
}

export function loopbackPort(): number {
  const port = credentialSetting<number>('oauth.loopbackPort');
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_LOOPBACK_PORT;
}

/** The URI the browser returns to VS Code by: the setting when given, else `<scheme>://publisher.name/callback`. */
export function uriHandlerCallback(): vscode.Uri {
  const configured = credentialSetting<string>('oauth.redirectUri')?.trim();
  return vscode.Uri.parse(configured || `${vscode.env.uriScheme}://${EXTENSION_AUTHORITY}${CALLBACK_PATH}`);
}

/**
 * The exact redirect_uri a flow sends, which must equal one registered in My Apps. The manual flow uses
 * the loopback URI: where nothing listens, the browser stops on an error page whose address holds the code.
 */
export async function redirectUriFor(flow: Exclude<FlowId, 'accessToken'>): Promise<string> {
  if (flow === 'uriHandler') {
    // On remote and web hosts this becomes an http(s) URL that reaches this window; toString(true)
    // keeps its query readable, as the callback page needs it so.
    return (await vscode.env.asExternalUri(uriHandlerCallback())).toString(true);
  }
  return `http://127.0.0.1:${loopbackPort()}${CALLBACK_PATH}`;
}
