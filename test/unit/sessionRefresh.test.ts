// Refreshing a stored OAuth session when several windows share SecretStorage (each window has its own
// SessionStore over it) and Cloud BOT rotates refresh tokens.
import * as assert from 'node:assert/strict';
import { refreshStoredSession } from '../../src/auth/sessionRefresh';
import { SessionStore, type OAuthSession } from '../../src/auth/sessionStore';
import { exchangeCode, refreshTokens, type OAuthApp } from '../../src/core/oauth';
import { startEmulator, type RunningEmulator } from '../emulator';
import { MemorySecretStore } from '../fakes/memorySecretStore';
import { appOf, authorizedCode, REDIRECT_URI } from './oauthOnEmulator';

describe('refreshing a session shared by several windows', () => {
  let emulator: RunningEmulator;
  let app: OAuthApp;

  before(async () => {
    emulator = await startEmulator({ port: 0, autoApprove: true });
    app = appOf(emulator);
  });
  afterEach(() => emulator.faults.clear());
  after(() => emulator.close());

  /** A signed-in session in SecretStorage, and one store per window over it. */
  async function signedIn(): Promise<{ session: OAuthSession; windowA: SessionStore; windowB: SessionStore }> {
    const tokens = await exchangeCode(app, await authorizedCode(app, ['refer']), REDIRECT_URI);
    const session: OAuthSession = {
      kind: 'oauth', id: 's1', label: tokens.username, username: tokens.username, scopes: ['refer'], apiBaseUrl: emulator.apiBaseUrl,
      oauthBaseUrl: app.oauthBaseUrl, clientId: app.clientId, createdAt: 1, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt,
    };
    const secrets = new MemorySecretStore();
    const windowA = new SessionStore(secrets, () => undefined);
    await windowA.upsert(session);
    return { session, windowA, windowB: new SessionStore(secrets, () => undefined) };
  }

  it('refreshes and saves the new tokens', async () => {
    const { session, windowA, windowB } = await signedIn();
    const outcome = await refreshStoredSession(windowA, app, session.id);
    assert.equal(outcome.kind, 'refreshed');
    const [stored] = await windowB.list();
    assert.notEqual(stored.accessToken, session.accessToken);
    assert.deepEqual(stored, outcome.kind === 'refreshed' ? outcome.session : undefined);
  });

  it('uses the session another window rotated first, instead of ending it', async () => {
    const { session, windowA, windowB } = await signedIn();
    // Window A's request reaches the token endpoint after window B's, which rotates the refresh token.
    emulator.faults.add({ path: '^/oauth/token$', latencyMs: 300, times: 1 });
    const a = refreshStoredSession(windowA, app, session.id, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = await refreshStoredSession(windowB, app, session.id, 10);
    assert.equal(b.kind, 'refreshed');
    const outcome = await a;
    assert.equal(outcome.kind, 'refreshedElsewhere');
    const [stored] = await windowA.list();
    assert.deepEqual(outcome.kind === 'refreshedElsewhere' && outcome.session, stored);
    assert.notEqual(stored.kind === 'oauth' && stored.refreshToken, session.refreshToken);
  });

  it('waits a moment for the other window\'s rotated session to be stored', async () => {
    const { session, windowA, windowB } = await signedIn();
    // Window B got its answer, and stores it only after window A's refresh was refused.
    const rotated = await refreshTokens(app, session.refreshToken!);
    setTimeout(() => void windowB.upsert({ ...session, accessToken: rotated.accessToken, refreshToken: rotated.refreshToken }), 100);
    const outcome = await refreshStoredSession(windowA, app, session.id, 300);
    assert.equal(outcome.kind, 'refreshedElsewhere');
    assert.equal(outcome.kind === 'refreshedElsewhere' && outcome.session.refreshToken, rotated.refreshToken);
  });

  it('ends the session when its refresh token is refused and no window holds a newer one', async () => {
    const { session, windowA, windowB } = await signedIn();
    emulator.revokeRefreshTokens('user@example.com');
    const outcome = await refreshStoredSession(windowA, app, session.id, 10);
    assert.equal(outcome.kind, 'ended');
    assert.equal(outcome.kind === 'ended' && outcome.error.error, 'invalid_grant');
    assert.deepEqual(await windowB.list(), []);
  });

  it('keeps the session when the token endpoint cannot be reached, or the session cannot be refreshed', async () => {
    const { session, windowA } = await signedIn();
    emulator.faults.add({ path: '^/oauth/token$', drop: true, times: 1 });
    assert.deepEqual(
      [
        (await refreshStoredSession(windowA, app, session.id)).kind,
        (await refreshStoredSession(windowA, { ...app, clientId: 1002 }, session.id)).kind,
        (await refreshStoredSession(windowA, app, 'other')).kind,
      ],
      ['kept', 'kept', 'gone'],
    );
    await windowA.upsert({ ...session, refreshToken: undefined });
    const unrenewable = await refreshStoredSession(windowA, app, session.id);
    assert.equal(unrenewable.kind === 'kept' && unrenewable.why, 'noRefreshToken');
    assert.equal((await windowA.list()).length, 1);
  });
});
