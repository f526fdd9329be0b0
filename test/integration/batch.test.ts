// Batch runs inside the real VS Code against the emulator: a Shift_JIS CSV (as Japanese Excel writes it)
// runs to its end and is exported, and the CSV opens back with the same Japanese text; a bad row fails
// alone; a lost execute answer is found, not sent again; a template's secrets resolve and are found
// nowhere afterwards; the ledger on disk is what a later window takes up.
import * as assert from 'node:assert/strict';
import * as iconv from 'iconv-lite';
import * as vscode from 'vscode';
import type { BatchLedger } from '../../src/core/batch/ledger';
import { readTable } from '../../src/core/tables/readTable';
import type { CloudBotTestApi } from '../../src/extension';
import type { RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { closeEditors, outputLog, setUpSuite, tearDownSuite, type Suite } from './harness';

describe('batch runs', function () {
  this.timeout(120_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const target = (botId: string) => ({ sessionId, publicId: 'example1', botId });
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api');
  const write = async (name: string, bytes: Uint8Array | string) => {
    const uri = vscode.Uri.joinPath(folder(), name);
    await vscode.workspace.fs.writeFile(uri, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    return uri;
  };
  const batchOver = (bot: ReturnType<typeof target> | vscode.Uri, rows: vscode.Uri) => vscode.commands.executeCommand<BatchLedger | undefined>('cloudbot.executeForEachRow', bot, rows);
  async function runToEnd(ledger: BatchLedger): Promise<BatchLedger> {
    assert.equal(await api.batches.start(ledger.id), true);
    await api.batches.runOf(ledger.id)!.whenSettled();
    return (await api.batches.get(ledger.id))!;
  }

  before(async () => {
    suite = await setUpSuite();
    ({ emulator, api, sessionId } = suite);
  });
  after(() => tearDownSuite(suite));
  beforeEach(async () => {
    emulator.reset();
    await closeEditors();
  });

  it('runs a Shift_JIS CSV to its end, one job per row, and exports it as CSV that reads back with the same Japanese text', async () => {
    const names = ['山田太郎', '佐藤花子', '鈴木一郎①'];
    const csv = iconv.encode(`Name,Colors\r\n${names.map((name, i) => `${name},"赤\n緑${i}"`).join('\r\n')}\r\n`, 'cp932');
    const ledger = (await batchOver(target('with_defaults'), await write('顧客.csv', csv)))!;
    assert.deepEqual(ledger.columns, ['Name', 'Colors']);
    // The panel opens on the preview: the columns' mapping and the first rows as the BOT will get them.
    const preview = await eventually(() => api.batchPanels.panelOf(ledger.id) && api.batchPanels.renderReportsOf(ledger.id).find((report) => report.phase === 'ready'));
    assert.deepEqual([preview.previewRows, preview.unknownColumns], [3, 0]);
    assert.equal(posts().length, 0, 'nothing is sent before Start');

    const done = await runToEnd(ledger);
    assert.equal(done.phase, 'done');
    assert.deepEqual(done.rows.map((row) => row.state), ['succeeded', 'succeeded', 'succeeded']);
    assert.equal(emulator.jobs().length, 3);
    assert.deepEqual(posts().map((post) => (post.body as { input: { Name: string } }).input.Name), names);
    assert.deepEqual((posts()[1].body as { input: { Colors: string[] } }).input.Colors, ['赤', '緑1']);

    const exported = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.exportBatchResults', ledger.id, 'csv', vscode.Uri.joinPath(folder(), 'results.csv'));
    const bytes = await vscode.workspace.fs.readFile(exported);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM, for Excel');
    const read = await readTable(bytes, 'results.csv');
    assert.ok(read.ok);
    assert.deepEqual(read.table.rows.map((row) => [row.cells.Name, row.cells.status]), names.map((name) => [name, 'succeeded']));
    // The echo BOT's output comes back in the output columns, Japanese included.
    assert.ok(read.table.columns.includes('job_id'));
    assert.deepEqual(read.table.rows.map((row) => row.cells.job_id), done.rows.map((row) => row.jobId));

    for (const format of ['xlsx', 'jsonl'] as const) {
      const file = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.exportBatchResults', ledger.id, format, vscode.Uri.joinPath(folder(), `results.${format}`));
      const back = await readTable(await vscode.workspace.fs.readFile(file), `results.${format}`);
      assert.ok(back.ok, format);
      assert.deepEqual(back.table.rows.map((row) => row.cells.Name), names, format);
    }
  });

  it('fails a row with bad data alone, says why at its line, and goes on with the others', async () => {
    const csv = 'Name,Orders\r\nA,"[{""Item"":""Tea""}]"\r\nB,"[{""Item"": tea}]"\r\nC,\r\n';
    const done = await runToEnd((await batchOver(target('with_defaults'), await write('orders.csv', csv)))!);
    assert.deepEqual(done.rows.map((row) => row.state), ['succeeded', 'invalid', 'succeeded']);
    assert.equal(done.rows[1].reason?.code, 'badRow');
    assert.equal(posts().length, 2);
  });

  it('finds the job of a row whose execute answer was lost, and does not send it again', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
    const done = await runToEnd((await batchOver(target('echo'), await write('lost.csv', 'Message\nx\ny\n')))!);
    assert.deepEqual(done.rows.map((row) => row.state), ['succeeded', 'succeeded']);
    assert.equal(done.rows[0].reason?.code, 'recovered');
    assert.equal(emulator.jobs().length, 2);
    assert.equal(posts().length, 2);
  });

  it('resolves a template\'s secrets and row variables, and keeps the secret out of the ledger, logs and state', async () => {
    const secret = `batch-secret-${Date.now()}-Zq`;
    await api.inputSecrets.set('batchLogin', secret);
    try {
      // The echo BOT sends its input back: what the server says of a row is kept without the secret too.
      const template = await write('login.cloudbot.json', JSON.stringify({ bot: { contract: 'example1', id: 'echo' }, input: { Message: '${row:Who} / ${secret:batchLogin}' }, options: {} }));
      const done = await runToEnd((await batchOver(template, await write('who.csv', 'Who\nAlice\nBob\n')))!);
      assert.deepEqual(done.rows.map((row) => row.state), ['succeeded', 'succeeded']);
      assert.deepEqual(posts().map((post) => (post.body as { input: { Message: string } }).input.Message), [`Alice / ${secret}`, `Bob / ${secret}`]);
      assert.equal(done.rows[0].outputSummary, 'Message: Alice / ••••');
      // Nowhere but SecretStorage and the job itself: not the ledger, the log, or either storage.
      assert.ok(!JSON.stringify(await api.batches.get(done.id)).includes(secret));
      assert.ok(!(await outputLog()).includes(secret));
      for (const storage of [api.globalStorageUri, api.storageUri].filter((uri): uri is vscode.Uri => !!uri)) {
        for (const file of await vscode.workspace.findFiles(new vscode.RelativePattern(storage, '**/*'))) {
          assert.ok(!Buffer.from(await vscode.workspace.fs.readFile(file)).includes(secret), file.fsPath);
        }
      }
    } finally {
      await api.inputSecrets.delete('batchLogin');
    }
  });

  it('takes up a batch after a reload from its ledger: running rows are followed again, and none is sent twice', async () => {
    const ledger = (await batchOver(target('echo'), await write('reload.csv', 'Message\n1\n2\n3\n4\n5\n')))!;
    await api.batches.start(ledger.id);
    await eventually(() => (api.batches.runOf(ledger.id)!.counts.done >= 1 ? true : undefined));
    // The window goes: this batch is no longer followed here, and its ledger is all that is left.
    await api.batches.forget(ledger.id);
    await api.resumeJobs();
    await api.batches.runOf(ledger.id)!.whenSettled();
    const done = (await api.batches.get(ledger.id))!;
    assert.equal(done.phase, 'done');
    assert.deepEqual(done.rows.map((row) => row.state), Array(5).fill('succeeded'));
    assert.equal(emulator.jobs().length, 5, 'one job per row');
    assert.ok((await outputLog()).includes('Taking up the batch'));
    // A row's job runs again with that row's input, from the ledger, also after the reload.
    await vscode.commands.executeCommand('cloudbot.rerunJob', { sessionId, publicId: 'example1', jobId: done.rows[2].jobId! });
    assert.equal(emulator.jobs().length, 6);
    assert.deepEqual(posts().at(-1)?.body, { input: { Message: '3' } });
  });
});
