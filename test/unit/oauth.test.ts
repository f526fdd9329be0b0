import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { CALLBACK_PATH, LoopbackPortError, LoopbackTimeoutError, startLoopback } from '../../src/core/loopbackServer';
import {
  buildAuthorizeUrl,
  decodedQueryParams,
  exchangeCode,
  OAuthError,
  parseRedirect,
  refreshTokens,
  SingleFlight,
  StateBook,
  type OAuthApp,
  type TokenSet,
} from '../../src/core/oauth';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';
import { appOf, authorizedCode, REDIRECT_URI } from './oauthOnEmulator';

describe('OAuth helpers', () => {
  it('builds the authorize URL with the documented parameters, scopes joined by +', () => {
    const url = new URL(buildAuthorizeUrl('https://console.c-bot.pro/', { clientId: 42, redirectUri: 'vscode://cloudbot-tools.cloudbot-vscode/callback', scopes: ['refer', 'execute', 'suspend'], state: 's t&x' }));
    assert.equal(url.origin + url.pathname, 'https://console.c-bot.pro/oauth/authorize');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      client_id: '42',
      redirect_uri: 'vscode://cloudbot-tools.cloudbot-vscode/callback',
      response_type: 'code',
      scope: 'refer execute suspend',
      state: 's t&x',
    });
    assert.match(url.search, /scope=refer\+execute\+suspend/);
  });

  it('issues unguessable states that are good once, within their lifetime', () => {
    let now = 1_000;
    const book = new StateBook(() => now);
    const a = book.issue(60_000);
    const b = book.issue(60_000);
    assert.notEqual(a, b);
    assert.ok(a.length >= 43);
    assert.equal(book.consume(a), 'valid');
    assert.equal(book.consume(a), 'unknown', 'replayed');
    now += 60_001;
    assert.equal(book.consume(b), 'expired', 'late');
    assert.equal(book.consume('forged'), 'unknown');
    assert.equal(book.consume(undefined), 'unknown');
  });

  it('reads the redirect from a URL, a query string or a bare code', () => {
    assert.deepEqual(parseRedirect('http://127.0.0.1:33418/callback?code=abc&state=xyz'), { kind: 'code', code: 'abc', state: 'xyz' });
    assert.deepEqual(parseRedirect('  ?code=abc&state=xyz '), { kind: 'code', code: 'abc', state: 'xyz' });
    assert.deepEqual(parseRedirect('vscode://cloudbot-tools.cloudbot-vscode/callback?error=access_denied&state=xyz'), { kind: 'error', error: 'access_denied', description: undefined, state: 'xyz' });
    assert.deepEqual(parseRedirect('abc-123_X'), { kind: 'bareCode', code: 'abc-123_X' });
    assert.deepEqual(parseRedirect('http://127.0.0.1:33418/callback?code=abc'), { kind: 'code', code: 'abc', state: undefined }, 'an address, even without state, is no bare code');
    for (const text of ['', 'http://127.0.0.1:33418/callback', 'not a code!', 'state=only']) assert.equal(parseRedirect(text), undefined, text);
  });

  it('reads a query VS Code already decoded without decoding it again', () => {
    const params = decodedQueryParams('code=a+b%2Bc%26d=e&state=s1&empty=&flag');
    assert.deepEqual([...params], [['code', 'a+b%2Bc%26d=e'], ['state', 's1'], ['empty', ''], ['flag', '']]);
  });

  it('runs one task per key at a time and shares its result', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const task = async () => {
      runs++;
      await gate;
      return runs;
    };
    const calls = [flight.run('a', task), flight.run('a', task), flight.run('b', task)];
    release();
    assert.deepEqual(await Promise.all(calls), [2, 2, 2]);
    assert.equal(runs, 2);
    assert.equal(await flight.run('a', task), 3, 'a finished task is not reused');
  });
});

