import * as assert from 'node:assert/strict';
import { checkBaseUrl, resolveLanguage, SettingsError } from '../../src/core/settings';

describe('settings', () => {
  it('follows the display language when set to auto', () => {
    assert.equal(resolveLanguage('auto', 'ja'), 'ja');
    assert.equal(resolveLanguage('auto', 'ja-JP'), 'ja');
    assert.equal(resolveLanguage('auto', 'en-US'), 'en');
    assert.equal(resolveLanguage(undefined, 'de'), 'en');
    assert.equal(resolveLanguage('ja', 'en'), 'ja');
    assert.equal(resolveLanguage('en', 'ja'), 'en');
  });

  it('accepts https URLs and loopback http, without a trailing slash', () => {
    assert.equal(checkBaseUrl('cloudbot.apiBaseUrl', 'https://api.c-bot.pro/'), 'https://api.c-bot.pro');
    assert.equal(checkBaseUrl('cloudbot.apiBaseUrl', 'http://127.0.0.1:4010'), 'http://127.0.0.1:4010');
    assert.equal(checkBaseUrl('cloudbot.apiBaseUrl', 'http://localhost:4010/base/'), 'http://localhost:4010/base');
  });

  it('refuses URLs that would send secrets in clear text, or are not URLs', () => {
    for (const value of ['http://api.c-bot.pro', 'api.c-bot.pro', '', 42, 'ftp://x', 'https://a/?q=1']) {
      assert.throws(
        () => checkBaseUrl('cloudbot.apiBaseUrl', value),
        (error) => error instanceof SettingsError && error.problem === 'notHttps' && error.setting === 'cloudbot.apiBaseUrl' && error.value === (typeof value === 'string' ? value : ''),
      );
    }
  });

  it('refuses URLs with a user name or password, and keeps the password out of the error', () => {
    for (const [value, shown] of [
      ['https://user:SECRET@api.c-bot.pro', 'https://***@api.c-bot.pro/'],
      ['https://user@api.c-bot.pro/base', 'https://***@api.c-bot.pro/base'],
      ['http://user:SECRET@api.c-bot.pro', 'http://***@api.c-bot.pro/'],
      ['http://:SECRET@127.0.0.1:4010', 'http://***@127.0.0.1:4010/'],
    ]) {
      assert.throws(
        () => checkBaseUrl('cloudbot.oauthBaseUrl', value),
        (error) => error instanceof SettingsError && error.problem === 'credentials' && error.value === shown && !error.message.includes('SECRET'),
        value,
      );
    }
  });
});
