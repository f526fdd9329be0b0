// The benchmark's part inside VS Code's extension host (loaded like a test index by
// scripts/bench.mjs): activation, the explorer over 20 × 500 BOTs, following jobs, rendering a 3 MB
// output, 100 jobs followed at once, and (in a run of its own) batches of 1,000 rows, all against
// emulators on 127.0.0.1. Each figure is printed as a `CLOUDBOT_BENCH {json}` line; scripts/bench.mjs
// takes medians over runs and prints the table.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import { ExplorerData } from '../../src/core/explorerData';
import { nextPollDelayMs, watchJob } from '../../src/core/jobWatcher';
import { isFinished } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { RenderReport } from '../../src/webview/protocol';
import { generateFixture, startEmulator, type RunningEmulator } from '../emulator';
import type { EmulatorFixture } from '../emulator/fixture';
import type { RecordedRequest } from '../emulator/recorder';
import { fixtureWithEchoBot } from '../emulator/testing';
import { EXTENSION_ID, pointAt, signInWithEveryPermission } from '../integration/harness';

const RUNS = 5;

const report = (name: string, value: number, unit: string) => console.log(`CLOUDBOT_BENCH ${JSON.stringify({ name, value, unit })}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Points the extension at a fresh emulator, signed in afresh. */
async function point(api: CloudBotTestApi, emulator: Pick<RunningEmulator, 'apiBaseUrl' | 'oauthBaseUrl' | 'tokens'>): Promise<string> {
  await pointAt(emulator);
  for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
  return signInWithEveryPermission(api, emulator);
}

async function explorer(api: CloudBotTestApi): Promise<void> {
  const emulator = await startEmulator({ port: 0, fixture: generateFixture({ contracts: 20, botsPerContract: 500 }) });
  try {
    const sessionId = await point(api, emulator);
    for (const [label, parallelism] of [['bounded parallel (4)', 4], ['one by one', 1]] as const) {
      const firstLevel: number[] = [];
      const allBots: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const data = new ExplorerData((id) => api.cloudBot.clientFor(id), api.store);
        const started = performance.now();
        await data.listContracts(sessionId);
        firstLevel.push(performance.now() - started);
        const all = await data.listAllBots(sessionId, parallelism);
        allBots.push(performance.now() - started);
        if (all.length !== 20 || all.some((entry) => !entry.bots.ok || entry.bots.value.length !== 500)) throw new Error('the explorer did not load 20 × 500 BOTs');
      }
      if (parallelism === 4) report('explorer: refresh to the first level (20 contracts)', median(firstLevel), 'ms');
      report(`explorer: all 20 × 500 BOTs loaded, ${label}`, median(allBots), 'ms');
    }
  } finally {
    await emulator.close();
  }
}

/** A job of `durationMs` on the emulator, followed by the extension's poller or by a fixed 1 s poller. */
async function jobs(api: CloudBotTestApi): Promise<void> {
  const emulator = await startEmulator({ port: 0, fixture: fixtureWithEchoBot('five', 5_000) });
  try {
    const sessionId = await point(api, emulator);
    const client = api.cloudBot.clientFor(sessionId);
    const follow = async (fixed: boolean) => {
      const { job } = await client.executeBot('example1', 'five', { input: {} });
      if (fixed) {
        for (let current = job; !isFinished(current); current = await client.getJob('example1', job.job_id)) await sleep(1_000);
      } else {
        await watchJob(client, 'example1', job.job_id, { initial: job });
      }
      const seenAt = Date.now();
      const record = emulator.jobs().find((j) => j.job_id === job.job_id)!;
      const polls = emulator.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${job.job_id}`).length;
      return { lateMs: seenAt - Date.parse(record.end_time!), polls };
    };
    for (const fixed of [false, true]) {
      const runs = [];
      for (let run = 0; run < 3; run++) runs.push(await follow(fixed));
      const who = fixed ? 'fixed 1 s poller' : 'extension';
      report(`jobs: 5 s job, end seen after (${who})`, median(runs.map((r) => r.lateMs)), 'ms');
      report(`jobs: 5 s job, requests (${who})`, median(runs.map((r) => r.polls)), 'GETs');
    }
  } finally {
    await emulator.close();
  }
}

/** Longer jobs on a fake clock (10 minutes cannot be waited for), each poll costing `latencyMs`. */
function emulatedJobs(): void {
  const latencyMs = 20;
  for (const durationS of [60, 600]) {
    const durationMs = durationS * 1_000;
    // The same schedule watchJob follows (nextPollDelayMs from the job's start).
    for (const [who, delayAt] of [['extension', nextPollDelayMs], ['fixed 1 s poller', () => 1_000]] as const) {
      let clock = 0;
      let polls = 0;
      while (clock < durationMs) {
        clock += delayAt(clock) + latencyMs;
        polls++;
      }
      report(`jobs: ${durationS} s job, end seen after (${who})`, clock - durationMs, 'ms');
      report(`jobs: ${durationS} s job, requests (${who})`, polls, 'GETs');
    }
  }
}