describe('OAuth against the emulator', () => {
  let emulator: RunningEmulator;
  let app: OAuthApp;
  const redirectUri = REDIRECT_URI;

  before(async () => {
    emulator = await startEmulator({ port: 0, autoApprove: true });
    app = appOf(emulator);
  });
  after(() => emulator.close());

  const authorize = (scopes = ['refer', 'execute']): Promise<string> => authorizedCode(app, scopes);

  it('exchanges a code once, then refuses it', async () => {
    const code = await authorize();
    const tokens = await exchangeCode(app, code, redirectUri);
    assert.equal(tokens.username, 'user@example.com');
    assert.ok(tokens.expiresAt! > Date.now());
    assert.ok(tokens.refreshToken);
    const replay = await exchangeCode(app, code, redirectUri).catch((e: unknown) => e);
    assert.ok(replay instanceof OAuthError);
    assert.equal(replay.kind, 'rejected');
    assert.equal(replay.error, 'invalid_grant');
    assert.deepEqual(replay.problem, { ...replay.problem, code: 'invalidGrant', error: 'invalid_grant' });
  });

  it('refuses a wrong client secret as the app, not the user', async () => {
    const code = await authorize();
    const error = await exchangeCode({ ...app, clientSecret: 'wrong' }, code, redirectUri).catch((e: unknown) => e);
    assert.ok(error instanceof OAuthError);
    assert.equal(error.kind, 'rejected');
    assert.deepEqual(error.problem, { code: 'invalidClient', clientId: app.clientId });
    assert.ok(!error.message.includes(app.clientSecret));
  });

  it('refreshes with rotation: the new refresh token works, the old one is refused', async () => {
    const first = await exchangeCode(app, await authorize(), redirectUri);
    const second = await refreshTokens(app, first.refreshToken!);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    await assert.rejects(refreshTokens(app, first.refreshToken!), (e: OAuthError) => e.kind === 'rejected');
    assert.ok((await refreshTokens(app, second.refreshToken!)).accessToken);
  });

  it('many concurrent callers cause one refresh', async () => {
    const tokens = await exchangeCode(app, await authorize(), redirectUri);
    emulator.reset();
    const flight = new SingleFlight<string>();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => flight.run('session', async () => (await refreshTokens(app, tokens.refreshToken!)).accessToken)),
    );
    assert.equal(new Set(results).size, 1);
    assert.equal(emulator.requests.filter((r) => r.path === '/oauth/token').length, 1);
  });

  it('tells a network failure (keep the session) from a refusal (end it)', async () => {
    const error = await refreshTokens({ ...app, oauthBaseUrl: 'http://127.0.0.1:9' }, 'x').catch((e: unknown) => e);
    assert.ok(error instanceof OAuthError);
    assert.equal(error.kind, 'network');
    assert.deepEqual(error.problem, { code: 'unreachable', host: '127.0.0.1:9', networkCode: 'ECONNREFUSED' });
    emulator.faults.add({ path: '^/oauth/token$', status: 503, times: 1 });
    const busy = await refreshTokens(app, 'x').catch((e: unknown) => e);
    assert.ok(busy instanceof OAuthError);
    assert.equal(busy.kind, 'network');
    assert.deepEqual(busy.problem, { code: 'unexpectedAnswer', host: new URL(app.oauthBaseUrl).host, status: 503 });
  });
});

describe('OAuth token answers that differ from the documented one', () => {
  /** Signs in on an emulator started with `options`; resolves to the exchange's outcome. */
  async function signInWith(options: EmulatorOptions): Promise<unknown> {
    const emulator = await startEmulator({ port: 0, autoApprove: true, ...options });
    try {
      const app = appOf(emulator);
      return await exchangeCode(app, await authorizedCode(app, ['refer']), REDIRECT_URI).catch((e: unknown) => e);
    } finally {
      await emulator.close();
    }
  }

  it('refuses a token that is not a Bearer token (RFC 6749 §7.1), whatever the case of the word', async () => {
    const mac = await signInWith({ tokenType: 'mac' });
    assert.ok(mac instanceof OAuthError && mac.problem.code === 'unsupportedTokenType', String(mac));
    assert.equal(mac.kind, 'invalidResponse');
    assert.equal(mac.problem.tokenType, 'mac');
    assert.match(mac.problem.host, /^127\.0\.0\.1:\d+$/);
    const untyped = await signInWith({ tokenAnswerOmits: ['token_type'] });
    assert.ok(untyped instanceof OAuthError && untyped.problem.code === 'unsupportedTokenType', String(untyped));
    assert.equal(untyped.problem.tokenType, undefined);
    assert.equal(((await signInWith({ tokenType: 'bearer' })) as TokenSet).username, 'user@example.com');
  });

  it('makes a session of an answer without refresh_token or expires_in, saying which is missing', async () => {
    const neither = (await signInWith({ tokenAnswerOmits: ['refresh_token', 'expires_in'] })) as TokenSet;
    assert.equal(typeof neither.accessToken, 'string', String(neither));
    assert.deepEqual([neither.username, neither.refreshToken, neither.expiresAt], ['user@example.com', undefined, undefined]);
    const unrenewable = (await signInWith({ tokenAnswerOmits: ['refresh_token'] })) as TokenSet;
    assert.deepEqual([unrenewable.refreshToken, unrenewable.expiresAt! > Date.now()], [undefined, true]);
  });
});

