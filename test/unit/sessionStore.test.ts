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
