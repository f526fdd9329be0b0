// The client against a server that answers in odd but possible ways (the emulator's answer variants):
// everything above the client must see clean values, and no odd answer may lose a job or loop forever.
import * as assert from 'node:assert/strict';
import { CloudBotClient, sleep } from '../../src/core/client';
import { UnusableIdError } from '../../src/core/endpoints';
import { CloudBotError, parseRetryAfter } from '../../src/core/errors';
import { ExplorerData, JOB_PAGE_SIZE, type BotKey } from '../../src/core/explorerData';
import { JobStore } from '../../src/core/jobStore';
import { MAX_UNKNOWN_STATUS_POLLS, UnknownStatusError } from '../../src/core/jobWatcher';
import { LOG_WORDS, statusAndElapsed } from '../../src/core/jobText';
import { generateFixture, startEmulator, type RunningEmulator } from '../emulator';
import { fixtureWithEchoBot } from '../emulator/testing';

/** A client with the emulator's first token that has every permission, retrying nothing. */
function clientOf(emulator: RunningEmulator): CloudBotClient {
  const token = emulator.tokens.find((t) => ['refer', 'execute', 'suspend'].every((p) => t.permissions.includes(p)))!;
  return new CloudBotClient({
    apiBaseUrl: emulator.apiBaseUrl,
    language: 'en',
    credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
    retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 },
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => assert.fail('expected a rejection'), (error: unknown) => error);
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('holds every server-given wait to 1 s – 5 min', () => {
    assert.equal(parseRetryAfter('7', now), 7);
    for (const value of ['0', '-5', ' -1 ']) assert.equal(parseRetryAfter(value, now), 1, value);
    assert.equal(parseRetryAfter('99999999999999999999', now), 300);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 1, 'a date in the past');
    assert.equal(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now), 300, 'a date far ahead');
  });

  it('takes garbage for no advice, never for "0 s"', () => {
    for (const value of [null, '', 'soon', '1.5', 'NaN', '1e3', 'Wed, 99 Foo 2025 00:00:00 GMT']) assert.equal(parseRetryAfter(value, now), undefined, String(value));
  });
});

