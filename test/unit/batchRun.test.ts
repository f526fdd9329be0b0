// Batch runs against the emulator over real HTTP: rows run a bounded number at once, a bad row fails
// alone, a lost answer or a reload never sends a row twice, 429s slow the batch down, and the ledger on
// disk is what a later window resumes from.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRun, expectedRunMs, type PreparedRow } from '../../src/core/batch/batchRun';
import { FileLedgerStore } from '../../src/core/batch/fileLedgerStore';
import { newLedger, type BatchLedger, type LedgerRow, type LedgerStore } from '../../src/core/batch/ledger';
import { CloudBotClient } from '../../src/core/client';
import { JobStore } from '../../src/core/jobStore';
import { startEmulator, type RunningEmulator } from '../emulator';
import { eventually, fixtureWithEchoBot } from '../emulator/testing';

/** Keeps copies, as a file would: later changes to the live ledger do not reach what was saved. */
class MemoryLedgerStore implements LedgerStore {
  readonly saved = new Map<string, string>();
  saves = 0;
  async save(ledger: BatchLedger): Promise<void> {
    this.saves++;
    this.saved.set(ledger.id, JSON.stringify(ledger));
  }
  async load(id: string): Promise<BatchLedger | undefined> {
    const text = this.saved.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as BatchLedger);
  }
  async list(): Promise<string[]> {
    return [...this.saved.keys()];
  }
  async remove(id: string): Promise<void> {
    this.saved.delete(id);
  }
}

describe('expectedRunMs', () => {
  it('takes nothing from fewer than three rows, run times within a second as the longest, and others as the shortest', () => {
    assert.equal(expectedRunMs([]), undefined);
    assert.equal(expectedRunMs([2_000, 2_000]), undefined);
    // Whole seconds: 2 s runs that the server called 1 s once are still 2 s runs.
    assert.equal(expectedRunMs([2_000, 1_000, 2_000]), 2_000);
    assert.equal(expectedRunMs([0, 0, 0]), 0);
    // Runs that really differ: a row is never first asked for after the shortest.
    assert.equal(expectedRunMs([1_000, 2_000, 3_000]), 1_000);
    assert.equal(expectedRunMs([60_000, 5_000, 58_000]), 5_000);
  });
});

