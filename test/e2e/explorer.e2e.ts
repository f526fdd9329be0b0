// The BOT explorer as a person sees it: contracts, BOTs with their icons, a BOT's jobs, the filter, and
// the welcome content of an account without any contract open to the API.
// Screenshots: .test-artifacts/e2e/explorer-*.png.
import * as assert from 'node:assert/strict';
import { loadFixture } from '../emulator';
import { openUiSession, type UiSession } from './session';

describe('the BOT explorer, as a person sees it', function () {
  this.timeout(180_000);

  describe('with contracts, BOTs and jobs', () => {
    let ui: UiSession;

    before(async () => {
      ui = await openUiSession('explorer');
      await ui.steps.openCloudBotView(ui.page);
      await ui.steps.signInWithAccessToken(ui.page, ui.emulator.tokens[0]);
    });

    after(() => ui?.close());

    it('shows the contracts', async () => {
      for (const contract of ['example1', 'example2', 'example3']) await ui.steps.treeRow(ui.page, contract).waitFor();
      await ui.shot('01-contracts');
    });

    it('shows a contract\'s BOTs with their icons, and a BOT\'s jobs with their status', async () => {
      await ui.steps.expandRow(ui.page, 'example1');
      await ui.steps.expandRow(ui.page, 'Echo BOT');
      const jobs = ui.page.locator('[id="workbench.view.extension.cloudbot"] .monaco-list-row').filter({ hasText: /Succeeded|Error/ });
      await jobs.first().waitFor();
      assert.ok((await jobs.count()) >= 3, 'the fixture\'s history of the echo BOT');
      // The API's data-URL icons are drawn as images.
      assert.ok((await ui.page.locator('[id="workbench.view.extension.cloudbot"] .custom-view-tree-node-item-icon').count()) > 0);
      await ui.shot('02-jobs');
    });

    it('filters BOTs from the palette, shows the filter, and clears it', async () => {
      await ui.steps.runCommand(ui.page, 'Cloud BOT: Filter BOTs…');
      await ui.steps.answerInputBox(ui.page, 'Part of a BOT name or ID', 'echo');
      await ui.page.locator('[id="workbench.view.extension.cloudbot"]').getByText('Showing BOTs whose name or ID contains "echo"').waitFor();
      // "echo" is the Echo BOT in example1 and the Partner Echo BOT in example2. example3 refuses its
      // BOT list (External Connections off), so it stays, without a count, to say why when opened.
      const rows = ui.page.locator('[id="workbench.view.extension.cloudbot"] .monaco-list-row');
      await rows.filter({ hasText: /^example1/ }).filter({ hasText: '1 matching' }).waitFor();
      await rows.filter({ hasText: /^example2/ }).filter({ hasText: '1 matching' }).waitFor();
      assert.doesNotMatch(await ui.steps.treeRow(ui.page, 'example3').innerText(), /matching/);
      assert.equal(await rows.filter({ hasText: 'Failing BOT' }).count(), 0, 'BOTs that do not match are gone');
      assert.equal(await rows.filter({ hasText: 'Echo BOT' }).count(), 1);
      await ui.shot('03-filtered');
      await ui.steps.runCommand(ui.page, 'Cloud BOT: Clear Filter');
      await ui.steps.treeRow(ui.page, 'example3').waitFor();
    });

    it('says why it cannot load, with Retry, and recovers', async () => {
      ui.emulator.faults.add({ path: '^/services/contracts$', status: 503 });
      await ui.steps.runCommand(ui.page, 'Cloud BOT: Refresh');
      const welcome = ui.page.locator('.welcome-view-content').filter({ hasText: 'Cloud BOT had a server error or is busy' });
      await welcome.waitFor({ timeout: 60_000 });
      await ui.shot('05-error');
      ui.emulator.faults.clear();
      await welcome.getByRole('button', { name: 'Retry' }).click();
      await ui.steps.treeRow(ui.page, 'example1').waitFor();
    });
  });

  describe('without a contract open to the API', () => {
    let ui: UiSession;

    before(async () => {
      const fixture = loadFixture();
      ui = await openUiSession('explorer-empty', {}, { fixture: { ...fixture, contracts: fixture.contracts.map((c) => ({ ...c, apiEnabled: false })) } });
      await ui.steps.openCloudBotView(ui.page);
    });

    after(() => ui?.close());

    it('explains how to enable the API, with buttons', async () => {
      await ui.steps.signInWithAccessToken(ui.page, ui.emulator.tokens[0]);
      const welcome = ui.page.locator('.welcome-view-content').filter({ hasText: 'No contract with the Cloud BOT API enabled' });
      await welcome.waitFor();
      await welcome.getByRole('button', { name: 'Refresh' }).waitFor();
      await ui.shot('04-no-contracts');
    });
  });
});