describe('loopback server', () => {
  const thanks = { language: 'en', title: 'Cloud BOT sign-in', body: 'You can close this tab.' };

  /** A GET with the Host header chosen by the test (fetch would always send the URL's own). */
  function get(url: string, host = new URL(url).host): Promise<number> {
    return new Promise((resolve, reject) => {
      request(url, { headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
  }

  it('answers the redirect with a page, hands over its parameters and closes', async () => {
    const loopback = await startLoopback(0, 10_000, thanks, 's1');
    assert.match(loopback.redirectUri, new RegExp(`^http://127\\.0\\.0\\.1:\\d+${CALLBACK_PATH}$`));
    const missing = await fetch(loopback.redirectUri.replace(CALLBACK_PATH, '/other'));
    assert.equal(missing.status, 400);
    const page = await fetch(`${loopback.redirectUri}?code=c1&state=s1`);
    assert.match(await page.text(), /close this tab/);
    const query = await loopback.received;
    assert.equal(query.get('code'), 'c1');
    assert.equal(query.get('state'), 's1');
    await assert.rejects(fetch(`${loopback.redirectUri}?code=c2&state=s1`), 'closed after the first answer');
  });

  it('refuses what is not this attempt\'s redirect, and keeps waiting for it', async () => {
    const loopback = await startLoopback(0, 10_000, thanks, 'mine');
    const port = new URL(loopback.redirectUri).port;
    let arrived = false;
    void loopback.received.then(() => (arrived = true));
    assert.equal(await get(loopback.redirectUri.replace(CALLBACK_PATH, '/favicon.ico')), 400);
    assert.equal(await get(loopback.redirectUri), 400, 'no state');
    assert.equal(await get(`${loopback.redirectUri}?code=c&state=other`), 400, 'another attempt\'s state');
    assert.equal(await get(`${loopback.redirectUri}?error=access_denied`), 400, 'an error without state');
    // DNS rebinding: a page on another origin whose name resolves to 127.0.0.1 reaches the server under that name.
    assert.equal(await get(`${loopback.redirectUri}?code=c&state=mine`, `attacker.example:${port}`), 400, 'another host name');
    assert.equal(await get(`${loopback.redirectUri}?code=c&state=mine`, '127.0.0.1:1'), 400, 'another port');
    assert.equal(arrived, false);
    assert.equal(await get(`${loopback.redirectUri}?code=c&state=mine`, `LOCALHOST:${port}`), 200);
    assert.equal((await loopback.received).get('code'), 'c');
  });

  it('closes when nobody comes in time', async () => {
    const loopback = await startLoopback(0, 50, thanks, 's');
    await assert.rejects(loopback.received, (e: Error) => e instanceof LoopbackTimeoutError && e.redirectUri === loopback.redirectUri);
    await assert.rejects(fetch(loopback.redirectUri));
  });

  it('says so when its port is taken', async () => {
    const first = await startLoopback(0, 10_000, thanks, 's');
    const port = Number(new URL(first.redirectUri).port);
    await assert.rejects(startLoopback(port, 10_000, thanks, 's'), (e: Error) => e instanceof LoopbackPortError && e.port === port);
    await first.close();
  });
});
