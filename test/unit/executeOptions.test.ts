import * as assert from 'node:assert/strict';
import { checkExecuteOptions, describeOptions, executeRequest, isCallbackUrl, readStoredOptions, RememberedOptions, type SecretStore } from '../../src/core/executeOptions';

/** SecretStorage in memory. */
class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
}

describe('execute options', () => {
  it('take https callback endpoints, and http only to this machine', () => {
    assert.ok(isCallbackUrl('https://hooks.example/cb?token=1'));
    assert.ok(isCallbackUrl('http://127.0.0.1:8080/cb'));
    assert.ok(isCallbackUrl('http://localhost/cb'));
    assert.ok(!isCallbackUrl('http://hooks.example/cb'));
    assert.ok(!isCallbackUrl('ftp://hooks.example/cb'));
    assert.ok(!isCallbackUrl('not a url'));
  });

  it('name the first wrong option', () => {
    assert.equal(checkExecuteOptions({ callbackTries: 2, timeout: 1000 }), undefined);
    assert.deepEqual(checkExecuteOptions({ callbackTries: 6 }), { name: 'callbackTries', reason: 'invalid' });
    assert.deepEqual(checkExecuteOptions({ timeout: 120_001 }), { name: 'timeout', reason: 'invalid' });
    assert.deepEqual(checkExecuteOptions({ callbackEndpoint: 'http://x.example', timeout: 120_001 }), { name: 'callbackEndpoint', reason: 'invalid' });
  });

  it('refuse a callback endpoint with a user name or password in it, which would go along to the receiver', () => {
    for (const callbackEndpoint of ['https://user:pw@hooks.example/cb', 'https://user@hooks.example/cb', 'https://:pw@hooks.example/cb', 'http://u:p@127.0.0.1:8080/cb']) {
      assert.deepEqual(checkExecuteOptions({ callbackEndpoint }), { name: 'callbackEndpoint', reason: 'credentials' }, callbackEndpoint);
    }
    assert.deepEqual(readStoredOptions({ callbackEndpoint: 'https://user:pw@hooks.example/cb' }), {});
  });

  it('become a request that leaves unset options to the API, with one callback attempt by default', () => {
    assert.deepEqual(executeRequest({ a: '1' }, {}), { input: { a: '1' } });
    assert.deepEqual(executeRequest({}, { callbackEndpoint: 'https://h.example/cb', timeout: 0 }), { input: {}, callback_endpoint: 'https://h.example/cb', callback_tries: 1 });
    assert.deepEqual(executeRequest({}, { callbackEndpoint: 'https://h.example/cb', callbackTries: 0, timeout: 500 }), { input: {}, callback_endpoint: 'https://h.example/cb', callback_tries: 0, timeout: 500 });
  });

  it('show only a callback endpoint\'s origin in the log, since its path or query may hold a token', () => {
    const text = describeOptions({ callbackEndpoint: 'https://hooks.example/cb/SECRET?token=SECRET', callbackTries: 2, timeout: 3000 });
    assert.equal(text, 'callback to https://hooks.example (2 attempts), waits up to 3000 ms');
    const words = { callback: 'コールバック先 {0} ({1} 回)', timeout: '最大 {0} ms 待機' };
    assert.equal(describeOptions({ callbackEndpoint: 'https://hooks.example/x?token=SECRET' }, words), 'コールバック先 https://hooks.example (1 回)');
  });

  it('are remembered per BOT in secret storage, and anything stored that is no longer valid is dropped', async () => {
    const secrets = new MemorySecrets();
    const remembered = new RememberedOptions(secrets);
    await remembered.set('c1', 'bot', { callbackEndpoint: 'https://h.example/cb', callbackTries: 3 });
    assert.deepEqual(await new RememberedOptions(secrets).get('c1', 'bot'), { callbackEndpoint: 'https://h.example/cb', callbackTries: 3 });
    assert.deepEqual(await remembered.get('c1', 'other'), {});
    await remembered.set('c1', 'bot', {});
    assert.deepEqual(JSON.parse(secrets.values.get('cloudbot.executeOptions')!), {});
    secrets.values.set('cloudbot.executeOptions', JSON.stringify({ 'c1/bot': { timeout: -1 }, 'c1/ok': { timeout: 10 } }));
    const reloaded = new RememberedOptions(secrets);
    assert.deepEqual(await reloaded.get('c1', 'bot'), {});
    assert.deepEqual(await reloaded.get('c1', 'ok'), { timeout: 10 });
    secrets.values.set('cloudbot.executeOptions', '{not json');
    assert.deepEqual(await new RememberedOptions(secrets).get('c1', 'ok'), {});
  });
});
