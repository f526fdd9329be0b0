// Settings as plain values, checked before anything is sent with them.
import type { Language } from './types';
import { carriesCredentials, isLoopbackHost, redactCredentials } from './urls';

export type LanguageSetting = 'auto' | 'ja' | 'en';

export interface CloudBotSettings {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  /** The language of Cloud BOT's own messages (sent as content-language); not the extension's. */
  language: Language;
  oauthClientId?: number;
}

/** `auto` follows VS Code's display language: Japanese when it is Japanese, else English. */
export function resolveLanguage(setting: string | undefined, displayLanguage: string): Language {
  if (setting === 'ja' || setting === 'en') return setting;
  return displayLanguage.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** Why a URL setting cannot be used: not https (nor loopback http), or it holds a user name or password. */
export type SettingsProblem = 'notHttps' | 'credentials';

/** A URL setting that cannot be used: which one, why, and the value it has (user name and password as `***`). */
export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
    readonly problem: SettingsProblem,
  ) {
    super(
      problem === 'credentials'
        ? `${setting} holds a user name or password: "${value}"`
        : `${setting} is not an https:// URL (http:// only for 127.0.0.1 or localhost): "${value}"`,
    );
    this.name = 'SettingsError';
  }
}

/**
 * A base URL must be https, except on this machine (the emulator), so that tokens and secret keys never
 * travel in clear text, and hold no user name or password (they would go along with every request).
 * Returns it without a trailing slash.
 */
export function checkBaseUrl(setting: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // First: the other message would show the password.
  if (url && carriesCredentials(url)) throw new SettingsError(setting, redactCredentials(url), 'credentials');
  const loopback = url && isLoopbackHost(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.search || url.hash) {
    throw new SettingsError(setting, text, 'notHttps');
  }
  return url.toString().replace(/\/+$/, '');
}