async function results(api: CloudBotTestApi): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const sessionId = await point(api, emulator);
    const client = api.cloudBot.clientFor(sessionId);
    const { job: started } = await client.executeBot('example1', 'large_output', { input: {} });
    const job = await watchJob(client, 'example1', started.job_id, { initial: started });
    const renders: number[] = [];
    const stalls: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      const rendered = new Promise<RenderReport>((resolve) => {
        const listener = api.panels.onDidRender((r) => r.jobId === job.job_id && r.status === 0 && (listener.dispose(), resolve(r)));
      });
      api.store.seen({ sessionId, publicId: 'example1' }, job);
      api.panels.open({ sessionId, publicId: 'example1', jobId: job.job_id });
      await rendered;
      renders.push(performance.now() - started);
      delay.disable();
      stalls.push(delay.max / 1e6);
    }
    report('results: 3 MB output, panel opened to rendered', median(renders), 'ms');
    report('results: 3 MB output, longest extension host stall', median(stalls), 'ms');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await emulator.close();
  }
}

/** A full garbage collection, so that heap figures count what is kept, not what is waiting to be freed. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** How long the host must go without a full collection before a batch is measured, and the most it waits for that. */
const SETTLED_MS = 10_000;
const SETTLE_AT_MOST_MS = 45_000;

/**
 * A full collection, then a wait until the host has gone SETTLED_MS without another (bounded). A forced
 * collection has V8's memory reducer compact the whole heap about 8 s later, and again 8 s after that
 * while memory stays high: pauses of 75–140 ms that the bench itself causes, which belong before the
 * measure, not in it.
 */
async function collectGarbageAndSettle(): Promise<void> {
  let lastFullAt = performance.now();
  const isFull = (entry: PerformanceEntry) => (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR;
  const observer = new PerformanceObserver((list) => list.getEntries().some(isFull) && (lastFullAt = performance.now()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    collectGarbage();
    lastFullAt = performance.now();
    const until = lastFullAt + SETTLE_AT_MOST_MS;
    while (performance.now() < until && performance.now() - lastFullAt < SETTLED_MS) await sleep(500);
  } finally {
    observer.disconnect();
  }
}

async function hundredJobs(api: CloudBotTestApi): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const sessionId = await point(api, emulator);
    const client = api.cloudBot.clientFor(sessionId);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = await Promise.all(Array.from({ length: 100 }, () => client.executeBot('example1', 'long_running', { input: {} })));
    const stop = new AbortController();
    const following = started.map(({ job }) =>
      api.store.waitForEnd(api.store.seen({ sessionId, publicId: 'example1' }, job).ref, { signal: stop.signal }).catch(() => undefined),
    );
    // Jobs between 20 and 50 s old: the steady state of a batch that has been running a while.
    await sleep(20_000);
    const from = emulator.requests.length;
    await sleep(30_000);
    const gets = emulator.requests.slice(from).filter((r) => r.method === 'GET').length;
    report('100 jobs followed at once: requests to the server (jobs 20–50 s old)', gets / 30, 'per s');
    collectGarbage();
    // The emulator runs in this host too: its record of every request is part of the growth.
    report('100 jobs followed at once: extension host heap growth (emulator included)', (process.memoryUsage().heapUsed - heapBefore) / 1048576, 'MB');
    stop.abort();
    await Promise.all(following);
    // The same jobs polled once a second each, for comparison.
    const fixedFrom = emulator.requests.length;
    const until = Date.now() + 10_000;
    await Promise.all(started.map(async ({ job }) => {
      while (Date.now() < until) {
        await client.getJob('example1', job.job_id);
        await sleep(1_000);
      }
    }));
    const fixedGets = emulator.requests.slice(fixedFrom).filter((r) => r.method === 'GET').length;
    report('100 jobs followed at once: requests to the server, fixed 1 s poller', fixedGets / 10, 'per s');
    await Promise.all(started.map(({ job }) => client.suspendJob('example1', job.job_id)));
  } finally {
    await emulator.close();
  }
}

/** A batch's rows, a 2 s BOT each: the measure of batch runs (scripts/bench.mjs runs it once, apart). */
const BATCH_ROWS = 1_000;
/** Longer than the slowest batch (about 14 minutes under the rate limit): the emulator process never outlives the bench. */
const EMULATOR_LIFETIME_S = 30 * 60;
const BATCH_JOB_MS = 2_000;

/**
 * An emulator in a process of its own (out/test/emulator/cli.js), for the batch figures: in this host it
 * would add its own garbage collections to the extension's stalls and its records to the extension's heap.
 */
