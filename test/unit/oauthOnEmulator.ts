// The OAuth steps unit tests take against an emulator started with autoApprove: its app, and a code.
import * as assert from 'node:assert/strict';
import { buildAuthorizeUrl, parseRedirect, type OAuthApp } from '../../src/core/oauth';
import type { RunningEmulator } from '../emulator';

/** A redirect URI the emulator's first client has registered. */
export const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

/** The emulator's first OAuth client, as the extension's app. */
export function appOf(emulator: RunningEmulator): OAuthApp {
  const { clientId, clientSecret } = emulator.oauthClients[0];
  return { oauthBaseUrl: emulator.oauthBaseUrl, clientId, clientSecret };
}

/** The code the authorize page redirects with at once. */
export async function authorizedCode(app: OAuthApp, scopes: string[]): Promise<string> {
  const url = buildAuthorizeUrl(app.oauthBaseUrl, { clientId: app.clientId, redirectUri: REDIRECT_URI, scopes, state: 'st' });
  const response = await fetch(url, { redirect: 'manual' });
  const redirect = parseRedirect(response.headers.get('location') ?? '');
  assert.equal(redirect?.kind, 'code');
  return redirect.code;
}
