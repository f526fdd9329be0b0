// Settings as plain values, checked before anything is sent with them.
import type { Language } from './types';

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

/** A URL setting that cannot be used: which one, and the value it has. */
export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
  ) {
    super(`${setting} is not an https:// URL (http:// only for 127.0.0.1 or localhost): "${value}"`);
    this.name = 'SettingsError';
  }
}

/**
 * A base URL must be https, except on this machine (the emulator), so that tokens and secret keys never
 * travel in clear text. Returns it without a trailing slash.
 */
export function checkBaseUrl(setting: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.search || url.hash) {
    throw new SettingsError(setting, text);
  }
  return url.toString().replace(/\/+$/, '');
}
