import * as assert from 'node:assert/strict';
import { SESSIONS_KEY, SessionStore, type StoredSession } from '../../src/auth/sessionStore';
import { MemorySecretStore } from '../fakes/memorySecretStore';

function session(id: string): StoredSession {
  return { kind: 'accessToken', id, label: `Access token (${id})`, scopes: [], apiBaseUrl: 'http://127.0.0.1:1', createdAt: 1, accessToken: `t-${id}`, secretKey: `s-${id}` };
}

describe('SessionStore', () => {
  it('keeps sessions as one JSON value in the secret store', async () => {
    const secrets = new MemorySecretStore();
    const store = new SessionStore(secrets, () => undefined);
    await store.upsert(session('a'));
    await store.upsert(session('b'));
    await store.upsert({ ...session('a'), label: 'renamed' });
    assert.deepEqual((await store.list()).map((s) => [s.id, s.label]), [['b', 'Access token (b)'], ['a', 'renamed']]);
    assert.deepEqual([...secrets.values.keys()], [SESSIONS_KEY]);
  });

  it('loses nothing when sign-ins overlap', async () => {
    const store = new SessionStore(new MemorySecretStore(), () => undefined);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.upsert(session(id))));
    assert.deepEqual((await store.list()).map((s) => s.id).sort(), ['a', 'b', 'c', 'd']);
  });

  it('removes a session and deletes the key with the last one', async () => {
    const secrets = new MemorySecretStore();
    const store = new SessionStore(secrets, () => undefined);
    await store.upsert(session('a'));
    assert.equal((await store.remove('a'))?.id, 'a');
    assert.equal(await store.remove('a'), undefined);
    assert.equal(secrets.values.size, 0);
  });

  it('drops corrupt data with a log line that does not repeat it', async () => {
    const secrets = new MemorySecretStore();
    const lines: string[] = [];
    const store = new SessionStore(secrets, (line) => lines.push(line));
    await secrets.store(SESSIONS_KEY, '{"secretKey": "s3cr3t"');
    assert.deepEqual(await store.list(), []);
    assert.equal(secrets.values.size, 0);
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0], /s3cr3t/);
  });

  it('drops only the unreadable entries', async () => {
    const secrets = new MemorySecretStore();
    const lines: string[] = [];
    const store = new SessionStore(secrets, (line) => lines.push(line));
    await secrets.store(SESSIONS_KEY, JSON.stringify([session('a'), { id: 'b' }, 7]));
    assert.deepEqual((await store.list()).map((s) => s.id), ['a']);
    assert.match(lines[0], /Dropped 2/);
  });
});

describe('SessionStore remembering its sessions', () => {
  /** Counts the reads that reach SecretStorage; `hold()` keeps the next one waiting until released. */
  class CountingSecretStore extends MemorySecretStore {
    reads = 0;
    private gate: Promise<void> | undefined;
    hold(): () => void {
      let release!: () => void;
      this.gate = new Promise((resolve) => (release = resolve));
      return release;
    }
    override async get(key: string): Promise<string | undefined> {
      this.reads++;
      const value = this.values.get(key);
      const gate = this.gate;
      this.gate = undefined;
      await gate;
      return value;
    }
  }

  it('answers requests from memory until its sessions change, here or in another window', async () => {
    const secrets = new CountingSecretStore();
    const store = new SessionStore(secrets, () => undefined);
    await store.upsert(session('a'));
    const readsAfterWrite = secrets.reads;
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['a']);
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['a']);
    assert.equal(secrets.reads, readsAfterWrite + 1, 'one read for two requests');

    await store.upsert(session('b'));
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['a', 'b'], 'its own write is seen at once');

    // Another window writes; SecretStorage says so, and the provider makes the store forget.
    secrets.values.set(SESSIONS_KEY, JSON.stringify([session('c')]));
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['a', 'b'], 'not seen before the change event');
    store.forget();
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['c']);
    assert.deepEqual((await store.list()).map((s) => s.id), ['c']);
  });

  it('does not remember a read that began before a change', async () => {
    const secrets = new CountingSecretStore();
    const store = new SessionStore(secrets, () => undefined);
    await store.upsert(session('a'));
    store.forget();
    const release = secrets.hold();
    const early = store.listRemembered();
    secrets.values.set(SESSIONS_KEY, JSON.stringify([session('b')]));
    store.forget();
    release();
    assert.deepEqual((await early).map((s) => s.id), ['a'], 'the early read answers what it read');
    assert.deepEqual((await store.listRemembered()).map((s) => s.id), ['b'], 'but is not remembered');
  });

  it('hands out copies, so a caller cannot change what it remembers', async () => {
    const store = new SessionStore(new MemorySecretStore(), () => undefined);
    await store.upsert(session('a'));
    (await store.listRemembered()).pop();
    assert.equal((await store.listRemembered()).length, 1);
  });
});

describe('SessionStore with OAuth sessions', () => {
  it('keeps OAuth sessions next to access-token ones, and checks their fields', async () => {
    const secrets = new MemorySecretStore();
    const store = new SessionStore(secrets, () => undefined);
    const oauth: StoredSession = {
      kind: 'oauth', id: 'o', label: 'user@example.com', username: 'user@example.com', scopes: ['refer'], apiBaseUrl: 'http://127.0.0.1:1',
      oauthBaseUrl: 'http://127.0.0.1:2', clientId: 1001, createdAt: 1, accessToken: 'at', refreshToken: 'rt', expiresAt: 5,
    };
    await store.upsert(session('a'));
    await store.upsert(oauth);
    assert.deepEqual((await store.list()).map((s) => s.kind), ['accessToken', 'oauth']);
    // JSON leaves out the undefined fields, as when Cloud BOT issued no refresh token and no expiry.
    const unrenewable = { ...oauth, id: 'q', refreshToken: undefined, expiresAt: undefined };
    await secrets.store(SESSIONS_KEY, JSON.stringify([oauth, { ...oauth, id: 'p', refreshToken: 7 }, unrenewable, { ...oauth, id: 'r', expiresAt: 'soon' }]));
    assert.deepEqual((await store.list()).map((s) => s.id), ['o', 'q'], 'refresh token and expiry may be absent, not of another type');
  });
});
