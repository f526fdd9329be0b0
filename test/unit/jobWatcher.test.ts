import * as assert from 'node:assert/strict';
import { CloudBotClient } from '../../src/core/client';
import { CloudBotError } from '../../src/core/errors';
import { nextPollDelayMs, watchJob } from '../../src/core/jobWatcher';
import { startEmulator, type RunningEmulator } from '../emulator';

describe('nextPollDelayMs', () => {
  it('polls every half second at first, then backs off to 8 % of the age, within 1–20 s', () => {
    assert.equal(nextPollDelayMs(0), 500);
    assert.equal(nextPollDelayMs(1_999), 500);
    assert.equal(nextPollDelayMs(2_000), 1_000);
    assert.equal(nextPollDelayMs(60_000), 4_800);
    assert.equal(nextPollDelayMs(600_000), 20_000);
    assert.equal(nextPollDelayMs(3_600_000), 20_000);
    for (let age = 0; age < 3_600_000; age += 1_000) assert.ok(nextPollDelayMs(age + 1_000) >= nextPollDelayMs(age));
  });
});

describe('watchJob on a fake clock', () => {
  /** Follows a job that ends `durationMs` after it starts: how many polls, and how late the end is seen. */
  async function follow(durationMs: number) {
    let clock = 0;
    let polls = 0;
    const source = {
      getJob: async () => {
        polls++;
        return { job_id: 'j', bot_id: 'b', status: clock >= durationMs ? 0 : 2 };
      },
    };
    await watchJob(source, 'p', 'j', {
      initial: { job_id: 'j', bot_id: 'b', status: 2 },
      startedAt: 0,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    return { polls, lateMs: clock - durationMs };
  }

  it('sees a short job end within half a second', async () => {
    const { polls, lateMs } = await follow(1_200);
    assert.equal(polls, 3);
    assert.ok(lateMs <= 500, `${lateMs} ms late`);
  });

  it('asks far less often than once a second for long jobs, and sees the end at most 8 % (20 s) late', async () => {
    for (const [durationMs, maxPolls] of [[30_000, 26], [600_000, 75], [3_600_000, 230]]) {
      const { polls, lateMs } = await follow(durationMs);
      assert.ok(polls <= maxPolls, `${polls} polls for a ${durationMs / 1000} s job`);
      assert.ok(polls < durationMs / 1000, 'fewer than a once-a-second poller');
      assert.ok(lateMs <= Math.min(20_000, durationMs * 0.08 + 1_000), `${lateMs} ms late for a ${durationMs / 1000} s job`);
    }
  });
});

describe('watchJob against the emulator', () => {
  let emulator: RunningEmulator;
  let client: CloudBotClient;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const token = emulator.tokens.find((t) => t.permissions.includes('suspend') && t.username === 'user@example.com')!;
    client = new CloudBotClient({
      apiBaseUrl: emulator.apiBaseUrl,
      language: 'en',
      credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
      retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 },
    });
  });
  after(() => emulator.close());
  afterEach(() => emulator.reset());

  it('follows a job given only its id', async () => {
    const { job: started } = await client.executeBot('example1', 'echo', { input: { x: '1' } });
    const job = await watchJob(client, 'example1', started.job_id);
    assert.equal(job.status, 0);
    assert.deepEqual(job.output, { x: '1' });
  });

  it('keeps following through rate limiting, honouring Retry-After', async () => {
    const { job: started } = await client.executeBot('example1', 'echo', { input: {} });
    emulator.faults.add({ method: 'GET', path: '^/example1/jobs/', status: 429, retryAfterSeconds: 0, times: 3 });
    const transient: CloudBotError[] = [];
    const job = await watchJob(client, 'example1', started.job_id, { initial: started, onTransientError: (e) => transient.push(e) });
    assert.equal(job.status, 0);
    assert.deepEqual(transient.map((e) => e.status), [429, 429, 429]);
  });

  it('stops on a permanent error', async () => {
    await assert.rejects(watchJob(client, 'example1', '00000000-0000-7000-8000-000000000000'), (e: CloudBotError) => e.status === 404);
  });

  it('stops when cancelled, leaving the job running', async () => {
    const { job: started } = await client.executeBot('example1', 'long_running', { input: {} });
    const controller = new AbortController();
    const watching = watchJob(client, 'example1', started.job_id, { initial: started, signal: controller.signal, onUpdate: () => controller.abort() });
    await assert.rejects(watching);
    assert.equal((await client.getJob('example1', started.job_id)).status, 2);
    await client.suspendJob('example1', started.job_id);
  });
});
