import * as assert from 'node:assert/strict';
import { CloudBotClient } from '../../src/core/client';
import { CloudBotError } from '../../src/core/errors';
import { MAX_EXPECTED_RUN_MS, MAX_UNKNOWN_STATUS_POLLS, MIN_POLL_GAP_MS, nextPollDelayMs, UnknownStatusError, watchJob } from '../../src/core/jobWatcher';
import type { Job } from '../../src/core/types';
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
  async function follow(durationMs: number, options: { expectedRunMs?: number; startTime?: string } = {}) {
    let clock = 0;
    const pollTimes: number[] = [];
    const source = {
      getJob: async () => {
        pollTimes.push(clock);
        return { job_id: 'j', bot_id: 'b', status: clock >= durationMs ? 0 : 2 };
      },
    };
    await watchJob(source, 'p', 'j', {
      initial: { job_id: 'j', bot_id: 'b', status: 2, start_time: options.startTime },
      firstSeenAt: 0,
      expectedRunMs: options.expectedRunMs,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    return { polls: pollTimes.length, pollTimes, lateMs: clock - durationMs };
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

  it('with an expected run time (a batch\'s shortest recent run), polls first when the job has been known that long, then at the usual cadence', async () => {
    assert.deepEqual((await follow(2_000, { expectedRunMs: 2_000 })).pollTimes, [2_000]);
    // A longer run than expected: the end is seen as late as the usual follower would see it.
    const longer = await follow(3_500, { expectedRunMs: 2_000 });
    assert.deepEqual(longer.pollTimes, [2_000, 3_000, 4_000]);
    assert.deepEqual((await follow(3_500)).pollTimes.slice(-2), [3_000, 4_000]);
    // A 10-minute BOT costs one poll where the usual follower makes about seventy.
    assert.equal((await follow(600_000, { expectedRunMs: 600_000 })).polls, 1);
  });

  it('counts an expected run time from when the job was first seen here, not from the server\'s start time in whole seconds', async () => {
    // Started (by the server's word) 900 ms before it was seen: the first poll still waits the full run time.
    assert.deepEqual((await follow(2_000, { expectedRunMs: 2_000, startTime: new Date(-900).toISOString() })).pollTimes, [2_000]);
  });

  it('holds the first poll back no longer than a bound, whatever the run times said, and ignores nonsense', async () => {
    assert.equal((await follow(MAX_EXPECTED_RUN_MS + 1, { expectedRunMs: 1e12 })).pollTimes[0], MAX_EXPECTED_RUN_MS);
    for (const nonsense of [Number.NaN, -5_000, 0, Infinity]) assert.equal((await follow(1_200, { expectedRunMs: nonsense })).pollTimes[0], 500, String(nonsense));
  });
});

describe('watchJob against an odd server, on a fake clock', () => {
  /** A fake clock whose sleep records every wait; `getJob` answers from `answer` and counts polls. */
  function harness(answer: (poll: number, clock: number) => Job | Promise<Job>, start = 0) {
    const state = { clock: start, polls: 0, waits: [] as number[] };
    return {
      state,
      source: {
        getJob: async () => {
          // A bound, so that a follow that never ends fails the test instead of running on.
          if (state.polls >= 1_000) throw new Error('runaway follow');
          return answer(++state.polls, state.clock);
        },
      },
      options: {
        now: () => state.clock,
        sleep: async (ms: number) => {
          state.waits.push(ms);
          state.clock += ms;
        },
      },
    };
  }
  const running = (fields: Partial<Job> = {}): Job => ({ job_id: 'j', bot_id: 'b', status: 2, ...fields });
  const rateLimited = () => new CloudBotError({ kind: 'http', operation: 'getJob', status: 429, retryAfterSeconds: 0, mayHaveReachedServer: true });

  it('keeps a gap between polls of a job it has no state of yet, whatever Retry-After says', async () => {
    const { state, source, options } = harness((poll) => {
      if (poll <= 3) throw rateLimited();
      return running({ status: 0 });
    });
    const job = await watchJob(source, 'p', 'j', options);
    assert.equal(job.status, 0);
    assert.equal(state.polls, 4);
    assert.deepEqual(state.waits, [MIN_POLL_GAP_MS, MIN_POLL_GAP_MS, MIN_POLL_GAP_MS]);
  });

  it('measures a job\'s age from when it was first seen when the server\'s clock is ahead', async () => {
    // The server says the job started an hour from now (its clock is fast, or it sent local time without a zone).
    const serverStart = new Date(3_600_000).toISOString();
    for (const initial of [running({ start_time: serverStart }), undefined]) {
      const { state, source, options } = harness((_poll, clock) => running({ start_time: serverStart, status: clock >= 600_000 ? 0 : 2 }));
      await watchJob(source, 'p', 'j', { ...options, initial, firstSeenAt: 0 });
      assert.ok(state.polls <= 80, `${state.polls} polls for a 10-minute job (${initial ? 'with' : 'without'} a first state)`);
    }
  });

  it('stops following a job that keeps a status it does not know, saying so', async () => {
    const { state, source, options } = harness(() => running({ status: 7 }));
    await assert.rejects(
      watchJob(source, 'p', 'j', { ...options, initial: running() }),
      (error: unknown) => error instanceof UnknownStatusError && error.status === 7 && error.jobId === 'j',
    );
    assert.equal(state.polls, MAX_UNKNOWN_STATUS_POLLS);
  });

  it('stops following a job whose answers cannot be read as a job (a status like "running"), saying why', async () => {
    const unreadable = new CloudBotError({ kind: 'invalidResponse', operation: 'getJob', status: 200, mayHaveReachedServer: true });
    const { state, source, options } = harness((poll) => {
      if (poll > 1) throw unreadable;
      return running();
    });
    await assert.rejects(watchJob(source, 'p', 'j', options), (error: unknown) => error === unreadable);
    assert.equal(state.polls, 1 + MAX_UNKNOWN_STATUS_POLLS);
  });

  it('goes on following while an unknown status comes and goes', async () => {
    const { state, source, options } = harness((poll) => running({ status: poll >= 3 * MAX_UNKNOWN_STATUS_POLLS ? 0 : poll % 2 ? 7 : 2 }));
    assert.equal((await watchJob(source, 'p', 'j', options)).status, 0);
    assert.equal(state.polls, 3 * MAX_UNKNOWN_STATUS_POLLS);
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
