// The emulator's OAuth server: consent page, code grant, refresh, and what bearer tokens may do.
import * as assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../emulator';
import { callApi } from '../emulator/testing';

interface TokenResponse {
  username: string;
  token_type: string;
  expires_in: number;
  access_token: string;
  refresh_token: string;
  error?: string;
  error_description?: string;
}

const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

describe('emulator: OAuth', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  /** Every secret the tests saw, to prove the request log has none of them. */
  const seen: string[] = [];

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  const client = (target = emu) => target.oauthClients[0];

  function authorizeUrl(params: Record<string, string> = {}, base = emu.oauthBaseUrl): string {
    const query = new URLSearchParams({ client_id: String(client().clientId), redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'refer execute', state: 'st-123', ...params });
    return `${base}/oauth/authorize?${query}`;
  }

  /** GET /oauth/authorize without following redirects. */
  const authorize = (params: Record<string, string> = {}) => fetch(authorizeUrl(params), { redirect: 'manual' });

  async function consent(params: Record<string, string> = {}): Promise<{ html: string; requestId: string }> {
    const page = await authorize(params);
    assert.equal(page.status, 200);
    const html = await page.text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(requestId, 'the consent form carries a request id');
    return { html, requestId };
  }

  async function decide(requestId: string, decision: string, username?: string): Promise<Response> {
    const form = new URLSearchParams({ request_id: requestId, decision, ...(username ? { username } : {}) });
    return fetch(`${emu.oauthBaseUrl}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' });
  }

  /** Allows on the consent page and returns the redirect's query. */
  async function allow(params: Record<string, string> = {}, username?: string): Promise<URLSearchParams> {
    const { requestId } = await consent(params);
    const redirect = await decide(requestId, 'allow', username);
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location')!;
    assert.ok(location.startsWith(`${params.redirect_uri ?? REDIRECT_URI}?`), 'redirects to the registered URI');
    const query = new URL(location).searchParams;
    seen.push(query.get('code') ?? '');
    return query;
  }

  async function token(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded', target = emu): Promise<{ status: number; body: TokenResponse }> {
    const body = contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
    const response = await fetch(`${target.oauthBaseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const parsed = (await response.json()) as TokenResponse;
    for (const secret of [parsed.access_token, parsed.refresh_token]) if (secret) seen.push(secret);
    return { status: response.status, body: parsed };
  }

  const exchange = (code: string, overrides: Record<string, string> = {}, target = emu) =>
    token({ grant_type: 'authorization_code', client_id: String(client(target).clientId), client_secret: client(target).clientSecret, redirect_uri: REDIRECT_URI, code, ...overrides }, undefined, target);

  /** The code an autoApprove emulator redirects with at once. */
  async function autoApprovedCode(target: RunningEmulator): Promise<string> {
    const response = await fetch(authorizeUrl({}, target.oauthBaseUrl), { redirect: 'manual' });
    assert.equal(response.status, 302);
    const query = new URL(response.headers.get('location')!).searchParams;
    assert.equal(query.get('state'), 'st-123');
    return query.get('code')!;
  }
  const refresh = (refreshToken: string) =>
    token({ grant_type: 'refresh_token', client_id: String(client().clientId), client_secret: client().clientSecret, refresh_token: refreshToken });
  const asBearer = (accessToken: string, method = 'GET', path = '/services/contracts') =>
    callApi<{ code: number; contracts: { public_id: string }[] }>(emu.apiBaseUrl, method, path, { credentials: { bearer: accessToken }, body: method === 'POST' ? {} : undefined });

  async function signIn(scope = 'refer execute'): Promise<TokenResponse> {
    const { body } = await exchange((await allow({ scope })).get('code')!);
    return body;
  }

  it('shows a consent page in English and Japanese with the app, scopes, user choice and Allow/Deny', async () => {
    const { html } = await consent({ scope: 'refer execute suspend modify' });
    assert.match(html, /<button[^>]*id="allow"[^>]*>Allow/);
    assert.match(html, /<button[^>]*id="deny"[^>]*>Deny/);
    assert.match(html, /Cloud BOT for VS Code/);
    assert.match(html, /許可する/);
    assert.match(html, /拒否する/);
    for (const scope of ['refer', 'execute', 'suspend', 'modify']) assert.match(html, new RegExp(`data-scope="${scope}"`));
    assert.match(html, /<select name="username"[^>]*><option value="user@example.com">.*<option value="other@example.com">/);
    // A relative action that resolves to the decision endpoint, from the authorize page and under a proxy prefix alike.
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.equal(new URL(action, 'http://127.0.0.1/oauth/authorize?x=1').pathname, '/oauth/authorize/decision');
    assert.equal(new URL(action, 'http://127.0.0.1/proxy/1234/oauth/authorize').pathname, '/proxy/1234/oauth/authorize/decision');
    assert.ok(!html.includes(client().clientSecret), 'the page never carries the client secret');
  });

  it('accepts + for spaces between scopes', async () => {
    const page = await fetch(authorizeUrl().replace(/scope=[^&]+/, 'scope=refer+suspend'), { redirect: 'manual' });
    const html = await page.text();
    assert.match(html, /data-scope="refer"/);
    assert.match(html, /data-scope="suspend"/);
  });

  it('Allow redirects with code and state; Deny with error=access_denied and state', async () => {
    const allowed = await allow();
    assert.ok(allowed.get('code'));
    assert.equal(allowed.get('state'), 'st-123');
    const { requestId } = await consent();
    const denied = await decide(requestId, 'deny');
    assert.equal(denied.status, 302);
    const query = new URL(denied.headers.get('location')!).searchParams;
    assert.deepEqual(Object.fromEntries(query), { error: 'access_denied', state: 'st-123' });
  });

  it('uses each consent request once', async () => {
    const { requestId } = await consent();
    assert.equal((await decide(requestId, 'allow')).status, 302);
    const again = await decide(requestId, 'allow');
    assert.equal(again.status, 400);
    assert.match(await again.text(), /already answered/);
  });

  it('shows an error page, never a redirect, for an unknown client or inexact redirect_uri', async () => {
    const cases: Record<string, string>[] = [{ client_id: '9999' }, { client_id: 'abc' }, { redirect_uri: `${REDIRECT_URI}/` }, { redirect_uri: 'http://127.0.0.1:33419/callback' }, { redirect_uri: 'HTTP://127.0.0.1:33418/callback' }];
    for (const params of cases) {
      const response = await authorize(params);
      assert.equal(response.status, 400, JSON.stringify(params));
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    }
  });

  it('redirects with an error for a bad response_type or scope', async () => {
    const cases: [Record<string, string>, string][] = [[{ response_type: 'token' }, 'unsupported_response_type'], [{ scope: 'refer admin' }, 'invalid_scope'], [{ scope: '' }, 'invalid_scope']];
    for (const [params, error] of cases) {
      const response = await authorize(params);
      assert.equal(response.status, 302);
      const query = new URL(response.headers.get('location')!).searchParams;
      assert.deepEqual([query.get('error'), query.get('state')], [error, 'st-123']);
    }
  });

  it('appends to a redirect URI that already has a query', async () => {
    const withQuery = 'http://127.0.0.1:33418/callback?source=test';
    emu.addRedirectUri(client().clientId, withQuery);
    const { requestId } = await consent({ redirect_uri: withQuery });
    const location = (await decide(requestId, 'deny')).headers.get('location');
    assert.equal(location, `${withQuery}&error=access_denied&state=st-123`);
  });

  it('issues Bearer tokens for a code; the user chosen on the consent page signs in', async () => {
    const code = (await allow({}, 'other@example.com')).get('code')!;
    const { status, body } = await exchange(code);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type', 'username']);
    assert.deepEqual([body.username, body.token_type, body.expires_in], ['other@example.com', 'Bearer', 31_536_000]);
    const contracts = await asBearer(body.access_token);
    assert.deepEqual(contracts.body.contracts.map((c) => c.public_id), ['example2']);
  });

  it('refuses token requests that are not form-encoded, or have a wrong client, grant type or redirect_uri', async () => {
    const code = (await allow()).get('code')!;
    const json = await token({ grant_type: 'authorization_code', code }, 'application/json');
    assert.deepEqual([json.status, json.body.error], [400, 'invalid_request']);
    const wrongSecret = await exchange(code, { client_secret: 'wrong' });
    assert.deepEqual([wrongSecret.status, wrongSecret.body.error], [401, 'invalid_client']);
    assert.equal(typeof wrongSecret.body.error_description, 'string');
    assert.equal((await exchange(code, { grant_type: 'password' })).body.error, 'unsupported_grant_type');
    assert.equal((await exchange(code, { redirect_uri: `${REDIRECT_URI}/` })).body.error, 'invalid_grant');
    const otherClient = emu.oauthClients[1];
    const stolen = await exchange(code, { client_id: String(otherClient.clientId), client_secret: otherClient.clientSecret });
    assert.deepEqual([stolen.status, stolen.body.error], [400, 'invalid_grant']);
    // None of the failures used the code up.
    assert.equal((await exchange(code)).status, 200);
  });

  it('refuses a reused code and revokes the tokens issued from it', async () => {
    const code = (await allow()).get('code')!;
    const first = await exchange(code);
    assert.equal((await asBearer(first.body.access_token)).status, 200);
    const reused = await exchange(code);
    assert.deepEqual([reused.status, reused.body.error], [400, 'invalid_grant']);
    assert.equal((await asBearer(first.body.access_token)).status, 401);
    assert.equal((await refresh(first.body.refresh_token)).body.error, 'invalid_grant');
  });

  it('rotates refresh tokens: the old one stops working, the old access token lives on', async () => {
    const first = await signIn();
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.notEqual(second.body.access_token, first.access_token);
    assert.equal(second.body.username, 'user@example.com');
    assert.equal((await asBearer(second.body.access_token)).status, 200);
    assert.equal((await asBearer(first.access_token)).status, 200);
    const stale = await refresh(first.refresh_token);
    assert.deepEqual([stale.status, stale.body.error], [400, 'invalid_grant']);
  });

  it('revokeRefreshTokens ends refreshing for a user', async () => {
    const session = await signIn();
    emu.revokeRefreshTokens('other@example.com');
    const kept = await refresh(session.refresh_token);
    assert.equal(kept.status, 200);
    emu.revokeRefreshTokens('user@example.com');
    assert.equal((await refresh(kept.body.refresh_token)).body.error, 'invalid_grant');
  });

  it('limits bearer tokens to the granted scopes', async () => {
    const referOnly = await signIn('refer');
    assert.equal((await asBearer(referOnly.access_token, 'GET', '/example1/bots')).status, 200);
    const denied = await callApi<{ code: number; message: string }>(emu.apiBaseUrl, 'POST', '/example1/bots/echo/jobs', { credentials: { bearer: referOnly.access_token }, body: {} });
    assert.deepEqual([denied.status, denied.body.code], [403, 403]);
    assert.match(denied.body.message, /"Execute"/);
    const executor = await signIn('execute');
    assert.equal((await asBearer(executor.access_token, 'POST', '/example1/bots/long_running/jobs')).status, 202);
    assert.equal((await asBearer(executor.access_token, 'GET', '/example1/bots')).status, 403);
  });

  it('autoApprove redirects at once; codes expire', async () => {
    const short = await startEmulator({ authorizationCodeLifetimeSeconds: 0, autoApprove: true });
    try {
      const expired = await exchange(await autoApprovedCode(short), {}, short);
      assert.deepEqual([expired.status, expired.body.error], [400, 'invalid_grant']);
    } finally {
      await short.close();
    }
  });

  it('can issue codes holding +, %2B and %26, and token answers of another type or without the optional fields', async () => {
    const odd = await startEmulator({ autoApprove: true, reservedCharactersInCodes: true, tokenType: 'mac', tokenAnswerOmits: ['refresh_token', 'expires_in'] });
    try {
      const code = await autoApprovedCode(odd);
      assert.match(code, /^[\w-]+\+%2B%26$/);
      const issued = await exchange(code, {}, odd);
      assert.equal(issued.status, 200);
      assert.deepEqual(Object.keys(issued.body).sort(), ['access_token', 'token_type', 'username']);
      assert.equal(issued.body.token_type, 'mac');
    } finally {
      await odd.close();
    }
    await assert.rejects(startEmulator({ tokenAnswerOmits: ['access_token' as 'expires_in'] }), /tokenAnswerOmits/);
  });

  it('expired access tokens get 401 from the API', async () => {
    const short = await startEmulator({ accessTokenLifetimeSeconds: 0, autoApprove: true });
    try {
      const issued = await exchange(await autoApprovedCode(short), {}, short);
      assert.deepEqual([issued.body.username, issued.body.expires_in], ['user@example.com', 0]);
      const expired = await callApi<{ code: number }>(short.apiBaseUrl, 'GET', '/services/contracts', { credentials: { bearer: issued.body.access_token } });
      assert.deepEqual([expired.status, expired.body.code], [401, 401]);
    } finally {
      await short.close();
    }
  });

  it('keeps OAuth off the API origin and the API off the OAuth origin', async () => {
    assert.equal((await fetch(authorizeUrl({}, emu.apiBaseUrl), { redirect: 'manual' })).status, 415);
    const onOAuth = await callApi(emu.oauthBaseUrl, 'GET', '/services/contracts', { credentials: { bearer: 'x' } });
    assert.equal(onOAuth.status, 404);
  });

  it('records every request without a secret in it', () => {
    const log = JSON.stringify(emu.requests);
    const secrets = [...seen, ...emu.oauthClients.map((c) => c.clientSecret), ...emu.tokens.flatMap((t) => [t.accessToken, t.secretKey])].filter((s) => s !== '');
    assert.ok(secrets.length > 10);
    assert.ok(secrets.every((secret) => !log.includes(secret)), 'no secret in the request log');
    const tokenRequest = emu.requests.find((r) => r.path === '/oauth/token' && r.status === 200);
    assert.deepEqual(tokenRequest?.body, { grant_type: 'authorization_code', client_id: String(client().clientId), client_secret: '[redacted]', redirect_uri: REDIRECT_URI, code: '[redacted]' });
    assert.equal(tokenRequest?.origin, 'oauth');
    assert.equal(emu.requests.find((r) => r.auth === 'bearer')?.origin, 'api');
    assert.ok(emu.requests.some((r) => r.path === '/oauth/authorize' && r.query.state === 'st-123'));
  });
});