describe('BatchRun against the emulator', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let store: JobStore;
  let ledgers: MemoryLedgerStore;
  const runs: BatchRun[] = [];
  const sessionId = 's1';

  const clientOf = (emu: RunningEmulator) => {
    const token = emu.tokens.find((t) => ['refer', 'execute', 'suspend'].every((p) => t.permissions.includes(p)))!;
    return new CloudBotClient({
      apiBaseUrl: emu.apiBaseUrl,
      language: 'en',
      credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
      retry: { retries: 5, baseDelayMs: 10, maxDelayMs: 50 },
    });
  };
  const posts = (emu = emulator) => emu.requests.filter((r) => r.method === 'POST' && r.origin === 'api');
  const asInput = async (row: LedgerRow): Promise<PreparedRow> => ({ ok: true, input: { Message: String(row.cells.Message) } });

  function batch(botId: string, count: number, options: { concurrency?: number; prepare?: (row: LedgerRow) => Promise<PreparedRow>; on?: JobStore } = {}): BatchRun {
    const ledger = newLedger({ bot: { sessionId, publicId: 'example1', botId }, template: { input: {}, options: {} }, rowsSource: 'rows.csv', columns: ['Message'], rows: rowsOf(count) });
    const run = new BatchRun(ledger, { store: options.on ?? store, ledgers, prepare: options.prepare ?? asInput, concurrency: options.concurrency ?? 3, saveEveryMs: 10 });
    runs.push(run);
    return run;
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, fixture: fixtureWithEchoBot('slow', 1_200) });
  });
  after(() => emulator.close());
  beforeEach(() => {
    const client = clientOf(emulator);
    store = new JobStore(() => client);
    ledgers = new MemoryLedgerStore();
  });
  afterEach(() => {
    for (const run of runs.splice(0)) run.dispose();
    store.dispose();
    emulator.reset();
  });

  it('runs every row once, never more at once than its concurrency, and saves the outcome', async () => {
    const run = batch('slow', 7, { concurrency: 3 });
    let most = 0;
    run.onDidChange(() => (most = Math.max(most, run.counts.running)));
    await run.start();
    await run.whenSettled();
    assert.equal(run.ledger.phase, 'done');
    assert.deepEqual(run.counts, { total: 7, done: 7, succeeded: 7, failed: 0, running: 0, pending: 0 });
    assert.equal(posts().length, 7);
    assert.equal(emulator.jobs().length, 7);
    assert.equal(most, 3);
    const saved = (await ledgers.load(run.ledger.id))!;
    assert.equal(saved.phase, 'done');
    assert.deepEqual(saved.rows.map((row) => row.state), Array(7).fill('succeeded'));
    assert.deepEqual(new Set(saved.rows.map((row) => row.jobId)).size, 7);
    assert.equal(saved.rows[4].outputSummary, 'Message: row 5');
  });

  it('fails a row with bad data alone, with its reason, and goes on with the others', async () => {
    const run = batch('echo', 4, {
      prepare: async (row) => (row.index === 1 ? { ok: false, reason: { code: 'badRow', problem: { code: 'wrongKind', line: row.line, item: 'Message', column: 'Message', kind: 'list' } } } : asInput(row)),
    });
    await run.start();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['succeeded', 'invalid', 'succeeded', 'succeeded']);
    assert.deepEqual(run.ledger.rows[1].reason, { code: 'badRow', problem: { code: 'wrongKind', line: 3, item: 'Message', column: 'Message', kind: 'list' } });
    assert.equal(posts().length, 3);
  });

  it('finds the job of a row whose execute answer was lost, and does not send it again', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
    const run = batch('echo', 3);
    await run.start();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['succeeded', 'succeeded', 'succeeded']);
    assert.equal(run.ledger.rows[0].reason?.code, 'recovered');
    assert.equal(posts().length, 3);
    assert.equal(emulator.jobs().length, 3);
  });

  it('resumes after a reload from the saved ledger: running rows are followed, a row in doubt is found, none is sent twice', async () => {
    const first = batch('slow', 6, { concurrency: 2 });
    await first.start();
    // Two jobs running fill the concurrency, so no execute is on its way.
    await eventually(() => (first.counts.done >= 1 && first.ledger.rows.filter((row) => row.state === 'running').length === 2) || undefined);
    // The window goes: nothing is followed any more, and one row's execute reached Cloud BOT unanswered.
    first.dispose();
    store.dispose();
    const saved = (await ledgers.load(first.ledger.id))!;
    const inDoubt = saved.rows.find((row) => row.state === 'pending')!;
    inDoubt.state = 'sending';
    inDoubt.sentAt = Date.now();
    await clientOf(emulator).executeBot('example1', 'slow', { input: { Message: String(inDoubt.cells.Message) } });
    const before = posts().length;

    const client = clientOf(emulator);
    store = new JobStore(() => client);
    const resumed = new BatchRun(saved, { store, ledgers, prepare: asInput, concurrency: 2, saveEveryMs: 10 });
    runs.push(resumed);
    await resumed.start();
    await resumed.whenSettled();
    assert.equal(resumed.ledger.phase, 'done');
    assert.equal(resumed.counts.succeeded, 6, JSON.stringify([resumed.ledger.phase, resumed.ledger.pausedFor, resumed.ledger.rows.map((r) => [r.state, r.reason])]));
    assert.equal(emulator.jobs().length, 6, 'one job per row');
    assert.equal(posts().length - before, 6 - 1 - 2 - first.ledger.rows.filter((row) => row.state === 'succeeded').length);
    assert.equal(resumed.ledger.rows[inDoubt.index].reason?.code, 'recovered');
  });

  it('closes once the execute on its way has its outcome saved, and saves nothing after', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/slow/jobs$', latencyMs: 300, times: 1 });
    const run = batch('slow', 3, { concurrency: 1 });
    await run.start();
    await run.close();
    const saved = (await ledgers.load(run.ledger.id))!;
    assert.equal(saved.rows[0].state, 'running');
    assert.equal(saved.rows[0].jobId, emulator.jobs()[0].job_id);
    const saves = ledgers.saves;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(ledgers.saves, saves, 'a closed run leaves the ledger to whoever takes it up');
    assert.equal(posts().length, 1);
  });

  it('keeps what the server echoes of a row without the values its variables resolved to', async () => {
    const run = new BatchRun(newLedger({ bot: { sessionId, publicId: 'example1', botId: 'echo' }, template: { input: {}, options: {} }, rowsSource: 'rows.csv', columns: ['Message'], rows: rowsOf(1) }), {
      store,
      ledgers,
      prepare: async () => ({ ok: true, input: { Message: 'user / hunter2' } }),
      redact: (text) => text.replace('hunter2', '••••'),
      concurrency: 1,
      saveEveryMs: 10,
    });
    runs.push(run);
    await run.start();
    await run.whenSettled();
    assert.equal(run.ledger.rows[0].outputSummary, 'Message: user / ••••');
    assert.ok(![...ledgers.saved.values()].some((text) => text.includes('hunter2')));
  });

  it('leaves a row in doubt unsent when its job cannot be found, until the user runs it again', async () => {
    const ledger = newLedger({ bot: { sessionId, publicId: 'example1', botId: 'echo' }, template: { input: {}, options: {} }, rowsSource: 'rows.csv', columns: ['Message'], rows: rowsOf(2) });
    Object.assign(ledger.rows[0], { state: 'sending', sentAt: Date.now() });
    const run = new BatchRun(ledger, { store, ledgers, prepare: asInput, concurrency: 2, saveEveryMs: 10 });
    runs.push(run);
    await run.start();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['unanswered', 'succeeded']);
    assert.equal(posts().length, 1);
    await run.rerunFailed();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['succeeded', 'succeeded']);
    assert.equal(posts().length, 2);
  });

  it('slows down on 429s, honouring Retry-After, and still runs every row once', async () => {
    const limited = await startEmulator({ port: 0, fixture: { ...fixtureWithEchoBot('slow', 1_200), requestRateLimit: { requestsPerSecond: 3 } } });
    const client = clientOf(limited);
    const limitedStore = new JobStore(() => client);
    try {
      const run = batch('slow', 6, { concurrency: 4, on: limitedStore });
      await run.start();
      await run.whenSettled();
      assert.equal(run.counts.succeeded, 6, JSON.stringify([run.ledger.phase, run.ledger.pausedFor, run.ledger.rows.map((r) => [r.state, r.reason])]));
      assert.equal(limited.jobs().length, 6);
      const accepted = posts(limited).length - limited.requests.filter((r) => r.method === 'POST' && r.status === 429).length;
      assert.equal(accepted, 6);
      assert.ok(limited.requests.some((r) => r.status === 429), 'the limit was reached');
    } finally {
      limitedStore.dispose();
      await limited.close();
    }
  });

  it('polls a row\'s job first when it has run as long as the shortest of the last rows, as the server timed them', async () => {
    const run = batch('slow', 9, { concurrency: 3 });
    await run.start();
    await run.whenSettled();
    assert.equal(run.counts.succeeded, 9);
    const firstPollAfterSend = (row: LedgerRow) => {
      const firstPoll = emulator.requests.find((r) => r.method === 'GET' && r.path === `/example1/jobs/${row.jobId}`)!;
      return Date.parse(firstPoll.time) - row.sentAt!;
    };
    const [first, , , , , , ...last] = run.ledger.rows;
    // The first rows are polled every half second; once three rows ran 1 s (as the server says of a
    // 1.2 s job), a new row is first polled 1 s after it was sent.
    assert.ok(firstPollAfterSend(first) < 1_000, `${firstPollAfterSend(first)} ms`);
    for (const row of last) assert.ok(firstPollAfterSend(row) >= 1_000, `row ${row.index + 1}: ${firstPollAfterSend(row)} ms`);
    const gets = emulator.requests.filter((r) => r.method === 'GET' && r.origin === 'api').length;
    assert.ok(gets <= 9 * 3, `${gets} polls for 9 rows`);
  });

  it('stops: sends no more rows and suspends the running jobs when asked', async () => {
    const run = batch('long_running', 5, { concurrency: 2 });
    await run.start();
    await eventually(() => run.counts.running === 2 || undefined);
    await run.stop({ suspendRunning: true });
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['failed', 'failed', 'stopped', 'stopped', 'stopped']);
    assert.equal(posts().length, 2);
    assert.ok(emulator.jobs().every((job) => job.suspended));
  });

  it('pauses and resumes: no row is sent while paused', async () => {
    const run = batch('slow', 4, { concurrency: 1 });
    await run.start();
    run.pause();
    await run.whenSettled();
    assert.equal(run.ledger.phase, 'paused');
    assert.equal(posts().length, 1);
    run.resume();
    await eventually(() => run.ledger.phase === 'done' || undefined);
    assert.equal(posts().length, 4);
  });

  it('runs failed rows again as new jobs, keeping the earlier job', async () => {
    let attempt = 0;
    const run = batch('echo', 2, {
      prepare: async (row) => (row.index === 1 && attempt++ === 0 ? { ok: false, reason: { code: 'badInput', detail: 'no such variable' } } : asInput(row)),
    });
    await run.start();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['succeeded', 'invalid']);
    await run.rerunFailed();
    await run.whenSettled();
    assert.deepEqual(run.ledger.rows.map((row) => row.state), ['succeeded', 'succeeded']);
    assert.equal(posts().length, 2);
  });

  it('has each row\'s execute on disk before it leaves, and the whole ledger there once done', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cloudbot-ledgers-'));
    try {
      const files = new FileLedgerStore(folder);
      const ledger = newLedger({ bot: { sessionId, publicId: 'example1', botId: 'echo' }, template: { input: {}, options: {} }, rowsSource: 'rows.csv', columns: ['Message'], rows: rowsOf(3) });
      await files.save(ledger);
      // What a window that crashed as each execute left would read back.
      const seenByNextWindow: (string | undefined)[] = [];
      const execute = store.execute.bind(store);
      store.execute = async (...args) => {
        const kept = await new FileLedgerStore(folder).load(ledger.id);
        seenByNextWindow.push(kept?.rows.find((row) => row.state === 'sending')?.cells.Message as string | undefined);
        return execute(...args);
      };
      const run = new BatchRun(ledger, { store, ledgers: files, prepare: asInput, concurrency: 1, saveEveryMs: 10 });
      runs.push(run);
      await run.start();
      await run.whenSettled();
      assert.deepEqual(seenByNextWindow, ['row 1', 'row 2', 'row 3']);
      await run.close();
      assert.deepEqual(await new FileLedgerStore(folder).load(ledger.id), JSON.parse(JSON.stringify(run.ledger)));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

function rowsOf(count: number) {
  return Array.from({ length: count }, (_, i) => ({ line: i + 2, cells: { Message: `row ${i + 1}` } }));
}
