// Comparing and chaining jobs inside a real VS Code, against the emulator's echo BOT (its output is its
// input): a diff editor of two jobs' canonical JSON, Use Output as Input…, and Save Output as JSON….
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { watchJob } from '../../src/core/jobWatcher';
import { comparedJobText, normalisedJson } from '../../src/core/normalisedJson';
import { readTable } from '../../src/core/tables/readTable';
import type { JobRef } from '../../src/core/refs';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import { closeEditors, recordShown, setUpSuite, tearDownSuite, type Suite } from './harness';

describe('comparing and chaining jobs', function () {
  this.timeout(60_000);
  let api: CloudBotTestApi;
  let sessionId: string;
  let suite: Suite;
  let yesterday: Job;
  let today: Job;

  before(async () => {
    suite = await setUpSuite();
    ({ api, sessionId } = suite);
    yesterday = await finishedJob('echo', { Message: 'the site as it was' });
    today = await finishedJob('echo', { Message: 'the site changed' });
  });

  after(() => tearDownSuite(suite));
  afterEach(() => closeEditors());

  /** Executes the BOT through the API client (so the extension's store does not know the job) and waits for its end. */
  async function finishedJob(botId: string, input: Record<string, unknown>): Promise<Job> {
    const client = api.cloudBot.clientFor(sessionId);
    const started = await client.executeBot('example1', botId, { input });
    return watchJob(client, 'example1', started.job.job_id, { initial: started.job });
  }

  const ref = (job: Job): JobRef => ({ sessionId, publicId: 'example1', jobId: job.job_id });

  /** The open diff editor's two sides, as their documents' text. */
  async function shownDiff(): Promise<{ label: string; left: vscode.Uri; leftText: string; rightText: string }> {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is active');
    const { original, modified } = tab.input;
    const text = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();
    return { label: tab.label, left: original, leftText: await text(original), rightText: await text(modified) };
  }

  it('compares a job with the previous run of its BOT, which it finds in the BOT\'s job list', async () => {
    const compared = await vscode.commands.executeCommand<JobRef[]>('cloudbot.compareWithPrevious', { target: ref(today) });
    assert.deepEqual(compared, [ref(yesterday), ref(today)]);
    const diff = await shownDiff();
    assert.equal(diff.leftText, comparedJobText(yesterday));
    assert.equal(diff.rightText, comparedJobText(today));
    assert.match(diff.leftText, /"Message": "the site as it was"/);
    assert.match(diff.rightText, /"Message": "the site changed"/);
    assert.equal(diff.left.path, `/example1/${yesterday.job_id} output.json`);
    assert.equal(diff.label, `Echo BOT ${yesterday.job_id} ↔ ${today.job_id}`);
  });

  it('offers Compare… (with the previous run, select, with the selected job) and Re-run as buttons of finished jobs in Show Jobs', async () => {
    // Jobs executed from VS Code, so that Show Jobs lists them (a BOT that takes no input runs without asking).
    const bot = { sessionId, publicId: 'example1', botId: 'all_outputs' };
    const first = (await vscode.commands.executeCommand<Job>('cloudbot.executeBot', bot))!;
    const executed = (await vscode.commands.executeCommand<Job>('cloudbot.executeBot', bot))!;
    const shown = recordShown();
    try {
      await vscode.commands.executeCommand('cloudbot.showJobs');
    } finally {
      shown.restore();
    }
    type JobButton = vscode.QuickInputButton & { run(ref: JobRef): Promise<unknown> };
    const buttonsOf = (job: Job) => (shown.picks[0].find((pick) => pick.detail?.includes(job.job_id))!.buttons ?? []) as JobButton[];
    assert.deepEqual(buttonsOf(executed).map((button) => button.tooltip), ['Compare…', 'Re-run Job']);

    /** Presses a job's Compare… button and picks `label`; resolves to the labels that were offered. */
    const compareBy = async (job: Job, label: string): Promise<string[]> => {
      const answered = recordShown({ pick: label });
      try {
        await buttonsOf(job)[0].run(ref(job));
      } finally {
        answered.restore();
      }
      return answered.picks[0].map((item) => item.label);
    };
    assert.deepEqual(await compareBy(executed, 'Compare with Previous Run'), ['Compare with Previous Run', 'Select for Compare']);
    assert.match((await shownDiff()).label, new RegExp(`↔ ${executed.job_id}$`));
    await compareBy(first, 'Select for Compare');
    assert.deepEqual(await compareBy(executed, 'Compare with Selected'), ['Compare with Previous Run', 'Select for Compare', 'Compare with Selected']);
    assert.match((await shownDiff()).label, new RegExp(`${first.job_id} ↔ ${executed.job_id}$`));
  });

  it('shows a failed previous run with its message, and says when there is no earlier run', async () => {
    const seeded = await api.cloudBot.clientFor(sessionId).listJobs('example1', 'echo', { sort_order: 'asc', limit: 3 });
    const [first, failed, third] = seeded;
    await vscode.commands.executeCommand('cloudbot.compareWithPrevious', ref(third));
    const diff = await shownDiff();
    assert.equal(JSON.parse(diff.leftText).status, 1);
    assert.equal(JSON.parse(diff.leftText).message, failed.message);
    const shown = recordShown();
    try {
      assert.equal(await vscode.commands.executeCommand('cloudbot.compareWithPrevious', ref(first)), undefined);
      assert.deepEqual(shown.messages, [`Echo BOT has no finished job before job ${first.job_id} to compare with.`]);
    } finally {
      shown.restore();
    }
  });

  it('compares a job selected for compare with another one', async () => {
    await vscode.commands.executeCommand('cloudbot.selectForCompare', { target: ref(today) });
    const compared = await vscode.commands.executeCommand<JobRef[]>('cloudbot.compareWithSelected', ref(yesterday));
    assert.deepEqual(compared, [ref(today), ref(yesterday)]);
    const diff = await shownDiff();
    assert.equal(diff.leftText, comparedJobText(today));
    assert.equal(diff.rightText, comparedJobText(yesterday));
  });

  it('refuses to compare a job that still runs', async () => {
    const client = api.cloudBot.clientFor(sessionId);
    const running = (await client.executeBot('example1', 'long_running', { input: { Message: 'x' } })).job;
    const shown = recordShown();
    try {
      assert.equal(await vscode.commands.executeCommand('cloudbot.compareWithPrevious', ref(running)), undefined);
      assert.deepEqual(shown.messages, [`Job ${running.job_id} is still running; try again when it ends.`]);
    } finally {
      shown.restore();
      await client.suspendJob('example1', running.job_id);
    }
  });

  it('makes a new input file for a BOT from a job\'s output items of the same name', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.useOutputAsInput', ref(today), { sessionId, publicId: 'example1', botId: 'echo' });
    try {
      const file = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
      assert.deepEqual(file.bot, { contract: 'example1', id: 'echo', name: 'Echo BOT' });
      assert.deepEqual(file.input, { Message: 'the site changed' });
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('saves a job\'s output as canonical JSON', async () => {
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'today.json');
    const saved = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.exportJobOutput', ref(today), 'json', target);
    try {
      assert.equal(saved?.toString(), target.toString());
      assert.equal(Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8'), normalisedJson(today.output));
    } finally {
      await vscode.workspace.fs.delete(target);
    }
  });

  it('saves a table output as CSV for Excel and as .xlsx, with the group\'s own columns', async () => {
    const job = await finishedJob('all_outputs', {});
    const folder = vscode.workspace.workspaceFolders![0].uri;
    for (const format of ['csv', 'xlsx']) {
      const target = vscode.Uri.joinPath(folder, `items.${format}`);
      await vscode.commands.executeCommand('cloudbot.exportJobOutput', ref(job), format, target, 'Items');
      try {
        const read = await readTable(await vscode.workspace.fs.readFile(target), `items.${format}`);
        assert.ok(read.ok, format);
        assert.deepEqual(read.table.columns, ['Item name', 'Price', 'Tags', 'Image'], format);
        assert.deepEqual(read.table.rows.map((row) => row.cells['Item name']), ['Cheesecake', 'Strawberry tart'], format);
      } finally {
        await vscode.workspace.fs.delete(target);
      }
    }
  });
});
