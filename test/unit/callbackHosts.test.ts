import * as assert from 'node:assert/strict';
import { callbackHostToConfirm, ConfirmedHosts } from '../../src/core/callbackHosts';
import type { KeyValueStore } from '../../src/core/jobHistory';

/** globalState in memory. */
class MemoryState implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

describe('callback hosts', () => {
  it('ask about the host (and port) a callback sends results to, but not about this machine', () => {
    assert.equal(callbackHostToConfirm('https://Hooks.Example/cb/TOKEN?key=SECRET'), 'hooks.example');
    assert.equal(callbackHostToConfirm('https://hooks.example:8443/cb'), 'hooks.example:8443');
    for (const endpoint of ['http://127.0.0.1:8080/cb', 'http://localhost/cb', 'https://[::1]:9/cb', undefined]) {
      assert.equal(callbackHostToConfirm(endpoint), undefined, endpoint);
    }
  });

  it('are remembered as hosts only, newest first and bounded', async () => {
    const state = new MemoryState();
    const hosts = new ConfirmedHosts(state);
    assert.equal(hosts.has('hooks.example'), false);
    await hosts.add('hooks.example');
    await hosts.add('other.example');
    await hosts.add('hooks.example');
    assert.ok(hosts.has('hooks.example'));
    assert.deepEqual(hosts.all(), ['hooks.example', 'other.example']);
    for (let i = 0; i < 150; i++) await hosts.add(`h${i}.example`);
    assert.equal(hosts.all().length, 100);
    assert.equal(hosts.all()[0], 'h149.example');
  });

  it('read nothing unusable from the store', () => {
    const state = new MemoryState();
    state.values.set('cloudbot.confirmedCallbackHosts', ['ok.example', 42, null]);
    assert.deepEqual(new ConfirmedHosts(state).all(), ['ok.example']);
    state.values.set('cloudbot.confirmedCallbackHosts', 'not a list');
    assert.deepEqual(new ConfirmedHosts(state).all(), []);
  });
});