describe('sleep', () => {
  it('never hands setTimeout more than it can wait (a longer delay would fire at once)', async () => {
    const controller = new AbortController();
    const waited = sleep(2 ** 31 + 1_000, controller.signal).then(() => 'resolved', () => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    assert.equal(await waited, 'aborted');
  });
});

describe('the client against an odd server', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let client: CloudBotClient;
  const fixture = fixtureWithEchoBot('1234', 100);
  fixture.contracts.find((c) => c.publicId === 'example1')!.bots.at(-1)!.name = '5678';

  before(async () => {
    emulator = await startEmulator({ port: 0, fixture });
    client = clientOf(emulator);
  });
  after(() => emulator.close());
  afterEach(() => emulator.reset());

  const apiRequests = () => emulator.requests.filter((r) => r.origin === 'api').length;

  it('refuses an empty, "." or ".." ID before sending anything', async () => {
    for (const id of ['', '.', '..']) {
      const error = await rejection(client.getJob('example1', id));
      assert.ok(error instanceof UnusableIdError && error.id === id, String(error));
      assert.ok((await rejection(client.listJobs(id, 'echo'))) instanceof UnusableIdError);
      assert.ok((await rejection(client.suspendJob('example1', id))) instanceof UnusableIdError);
    }
    assert.equal(apiRequests(), 0);
  });

  it('reads statuses sent as strings as numbers, in a job and in a list', async () => {
    const { job: started } = await client.executeBot('example1', 'long_running', {});
    emulator.faults.add({ path: '/jobs', variant: 'stringStatuses' });
    assert.equal((await client.getJob('example1', started.job_id)).status, 2);
    const listed = await client.listJobs('example1', 'long_running');
    assert.ok(listed.length > 0 && listed.every((job) => typeof job.status === 'number'), JSON.stringify(listed.map((job) => job.status)));
    assert.equal((await client.suspendJob('example1', started.job_id)).status, 1);
  });

  it('reads numeric IDs and names as text', async () => {
    await client.executeBot('example1', '1234', {});
    emulator.faults.add({ path: '/bots', variant: 'numericNames' });
    const bot = (await client.listBots('example1')).find((b) => b.id === '1234');
    assert.deepEqual([bot?.id, bot?.name], ['1234', '5678']);
    const detail = await client.getBot('example1', '1234');
    assert.deepEqual([detail.id, detail.name], ['1234', '5678']);
    const [job] = await client.listJobs('example1', '1234');
    assert.deepEqual([job.bot_id, job.bot_name], ['1234', '5678']);
  });

  it('merges a job listed twice in a page into one, with the later fields', async () => {
    await client.executeBot('example1', 'long_running', {});
    const [single] = await client.listJobs('example1', 'long_running');
    emulator.faults.add({ path: '/jobs$', variant: 'duplicateJobs' });
    const listed = await client.listJobs('example1', 'long_running');
    assert.deepEqual(listed.map((job) => job.job_id), [single.job_id]);
    assert.ok(listed[0].elapsed_time! > single.elapsed_time!, 'the later copy wins');
  });

  it('keeps null optional fields empty instead of inventing "0 s"', async () => {
    const { job: started } = await client.executeBot('example1', 'long_running', {});
    emulator.faults.add({ path: '/jobs/', variant: 'nullFields' });
    const job = await client.getJob('example1', started.job_id);
    for (const field of ['elapsed_time', 'bot_name', 'start_time']) assert.ok(!(field in job), field);
    assert.equal(statusAndElapsed(job, LOG_WORDS), 'executing');
  });

  it('takes a 204 to a DELETE for success', async () => {
    const { job: started } = await client.executeBot('example1', 'long_running', {});
    const { subscribe_id: subscribeId } = await client.createSubscription('example1', 'echo', { event: 'onended', callback_endpoint: 'https://hooks.example/cb' });
    emulator.faults.add({ method: 'DELETE', path: '.', variant: 'noContent' });
    assert.equal((await client.suspendJob('example1', started.job_id)).status, 1, 'the new state, asked for');
    await client.deleteSubscription('example1', 'echo', subscribeId);
    assert.deepEqual(await client.listSubscriptions('example1', 'echo'), []);
  });

  it('keeps a subscription ID as the server sent it', async () => {
    emulator.faults.add({ method: 'POST', path: '/subscriptions$', variant: 'paddedSubscriptionId' });
    const created = await client.createSubscription('example1', 'echo', { event: 'onended', callback_endpoint: 'https://hooks.example/cb' });
    assert.match(String(created.subscribe_id), /^0+[1-9]\d*$/);
    assert.equal(typeof created.subscribe_id, 'string', 'leading zeros kept');
  });

  it('reports a refused redirect as a redirect, not as a network failure', async () => {
    emulator.faults.add({ path: '^/services/contracts$', variant: 'redirect' });
    const error = await rejection(client.listContracts());
    assert.ok(error instanceof CloudBotError && error.kind === 'redirect', String(error));
  });

  it('follows the job of an execute whose Location header is malformed', async () => {
    emulator.faults.add({ method: 'POST', path: '/jobs$', variant: 'badLocation' });
    const started = await client.executeBot('example1', 'echo', {});
    assert.equal(started.jobReferenceEndpoint, `${emulator.apiBaseUrl}/example1/jobs/${started.job.job_id}`);
    assert.equal(emulator.jobs().length, 1);
  });

  it('stops reading an answer over 32 MB and says so', async () => {
    emulator.faults.add({ path: '^/services/contracts$', variant: 'hugeBody' });
    const error = await rejection(client.listContracts());
    assert.ok(error instanceof CloudBotError && error.kind === 'answerTooLarge', String(error));
  });

  it('holds Retry-After dates, negative numbers and garbage to a sane wait', async () => {
    const future = new Date(Date.now() + 3_600_000).toUTCString();
    for (const [header, seconds] of [['-5', 1], ['0', 1], [future, 300], ['soon', undefined]] as const) {
      emulator.faults.add({ path: '^/services/contracts$', status: 429, retryAfter: header, times: 1 });
      const error = await rejection(client.listContracts());
      assert.ok(error instanceof CloudBotError && error.status === 429);
      assert.equal(error.retryAfterSeconds, seconds, header);
    }
  });
});

