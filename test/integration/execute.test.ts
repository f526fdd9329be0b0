// Executing and following jobs inside the real VS Code, against the emulator (which records every
// request): each input source, options and callbacks, an answer lost after sending, polling cost,
// following again after a reload, and the result panel with a large output.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import { RENDER_REPORTS_KEPT } from '../../src/views/resultPanel';
import type { RenderReport } from '../../src/webview/protocol';
import type { RunningEmulator } from '../emulator';
import { callApi, eventually, fixtureWithEchoBot, startCallbackReceiver } from '../emulator/testing';
import { closeEditors, openJson, setUpSuite, tearDownSuite, type Suite } from './harness';

describe('executing BOTs and following their jobs', function () {
  this.timeout(90_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  const target = (botId: string) => ({ sessionId, publicId: 'example1', botId });
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api');
  const polls = (jobId: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${jobId}`);

  before(async () => {
    // A BOT that runs for 30 s, long enough for polling to back off.
    // And one that echoes its input in 0.3 s, for outputs of any shape.
    const fixture = fixtureWithEchoBot('slow', 30_000);
    const bots = (f: typeof fixture) => f.contracts.find((contract) => contract.publicId === 'example1')!.bots;
    bots(fixture).push(bots(fixtureWithEchoBot('quick', 300)).find((bot) => bot.id === 'quick')!);
    suite = await setUpSuite({ fixture, callbackRetryIntervalMs: 50 });
    ({ emulator, api, sessionId } = suite);
  });
  after(() => tearDownSuite(suite));
  beforeEach(async () => {
    emulator.reset();
    await closeEditors();
  });

  function rendered(jobId: string, accept: (report: RenderReport) => boolean): Promise<RenderReport> {
    const done = api.panels.panelOf({ sessionId, publicId: 'example1', jobId })?.renderReports.find(accept);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const listener = api.panels.onDidRender((report) => {
        if (report.jobId === jobId && accept(report)) {
          listener.dispose();
          resolve(report);
        }
      });
    });
  }

  it('executes a BOT that takes no input with {} when no editor is open', async () => {
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('all_outputs'));
    assert.equal(job?.status, 0);
    assert.deepEqual(posts().map((post) => post.body), [{ input: {} }]);
  });

  it('sends the options remembered for the BOT, and the callback reaches a local receiver', async () => {
    const receiver = await startCallbackReceiver([500]);
    try {
      await vscode.commands.executeCommand('cloudbot.setExecuteOptions', target('echo'), { callbackEndpoint: receiver.url, callbackTries: 2, timeout: 5000 });
      await openJson('{"Message": "with options"}');
      const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('echo'));
      assert.equal(job?.status, 0);
      assert.deepEqual(posts()[0].body, { input: { Message: 'with options' }, callback_endpoint: receiver.url, callback_tries: 2, timeout: 5000 });
      // The first attempt is answered 500, so the second one (of the two asked for) delivers the job.
      const [, second] = await receiver.waitFor(2);
      assert.equal((second.body as Job).job_id, job.job_id);
      assert.deepEqual((second.body as Job).output, { Message: 'with options' });
      // Options are kept with the secrets (a callback URL may carry a token), never in global state.
      const state = JSON.stringify(api.history.all());
      assert.ok(!state.includes(receiver.url));
    } finally {
      await vscode.commands.executeCommand('cloudbot.setExecuteOptions', target('echo'), {});
      await receiver.close();
    }
  });

  it('refuses input over 4 MB with its size, sending nothing', async () => {
    const editor = await openJson(JSON.stringify({ Message: 'x'.repeat(4_300_000) }));
    assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot', target('echo')), undefined);
    const [mark] = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Cloud BOT');
    assert.match(mark.message, /4\.1 MB/);
    assert.equal(posts().length, 0);
  });

  it('refuses options that are not usable, sending nothing', async () => {
    const saved = await vscode.commands.executeCommand('cloudbot.setExecuteOptions', target('echo'), { callbackEndpoint: 'http://hooks.example/cb' });
    assert.equal(saved, undefined);
    assert.equal(posts().length, 0);
  });

  it('follows the one job an execute created when its answer was lost, and never sends it twice', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/all_outputs/jobs$', drop: true, afterHandler: true, times: 1 });
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('all_outputs'));
    assert.equal(posts().length, 1, 'one POST');
    assert.equal(posts()[0].status, 0, 'its connection was dropped after the job was created');
    assert.equal(emulator.jobs().length, 1, 'one job');
    assert.equal(job?.job_id, emulator.jobs()[0].job_id);
    assert.equal(job?.output?.Summary, '2 items found');
  });

  it('reports an execute that failed before Cloud BOT created a job, with nothing retried', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/echo/jobs$', status: 503, times: 1 });
    await openJson('{}');
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('echo'));
    assert.equal(job, undefined);
    assert.equal(posts().length, 1);
    assert.equal(emulator.jobs().length, 0);
  });

  // Times are printed for the record (the benchmark measures them); the tests count requests.
  it('follows a short job with a handful of requests', async () => {
    await openJson('{"Message": "short"}');
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('echo'));
    const lateMs = Date.now() - Date.parse(emulator.jobs()[0].end_time!);
    console.log(`      short job (0.3 s): ${posts().length} POST + ${polls(job.job_id).length} GETs, end seen ${lateMs} ms after it ended`);
    assert.ok(polls(job.job_id).length <= 3, `${polls(job.job_id).length} GETs`);
  });

  it('polls a 30-second job fewer times than a once-a-second poller would', async () => {
    await openJson('{}');
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('slow'));
    assert.equal(job.status, 0);
    const lateMs = Date.now() - Date.parse(emulator.jobs()[0].end_time!);
    console.log(`      long job (30 s): ${posts().length} POST + ${polls(job.job_id).length} GETs, end seen ${lateMs} ms after it ended`);
    assert.ok(polls(job.job_id).length < 30, `${polls(job.job_id).length} GETs`);
  });

  it('keeps running jobs across a reload: follows them again from the history', async () => {
    await openJson('{}');
    const first = vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', target('long_running'));
    const running = await eventually(() => emulator.jobs().find((j) => j.status === 2));
    const ref = { sessionId, publicId: 'example1', jobId: running.job_id };
    await eventually(() => api.store.get(ref)?.watching || undefined);
    // What a window reload does to the job store: it forgets every job, and the history it wrote stays.
    api.store.forgetAccount(sessionId);
    assert.equal(await first, undefined);
    assert.equal(api.history.get(running.job_id)?.status, 2);
    const before = polls(running.job_id).length;
    await api.resumeJobs();
    assert.ok(api.store.get(ref)?.watching);
    assert.equal(api.store.get(ref)?.interests.follow, 1);
    await eventually(() => polls(running.job_id).length > before || undefined);
    await vscode.commands.executeCommand('cloudbot.suspendJob', { sessionId, reference: `example1/${running.job_id}`, confirm: false });
    await eventually(() => (api.history.get(running.job_id)?.status === 1 && !api.store.get(ref)?.watching) || undefined);
  });

  it('suspends a running job from its result panel\'s state, and reports 410 as already finished', async () => {
    await openJson('{}');
    const execution = vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', target('long_running'));
    const running = await eventually(() => emulator.jobs().find((j) => j.status === 2));
    await rendered(running.job_id, (report) => report.status === 2);
    const reference = `example1/${running.job_id}`;
    await vscode.commands.executeCommand('cloudbot.suspendJob', { sessionId, reference, confirm: false });
    assert.equal((await execution)?.status, 1);
    await rendered(running.job_id, (report) => report.status === 1);
    assert.equal(await vscode.commands.executeCommand('cloudbot.suspendJob', { sessionId, reference, confirm: false }), undefined);
    assert.equal(emulator.requests.filter((r) => r.method === 'DELETE').at(-1)?.status, 410);
  });

  it('closes a result panel while its job runs and a post to it is pending, with no rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await openJson('{}');
      const execution = vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', target('long_running'));
      const running = await eventually(() => emulator.jobs().find((j) => j.status === 2));
      await rendered(running.job_id, (report) => report.status === 2);
      const ref = { sessionId, publicId: 'example1', jobId: running.job_id };
      // Another interest changes the job's entry, so the panel starts posting it; it closes before the post goes.
      const row = api.store.interest(ref, 'row');
      api.panels.panelOf(ref)?.dispose();
      row.dispose();
      // The job goes on after the close: its end reaches the store, and nothing reaches the closed panel.
      await vscode.commands.executeCommand('cloudbot.suspendJob', { sessionId, reference: `example1/${running.job_id}`, confirm: false });
      assert.equal((await execution)?.status, 1);
      // Unhandled rejections are reported after the microtasks that could handle them.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(rejections.map(String), []);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('pages a long file list, and shows the first columns of a table too wide to read', async () => {
    const files = Array.from({ length: 1_000 }, (_, n) => ({ ref: `r${n}`, meta: { name: `file-${n}.txt`, size: n, timestamp: 1_700_000_000 } }));
    const row = Object.fromEntries(Array.from({ length: 150 }, (_, n) => [`Column ${n}`, n]));
    await openJson(JSON.stringify({ Files: { type: 'files', files }, Wide: [row, row] }));
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('quick'));
    const report = await rendered(job.job_id, (r) => r.status === 0);
    assert.equal(report.fileRows, 200, 'the first 200 files, the rest a click away');
    assert.deepEqual([report.tables, report.tableRows], [1, 2]);
    assert.equal(report.truncatedItems, 1, 'the note that only the first 100 of 150 columns are shown');
  });

  it('opens a result panel that renders group rows as a table and files with their details', async () => {
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('all_outputs'));
    const report = await rendered(job.job_id, (r) => r.status === 0);
    assert.equal(report.tables, 1);
    assert.equal(report.tableRows, 2);
    assert.equal(report.fileRows, 2, 'the two report files');
    assert.equal(report.listItems, 2);
    assert.equal(report.textItems, 2);
    assert.equal(api.history.get(job.job_id)?.status, 0);
  });

  it('renders a 3 MB output truncated, with the whole of it a click away', async () => {
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('large_output'));
    assert.equal((job.output?.['Large text'] as string).length, 3_145_728);
    const report = await rendered(job.job_id, (r) => r.status === 0);
    assert.equal(report.truncatedItems, 1);
    console.log(`      3 MB output rendered in ${Math.round(report.renderMs)} ms`);
  });

  it('keeps the last render reports of a panel, not one for every render since it opened', async () => {
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', target('all_outputs'));
    const ref = { sessionId, publicId: 'example1', jobId: job.job_id };
    await rendered(job.job_id, (r) => r.status === 0);
    // Each new elapsed time is a change the panel shows, like a poll of a running job.
    for (let change = 1; change <= RENDER_REPORTS_KEPT + 10; change++) {
      const next = new Promise<void>((resolve) => {
        const listener = api.panels.onDidRender((report) => report.jobId === job.job_id && (listener.dispose(), resolve()));
      });
      api.store.seen(ref, { ...job, elapsed_time: 1000 + change });
      await next;
    }
    assert.equal(api.panels.panelOf(ref)?.renderReports.length, RENDER_REPORTS_KEPT);
  });

  it('refers to a job started elsewhere and shows it in a panel', async () => {
    const { body: started } = await callApi<Job>(emulator.apiBaseUrl, 'POST', '/example1/bots/echo/jobs', { credentials: emulator.tokens[0], body: { input: { Message: 'elsewhere' } } });
    const job = await vscode.commands.executeCommand<Job>('cloudbot.referJob', { sessionId, reference: `${emulator.apiBaseUrl}/example1/jobs/${started.job_id}` });
    assert.deepEqual(job.output, { Message: 'elsewhere' });
    await rendered(started.job_id, (r) => r.status === 0 && r.textItems === 1);
  });
});
