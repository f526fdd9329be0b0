import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { CloudBotClient, type Credentials } from '../../src/core/client';
import { causeCode, CloudBotError, mayHaveStartedJob, permissionByOperation } from '../../src/core/errors';
import { watchJob } from '../../src/core/jobWatcher';
import type { Language } from '../../src/core/types';
import { startEmulator, type RunningEmulator } from '../emulator';

const fastRetry = { retries: 3, baseDelayMs: 10, maxDelayMs: 50 };

describe('CloudBotClient against the emulator', function () {
  let emulator: RunningEmulator;
  let full: Credentials;
  let referOnly: Credentials;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const fullToken = emulator.tokens.find((t) => t.permissions.includes('execute') && t.username === 'user@example.com')!;
    const referToken = emulator.tokens.find((t) => t.permissions.length === 1 && t.permissions[0] === 'refer')!;
    full = { kind: 'accessToken', accessToken: fullToken.accessToken, secretKey: fullToken.secretKey };
    referOnly = { kind: 'accessToken', accessToken: referToken.accessToken, secretKey: referToken.secretKey };
  });
  after(() => emulator.close());
  afterEach(() => emulator.reset());

  function client(credentials: Credentials = full, language: Language = 'en', apiBaseUrl = emulator.apiBaseUrl) {
    return new CloudBotClient({ apiBaseUrl, language, credentials: { current: async () => credentials }, retry: fastRetry });
  }

  async function rejection(promise: Promise<unknown>): Promise<CloudBotError> {
    const error = await promise.then(
      () => assert.fail('expected the call to fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof CloudBotError, String(error));
    return error;
  }

  describe('calls', () => {
    it('lists contracts with the documented headers and requested properties', async () => {
      const contracts = await client().listContracts(['name', 'plan']);
      assert.deepEqual(contracts.map((c) => c.public_id).sort(), ['example1', 'example2', 'example3']);
      assert.ok(contracts.every((c) => c.public_path === `/${c.public_id}/` && 'plan' in c));
      const [request] = emulator.requests.filter((r) => r.origin === 'api');
      assert.equal(request.path, '/services/contracts');
      assert.equal(request.query.properties, 'name,plan');
      assert.equal(request.auth, 'accessToken');
      assert.equal(request.contentType, 'application/json');
      assert.equal(request.contentLanguage, 'en');
    });

    it('lists published BOTs only, and reads one with its input definition', async () => {
      const bots = await client().listBots('example1');
      const ids = bots.map((b) => b.id);
      for (const id of ['echo', 'fail', 'long_running', 'all_outputs', 'large_output', 'with_defaults']) assert.ok(ids.includes(id), id);
      assert.ok(!ids.includes('private_bot'));
      const bot = await client().getBot('example1', 'with_defaults', ['input', 'output']);
      assert.equal(bot.id, 'with_defaults');
      assert.ok(bot.input && Object.keys(bot.input).length > 0);
    });

    it('exports a BOT definition as a compact JWS', async () => {
      const jws = await client().getBotDefinition('example1', 'echo');
      assert.equal(jws.split('.').length, 3);
    });

    it('executes the echo BOT and follows the job to its output', async () => {
      const input = { message: 'こんにちは', tags: ['a', 'b'] };
      const started = await client().executeBot('example1', 'echo', { input });
      assert.equal(started.job.status, 2);
      assert.equal(started.jobReferenceEndpoint, `${emulator.apiBaseUrl}/example1/jobs/${started.job.job_id}`);
      const seen: number[] = [];
      const job = await watchJob(client(), 'example1', started.job.job_id, { initial: started.job, onUpdate: (j) => seen.push(j.status) });
      assert.equal(job.status, 0);
      assert.deepEqual(job.output, input);
      assert.equal(seen[0], 2);
      assert.equal(seen.at(-1), 0);
      const listed = await client().listJobs('example1', 'echo', { statuses: [0], properties: ['output'] });
      assert.ok(listed.some((j) => j.job_id === job.job_id));
    });

    it('returns the finished job at once when timeout covers the run', async () => {
      const started = await client().executeBot('example1', 'echo', { input: { a: '1' }, timeout: 10_000 });
      assert.equal(started.job.status, 0);
      assert.ok([200, 201].includes(started.httpStatus));
    });

    it('reports a failing BOT with its message', async () => {
      const started = await client().executeBot('example1', 'fail', { input: {} });
      const job = await watchJob(client(), 'example1', started.job.job_id, { initial: started.job });
      assert.equal(job.status, 1);
      assert.ok(job.message);
    });

    it('suspends a running job, then reports 410 as already finished', async () => {
      const started = await client().executeBot('example1', 'long_running', { input: {} });
      const suspended = await client().suspendJob('example1', started.job.job_id);
      assert.equal(suspended.status, 1);
      const again = await rejection(client().suspendJob('example1', started.job.job_id));
      assert.equal(again.status, 410);
      assert.equal(again.operation, 'suspendJob');
    });

    it('creates, lists and deletes subscriptions', async () => {
      const created = await client().createSubscription('example1', 'echo', { event: 'onended', callback_endpoint: 'https://hooks.example/cb' });
      assert.equal(typeof created.subscribe_id, 'number');
      const listed = await client().listSubscriptions('example1', 'echo');
      assert.ok(listed.some((s) => s.subscribe_id === created.subscribe_id && s.event === 'onended'));
      await client().deleteSubscription('example1', 'echo', created.subscribe_id);
      assert.ok(!(await client().listSubscriptions('example1', 'echo')).some((s) => s.subscribe_id === created.subscribe_id));
    });

    it('issues a WS token', async () => {
      assert.equal(typeof (await client().issueWsToken('example1', { scopes: ['upload'], keys: ['file.txt'] })), 'string');
    });

    it('uses a bearer token from the OAuth token endpoint', async () => {
      const oauthClient = emulator.oauthClients[0];
      const redirectUri = oauthClient.redirectUris[0];
      const auto = await startEmulator({ port: 0, autoApprove: true });
      try {
        const authorize = new URL(`${auto.oauthBaseUrl}/oauth/authorize`);
        const registered = auto.oauthClients[0];
        authorize.search = new URLSearchParams({ client_id: String(registered.clientId), redirect_uri: redirectUri, response_type: 'code', scope: 'refer execute', state: 'xyz' }).toString();
        const redirect = await fetch(authorize, { redirect: 'manual' });
        const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
        const token = await fetch(`${auto.oauthBaseUrl}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: String(registered.clientId), client_secret: registered.clientSecret, redirect_uri: redirectUri, code }),
        }).then((r) => r.json() as Promise<{ access_token: string }>);
        const bearer = client({ kind: 'bearer', accessToken: token.access_token }, 'en', auto.apiBaseUrl);
        assert.ok((await bearer.listContracts()).length > 0);
        assert.equal(auto.requests.find((r) => r.path === '/services/contracts')?.auth, 'bearer');
        // The token was granted refer and execute only.
        assert.equal((await rejection(bearer.suspendJob('example1', '00000000-0000-7000-8000-000000000000'))).status, 403);
      } finally {
        await auto.close();
      }
    });
  });

  describe('errors a person can act on', () => {
    it('401: wrong secret key', async () => {
      const error = await rejection(client({ ...full, secretKey: 'wrong' } as Credentials).listContracts());
      assert.equal(error.status, 401);
      assert.equal(error.code, 401);
      assert.equal(error.kind, 'http');
    });

    it('403: missing permission names the permission and moves nothing', async () => {
      const error = await rejection(client(referOnly).executeBot('example1', 'echo', { input: {} }));
      assert.equal(error.status, 403);
      assert.equal(permissionByOperation[error.operation], 'Execute');
      assert.equal(emulator.jobs().length, 0);
    });

    it('403: External Connections off on another contract', async () => {
      const error = await rejection(client().listBots('example3'));
      assert.equal(error.status, 403);
      assert.equal(error.operation, 'listBots');
      assert.ok(error.apiMessage);
    });

    it('404: unknown or unpublished BOT, unknown job', async () => {
      const bot = await rejection(client().getBot('example1', 'private_bot'));
      assert.deepEqual([bot.status, bot.operation], [404, 'getBot']);
      const job = await rejection(client().getJob('example1', '00000000-0000-7000-8000-000000000000'));
      assert.deepEqual([job.status, job.operation], [404, 'getJob']);
    });

    it('422: the API message is kept, in the request language', async () => {
      const en = await rejection(client().executeBot('example1', 'echo', { input: {}, callback_tries: 9 }));
      assert.equal(en.status, 422);
      assert.ok(en.apiMessage);
      const ja = await rejection(client(full, 'ja').executeBot('example1', 'echo', { input: {}, callback_tries: 9 }));
      assert.equal(ja.status, 422);
      assert.match(ja.apiMessage ?? '', /[\u3040-\u30ff]/);
      assert.equal(emulator.requests.filter((r) => r.origin === 'api').at(-1)?.contentLanguage, 'ja');
    });

    it('429 on execute: Retry-After is reported and the POST is not repeated', async () => {
      emulator.faults.add({ method: 'POST', path: '/bots/echo/jobs$', status: 429, retryAfterSeconds: 7, times: 1 });
      const error = await rejection(client().executeBot('example1', 'echo', { input: {} }));
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterSeconds, 7);
      assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('GETs recover from 5xx and 429 with backoff', async () => {
      emulator.faults.add({ method: 'GET', path: '^/services/contracts$', status: 503, times: 2 });
      emulator.faults.add({ method: 'GET', path: '^/services/contracts$', status: 429, retryAfterSeconds: 0, times: 1 });
      assert.equal((await client().listContracts()).length, 3);
      assert.equal(emulator.requests.filter((r) => r.path === '/services/contracts').length, 4);
    });

    it('GETs recover from a dropped connection', async () => {
      emulator.faults.add({ method: 'GET', path: '^/example1/bots$', drop: true, times: 1 });
      assert.ok((await client().listBots('example1')).length > 0);
    });

    it('gives up on malformed JSON after the retries', async () => {
      emulator.faults.add({ method: 'GET', path: '^/services/contracts$', malformed: true });
      const error = await rejection(client().listContracts());
      assert.equal(error.kind, 'invalidResponse');
      assert.equal(emulator.requests.filter((r) => r.path === '/services/contracts').length, 1 + fastRetry.retries);
    });

    it('a connection lost after execute was received: one job, and the message says it may exist', async () => {
      emulator.faults.add({ method: 'POST', path: '/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
      const error = await rejection(client().executeBot('example1', 'echo', { input: {} }));
      assert.equal(error.kind, 'network');
      assert.equal(error.mayHaveReachedServer, true);
      assert.ok(mayHaveStartedJob(error));
      assert.equal(emulator.jobs().length, 1);
      assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('times out with the host and the limit', async () => {
      emulator.faults.add({ path: '^/services/contracts$', latencyMs: 2_000 });
      const slow = new CloudBotClient({ apiBaseUrl: emulator.apiBaseUrl, language: 'en', credentials: { current: async () => full }, timeoutMs: 200, retry: { ...fastRetry, retries: 0 } });
      const error = await rejection(slow.listContracts());
      assert.equal(error.kind, 'timeout');
      assert.deepEqual([error.host, error.timeoutMs], [new URL(emulator.apiBaseUrl).host, 200]);
    });

    it('refuses a body over 4 MB before sending it', async () => {
      const error = await rejection(client().executeBot('example1', 'echo', { input: { data: 'x'.repeat(4 * 1024 * 1024) } }));
      assert.equal(error.kind, 'tooLarge');
      assert.equal(error.mayHaveReachedServer, false);
      assert.ok(error.bodyBytes! > 4 * 1024 * 1024);
      assert.equal(emulator.requests.length, 0);
    });

    it('stops at once when cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      assert.equal((await rejection(client().listContracts([], { signal: controller.signal }))).kind, 'aborted');
      const later = new AbortController();
      emulator.faults.add({ path: '^/services/contracts$', latencyMs: 2_000 });
      setTimeout(() => later.abort(), 50);
      assert.equal((await rejection(client().listContracts([], { signal: later.signal }))).kind, 'aborted');
    });

    it('network: names the host it could not reach', async () => {
      const port = await freePort();
      const error = await rejection(client(full, 'en', `http://127.0.0.1:${port}`).executeBot('example1', 'echo', { input: {} }));
      assert.equal(error.kind, 'network');
      assert.equal(error.host, `127.0.0.1:${port}`);
      assert.equal(causeCode(error.cause), 'ECONNREFUSED');
    });

    it('never puts a credential in an error message', async () => {
      const errors = [
        await rejection(client({ ...full, secretKey: 'wrong' } as Credentials).listContracts()),
        await rejection(client(referOnly).executeBot('example1', 'echo', { input: {} })),
      ];
      for (const error of errors) {
        const text = `${error.message} ${JSON.stringify(error)}`;
        for (const token of emulator.tokens) {
          assert.ok(!text.includes(token.accessToken) && !text.includes(token.secretKey));
        }
      }
    });
  });

  describe('refresh after 401', () => {
    it('tries once more with fresh credentials, and only once', async () => {
      let refreshes = 0;
      let current: Credentials = { ...full, secretKey: 'stale' } as Credentials;
      const refreshing = new CloudBotClient({
        apiBaseUrl: emulator.apiBaseUrl,
        language: 'en',
        credentials: {
          current: async () => current,
          refreshAfterUnauthorized: async () => {
            refreshes++;
            current = full;
            return true;
          },
        },
      });
      assert.equal((await refreshing.listContracts()).length, 3);
      assert.equal(refreshes, 1);
      current = { ...full, secretKey: 'stale' } as Credentials;
      let secondRefreshes = 0;
      const stuck = new CloudBotClient({
        apiBaseUrl: emulator.apiBaseUrl,
        language: 'en',
        credentials: { current: async () => current, refreshAfterUnauthorized: async () => (secondRefreshes++, true) },
      });
      assert.equal((await rejection(stuck.listContracts())).status, 401);
      assert.equal(secondRefreshes, 1);
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
