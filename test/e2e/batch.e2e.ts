// A batch as a person runs one: "Execute for Each Row…" from an input file's CodeLens over a Shift_JIS
// CSV (as Japanese Excel writes it), the preview, Start, a window reload in the middle (the batch is
// taken up again and no row is sent twice), then the export to CSV, which reads back with the same
// Japanese text. Screenshots: .test-artifacts/e2e/batch-*.png.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import { readTable } from '../../src/core/tables/readTable';
import { loadFixture } from '../emulator';
import { openUiSession, type UiSession } from './session';

const CUSTOMERS = ['山田太郎', '佐藤花子', '鈴木一郎', '高橋美咲', '田中健太', '伊藤さくら'];

describe('a batch run, as a person runs one', function () {
  this.timeout(300_000);
  let ui: UiSession;
  let workspace: string;

  before(async () => {
    const template = { bot: { contract: 'example1', id: 'slow_echo' }, input: { Message: '${row:顧客名} 様' }, options: {} };
    const csv = iconv.encode(`顧客名,注文番号\r\n${CUSTOMERS.map((name, i) => `${name},A-${i + 1}`).join('\r\n')}\r\n`, 'cp932');
    // The echo BOT's input definition (a "Message" item), with jobs of 6 s: long enough to reload amid them.
    const fixture = loadFixture();
    const bots = fixture.contracts.find((contract) => contract.publicId === 'example1')!.bots;
    bots.push({ ...bots.find((bot) => bot.id === 'echo')!, id: 'slow_echo', name: 'Slow echo', script: { durationMs: 6_000, result: 'echo' } });
    ui = await openUiSession('batch', { 'greet.cloudbot.json': JSON.stringify(template, null, 2), '顧客.csv': csv }, { fixture });
    workspace = ui.workspace;
    await ui.signIn();
  });

  after(() => ui?.close());

  it('previews a Shift_JIS CSV, runs it, takes it up again after a reload, and exports it', async () => {
    await ui.steps.openFile(ui.page, 'greet.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute for Each Row');
    await ui.steps.answerFileDialog(ui.page, join(workspace, '顧客.csv'));
    let panel = await ui.steps.webviewContent(ui.page, '顧客.csv');
    // The preview: the column the template uses, the one nothing uses, and the rows as the BOT gets them.
    await panel.getByText('山田太郎 様').first().waitFor({ timeout: 60_000 });
    await panel.getByText('Not used: the BOT has no input item of this name').waitFor();
    await ui.shot('01-preview');
    assert.equal(ui.emulator.jobs().length, 0, 'nothing is sent before Start');

    await panel.getByRole('button', { name: 'Start' }).click();
    await ui.steps.notification(ui.page, 'for each row of').waitFor({ timeout: 60_000 });
    await panel.getByText('Executing').first().waitFor({ timeout: 60_000 });
    await ui.shot('02-running');

    // As a person reloads while three rows run: the batch's ledger is all that carries over.
    await ui.steps.runCommand(ui.page, 'Developer: Reload Window');
    panel = await ui.steps.webviewContent(ui.page, '顧客.csv');
    await panel.locator('.batch-summary').filter({ hasText: '6 of 6 rows done' }).waitFor({ timeout: 120_000 });
    await ui.shot('03-done-after-reload');
    assert.equal(ui.emulator.jobs().length, CUSTOMERS.length, 'one job per row, none sent twice');
    const posts = ui.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/example1/bots/slow_echo/jobs');
    assert.deepEqual(posts.map((post) => (post.body as { input: { Message: string } }).input.Message).sort(), CUSTOMERS.map((name) => `${name} 様`).sort());

    await panel.getByRole('button', { name: 'Export CSV…' }).click();
    const exported = join(workspace, 'results.csv');
    await ui.steps.answerFileDialog(ui.page, exported);
    await ui.steps.notification(ui.page, 'Exported 6 rows to results.csv').waitFor({ timeout: 60_000 });
    await ui.shot('04-exported');
    assert.ok(existsSync(exported));
    const read = await readTable(readFileSync(exported), 'results.csv');
    assert.ok(read.ok);
    assert.deepEqual(read.table.rows.map((row) => [row.cells['顧客名'], row.cells.status, row.cells.Message]), CUSTOMERS.map((name) => [name, 'succeeded', `${name} 様`]));
  });
});
