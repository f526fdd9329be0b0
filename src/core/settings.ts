// Settings as plain values, checked before anything is sent with them.
import { say } from './text';
import type { Language } from './types';

export type LanguageSetting = 'auto' | 'ja' | 'en';

export interface CloudBotSettings {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  language: Language;
  oauthClientId?: number;
}

/** `auto` follows VS Code's display language: Japanese when it is Japanese, else English. */
export function resolveLanguage(setting: string | undefined, displayLanguage: string): Language {
  if (setting === 'ja' || setting === 'en') return setting;
  return displayLanguage.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export class SettingsError extends Error {}

/**
 * A base URL must be https, except on this machine (the emulator), so that tokens and secret keys never
 * travel in clear text. Returns it without a trailing slash.
 */
export function checkBaseUrl(setting: string, value: unknown, language: Language): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.search || url.hash) {
    throw new SettingsError(
      say(
        {
          en: 'The "{setting}" setting is "{value}", which is not an https:// URL (http:// is allowed only for 127.0.0.1 or localhost). Fix it in Settings.',
          ja: '「{setting}」設定の値「{value}」は https:// の URL ではありません (http:// は 127.0.0.1 と localhost のみ可)。設定で修正してください。',
        },
        language,
        { setting, value: text },
      ),
    );
  }
  return url.toString().replace(/\/+$/, '');
}
