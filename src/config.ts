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

/** What the settings held when last read (or why they were unusable), while `rememberSettings` keeps it. */
let remembered: { settings: CloudBotSettings } | { error: unknown } | undefined;
let remembering = false;

/**
 * Lets readSettings answer from memory until a `cloudbot` setting changes: it is asked for every API
 * request, and each reading of VS Code's configuration builds objects enough to pause a long batch for
 * garbage collection.
 */
export function rememberSettings(): vscode.Disposable {
  remembering = true;
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('cloudbot')) remembered = undefined;
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    remembering = false;
    remembered = undefined;
  });
}

/** Throws a SettingsError with an actionable message when a URL setting is unusable. */
export function readSettings(): CloudBotSettings {
  if (!remembering) return settingsNow();
  if (!remembered) {
    try {
      remembered = { settings: settingsNow() };
    } catch (error) {
      remembered = { error };
    }
  }
  if ('error' in remembered) throw remembered.error;
  return remembered.settings;
}

function settingsNow(): CloudBotSettings {
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
    if (!event.affectsConfiguration('cloudbot')) return;
    // Whichever listener VS Code calls first, this one reads the settings as they are now.
    remembered = undefined;
    listener();
  });
}