describe('following jobs on an odd server, on a fake clock', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let client: CloudBotClient;

  /** A store whose watchers wait on a fake clock that starts now; polls go to the emulator for real. */
  function fakeClockStore() {
    const clock = { now: Date.now(), sleeps: 0 };
    const store = new JobStore(() => client, {
      now: () => clock.now,
      sleep: async (ms) => {
        // A bound, so that a follow that never ends fails the test instead of running on.
        if (++clock.sleeps > 500) throw new Error('runaway follow');
        clock.now += ms;
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    return { clock, store };
  }
  const polls = (jobId: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${jobId}`).length;

  async function start(clockOffsetMs: number) {
    emulator = await startEmulator({ port: 0, clockOffsetMs });
    client = clientOf(emulator);
  }
  afterEach(() => emulator.close());

  it('ends a follow of a job that keeps an unknown status, leaving the job to refresh by hand', async () => {
    await start(0);
    const { store } = fakeClockStore();
    const { ref } = await store.execute({ sessionId: 's', publicId: 'example1', botId: 'long_running' }, {});
    emulator.faults.add({ method: 'GET', path: '^/example1/jobs/', variant: 'unknownStatus' });
    const error = await rejection(store.waitForEnd(ref));
    assert.ok(error instanceof UnknownStatusError, String(error));
    assert.equal(polls(ref.jobId), MAX_UNKNOWN_STATUS_POLLS);
    assert.deepEqual([store.get(ref)?.job.status, store.get(ref)?.watching], [7, false]);
    store.dispose();
  });

  it('does not poll every half second when the server\'s clock is an hour ahead', async () => {
    await start(3_600_000);
    const { clock, store } = fakeClockStore();
    const { ref } = await store.execute({ sessionId: 's', publicId: 'example1', botId: 'long_running' }, {});
    const startedAt = clock.now;
    const interest = store.interest(ref, 'row');
    while (clock.now - startedAt < 60_000) await new Promise((resolve) => setImmediate(resolve));
    interest.dispose();
    // About 45 polls in a job's first minute; every half second would be 120.
    assert.ok(polls(ref.jobId) <= 50, `${polls(ref.jobId)} polls in a minute`);
    await client.suspendJob('example1', ref.jobId);
    store.dispose();
  });
});

describe('"load more" on an odd server', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let data: ExplorerData;
  const key: BotKey = { sessionId: 's', publicId: 'gen01', botId: 'bot_0001' };
  const jobsPerBot = 45;
  const listCalls = () => emulator.requests.filter((r) => r.origin === 'api' && r.path.endsWith('/jobs')).length;

  async function start(scrambleIds: boolean) {
    const fixture = generateFixture({ contracts: 1, botsPerContract: 1, jobsPerBot });
    // Job IDs that do not sort by time: reversed, so the newest job has the smallest ID.
    if (scrambleIds) fixture.jobs!.forEach((job, i) => (job.jobId = `00000000-0000-7000-8000-${String(1_000 - i).padStart(12, '0')}`));
    emulator = await startEmulator({ port: 0, fixture });
    const client = clientOf(emulator);
    data = new ExplorerData(() => client, new JobStore(() => client));
  }
  afterEach(() => emulator.close());

  it('pages by start time, not by job ID, and reaches every job newest first', async () => {
    await start(true);
    let list = await data.listJobs(key);
    for (let page = 1; page < 10 && list.more; page++) list = await data.loadMoreJobs(key);
    assert.equal(new Set(list.jobs.map((job) => job.job_id)).size, jobsPerBot);
    const starts = list.jobs.map((job) => Date.parse(job.start_time!));
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest first');
  });

  it('ends "load more" when the server ignores the paging parameters', async () => {
    await start(false);
    emulator.faults.add({ method: 'GET', path: '/jobs$', variant: 'ignorePaging' });
    let list = await data.listJobs(key);
    for (let i = 0; i < 5 && list.more; i++) list = await data.loadMoreJobs(key);
    assert.equal(list.more, false);
    assert.equal(list.jobs.length, JOB_PAGE_SIZE);
    assert.equal(listCalls(), 2);
  });
});
