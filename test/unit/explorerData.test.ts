import * as assert from 'node:assert/strict';
import { CloudBotClient } from '../../src/core/client';
import { mapLimit } from '../../src/core/concurrency';
import { ExplorerData, JOB_PAGE_SIZE, matchesFilter, type BotKey } from '../../src/core/explorerData';
import { JobStore } from '../../src/core/jobStore';
import { generateFixture, startEmulator, type RunningEmulator } from '../emulator';

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
    assert.deepEqual(await mapLimit([], 3, async () => 1), []);
  });
});

describe('matchesFilter', () => {
  it('matches names and IDs, ignoring case and surrounding spaces', () => {
    const bot = { id: 'get_items', name: 'Getting Items BOT' };
    for (const filter of ['', '  ', 'ITEMS', 'get_', ' getting ']) assert.ok(matchesFilter(bot, filter), filter);
    assert.ok(!matchesFilter(bot, 'report'));
  });
});

describe('ExplorerData against a large emulator fixture', () => {
  const contracts = 20;
  const botsPerContract = 50;
  const jobsPerBot = 45;
  let emulator: RunningEmulator;
  let data: ExplorerData;
  let store: JobStore;
  const key: BotKey = { sessionId: 's', publicId: 'gen03', botId: 'bot_0007' };

  before(async () => {
    emulator = await startEmulator({ port: 0, fixture: generateFixture({ contracts, botsPerContract, jobsPerBot }) });
    const token = emulator.tokens[0];
    const client = new CloudBotClient({
      apiBaseUrl: emulator.apiBaseUrl,
      language: 'en',
      credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
    });
    store = new JobStore(() => client);
    data = new ExplorerData(() => client, store);
  });
  after(() => emulator.close());
  beforeEach(() => {
    data.forget();
    emulator.reset();
  });

  const calls = (path: RegExp) => emulator.requests.filter((r) => r.origin === 'api' && path.test(r.path)).length;

  it('fetches contracts and BOTs once, until forgotten', async () => {
    assert.equal((await data.listContracts('s')).length, contracts);
    assert.equal((await data.listBots('s', 'gen01')).length, botsPerContract);
    await Promise.all([data.listContracts('s'), data.listBots('s', 'gen01'), data.listBots('s', 'gen01')]);
    assert.equal(calls(/^\/services\/contracts$/), 1);
    assert.equal(calls(/^\/gen01\/bots$/), 1);
    data.forget('s');
    await data.listContracts('s');
    assert.equal(calls(/^\/services\/contracts$/), 2);
  });

  it('keeps a failure, and says what it was, until forgotten; then asks again', async () => {
    emulator.faults.add({ path: '^/gen02/bots$', status: 403, times: 1 });
    await assert.rejects(data.listBots('s', 'gen02'), /403/);
    await assert.rejects(data.listBots('s', 'gen02'), /403/);
    assert.equal(calls(/^\/gen02\/bots$/), 1);
    assert.match(String(data.botsFailure('s', 'gen02')), /403/);
    assert.equal(data.botsFailure('s', 'gen01'), undefined);
    data.forget('s/gen02');
    assert.equal(data.botsFailure('s', 'gen02'), undefined);
    assert.equal((await data.listBots('s', 'gen02')).length, botsPerContract);
  });

  it('lists every contract\'s BOTs with bounded parallelism, and says which failed', async () => {
    emulator.faults.add({ path: '^/gen05/bots$', status: 403 });
    const all = await data.listAllBots('s');
    assert.equal(all.length, contracts);
    const failed = all.filter((entry) => !entry.bots.ok).map((entry) => entry.contract.public_id);
    assert.deepEqual(failed, ['gen05']);
    assert.ok(all.filter((entry) => entry.bots.ok).every((entry) => entry.bots.ok && entry.bots.value.length === botsPerContract));
  });

  it('pages jobs newest first with "load more" until every job is reached, none twice', async () => {
    let list = await data.listJobs(key);
    assert.equal(list.jobs.length, JOB_PAGE_SIZE);
    assert.ok(list.more);
    while (list.more) list = await data.loadMoreJobs(key);
    assert.equal(list.jobs.length, jobsPerBot);
    assert.equal(new Set(list.jobs.map((job) => job.job_id)).size, jobsPerBot);
    const starts = list.jobs.map((job) => Date.parse(job.start_time!));
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest first');
    assert.equal(calls(/\/bots\/bot_0007\/jobs$/), Math.ceil((jobsPerBot + 1) / JOB_PAGE_SIZE));
  });

  it('lists a job seen elsewhere where its BOT\'s jobs are shown, in the state the store has', async () => {
    const before = (await data.listJobs(key)).jobs.length;
    const running = { job_id: 'zzzz', bot_id: key.botId, status: 2 };
    store.seen(key, running);
    assert.equal(data.include(key, 'zzzz'), true);
    assert.equal(data.include(key, 'zzzz'), true, 'listed once');
    store.seen(key, { ...running, status: 0, elapsed_time: 3 });
    const list = await data.listJobs(key);
    assert.equal(list.jobs.length, before + 1);
    assert.deepEqual([list.jobs[0].job_id, list.jobs[0].status, list.jobs[0].elapsed_time], ['zzzz', 0, 3]);
    assert.equal(data.include({ ...key, botId: 'bot_0008' }, 'zzzz'), false, 'nothing to list where no jobs are loaded');
  });

  it('feeds every page of jobs to the store', async () => {
    const list = await data.listJobs(key);
    for (const job of list.jobs) assert.equal(store.get({ sessionId: key.sessionId, publicId: key.publicId, jobId: job.job_id })?.job, job);
  });
});
