// The job store against the emulator over real HTTP: one watcher per running job however many are
// interested, the watcher stops with the last interest, an end seen by any path reaches every
// listener once, and executing never sends twice.
import * as assert from 'node:assert/strict';
import { CloudBotClient } from '../../src/core/client';
import { ExecutionUnanswered, JobStore, StoppedWaiting, type JobChange } from '../../src/core/jobStore';
import type { JobRef } from '../../src/core/refs';
import { startEmulator, type RunningEmulator } from '../emulator';
import { eventually, fixtureWithEchoBot } from '../emulator/testing';

describe('JobStore against the emulator', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let client: CloudBotClient;
  let store: JobStore;
  let changes: JobChange[];
  const sessionId = 's1';
  const bot = (botId: string) => ({ sessionId, publicId: 'example1', botId });
  const polls = (jobId: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${jobId}`).length;
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;

  before(async () => {
    emulator = await startEmulator({ port: 0, fixture: fixtureWithEchoBot('slow', 1_500) });
  });
  after(() => emulator.close());
  beforeEach(() => {
    const token = emulator.tokens.find((t) => ['refer', 'execute', 'suspend'].every((p) => t.permissions.includes(p)))!;
    client = new CloudBotClient({
      apiBaseUrl: emulator.apiBaseUrl,
      language: 'en',
      credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
      retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 },
    });
    store = new JobStore(() => client);
    changes = [];
    store.onDidChange((change) => changes.push(change));
  });
  afterEach(() => {
    store.dispose();
    emulator.reset();
  });

  it('runs a BOT to its end with one POST, and tells listeners of the end once', async () => {
    const job = await store.run(bot('echo'), { input: { Message: 'hi' } });
    assert.equal(job.status, 0);
    assert.deepEqual(job.output, { Message: 'hi' });
    assert.equal(posts(), 1);
    const ends = changes.filter((c) => c.ended);
    assert.equal(ends.length, 1);
    assert.equal(ends[0].entry.job.job_id, job.job_id);
    assert.equal(ends[0].entry.mine, true);
    assert.equal(store.get({ sessionId, publicId: 'example1', jobId: job.job_id })?.watching, false);
  });

  it('tells listeners of a start once, for a job executed here, and of no start for a job only looked at', async () => {
    const { ref } = await store.execute(bot('echo'), { input: {} });
    await store.waitForEnd(ref);
    const referred = await store.refer({ ...ref, jobId: (await client.executeBot('example1', 'echo', { input: {} })).job.job_id });
    assert.ok(changes.some((c) => c.entry.job.job_id === referred.job_id));
    assert.deepEqual(changes.filter((c) => c.started).map((c) => c.entry.job.job_id), [ref.jobId]);
  });

  it('polls a running job with one watcher however many are interested', async () => {
    const { ref } = await store.execute(bot('slow'), { input: {} });
    const row = store.interest(ref, 'row');
    const panel = store.interest(ref, 'panel');
    const [a, b] = await Promise.all([store.waitForEnd(ref), store.waitForEnd(ref, { kind: 'tool' })]);
    assert.equal(a, b);
    assert.equal(a.status, 0);
    // A 1.5 s job polled every 0.5 s: about four GETs for all four interests, not four times as many.
    assert.ok(polls(ref.jobId) <= 5, `${polls(ref.jobId)} polls`);
    assert.equal(changes.filter((c) => c.ended).length, 1);
    row.dispose();
    panel.dispose();
  });

  it('tells listeners of every interest taken or given up, also on a job already watched', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const panel = store.interest(ref, 'panel');
    const follows: number[] = [];
    store.onDidChange(({ entry }) => follows.push(entry.interests.follow));
    const controller = new AbortController();
    const waiting = store.waitForEnd(ref, { signal: controller.signal }).catch(() => undefined);
    controller.abort();
    await waiting;
    assert.deepEqual(follows, [1, 0]);
    panel.dispose();
    await store.suspend(ref);
  });

  it('stops the watcher when the last interest goes, and starts it again with a new one', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const row = store.interest(ref, 'row');
    const panel = store.interest(ref, 'panel');
    assert.equal(store.get(ref)?.watching, true);
    row.dispose();
    assert.equal(store.get(ref)?.watching, true, 'the panel still wants it');
    panel.dispose();
    panel.dispose(); // disposing twice counts once
    assert.equal(store.get(ref)?.watching, false);
    const before = polls(ref.jobId);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(polls(ref.jobId), before, 'nothing polls a job nobody is interested in');
    const again = store.interest(ref, 'row');
    assert.equal(store.get(ref)?.watching, true);
    again.dispose();
    await store.suspend(ref);
  });

  it('holds a batch job\'s first poll back by its expected run time, until somebody wants the job promptly', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const controller = new AbortController();
    const waiting = store.waitForEnd(ref, { kind: 'batch', expectedRunMs: 60_000, signal: controller.signal }).catch((error: unknown) => error);
    const row = store.interest(ref, 'row');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(polls(ref.jobId), 0, 'a batch and a tree row wait for the expected run time');
    const panel = store.interest(ref, 'panel');
    // A panel has it polled at the usual cadence.
    await eventually(() => polls(ref.jobId) || undefined, 2_000);
    panel.dispose();
    row.dispose();
    controller.abort();
    assert.ok((await waiting) instanceof StoppedWaiting);
    await store.suspend(ref);
  });

  it('sees an end from a suspension: waiters and listeners hear of it at once, and polling stops', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const waiting = store.waitForEnd(ref);
    const row = store.interest(ref, 'row');
    await eventually(() => polls(ref.jobId) > 0 || undefined);
    const suspended = await store.suspend(ref);
    assert.equal(suspended.status, 1);
    assert.equal((await waiting).status, 1);
    assert.equal(store.get(ref)?.watching, false);
    const ends = changes.filter((c) => c.ended);
    assert.equal(ends.length, 1);
    // Seen again (a list page, a late poll): no second end.
    store.seen(ref, { ...suspended });
    await store.refer(ref);
    assert.equal(changes.filter((c) => c.ended).length, 1);
    row.dispose();
  });

  it('gives up waiting when cancelled, leaving the job running', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const controller = new AbortController();
    const waiting = store.waitForEnd(ref, { signal: controller.signal });
    assert.equal(store.get(ref)?.interests.follow, 1);
    controller.abort();
    await assert.rejects(waiting, StoppedWaiting);
    assert.equal(store.get(ref)?.watching, false);
    assert.equal(store.get(ref)?.interests.follow, 0);
    assert.equal((await store.refer(ref)).status, 2);
    await store.suspend(ref);
  });

  it('fetches a job it does not know, and rejects waiters of a job that does not exist', async () => {
    const missing: JobRef = { sessionId, publicId: 'example1', jobId: '00000000-0000-7000-8000-000000000000' };
    await assert.rejects(store.waitForEnd(missing), (error: { status?: number }) => error.status === 404);
    assert.equal(store.get(missing), undefined);
  });

  it('asks once for a job however many refer to it at the same time', async () => {
    const { ref } = await store.execute(bot('echo'), { input: {} });
    const before = polls(ref.jobId);
    const [a, b, c] = await Promise.all([store.refer(ref), store.refer(ref), store.refer(ref)]);
    assert.ok(a === b && b === c);
    assert.equal(polls(ref.jobId), before + 1);
  });

  it('takes list pages in without firing for jobs that did not change', async () => {
    const { ref } = await store.execute(bot('echo'), { input: {} });
    const done = await store.waitForEnd(ref);
    const count = changes.length;
    store.seenAll(ref, [{ ...done, output: undefined }]);
    assert.equal(changes.length, count);
    assert.deepEqual(store.get(ref)?.job.output, done.output, 'a page without output keeps the output known');
  });

  it('finds the job of an execute whose answer was lost instead of executing again', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
    const started = await store.execute(bot('echo'), { input: {} });
    assert.equal(started.recovered, true);
    assert.equal(posts(), 1);
    assert.equal((await store.waitForEnd(started.ref)).status, 0);
  });

  it('says an unanswered execute cannot be matched when the job it started is known already', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
    const known = new JobStore(() => client, { knownElsewhere: () => true });
    try {
      await assert.rejects(known.execute(bot('echo'), { input: {} }), (error: unknown) => error instanceof ExecutionUnanswered && error.candidates === 0);
      assert.equal(posts(), 1);
    } finally {
      known.dispose();
    }
  });

  it('forgets an account: its watchers stop and its waiters give up', async () => {
    const { ref } = await store.execute(bot('long_running'), { input: {} });
    const waiting = store.waitForEnd(ref);
    store.forgetAccount(sessionId);
    await assert.rejects(waiting, StoppedWaiting);
    assert.equal(store.get(ref), undefined);
    await store.suspend(ref);
  });
});
