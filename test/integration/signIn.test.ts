// Signing in inside the real VS Code against the emulator, which matches redirect URIs exactly: each
// OAuth flow, state and code checks, refresh and its failure, scopes, and no secret left behind.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SignInUi } from '../../src/auth/oauthSignIn';
import type { CloudBotTestApi } from '../../src/extension';
import { describeError } from '../../src/words';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';

import { EXTENSION_ID, storedFiles } from './harness';

describe('signing in to Cloud BOT', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let realUi: SignInUi;
  /** Every secret value the tests see, to search for afterwards. */
  const secrets = new Set<string>();

  async function pointAt(target: RunningEmulator): Promise<void> {
    const config = vscode.workspace.getConfiguration('cloudbot');
    await config.update('apiBaseUrl', target.apiBaseUrl, vscode.ConfigurationTarget.Global);
    await config.update('oauthBaseUrl', target.oauthBaseUrl, vscode.ConfigurationTarget.Global);
    await config.update('oauth.clientId', target.oauthClients[0].clientId, vscode.ConfigurationTarget.Global);
    await api.apps.setClientSecret(target.oauthClients[0].clientId, target.oauthClients[0].clientSecret);
    for (const client of target.oauthClients) secrets.add(client.clientSecret);
    for (const token of target.tokens) [token.accessToken, token.secretKey].forEach((value) => secrets.add(value));
  }

  /** A browser that follows the authorize URL like a real HTTP client, but stops at the redirect and returns it. */
  async function visit(authorizeUrl: string): Promise<string> {
    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    assert.ok(location, `the authorize page redirects (HTTP ${response.status})`);
    const code = new URL(location).searchParams.get('code');
    if (code) secrets.add(code);
    return location;
  }

  async function signOutAll(): Promise<void> {
    for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
  }

  function tokenRequests(target: RunningEmulator, grant: string): number {
    return target.requests.filter((r) => r.path === '/oauth/token' && (r.body as Record<string, string> | undefined)?.grant_type === grant).length;
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, autoApprove: true });
    api = (await vscode.extensions.getExtension<CloudBotTestApi>(EXTENSION_ID)!.activate())!;
    realUi = api.auth.oauth.ui;
    await pointAt(emulator);
  });

  afterEach(async () => {
    api.auth.oauth.ui = realUi;
    for (const session of await api.auth.getSessions()) secrets.add(session.accessToken);
    await signOutAll();
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('cloudbot');
    for (const key of ['apiBaseUrl', 'oauthBaseUrl', 'oauth.clientId']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('URI handler: the answer comes back to VS Code through asExternalUri, the callback page and the UriHandler', async () => {
    let redirectUri = '';
    const listener = api.auth.oauth.onDidStartAttempt((attempt) => {
      redirectUri = attempt.redirectUri;
      // What the user registers in My Apps: the emulator then accepts exactly this URI.
      emulator.addRedirectUri(emulator.oauthClients[0].clientId, redirectUri);
    });
    let landed = '';
    api.auth.oauth.ui = {
      // The Cloud BOT leg is visited here (this host would proxy a 127.0.0.1 page and re-encode its
      // query); the way back is the real one: the browser opens the redirect, the workbench's callback
      // page hands it to the extension's UriHandler.
      openBrowser: async (url) => vscode.env.openExternal((landed = await visit(url)) as unknown as vscode.Uri),
      askForRedirect: async () => assert.fail('the URI handler flow asks nothing'),
    };
    try {
      const session = await api.auth.signInWithOAuth('uriHandler');
      // On this web host the vscode-scheme URI became an http URL of the workbench.
      assert.match(redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/.*callback\?.*vscode-scheme=code-oss/);
      assert.equal(session.account.label, 'user@example.com');
      assert.deepEqual([...session.scopes].sort(), ['execute', 'refer', 'suspend']);
      assert.deepEqual((await vscode.authentication.getAccounts('cloudbot')).map((a) => a.label), ['user@example.com']);
      assert.ok((await api.cloudBot.clientFor(session.id).listContracts()).length > 0);
      assert.equal(emulator.requests.filter((r) => r.path === '/services/contracts').at(-1)?.auth, 'bearer');

      // The same answer arriving again (a replay, or a late second tab) is refused and changes nothing.
      // On this web host the callback page answers each request id once, so a replayed tab never gets
      // this far; it is handed to the extension's UriHandler as a desktop browser would hand it.
      const exchanges = tokenRequests(emulator, 'authorization_code');
      const refused = new Promise<void>((resolve) => {
        const refusal = api.auth.oauth.onDidRefuseCallback(() => {
          refusal.dispose();
          resolve();
        });
      });
      const answer = new URL(landed).searchParams;
      const replay = `${vscode.env.uriScheme}://cloudbot-tools.cloudbot-vscode/callback?code=${answer.get('code')}&state=${answer.get('state')}`;
      api.uriHandler.handleUri(vscode.Uri.parse(replay));
      await refused;
      assert.equal(tokenRequests(emulator, 'authorization_code'), exchanges);
      assert.deepEqual((await api.auth.getSessions()).map((s) => s.id), [session.id]);
    } finally {
      listener.dispose();
    }
  });

  it('loopback: a one-shot server on 127.0.0.1, hit by a real HTTP client, closed after', async () => {
    api.auth.oauth.ui = {
      openBrowser: async (url) => {
        // Follows every redirect, as a browser would, into the loopback server.
        const location = await visit(url);
        const page = await fetch(location);
        assert.match(await page.text(), /close this tab/);
        return true;
      },
      askForRedirect: async () => assert.fail('the loopback flow asks nothing'),
    };
    const session = await api.auth.signInWithOAuth('loopback');
    assert.equal(session.account.label, 'user@example.com');
    await assert.rejects(fetch('http://127.0.0.1:33418/callback?code=late'), 'the server is closed');
  });

  it('manual: the pasted address of the page the browser ended on', async () => {
    let landed = '';
    api.auth.oauth.ui = {
      openBrowser: async (url) => Boolean((landed = await visit(url))),
      askForRedirect: async (redirectUri, oauthHost) => {
        assert.equal(redirectUri, 'http://127.0.0.1:33418/callback');
        assert.equal(oauthHost, new URL(emulator.oauthBaseUrl).host, 'the box names the server the code goes to');
        return landed;
      },
    };
    const session = await api.auth.signInWithOAuth('manual', ['refer']);
    assert.equal(session.account.label, 'user@example.com');
    assert.deepEqual(session.scopes, ['refer']);
  });

  it('a token with only refer cannot execute, and says which permission is missing', async () => {
    let landed = '';
    api.auth.oauth.ui = { openBrowser: async (url) => Boolean((landed = await visit(url))), askForRedirect: async () => landed };
    const session = await api.auth.signInWithOAuth('manual', ['refer']);
    emulator.reset();
    const client = api.cloudBot.clientFor(session.id);
    await assert.rejects(client.executeBot('example1', 'echo', { input: {} }), (error: Error) => /"Execute" permission/.test(describeError(error)));
    assert.equal(emulator.jobs().length, 0);
  });

  it('refuses an answer whose state is not this attempt\'s, and saves nothing', async () => {
    let landed = '';
    api.auth.oauth.ui = {
      openBrowser: async (url) => Boolean((landed = await visit(url))),
      askForRedirect: async () => landed.replace(/state=[^&]+/, 'state=forged'),
    };
    emulator.reset();
    await assert.rejects(api.auth.signInWithOAuth('manual'), /does not belong to this sign-in/);
    assert.equal(tokenRequests(emulator, 'authorization_code'), 0, 'the code was never exchanged');
    assert.deepEqual(await api.auth.getSessions(), []);
  });

  it('refuses a pasted address without this attempt\'s state; only a code pasted alone needs none', async () => {
    let landed = '';
    api.auth.oauth.ui = {
      openBrowser: async (url) => Boolean((landed = await visit(url))),
      askForRedirect: async () => landed.replace(/&?state=[^&]+/, ''),
    };
    emulator.reset();
    await assert.rejects(api.auth.signInWithOAuth('manual'), /does not belong to this sign-in/);
    assert.equal(tokenRequests(emulator, 'authorization_code'), 0, 'the code was never exchanged');
    api.auth.oauth.ui = { openBrowser: async (url) => Boolean((landed = await visit(url))), askForRedirect: async () => new URL(landed).searchParams.get('code')! };
    assert.equal((await api.auth.signInWithOAuth('manual')).account.label, 'user@example.com');
  });

  /** Runs `test` with the extension pointed at an emulator started with `options`. */
  async function withEmulator(options: EmulatorOptions, test: (target: RunningEmulator) => Promise<void>): Promise<void> {
    const target = await startEmulator({ port: 0, autoApprove: true, ...options });
    try {
      await pointAt(target);
      await test(target);
    } finally {
      await signOutAll();
      await pointAt(emulator);
      await target.close();
    }
  }

  it('URI handler: a code holding +, %2B and %26 arrives intact, from a desktop window and from a web host\'s callback page', async () => {
    await withEmulator({ reservedCharactersInCodes: true }, async (target) => {
      const listener = api.auth.oauth.onDidStartAttempt((attempt) => target.addRedirectUri(target.oauthClients[0].clientId, attempt.redirectUri));
      const webHost = api.uriHandler.queryArrivesDecoded;
      try {
        // A desktop window parses the URL the browser hands it (vscode.Uri.parse decodes the query once).
        api.uriHandler.queryArrivesDecoded = true;
        api.auth.oauth.ui = {
          openBrowser: async (url) => {
            const answer = new URL(await visit(url)).search.slice(1).split('&').filter((pair) => /^(code|state)=/.test(pair));
            api.uriHandler.handleUri(vscode.Uri.parse(`${vscode.env.uriScheme}://cloudbot-tools.cloudbot-vscode/callback?${answer.join('&')}`));
            return true;
          },
          askForRedirect: async () => assert.fail('the URI handler flow asks nothing'),
        };
        assert.equal((await api.auth.signInWithOAuth('uriHandler')).account.label, 'user@example.com');
        await signOutAll();
        // This web host's callback page hands the query over still encoded.
        api.uriHandler.queryArrivesDecoded = webHost;
        api.auth.oauth.ui = {
          openBrowser: async (url) => vscode.env.openExternal((await visit(url)) as unknown as vscode.Uri),
          askForRedirect: async () => assert.fail('the URI handler flow asks nothing'),
        };
        assert.equal((await api.auth.signInWithOAuth('uriHandler')).account.label, 'user@example.com');
        assert.equal(target.requests.filter((r) => r.path === '/oauth/token' && r.status !== 200).length, 0, 'every code was accepted');
      } finally {
        api.uriHandler.queryArrivesDecoded = webHost;
        listener.dispose();
      }
    });
  });

  it('refuses a token that is not a Bearer token, and saves nothing', async () => {
    await withEmulator({ tokenType: 'mac' }, async (target) => {
      let landed = '';
      api.auth.oauth.ui = { openBrowser: async (url) => Boolean((landed = await visit(url))), askForRedirect: async () => landed };
      // The error comes from the extension's bundle, so it is recognised by its problem, not its class.
      await assert.rejects(api.auth.signInWithOAuth('manual'), (error: { problem?: object }) => {
        assert.deepEqual(error.problem, { code: 'unsupportedTokenType', host: new URL(target.oauthBaseUrl).host, tokenType: 'mac' });
        return true;
      });
      assert.deepEqual(await api.auth.getSessions(), []);
    });
  });

  it('without refresh_token and expires_in: a working session, ended (not refreshed) once Cloud BOT refuses its token', async () => {
    await withEmulator({ tokenAnswerOmits: ['refresh_token', 'expires_in'], accessTokenLifetimeSeconds: 2 }, async (target) => {
      let landed = '';
      api.auth.oauth.ui = { openBrowser: async (url) => Boolean((landed = await visit(url))), askForRedirect: async () => landed };
      const session = await api.auth.signInWithOAuth('manual');
      secrets.add(session.accessToken);
      const client = api.cloudBot.clientFor(session.id);
      assert.equal((await client.listContracts()).length, 3);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await assert.rejects(client.listContracts());
      assert.deepEqual(await api.auth.getSessions(), []);
      assert.equal(tokenRequests(target, 'refresh_token'), 0);
    });
  });

  it('refuses a replayed code', async () => {
    let landed = '';
    api.auth.oauth.ui = { openBrowser: async (url) => Boolean((landed = await visit(url))), askForRedirect: async () => landed };
    await api.auth.signInWithOAuth('manual');
    await signOutAll();
    const usedCode = new URL(landed).searchParams.get('code')!;
    api.auth.oauth.ui = { openBrowser: async () => true, askForRedirect: async () => usedCode };
    await assert.rejects(api.auth.signInWithOAuth('manual'), /invalid_grant/);
    assert.deepEqual(await api.auth.getSessions(), []);
  });

  it('ends quietly when the user denies access in the browser', async () => {
    let state = '';
    api.auth.oauth.ui = {
      openBrowser: async (url) => Boolean((state = new URL(url).searchParams.get('state')!)),
      askForRedirect: async (redirectUri) => `${redirectUri}?error=access_denied&state=${state}`,
    };
    await assert.rejects(api.auth.signInWithOAuth('manual'), /denied in the browser/);
    assert.deepEqual(await api.auth.getSessions(), []);
  });

  describe('with short-lived tokens', () => {
    let shortLived: RunningEmulator;

    before(async () => {
      // Tokens that expire within the refresh margin: every use refreshes first.
      shortLived = await startEmulator({ port: 0, autoApprove: true, accessTokenLifetimeSeconds: 60 });
      await pointAt(shortLived);
    });

    after(async () => {
      await pointAt(emulator);
      await shortLived.close();
    });

    async function signIn() {
      let landed = '';
      api.auth.oauth.ui = {
        openBrowser: async (url) => {
          const response = await fetch(url, { redirect: 'manual' });
          landed = response.headers.get('location')!;
          return true;
        },
        askForRedirect: async () => landed,
      };
      const session = await api.auth.signInWithOAuth('manual');
      secrets.add(session.accessToken);
      shortLived.reset();
      return session;
    }

    it('refreshes before expiry, once for many concurrent calls, and keeps going', async () => {
      const session = await signIn();
      const client = api.cloudBot.clientFor(session.id);
      const results = await Promise.all(Array.from({ length: 6 }, () => client.listContracts()));
      assert.ok(results.every((contracts) => contracts.length === 3));
      assert.equal(tokenRequests(shortLived, 'refresh_token'), 1);
      const [refreshed] = await api.auth.getSessions();
      assert.notEqual(refreshed.accessToken, session.accessToken);
      secrets.add(refreshed.accessToken);
    });

    it('a revoked refresh token signs the account out once, without a loop', async () => {
      const session = await signIn();
      shortLived.revokeRefreshTokens('user@example.com');
      const client = api.cloudBot.clientFor(session.id);
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => client.listContracts()));
      assert.equal(tokenRequests(shortLived, 'refresh_token'), 1);
      assert.deepEqual(await api.auth.getSessions(), []);
      // Calls made after the sign-out fail at once, without asking the server again.
      await assert.rejects(client.listContracts(), /session has ended/);
      assert.equal(tokenRequests(shortLived, 'refresh_token'), 1);
      assert.ok(outcomes.length === 5);
    });

    it('a network failure during refresh keeps the session', async () => {
      const session = await signIn();
      shortLived.faults.add({ path: '^/oauth/token$', drop: true, times: 1 });
      const client = api.cloudBot.clientFor(session.id);
      // The old token still works until it really expires, so the call succeeds.
      assert.equal((await client.listContracts()).length, 3);
      assert.equal((await api.auth.getSessions()).length, 1);
      // Next use: the refresh is tried again and succeeds (the dropped request was recorded without its body).
      await client.listContracts();
      assert.equal(tokenRequests(shortLived, 'refresh_token'), 1);
      assert.equal(shortLived.requests.filter((r) => r.path === '/oauth/token').length, 2);
    });
  });

  describe('afterwards', () => {
    it('leaves no secret in logs, settings or global state', async () => {
      assert.ok(secrets.size > 8, `secrets collected: ${secrets.size}`);
      const files = storedFiles(api);
      let searched = 0;
      for (const file of files) {
        let content: string;
        try {
          content = readFileSync(file, 'latin1');
        } catch {
          continue;
        }
        searched++;
        for (const secret of secrets) assert.ok(!content.includes(secret), `a secret value was found in ${file}`);
      }
      assert.ok(searched > 3, `searched ${searched} files`);
    });
  });
});

