// Executing and reading results as a person does: a CodeLens on an input file, the result panel with a
// table of group rows, an output that carries HTML shown as text with no script run, and a running job
// followed again after the window reloads. Screenshots: .test-artifacts/e2e/results-*.png.
import * as assert from 'node:assert/strict';
import { openUiSession, type UiSession } from './session';

const SCRIPTED = '<img src=x onerror="window.pwned = true; document.title = \'pwned\'">';

const inputFile = (id: string, input: object) => JSON.stringify({ bot: { contract: 'example1', id }, input, options: {} }, null, 2);

describe('results, as a person reads them', function () {
  this.timeout(240_000);
  let ui: UiSession;

  before(async () => {
    ui = await openUiSession('results', {
      'all.cloudbot.json': inputFile('all_outputs', {}),
      'scripted.cloudbot.json': inputFile('echo', { Message: SCRIPTED }),
      'long.cloudbot.json': inputFile('long_running', {}),
    });
    await ui.signIn();
  });

  after(() => ui?.close());

  it('executes an input file from its CodeLens and shows group rows as a table in the result panel', async () => {
    await ui.steps.openFile(ui.page, 'all.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute');
    const panel = await ui.steps.webviewContent(ui.page, 'All Outputs BOT');
    await panel.getByText('Succeeded').first().waitFor({ timeout: 60_000 });
    const table = panel.locator('table').filter({ hasText: 'Cheesecake' });
    await table.waitFor();
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['Item name', 'Price', 'Tags', 'Image']);
    assert.equal(await table.locator('tbody tr').count(), 2);
    await panel.getByText('売上.xlsx').waitFor();
    await ui.shot('01-group-rows');
    assert.equal(ui.emulator.jobs().length, 1);
  });

  it('shows an output that carries HTML as text, and runs none of it', async () => {
    await ui.steps.focusFirstEditorGroup(ui.page);
    await ui.steps.openFile(ui.page, 'scripted.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute');
    const panel = await ui.steps.webviewContent(ui.page, 'Echo BOT');
    await panel.getByText('Succeeded').first().waitFor({ timeout: 60_000 });
    await panel.getByText(SCRIPTED).first().waitFor();
    assert.equal(await panel.locator('img').count(), 0, 'no element was made from the output');
    const ran = await panel.locator('body').evaluate(() => (window as unknown as { pwned?: boolean }).pwned === true || document.title === 'pwned');
    assert.equal(ran, false, 'the onerror handler never ran');
    await ui.shot('02-html-as-text');
  });

  it('follows a running job again after the window reloads, with its panel and the status bar', async () => {
    await ui.steps.focusFirstEditorGroup(ui.page);
    await ui.steps.openFile(ui.page, 'long.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute');
    await ui.steps.statusBarItem(ui.page, 'Cloud BOT: 1 running').waitFor({ timeout: 60_000 });
    const job = ui.emulator.jobs().find((j) => j.bot_id === 'long_running')!;
    await (await ui.steps.webviewContent(ui.page, 'Long-running BOT')).getByText('Executing').first().waitFor();
    // As a person reloads: the workbench saves its state (the open panel) on the way out.
    await ui.steps.runCommand(ui.page, 'Developer: Reload Window');
    await ui.steps.statusBarItem(ui.page, 'Cloud BOT: 1 running').waitFor({ timeout: 90_000 });
    const panel = await ui.steps.webviewContent(ui.page, 'Long-running BOT');
    await panel.getByText(job.job_id).first().waitFor({ timeout: 60_000 });
    await panel.getByText('Executing').first().waitFor();
    await ui.shot('03-after-reload');
    const polled = () => ui.emulator.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${job.job_id}`).length;
    const before = polled();
    for (let tries = 0; polled() === before && tries < 300; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(polled() > before, 'the job is polled again after the reload');
  });

  it('offers to suspend the job when its progress notification is cancelled', async () => {
    const before = ui.emulator.jobs().length;
    await ui.steps.focusFirstEditorGroup(ui.page);
    await ui.steps.openFile(ui.page, 'long.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute');
    const progress = ui.steps.notification(ui.page, 'Cloud BOT: long_running');
    await progress.getByRole('button', { name: 'Cancel' }).click({ timeout: 60_000 });
    const question = ui.steps.notification(ui.page, 'is still running in Cloud BOT');
    await question.waitFor();
    await ui.shot('04-cancelled');
    await question.getByRole('button', { name: 'Suspend Job' }).click();
    const job = () => ui.emulator.jobs()[before];
    for (let tries = 0; job().status === 2 && tries < 300; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(job().status, 1, 'suspended');
    assert.equal(job().suspended, true);
  });
});