async function emulatorProcess(fixture: EmulatorFixture): Promise<Pick<RunningEmulator, 'apiBaseUrl' | 'oauthBaseUrl' | 'tokens'> & { requests(): Promise<RecordedRequest[]>; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudbot-bench-emulator-'));
  const fixtureFile = join(dir, 'fixture.json');
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  const cli = join(__dirname, '..', 'emulator', 'cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0', '--fixture', fixtureFile, '--max-lifetime-seconds', String(EMULATOR_LIFETIME_S)], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const handshake = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before its handshake`)));
    });
    const started = JSON.parse(handshake) as Pick<RunningEmulator, 'apiBaseUrl' | 'oauthBaseUrl' | 'tokens'>;
    // Its log lines are not read: drained, so that a full pipe never blocks it.
    child.stdout!.resume();
    const requests = async () => ((await (await fetch(`${started.apiBaseUrl}/_emulator/requests`)).json()) as { requests: RecordedRequest[] }).requests;
    return { ...started, requests, close };
  } catch (error) {
    close();
    throw error;
  }
}

async function batches(api: CloudBotTestApi): Promise<void> {
  for (const [label, concurrency, requestsPerSecond] of [
    ['concurrency 3', 3, undefined],
    ['concurrency 10', 10, undefined],
    ['concurrency 10, limit 5 requests/s', 10, 5],
  ] as const) {
    const fixture = { ...fixtureWithEchoBot('two_seconds', BATCH_JOB_MS), ...(requestsPerSecond ? { requestRateLimit: { requestsPerSecond } } : {}) };
    const emulator = await emulatorProcess(fixture);
    try {
      const sessionId = await point(api, emulator);
      await vscode.workspace.getConfiguration('cloudbot').update('batch.concurrency', concurrency, vscode.ConfigurationTarget.Global);
      const rows = Array.from({ length: BATCH_ROWS }, (_, i) => ({ line: i + 2, cells: { Message: `row ${i + 1}` } }));
      const ledger = await api.batches.create({ bot: { sessionId, publicId: 'example1', botId: 'two_seconds' }, template: { input: {}, options: {} }, rowsSource: 'bench.csv', columns: ['Message'], rows });
      await collectGarbageAndSettle();
      const heapBefore = process.memoryUsage().heapUsed;
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      // The garbage collections' pauses, to tell how much of the longest stall they are.
      const pauses: number[] = [];
      const collections = new PerformanceObserver((list) => pauses.push(...list.getEntries().map((entry) => entry.duration)));
      collections.observe({ entryTypes: ['gc'] });
      const started = performance.now();
      await api.batches.start(ledger.id);
      let heapPeak = 0;
      const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 1_000);
      await api.batches.runOf(ledger.id)!.whenSettled();
      clearInterval(sampler);
      const wallMs = performance.now() - started;
      delay.disable();
      pauses.push(...collections.takeRecords().map((entry) => entry.duration));
      collections.disconnect();
      const counts = api.batches.runOf(ledger.id)!.counts;
      if (counts.succeeded !== BATCH_ROWS) throw new Error(`the batch ended with ${counts.succeeded} of ${BATCH_ROWS} rows succeeded`);
      const apiRequests = (await emulator.requests()).filter((r) => r.origin === 'api');
      const refused = apiRequests.filter((r) => r.status === 429).length;
      const ideal = (BATCH_ROWS * BATCH_JOB_MS) / concurrency;
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: wall time`, wallMs / 1000, 's');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: wall time against the ideal (rows × 2 s / ${concurrency})`, wallMs / ideal, '×');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: requests per row`, (apiRequests.length - refused) / BATCH_ROWS, 'requests');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: 429s received`, refused, '');
      if (requestsPerSecond) report(`batch: 1,000 rows of a 2 s BOT, ${label}: requests answered per s against the limit`, (apiRequests.length - refused) / (wallMs / 1000) / requestsPerSecond, '×');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: extension host heap peak growth`, (heapPeak - heapBefore) / 1048576, 'MB');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: longest extension host stall`, delay.max / 1e6, 'ms');
      report(`batch: 1,000 rows of a 2 s BOT, ${label}: longest garbage collection pause`, Math.max(0, ...pauses), 'ms');
      await api.batches.remove(ledger.id);
    } finally {
      emulator.close();
    }
  }
}

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension<CloudBotTestApi>(EXTENSION_ID)!.activate())!;
  console.log('CLOUDBOT_TEST_START');
  report('activation: time in activate()', api.activationMs, 'ms');
  await vscode.workspace.getConfiguration('cloudbot').update('notifyWhenJobEnds', 'never', vscode.ConfigurationTarget.Global);
  if (process.env.CLOUDBOT_BENCH_PART === 'batches') {
    await batches(api);
    console.log(`CLOUDBOT_TEST_SUMMARY ${JSON.stringify({ passed: 1, failed: 0 })}`);
    return;
  }
  await explorer(api);
  await jobs(api);
  emulatedJobs();
  await results(api);
  await hundredJobs(api);
  console.log(`CLOUDBOT_TEST_SUMMARY ${JSON.stringify({ passed: 1, failed: 0 })}`);
}
