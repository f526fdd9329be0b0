// The emulator's REST API, control endpoints and CLI, over real HTTP on 127.0.0.1.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { generateFixture, loadFixture, startEmulator, verifyJws, type RunningEmulator } from '../emulator';
import type { DataMap, EmulatorFixture } from '../emulator/fixture';
import { callApi, eventually, startCallbackReceiver, type CallOptions, type CallbackReceiver, type Credentials } from '../emulator/testing';

interface JobBody {
  code: number;
  job_id: string;
  bot_id: string;
  bot_name: string;
  status: number;
  start_time: string;
  elapsed_time: number;
  output?: DataMap;
  message: string;
  cast_url?: string;
  callback?: boolean;
}
interface Body {
  code: number;
  message: string;
  contracts: Record<string, unknown>[];
  bots: Record<string, unknown>[];
  jobs: JobBody[];
  subscriptions: Record<string, unknown>[];
  jws: string;
  subscribe_id: number;
  unsubscribe_endpoint: string;
  ws_token: string;
  input?: Record<string, { type: string; default?: unknown }>;
  output?: unknown;
}

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UNKNOWN_JOB = '00000000-0000-7000-8000-000000000000';

describe('emulator: REST API', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  let receiver: CallbackReceiver | undefined;

  const as = (index: number): Credentials => ({ accessToken: emu.tokens[index].accessToken, secretKey: emu.tokens[index].secretKey });
  /** Calls with the all-permission token of user@example.com unless told otherwise. */
  const call = <T = Body>(method: string, path: string, options: CallOptions = {}) => callApi<T>(emu.apiBaseUrl, method, path, { credentials: as(0), ...options });
  const execute = (botId: string, body: Record<string, unknown> = {}, options: CallOptions = {}) => call<JobBody>('POST', `/example1/bots/${botId}/jobs`, { body, ...options });

  before(async () => {
    emu = await startEmulator({ callbackRetryIntervalMs: 20 });
  });
  after(() => emu.close());
  afterEach(async () => {
    emu.reset();
    await receiver?.close();
    receiver = undefined;
  });

  describe('header checks, in the documented order', () => {
    it('413 for a body over 4 MB comes first, before content-type, language and auth', async () => {
      const r = await call('POST', '/nowhere', { body: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20), credentials: undefined, headers: { 'content-type': 'text/plain', 'content-language': 'fr' } });
      assert.equal(r.status, 413);
      assert.equal(r.body.code, 413);
      assert.equal(emu.requests.at(-1)?.status, 413);
    });

    it('413 also for a streamed body without content-length, as soon as it passes 4 MB', async () => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      // Endless: the answer must come from the limit, not from the end of the body.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${emu.apiBaseUrl}/example1/bots/echo/jobs`, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
      assert.equal(response.status, 413);
      assert.ok(sent > 4 * 1024 * 1024);
    });

    it('413 reaches a raw client that writes its whole body before reading, every time (no connection reset)', async () => {
      const { port } = new URL(emu.apiBaseUrl);
      const size = 6 * 1024 * 1024;
      for (const connection of ['keep-alive', 'close', 'keep-alive', 'close', 'keep-alive', 'close']) {
        const socket = connect(Number(port), '127.0.0.1');
        socket.pause();
        try {
          const failed = once(socket, 'error').then(([err]: Error[]) => Promise.reject(err));
          const head = `POST /example1/bots/echo/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: ${connection}\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`;
          await Promise.race([failed, new Promise((resolve) => socket.write(Buffer.concat([Buffer.from(head), Buffer.alloc(size, 0x20)]), resolve))]);
          let received = '';
          const answered = new Promise<void>((resolve) => {
            socket.on('data', (chunk: Buffer) => {
              received += chunk.toString('latin1');
              if (received.endsWith('}')) resolve();
            });
          });
          socket.resume();
          await Promise.race([failed, answered]);
          assert.match(received, /^HTTP\/1\.1 413 [^]*"code":413/, connection);
        } finally {
          socket.destroy();
        }
      }
    });

    it('exactly 4 MB is allowed, so 415 is the first problem then', async () => {
      const r = await call('POST', '/nowhere', { body: Buffer.alloc(4 * 1024 * 1024, 0x20), headers: { 'content-type': 'text/plain' } });
      assert.equal(r.status, 415);
    });

    it('415 when content-type is missing or not JSON, before the language check; charset=utf-8 is fine', async () => {
      const cases: Record<string, string | null>[] = [{ 'content-type': null, 'content-language': 'fr' }, { 'content-type': 'text/plain' }, { 'content-type': 'application/json; charset=latin1' }];
      for (const headers of cases) {
        const r = await call('GET', '/services/contracts', { headers });
        assert.deepEqual([r.status, r.body.code], [415, 415], JSON.stringify(headers));
      }
      assert.equal((await call('GET', '/services/contracts', { headers: { 'content-type': 'application/json; charset=utf-8' } })).status, 200);
    });

    it('422 when content-language is missing or not ja/en, before auth', async () => {
      for (const language of [null, 'fr', 'en-US']) {
        const r = await callApi<Body>(emu.apiBaseUrl, 'GET', '/services/contracts', { headers: { 'content-language': language } });
        assert.equal(r.status, 422);
        assert.match(r.body.message, /content-language/);
      }
    });

    it('401 for missing or wrong credentials, before permission and lookups', async () => {
      const wrongSecret = { ...as(0), secretKey: 'wrong' } as Credentials;
      assert.equal((await call('GET', '/nowhere/bots/none/jobs', { credentials: wrongSecret })).status, 401);
      assert.equal((await callApi(emu.apiBaseUrl, 'GET', '/services/contracts')).status, 401);
      assert.equal((await call('GET', '/services/contracts', { credentials: { bearer: 'not-a-token' } })).status, 401);
      // An authorization header wins over valid access-token headers.
      const both = await call('GET', '/services/contracts', { headers: { authorization: 'Bearer nope' } });
      assert.equal(both.status, 401);
      assert.equal(both.body.code, 401);
    });

    it('403 for a missing permission before the contract is even looked up', async () => {
      const r = await call('POST', '/no_such_contract/bots/echo/jobs', { credentials: as(1), body: {} });
      assert.equal(r.status, 403);
      assert.match(r.body.message, /"Execute" permission/);
    });

    it('403 for External Connections before BOT lookups', async () => {
      const r = await call('GET', '/example3/bots/no_such_bot');
      assert.equal(r.status, 403);
      assert.match(r.body.message, /External Connections/);
    });

    it('404 for unknown contracts, BOTs, unpublished BOTs, jobs and paths', async () => {
      const paths = ['/nope/bots', '/example1/bots/nope', '/example1/bots/private_bot', `/example1/jobs/${UNKNOWN_JOB}`, '/example1/jobs/not-a-uuid', '/example1/whatever'];
      for (const path of paths) {
        const r = await call('GET', path);
        assert.deepEqual([r.status, r.body.code], [404, 404], path);
        assert.equal(typeof r.body.message, 'string');
      }
      assert.equal((await call('POST', '/example1/bots/private_bot/jobs', { body: {} })).status, 404);
      // other@example.com is not a member of example1: it looks unknown.
      assert.equal((await call('GET', '/example1/bots', { credentials: as(2) })).status, 404);
    });

    it('422 for a bad body only once the BOT exists', async () => {
      assert.equal((await call('POST', '/example1/bots/nope/jobs', { body: '{not json' })).status, 404);
      const r = await call('POST', '/example1/bots/echo/jobs', { body: '{not json' });
      assert.equal(r.status, 422);
      assert.match(r.body.message, /JSON/);
    });

    it('answers in the request language', async () => {
      const ja = await call('GET', '/example1/bots/nope', { headers: { 'content-language': 'ja' } });
      assert.equal(ja.body.message, 'BOTが見つかりません。');
      const en = await call('GET', '/example1/bots/nope');
      assert.equal(en.body.message, 'The BOT was not found.');
    });
  });

  describe('permissions and contracts', () => {
    it('a refer-only token reads everything but cannot execute, suspend or subscribe', async () => {
      const refer = { credentials: as(1) };
      for (const path of ['/services/contracts', '/example1/bots', '/example1/bots/echo', '/example1/bots/echo/definition', '/example1/bots/echo/jobs', '/example1/bots/echo/subscriptions']) {
        assert.equal((await call('GET', path, refer)).status, 200, path);
      }
      const running = await execute('long_running');
      const denied: [string, string, string][] = [
        ['POST', '/example1/bots/echo/jobs', 'Execute'],
        ['DELETE', `/example1/jobs/${running.body.job_id}`, 'Suspend'],
        ['POST', '/example1/bots/echo/subscriptions', 'Execute'],
        ['DELETE', '/example1/bots/echo/subscriptions/1', 'Execute'],
      ];
      for (const [method, path, permission] of denied) {
        const r = await call(method, path, { ...refer, body: {} });
        assert.equal(r.status, 403, `${method} ${path}`);
        assert.ok(r.body.message.includes(`"${permission}"`), r.body.message);
      }
      assert.equal(emu.jobs().length, 1);
      assert.equal(emu.jobs()[0].status, 2, 'the refer-only token did not suspend it');
    });

    it('lists the caller\'s contracts with requested properties, null when unset', async () => {
      const r = await call('GET', '/services/contracts?properties=plan,owner,location,phone');
      assert.deepEqual(r.body.contracts, [
        { public_id: 'example1', public_path: '/example1/', plan: 'Standard', owner: 'user@example.com', location: 'Japan', phone: '03-0000-0000' },
        { public_id: 'example2', public_path: '/example2/', plan: 'Free', owner: 'other@example.com', location: 'Japan', phone: null },
        { public_id: 'example3', public_path: '/example3/', plan: 'Business', owner: null, location: null, phone: null },
      ]);
      const other = await call('GET', '/services/contracts', { credentials: as(2) });
      assert.deepEqual(other.body.contracts, [{ public_id: 'example2', public_path: '/example2/' }]);
      assert.equal((await call('GET', '/services/contracts?properties=plan,colour')).status, 422);
    });

    it('a member reaches a shared contract with External Connections on', async () => {
      const bots = await call('GET', '/example2/bots');
      assert.deepEqual(bots.body.bots.map((b) => b.id), ['echo', 'daily_report']);
      const job = await call<JobBody>('POST', '/example2/bots/echo/jobs', { body: { input: { Message: 'shared' }, timeout: 10_000 } });
      assert.equal(job.status, 201);
      assert.deepEqual(job.body.output, { Message: 'shared' });
      assert.equal(emu.jobs()[0].public_id, 'example2');
      // The owner sees the member's job in their contract.
      assert.equal((await call('GET', `/example2/jobs/${job.body.job_id}`, { credentials: as(2) })).status, 200);
      // ...and a job of one contract is unknown under another.
      assert.equal((await call('GET', `/example1/jobs/${job.body.job_id}`)).status, 404);
    });
  });

  describe('BOTs', () => {
    it('lists published BOTs with id, name and description, and properties on request', async () => {
      const plain = await call('GET', '/example1/bots');
      assert.deepEqual(plain.body.bots.map((b) => b.id), ['echo', 'fail', 'long_running', 'all_outputs', 'large_output', 'with_defaults']);
      assert.deepEqual(Object.keys(plain.body.bots[0]), ['id', 'name', 'description']);
      const full = await call('GET', '/example1/bots?properties=icon,created,last_modified,creator');
      const [echo, , longRunning] = full.body.bots;
      assert.match(String(echo.icon), /^data:image\/png;base64,/);
      assert.equal(longRunning.icon, null);
      assert.match(String(echo.created), ISO_SECONDS);
      assert.equal(echo.creator, 'user@example.com');
      assert.equal((await call('GET', '/example1/bots?properties=input')).status, 422);
    });

    it('reads one BOT with its input and output definitions', async () => {
      const r = await call('GET', '/example1/bots/with_defaults?properties=input,output');
      const input = r.body.input ?? {};
      assert.equal(r.body.code, 200);
      assert.deepEqual(Object.values(input).map((item) => item.type), ['text', 'list', 'group', 'files']);
      assert.ok(Object.values(input).every((item) => item.default !== undefined));
      assert.ok(r.body.output);
      const plain = await call('GET', '/example1/bots/echo');
      assert.deepEqual(Object.keys(plain.body), ['code', 'id', 'name', 'description']);
    });

    it('exports the definition as an HS256 JWS of the stored definition', async () => {
      const r = await call('GET', '/example1/bots/echo/definition');
      const payload = verifyJws(r.body.jws) as Record<string, unknown>;
      assert.equal(payload.id, 'echo');
      assert.deepEqual(payload.input, { Message: { type: 'text', description: 'Any text' } });
      assert.deepEqual(JSON.parse(Buffer.from(r.body.jws.split('.')[0], 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    });
  });

  describe('jobs', () => {
    it('runs echo: 202 with status 2, Location and cast_url, then status 0 with the input as output', async () => {
      receiver = await startCallbackReceiver();
      const input = { Message: 'こんにちは', Tags: ['a', 'b'] };
      const started = await execute('echo', { input, callback_endpoint: receiver.url });
      assert.equal(started.status, 202);
      assert.equal(started.body.code, 202);
      assert.equal(started.body.status, 2);
      assert.match(started.body.job_id, UUID7);
      assert.match(started.body.start_time, ISO_SECONDS);
      assert.equal(started.body.output, undefined);
      assert.equal(started.headers.get('location'), `${emu.apiBaseUrl}/example1/jobs/${started.body.job_id}`);
      const cast = await fetch(started.body.cast_url!);
      assert.equal(cast.status, 200);
      assert.match(await cast.text(), /running/);

      await receiver.waitFor(1);
      const job = await call<JobBody>('GET', `/example1/jobs/${started.body.job_id}`);
      assert.equal(job.body.status, 0);
      assert.deepEqual(job.body.output, input);
      assert.equal(job.body.cast_url, undefined);
      assert.ok(Number.isInteger(job.body.elapsed_time));
      assert.equal(job.body.message, 'The BOT finished successfully.');
    });

    it('waits up to timeout and answers 201 with the final job', async () => {
      const r = await execute('echo', { input: { Message: 'sync' }, timeout: 10_000 });
      assert.equal(r.status, 201);
      assert.deepEqual([r.body.code, r.body.status], [201, 0]);
      assert.deepEqual(r.body.output, { Message: 'sync' });
    });

    it('answers 200 for a finished execute when configured so', async () => {
      const other = await startEmulator({ executeFinishedStatus: 200 });
      try {
        const r = await callApi<JobBody>(other.apiBaseUrl, 'POST', '/example1/bots/echo/jobs', {
          credentials: { accessToken: other.tokens[0].accessToken, secretKey: other.tokens[0].secretKey },
          body: { timeout: 10_000 },
        });
        assert.deepEqual([r.status, r.body.code, r.body.status], [200, 200, 0]);
      } finally {
        await other.close();
      }
    });

    it('returns 202 when the job outlives the timeout', async () => {
      const r = await execute('long_running', { timeout: 50 });
      assert.deepEqual([r.status, r.body.status], [202, 2]);
    });

    it('ends fail with status 1 and its message, localized', async () => {
      const en = await execute('fail', { timeout: 10_000 });
      assert.deepEqual([en.body.status, en.body.message], [1, 'The target web page could not be opened.']);
      assert.equal(en.body.output, undefined);
      const ja = await execute('fail', { timeout: 10_000 }, { headers: { 'content-language': 'ja' } });
      assert.equal(ja.body.message, '対象のWebページを開けませんでした。');
    });

    it('produces the scripted outputs: every value kind, defaults, and a large output', async () => {
      const fixture = loadFixture();
      const script = fixture.contracts[0].bots.find((b) => b.id === 'all_outputs')!.script;
      const [all, defaults, large] = await Promise.all([
        execute('all_outputs', { timeout: 10_000 }),
        execute('with_defaults', { timeout: 10_000, input: { Name: 'Hanako' } }),
        execute('large_output', { timeout: 10_000 }),
      ]);
      assert.deepEqual(all.body.output, script.result === 'output' ? script.output : undefined);
      assert.equal(defaults.body.output?.Name, 'Hanako');
      assert.deepEqual(defaults.body.output?.Colors, ['red', 'green']);
      assert.deepEqual(Object.keys(defaults.body.output ?? {}).sort(), ['Attachment', 'Colors', 'Name', 'Orders']);
      assert.equal(String(large.body.output?.['Large text']).length, 3 * 1024 * 1024);
    });

    it('rejects bad execute bodies with 422 and creates no job', async () => {
      const bad: Record<string, unknown>[] = [
        { timeout: -1 }, { timeout: 120_001 }, { timeout: '10' }, { callback_endpoint: 'http://example.com/cb' },
        { callback_endpoint: 'ftp://example.com' }, { callback_endpoint: 'https://example.com/cb', callback_tries: 6 },
        { callback_tries: -1 }, { input: ['a'] }, { input: 'text' },
      ];
      for (const body of bad) assert.equal((await execute('echo', body)).status, 422, JSON.stringify(body));
      assert.equal((await call('POST', '/example1/bots/echo/jobs', { body: '[1]' })).status, 422);
      assert.equal(emu.jobs().length, 0);
      // An empty body is an execute with defaults.
      assert.equal((await call('POST', '/example1/bots/echo/jobs', { body: '' })).status, 202);
    });

    it('issues time-ordered UUIDv7 job ids', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await execute('long_running')).body.job_id);
      assert.ok(ids.every((id) => UUID7.test(id)));
      assert.deepEqual([...ids].sort(), ids);
    });

    it('suspends a running job (200, status 1) and then answers 410; unknown jobs are 404', async () => {
      const started = await execute('long_running');
      const suspended = await call<JobBody>('DELETE', `/example1/jobs/${started.body.job_id}`);
      assert.deepEqual([suspended.status, suspended.body.code, suspended.body.status], [200, 200, 1]);
      assert.match(suspended.body.message, /suspended/);
      assert.equal((await call('DELETE', `/example1/jobs/${started.body.job_id}`)).status, 410);
      assert.equal((await call('DELETE', `/example1/jobs/${UNKNOWN_JOB}`)).status, 404);
      const record = emu.jobs()[0];
      assert.deepEqual([record.status, record.suspended, record.username], [1, true, 'user@example.com']);
      assert.equal((await call<JobBody>('GET', `/example1/jobs/${started.body.job_id}`)).body.status, 1);
    });

    it('a fixture rate limit answers 429 with Retry-After', async () => {
      const limited = await startEmulator({ fixture: { ...loadFixture(), executeRateLimit: { requests: 1, windowSeconds: 60 } } });
      try {
        const credentials = { accessToken: limited.tokens[0].accessToken, secretKey: limited.tokens[0].secretKey };
        const first = await callApi(limited.apiBaseUrl, 'POST', '/example1/bots/long_running/jobs', { credentials, body: {} });
        const second = await callApi<Body>(limited.apiBaseUrl, 'POST', '/example1/bots/long_running/jobs', { credentials, body: {} });
        assert.deepEqual([first.status, second.status, second.body.code], [202, 429, 429]);
        assert.match(second.headers.get('retry-after') ?? '', /^\d+$/);
      } finally {
        await limited.close();
      }
    });

    it('a per-token request budget answers 429 with Retry-After for any request over it, per token', async () => {
      const limited = await startEmulator({ fixture: { ...loadFixture(), requestRateLimit: { requestsPerSecond: 3 } } });
      try {
        const as = (index: number) => ({ credentials: { accessToken: limited.tokens[index].accessToken, secretKey: limited.tokens[index].secretKey } });
        // Started together, well inside one clock second.
        const statuses = await Promise.all(Array.from({ length: 6 }, () => callApi<Body>(limited.apiBaseUrl, 'GET', '/services/contracts', as(0))));
        const refused = statuses.filter((answer) => answer.status === 429);
        assert.ok(statuses.every((answer) => answer.status === 200 || answer.status === 429));
        // A second boundary may fall between the six: then both seconds have their own budget of 3.
        assert.ok(refused.length >= 1 && refused.length <= 3, statuses.map((a) => a.status).join());
        assert.ok(refused.every((answer) => answer.headers.get('retry-after') === '1' && answer.body.code === 429));
        // The budget is the token's: another token of the same user is not refused.
        const other = limited.tokens.findIndex((token, index) => index > 0 && token.username === limited.tokens[0].username);
        assert.equal((await callApi(limited.apiBaseUrl, 'GET', '/services/contracts', as(other))).status, 200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('job list', () => {
    const list = async (query: string, botId = 'echo'): Promise<JobBody[]> => {
      const r = await call('GET', `/example1/bots/${botId}/jobs${query}`);
      assert.equal(r.status, 200, r.text);
      return r.body.jobs;
    };

    it('lists the history newest first, filtered by status and time', async () => {
      const all = await list('');
      assert.deepEqual(all.map((j) => j.start_time), ['2024-05-03T01:00:00Z', '2024-05-02T01:00:00Z', '2024-05-01T01:00:00Z']);
      assert.ok(all.every((j) => j.output === undefined && j.cast_url === undefined));
      assert.deepEqual((await list('?sort_order=asc')).map((j) => j.start_time), [...all.map((j) => j.start_time)].reverse());
      assert.deepEqual((await list('?statuses=1')).map((j) => j.status), [1]);
      assert.equal((await list('?statuses=0,1')).length, 3);
      assert.equal((await list('?datetime_from=2024-05-02T01:00:00Z')).length, 2, 'datetime_from is inclusive');
      assert.equal((await list('?datetime_to=2024-05-02T01:00:00Z')).length, 1, 'datetime_to is exclusive');
      assert.equal((await list('?datetime_from=2024-05-02T10:00:00%2B09:00&datetime_to=2024-05-03')).length, 1);
      assert.deepEqual((await list('?properties=output&statuses=0')).map((j) => j.output), [{ Message: 'third' }, { Message: 'first' }]);
    });

    it('pages with limit and id_to / id_from', async () => {
      const all = await list('');
      const first = await list('?limit=2');
      assert.deepEqual(first.map((j) => j.job_id), all.slice(0, 2).map((j) => j.job_id));
      const next = await list(`?limit=2&id_to=${first[1].job_id}`);
      assert.deepEqual(next.map((j) => j.job_id), [all[2].job_id]);
      const newer = await list(`?sort_order=asc&id_from=${all[2].job_id}`);
      assert.deepEqual(newer.map((j) => j.job_id), [all[1].job_id, all[0].job_id]);
    });

    it('includes running jobs, with cast_url only on request', async () => {
      const running = await execute('long_running');
      const [plain] = await list('?statuses=2', 'long_running');
      assert.equal(plain.job_id, running.body.job_id);
      assert.equal(plain.cast_url, undefined);
      const [withCast] = await list('?statuses=2&properties=cast_url', 'long_running');
      assert.match(withCast.cast_url ?? '', /\/_emulator\/cast\//);
    });

    it('refuses bad query values with 422', async () => {
      for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'sort_order=up', 'statuses=3', 'datetime_from=yesterday', 'id_from=42', 'properties=input']) {
        const r = await call('GET', `/example1/bots/echo/jobs?${query}`);
        assert.equal(r.status, 422, query);
        assert.equal(r.body.code, 422);
      }
    });
  });

  describe('subscriptions and callbacks', () => {
    it('creates, lists and deletes subscriptions', async () => {
      const created = await call('POST', '/example1/bots/echo/subscriptions', { body: { event: 'onended', callback_endpoint: 'https://hooks.example/cb' } });
      assert.equal(created.status, 201);
      assert.equal(typeof created.body.subscribe_id, 'number');
      assert.equal(created.headers.get('location'), created.body.unsubscribe_endpoint);
      const listed = await call('GET', '/example1/bots/echo/subscriptions', { headers: { 'content-language': 'ja' } });
      assert.deepEqual(listed.body.subscriptions, [{
        subscribe_id: created.body.subscribe_id,
        event: 'onended',
        callback_type: 'webhook',
        callback_endpoint: 'https://hooks.example/cb',
        callback_emails: null,
        language: 'en',
        disabled: false,
        unsubscribe_endpoint: created.body.unsubscribe_endpoint,
      }]);
      const path = new URL(created.body.unsubscribe_endpoint).pathname;
      assert.deepEqual((await call('DELETE', path)).body, { code: 200 });
      assert.equal((await call('DELETE', path)).status, 404);
      assert.deepEqual((await call('GET', '/example1/bots/echo/subscriptions')).body.subscriptions, []);
    });

    it('refuses bad subscriptions with 422', async () => {
      const bad = [{ event: 'onstarted', callback_endpoint: 'https://a.example' }, { event: 'onended', callback_endpoint: 'http://a.example' }, { event: 'onended' }, { event: 'onended', callback_endpoint: 'https://a.example', callback_type: 'mailhook' }];
      for (const body of bad) assert.equal((await call('POST', '/example1/bots/echo/subscriptions', { body })).status, 422, JSON.stringify(body));
    });

    it('delivers the finished job to matching subscriptions only', async () => {
      receiver = await startCallbackReceiver();
      const subscribe = (event: string) => call('POST', '/example1/bots/echo/subscriptions', { body: { event, callback_endpoint: receiver!.url }, headers: { 'content-language': 'ja' } });
      const ended = (await subscribe('onended')).body.subscribe_id;
      await subscribe('onfailed');
      const succeeded = (await subscribe('onsucceeded')).body.subscribe_id;
      const job = await execute('echo', { input: { Message: 'hook' }, timeout: 10_000 });
      const received = await receiver.waitFor(2);
      for (const { body } of received) {
        assert.deepEqual(body, {
          code: 201, job_id: job.body.job_id, bot_id: 'echo', bot_name: 'Echo BOT', status: 0, start_time: job.body.start_time,
          elapsed_time: job.body.elapsed_time, output: { Message: 'hook' }, message: 'BOTが正常に終了しました。',
        });
      }
      const record = await eventually(() => emu.jobs().find((j) => j.deliveries.length === 2));
      assert.deepEqual(record.deliveries.map((d) => d.subscribe_id).sort(), [ended, succeeded].sort());
    });

    it('retries callback_endpoint after a 500, in the execute request\'s language', async () => {
      receiver = await startCallbackReceiver([500]);
      const job = await execute('fail', { callback_endpoint: receiver.url, callback_tries: 3 }, { headers: { 'content-language': 'ja' } });
      assert.equal(job.body.callback, true);
      const [first, second] = await receiver.waitFor(2);
      assert.deepEqual([first.status, second.status], [500, 200]);
      assert.deepEqual(first.body, second.body);
      assert.equal((second.body as JobBody).status, 1);
      assert.equal((second.body as JobBody).message, '対象のWebページを開けませんでした。');
      assert.equal(second.headers['content-type'], 'application/json; charset=utf-8');
      const record = await eventually(() => emu.jobs().find((j) => j.deliveries.length === 2));
      assert.deepEqual(record.deliveries.map((d) => [d.kind, d.attempt, d.status]), [['callback', 1, 500], ['callback', 2, 200]]);
    });

    it('stops after callback_tries attempts when the receiver is unreachable', async () => {
      receiver = await startCallbackReceiver();
      const unreachable = receiver.url;
      await receiver.close();
      await execute('echo', { callback_endpoint: unreachable, callback_tries: 2 });
      const record = await eventually(() => emu.jobs().find((j) => j.deliveries.length === 2));
      assert.ok(record.deliveries.every((d) => d.status === null && d.error));
    });

    it('sends nothing when callback_tries is 0', async () => {
      const job = await execute('echo', { callback_endpoint: 'https://hooks.example/cb', callback_tries: 0, timeout: 10_000 });
      assert.equal(job.body.status, 0);
      assert.equal(job.body.callback, false);
      assert.deepEqual(emu.jobs()[0].deliveries, []);
    });

    it('close() cancels pending callback retries', async () => {
      const slow = await startEmulator({ callbackRetryIntervalMs: 60_000 });
      receiver = await startCallbackReceiver([500]);
      const credentials = { accessToken: slow.tokens[0].accessToken, secretKey: slow.tokens[0].secretKey };
      await callApi(slow.apiBaseUrl, 'POST', '/example1/bots/echo/jobs', { credentials, body: { callback_endpoint: receiver.url, callback_tries: 5 } });
      await receiver.waitFor(1);
      await eventually(() => slow.jobs()[0].deliveries[0]);
      await slow.close();
      assert.equal(receiver.received.length, 1);
    });
  });

  it('issues WS tokens and checks their body', async () => {
    const r = await call('POST', '/example1/ws_tokens', { body: { scopes: ['upload'], keys: ['report.csv'], expire: 120 } });
    assert.equal(r.status, 200);
    assert.equal(typeof r.body.ws_token, 'string');
    for (const body of [{ scopes: ['delete'], keys: ['a'] }, { scopes: ['upload'], keys: [] }, { scopes: ['upload'], keys: ['a'], expire: 0 }]) {
      assert.equal((await call('POST', '/example1/ws_tokens', { body })).status, 422, JSON.stringify(body));
    }
  });

  it('records API requests with their headers and bodies, and no secrets', async () => {
    await call('GET', '/services/contracts?properties=plan');
    await call('GET', '/example1/bots', { credentials: as(1), headers: { 'content-language': 'ja' } });
    await call('GET', '/services/contracts', { credentials: { ...as(2), secretKey: 'wrong-secret' } as Credentials });
    await execute('long_running', { input: { Message: 'x' }, callback_endpoint: 'https://hooks.example/cb' });
    assert.deepEqual(emu.requests.map((r) => [r.origin, r.method, r.path, r.auth, r.contentType, r.contentLanguage, r.status]), [
      ['api', 'GET', '/services/contracts', 'accessToken', 'application/json', 'en', 200],
      ['api', 'GET', '/example1/bots', 'accessToken', 'application/json', 'ja', 200],
      ['api', 'GET', '/services/contracts', 'accessToken', 'application/json', 'en', 401],
      ['api', 'POST', '/example1/bots/long_running/jobs', 'accessToken', 'application/json', 'en', 202],
    ]);
    assert.deepEqual(emu.requests[0].query, { properties: 'plan' });
    assert.deepEqual(emu.requests[3].body, { input: { Message: 'x' }, callback_endpoint: 'https://hooks.example/cb' });
    assert.match(emu.requests[0].time, /^\d{4}-\d{2}-\d{2}T/);
    const log = JSON.stringify(emu.requests);
    assert.ok(emu.tokens.every((t) => !log.includes(t.accessToken) && !log.includes(t.secretKey)), 'no credential in the request log');
  });

  describe('control endpoints', () => {
    const control = (method: string, path: string, body?: unknown) => callApi<Record<string, unknown>>(emu.apiBaseUrl, method, `/_emulator/${path}`, { body, headers: { 'content-language': null } });

    it('serve requests and jobs, and reset them, without API headers or faults getting in the way', async () => {
      emu.faults.add({ path: '.*', status: 500 });
      assert.equal((await call('GET', '/services/contracts')).status, 500);
      assert.equal((await control('DELETE', 'faults')).status, 204);
      await execute('long_running');
      const jobs = (await control('GET', 'jobs')).body.jobs as { public_id: string; bot_id: string; status: number }[];
      assert.deepEqual(jobs.map((j) => [j.public_id, j.bot_id, j.status]), [['example1', 'long_running', 2]]);
      const requests = (await control('GET', 'requests')).body.requests as { origin: string; path: string; status: number }[];
      assert.deepEqual(requests.map((r) => [r.origin, r.path, r.status]), [
        ['api', '/services/contracts', 500],
        ['control', '/_emulator/faults', 204],
        ['api', '/example1/bots/long_running/jobs', 202],
        ['control', '/_emulator/jobs', 200],
      ]);
      assert.equal((await control('DELETE', 'requests')).status, 204);
      assert.deepEqual(emu.requests.map((r) => r.path), ['/_emulator/requests']);
      assert.equal((await control('POST', 'reset')).status, 204);
      assert.deepEqual(emu.jobs(), []);
    });

    it('add faults and redirect URIs, and refuse bad ones', async () => {
      assert.equal((await control('POST', 'faults', { path: '^/services/contracts$', status: 503, times: 1 })).status, 204);
      assert.equal((await call('GET', '/services/contracts')).status, 503);
      assert.equal((await call('GET', '/services/contracts')).status, 200);
      assert.equal((await control('POST', 'faults', { path: '(' })).status, 400);
      assert.equal((await control('POST', 'faults', { path: 'x', status: 503, drop: true })).status, 400);
      assert.equal((await control('POST', 'redirect-uris', { clientId: 1001, uri: 'http://127.0.0.1:9/cb' })).status, 204);
      assert.ok(emu.oauthClients[0].redirectUris.includes('http://127.0.0.1:9/cb'));
      assert.equal((await control('POST', 'redirect-uris', { clientId: 999, uri: 'http://127.0.0.1:9/cb' })).status, 400);
      assert.equal((await control('GET', 'nothing')).status, 404);
    });

    it('answer cast pages with the headers asked for, and give a running job the cast URL asked for, until reset', async () => {
      const started = await execute('long_running');
      const cast = () => fetch(started.body.cast_url!);
      assert.equal((await cast()).headers.get('x-frame-options'), null);
      assert.equal((await control('POST', 'cast-headers', { 'X-Frame-Options': 'DENY' })).status, 204);
      assert.equal((await cast()).headers.get('x-frame-options'), 'DENY');
      assert.equal((await control('POST', 'cast-headers', { 'X-Frame-Options': 1 })).status, 400);
      assert.equal((await control('POST', 'cast-url', { jobId: started.body.job_id, url: 'javascript:alert(1)' })).status, 204);
      assert.equal((await call<JobBody>('GET', `/example1/jobs/${started.body.job_id}`)).body.cast_url, 'javascript:alert(1)');
      assert.equal((await control('POST', 'cast-url', { jobId: UNKNOWN_JOB, url: 'https://cast.example/' })).status, 400);
      emu.reset();
      const again = await execute('long_running');
      assert.equal((await fetch(again.body.cast_url!)).headers.get('x-frame-options'), null);
      assert.match(again.body.cast_url!, /\/_emulator\/cast\//);
    });
  });

  describe('fixtures', () => {
    it('refuses inconsistent fixtures with the offending path', () => {
      const fixture = loadFixture();
      const broken = (change: (f: EmulatorFixture) => void): EmulatorFixture => {
        const copy = structuredClone(fixture);
        change(copy);
        return copy;
      };
      assert.throws(() => loadFixture(broken((f) => (f.users[0].ownContract = 'nope'))), /users\[0\]\.ownContract/);
      assert.throws(() => loadFixture(broken((f) => f.tokens.push(...f.tokens.slice(0, 2)))), /more than 3 access tokens/);
      assert.throws(() => loadFixture(broken((f) => (f.contracts[0].bots[1].id = 'echo'))), /duplicate "echo"/);
      assert.throws(() => loadFixture(broken((f) => Object.assign(f.contracts[0].bots[0].script, { result: 'explode' }))), /script\.result/);
    });

    it('generates large fixtures for tree and paging tests', async () => {
      const generated = generateFixture({ contracts: 20, botsPerContract: 200, jobsPerBot: 3 });
      const big = await startEmulator({ fixture: generated });
      try {
        const credentials = { accessToken: big.tokens[0].accessToken, secretKey: big.tokens[0].secretKey };
        const contracts = await callApi<Body>(big.apiBaseUrl, 'GET', '/services/contracts', { credentials });
        assert.equal(contracts.body.contracts.length, 20);
        const bots = await callApi<Body>(big.apiBaseUrl, 'GET', '/gen20/bots', { credentials });
        assert.equal(bots.body.bots.length, 200);
        const jobs = await callApi<Body>(big.apiBaseUrl, 'GET', '/gen20/bots/bot_0200/jobs', { credentials });
        assert.deepEqual(jobs.body.jobs.map((j) => j.status), [0, 1, 0]);
      } finally {
        await big.close();
      }
    });
  });

  describe('CLI', () => {
    const cli = join(__dirname, '..', 'emulator', 'cli.js');

    it('prints the handshake as its first line, serves, and exits 0 on SIGTERM', async () => {
      const child = spawn(process.execPath, [cli, '--port', '0', '--max-lifetime-seconds', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const firstLine = new Promise<string>((resolve) => child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      }));
      const handshake = JSON.parse(await firstLine) as { apiBaseUrl: string; oauthBaseUrl: string; tokens: { accessToken: string; secretKey: string; permissions: string[] }[]; oauthClients: { clientId: number; clientSecret: string; redirectUris: string[] }[] };
      assert.match(handshake.apiBaseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(handshake.oauthBaseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(handshake.apiBaseUrl, handshake.oauthBaseUrl);
      assert.deepEqual(handshake.tokens.map((t) => t.permissions), [['refer', 'execute', 'suspend', 'modify'], ['refer'], ['refer', 'execute', 'suspend', 'modify']]);
      assert.deepEqual(handshake.oauthClients.map((c) => c.clientId), [1001, 1002]);
      const { accessToken, secretKey } = handshake.tokens[0];
      assert.equal((await callApi(handshake.apiBaseUrl, 'GET', '/services/contracts', { credentials: { accessToken, secretKey } })).status, 200);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      assert.deepEqual(await exited, [0, null]);
      const logs = stdout.slice(stdout.indexOf('\n') + 1);
      assert.match(logs, /GET \/services\/contracts 200/);
      const secrets = [...handshake.tokens.flatMap((t) => [t.accessToken, t.secretKey]), ...handshake.oauthClients.map((c) => c.clientSecret)];
      assert.ok(secrets.every((secret) => !logs.includes(secret)), 'no secret after the handshake line');
    });

    it('exits 2 with a message on bad arguments', async () => {
      for (const args of [[], ['--port', 'abc'], ['--port', '0', '--bogus'], ['--port', '0', '--fixture', '/nonexistent.json']]) {
        const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const [code] = await once(child, 'exit');
        assert.equal(code, 2, args.join(' '));
        assert.match(stderr, /^cloudbot-emulator: .+\nusage:/, args.join(' '));
      }
    });
  });
});

describe('emulator: contracts without the API enabled', () => {
  it('neither lists them nor reaches them', async () => {
    const fixture = loadFixture();
    const emu = await startEmulator({
      fixture: { ...fixture, contracts: fixture.contracts.map((c) => (c.publicId === 'example2' ? { ...c, apiEnabled: false } : c)) },
    });
    try {
      const token = emu.tokens[0];
      const credentials = { accessToken: token.accessToken, secretKey: token.secretKey };
      const listed = await callApi<{ contracts: { public_id: string }[] }>(emu.apiBaseUrl, 'GET', '/services/contracts', { credentials });
      assert.deepEqual(listed.body.contracts.map((c) => c.public_id), ['example1', 'example3']);
      assert.equal((await callApi(emu.apiBaseUrl, 'GET', '/example2/bots', { credentials })).status, 404);
    } finally {
      await emu.close();
    }
  });
});
