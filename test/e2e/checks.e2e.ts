// BOT checks as a person sees them in the Testing view: the input files with expectations grouped by
// folder, a run of all of them, and the failed expectation's diff at its line. Screenshots (also for
// the README): .test-artifacts/e2e/checks-*.png.
import * as assert from 'node:assert/strict';
import { openUiSession, type UiSession } from './session';

const inputFile = (bot: string, input: object, expect: object) => JSON.stringify({ bot: { contract: 'example1', id: bot }, input, expect }, null, 2);

describe('BOT checks in the Testing view, as a person runs them', function () {
  this.timeout(240_000);
  let ui: UiSession;

  before(async () => {
    ui = await openUiSession('checks', {
      'greeting.cloudbot.json': inputFile('echo', { Message: 'こんにちは' }, { status: 'succeeded', output: { Message: 'こんにちは' } }),
      'orders.cloudbot.json': inputFile('all_outputs', {}, { status: 'succeeded', output: { Summary: { matches: '^\\d+ items found$' }, Items: { rows: 2 } }, maxDurationSeconds: 60 }),
      'price.cloudbot.json': inputFile('all_outputs', {}, { status: 'succeeded', output: { 'Total price': '1200' } }),
    });
    await ui.signIn();
  });

  after(() => ui?.close());

  it('runs every check from the Testing view and shows which failed', async () => {
    await ui.steps.runCommand(ui.page, 'Testing: Focus on Test Explorer View');
    const explorer = ui.page.locator('.test-explorer');
    // The files at the workspace's root are under its folder's row, collapsed at first.
    await explorer.locator('.monaco-list-row').filter({ hasText: 'cloudbot-e2e-checks' }).first().click({ timeout: 60_000 });
    await explorer.locator('.monaco-list-row').filter({ hasText: 'price' }).first().waitFor({ timeout: 60_000 });
    await ui.steps.runCommand(ui.page, 'Test: Run All Tests');
    await explorer.locator('.monaco-list-row').filter({ hasText: 'price' }).locator('.codicon-testing-failed-icon').waitFor({ timeout: 60_000 });
    await explorer.locator('.monaco-list-row').filter({ hasText: 'greeting' }).locator('.codicon-testing-passed-icon').waitFor({ timeout: 60_000 });
    await explorer.locator('.monaco-list-row').filter({ hasText: 'orders' }).locator('.codicon-testing-passed-icon').waitFor({ timeout: 60_000 });
    await ui.shot('01-test-explorer');
    assert.equal(ui.emulator.jobs().length, 3, 'one job per check');
  });

  it('shows the failed expectation at its line, with expected and actual', async () => {
    await ui.steps.openFile(ui.page, 'price.cloudbot.json');
    // The failed expectation in the Test Results: its message, and expected against actual as a diff.
    await ui.page.locator('.monaco-list-row').filter({ hasText: 'Output item "Total price" is not the expected value.' }).first().dblclick({ timeout: 60_000 });
    const results = ui.page.locator('.test-output-peek, .testing-results, .part.panel').first();
    await results.getByText('Actual').first().waitFor({ timeout: 60_000 });
    await results.getByText('1500').first().waitFor({ timeout: 60_000 });
    await ui.shot('02-failed-expectation');
  });
});
