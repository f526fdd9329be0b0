// Refreshing one stored OAuth session. Every window shares SecretStorage, and Cloud BOT may rotate refresh
// tokens (each then works once), so two windows refreshing the same session race: the loser's refresh
// token is refused although the session lives on in the winner's answer. So a refused refresh first
// looks for a newer refresh token in the store before it ends the session.
// No `vscode` import: unit-tested in plain Node with a fake secret store and the emulator.
import { setTimeout as delay } from 'node:timers/promises';
import { OAuthError, refreshTokens, type OAuthApp } from '../core/oauth';
import type { OAuthSession, SessionStore } from './sessionStore';

export type RefreshOutcome =
  /** Refreshed here, and saved. */
  | { kind: 'refreshed'; session: OAuthSession }
  /** Another window refreshed first: the session it stored is the one to use. */
  | { kind: 'refreshedElsewhere'; session: OAuthSession }
  /** Not refreshed, and the session stays (to be tried again at a later use). */
  | { kind: 'kept'; session: OAuthSession; why: 'noRefreshToken' | 'otherApp' | 'failed'; error?: unknown }
  /** Cloud BOT refused the refresh token and no window holds a newer one: the session was removed. */
  | { kind: 'ended'; session: OAuthSession; error: OAuthError }
  /** Signed out meanwhile. */
  | { kind: 'gone' };

/** How long a refused refresh waits for another window's rotated session to reach the store. */
const ROTATION_GRACE_MS = 2_000;

/** `app` is the OAuth app set up now; only a session issued to it can be refreshed. */
export async function refreshStoredSession(store: SessionStore, app: OAuthApp | undefined, sessionId: string, graceMs = ROTATION_GRACE_MS): Promise<RefreshOutcome> {
  const session = await findOAuthSession(store, sessionId);
  if (!session) return { kind: 'gone' };
  const { refreshToken } = session;
  if (!refreshToken) return { kind: 'kept', session, why: 'noRefreshToken' };
  // The client secret goes only to the server it was set up for, which must be the session's.
  if (!app || app.clientId !== session.clientId || app.oauthBaseUrl !== session.oauthBaseUrl) return { kind: 'kept', session, why: 'otherApp' };
  try {
    const tokens = await refreshTokens(app, refreshToken);
    const refreshed: OAuthSession = { ...session, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt };
    await store.upsert(refreshed);
    return { kind: 'refreshed', session: refreshed };
  } catch (error) {
    if (!(error instanceof OAuthError) || error.kind !== 'rejected') return { kind: 'kept', session, why: 'failed', error };
    // The other window stores its answer right after receiving it, so it may land a moment after ours.
    for (const wait of [0, graceMs]) {
      await delay(wait);
      const stored = await findOAuthSession(store, sessionId);
      if (!stored) return { kind: 'gone' };
      if (stored.refreshToken !== refreshToken) return { kind: 'refreshedElsewhere', session: stored };
    }
    const removed = await store.remove(sessionId, (stored) => stored.kind === 'oauth' && stored.refreshToken === refreshToken);
    if (removed) return { kind: 'ended', session, error };
    // Replaced between the last look and the removal.
    const stored = await findOAuthSession(store, sessionId);
    return stored ? { kind: 'refreshedElsewhere', session: stored } : { kind: 'gone' };
  }
}

async function findOAuthSession(store: SessionStore, sessionId: string): Promise<OAuthSession | undefined> {
  return (await store.list()).find((s): s is OAuthSession => s.id === sessionId && s.kind === 'oauth');
}
