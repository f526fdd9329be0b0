// Reads the `cloudbot.*` settings into checked plain values.
import * as vscode from 'vscode';
import { checkBaseUrl, resolveLanguage, type CloudBotSettings } from './core/settings';
import type { Language } from './core/types';

export function currentLanguage(): Language {
  return resolveLanguage(vscode.workspace.getConfiguration('cloudbot').get<string>('language'), vscode.env.language);
}

/** Throws a SettingsError with an actionable message when a URL setting is unusable. */
export function readSettings(): CloudBotSettings {
  const config = vscode.workspace.getConfiguration('cloudbot');
  const language = currentLanguage();
  const clientId = config.get<number | null>('oauth.clientId');
  return {
    apiBaseUrl: checkBaseUrl('cloudbot.apiBaseUrl', config.get('apiBaseUrl')),
    oauthBaseUrl: checkBaseUrl('cloudbot.oauthBaseUrl', config.get('oauthBaseUrl')),
    language,
    oauthClientId: typeof clientId === 'number' ? clientId : undefined,
  };
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('cloudbot')) listener();
  });
}
