import * as assert from 'node:assert/strict';
import { appOfStoredSecret, encodeClientSecret } from '../../src/core/clientSecret';

describe('the stored OAuth client secret', () => {
  const app = { oauthBaseUrl: 'https://console.c-bot.pro', clientId: 12, clientSecret: 's3cret' };
  const stored = encodeClientSecret(app);

  it('applies to the server and client ID it was set up for', () => {
    assert.deepEqual(appOfStoredSecret(stored, 'https://console.c-bot.pro', 12), app);
  });

  it('no longer applies after the OAuth base URL or the client ID changes, so it is not sent elsewhere', () => {
    assert.equal(appOfStoredSecret(stored, 'https://evil.example', 12), undefined);
    assert.equal(appOfStoredSecret(stored, 'https://console.c-bot.pro', 13), undefined);
    assert.equal(appOfStoredSecret(stored, 'https://console.c-bot.pro', undefined), undefined);
  });

  it('does not apply when stored bare (its server unknown), missing or unreadable', () => {
    for (const text of ['s3cret', undefined, '', 'null', '{"oauthBaseUrl":"https://console.c-bot.pro","clientId":12}']) {
      assert.equal(appOfStoredSecret(text, 'https://console.c-bot.pro', 12), undefined, String(text));
    }
  });
});
