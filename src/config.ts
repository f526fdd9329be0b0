// Reads the `cloudbot.*` settings into checked plain values.
import * as vscode from 'vscode';
import { checkBaseUrl, resolveLanguage, type CloudBotSettings } from './core/settings';
import type { Language } from './core/types';

export function currentLanguage(): Language {
  return resolveLanguage(vscode.workspace.getConfiguration('cloudbot').get<string>('language'), vscode.env.language);
}

/** The settings that decide where credentials go (and where the browser brings them back). */
export type CredentialSetting = 'apiBaseUrl' | 'oauthBaseUrl' | 'oauth.clientId' | 'oauth.redirectUri' | 'oauth.loopbackPort';

/**
 * A credential setting from the user's settings, or its default; never from a workspace or folder, so
 * that opening a folder cannot send sign-ins elsewhere. The manifest scopes these settings to the
 * application, and this holds also on a host that would apply a workspace value all the same.
 */
export function credentialSetting<T>(name: CredentialSetting): T | undefined {
  const inspected = vscode.workspace.getConfiguration('cloudbot').inspect<T>(name);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** Throws a SettingsError with an actionable message when a URL setting is unusable. */
export function readSettings(): CloudBotSettings {
  const language = currentLanguage();
  const clientId = credentialSetting<number | null>('oauth.clientId');
  return {
    apiBaseUrl: checkBaseUrl('cloudbot.apiBaseUrl', credentialSetting('apiBaseUrl')),
    oauthBaseUrl: checkBaseUrl('cloudbot.oauthBaseUrl', credentialSetting('oauthBaseUrl')),
    language,
    oauthClientId: typeof clientId === 'number' ? clientId : undefined,
  };
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('cloudbot')) listener();
  });
}
