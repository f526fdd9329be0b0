// The whole journey as a newcomer walks it, with the extension installed from its .vsix, once in
// English and once with VS Code's display language set to Japanese: the Cloud BOT view, signing in with
// OAuth through the emulator's consent page, contracts and BOTs, an input file created for a BOT and
// edited, executed from its CodeLens, the result panel's table, a long job started and suspended, and
// signing out. Screenshots: .test-artifacts/e2e/journey-<language>-*.png.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually } from '../emulator/testing';
import { extensionVsix, fixtureVsix, packageDirFile, strings } from './packaged';
import { openUiSession, type UiSession } from './session';

const root = resolve(__dirname, '..', '..', '..');

for (const language of ['en', 'ja'] as const) {
  // What the person reads: the extension's own strings in this language, from the files it ships.
  const { tr, nls, linkText } = strings(language);

  describe(`the whole journey, in ${language === 'ja' ? 'Japanese' : 'English'}`, function () {
    this.timeout(240_000);
    let ui: UiSession;
    const shot = (name: string, options?: Parameters<UiSession['shot']>[1]) => ui.shot(name, options);

    const exportsFile = packageDirFile(`exports-${language}.json`);

    before(async () => {
      const vsix = [await extensionVsix(), await fixtureVsix('exports-probe'), ...(language === 'ja' ? [await fixtureVsix('language-pack-ja')] : [])];
      // Read by the probe in the extension host, which inherits the environment when the workbench starts.
      process.env.CLOUDBOT_E2E_EXPORTS_FILE = exportsFile;
      try {
        ui = await openUiSession(`journey-${language}`, {}, {}, { vsix, locale: language });
      } finally {
        delete process.env.CLOUDBOT_E2E_EXPORTS_FILE;
      }
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await ui?.page.screenshot({ path: join(root, '.test-artifacts', 'e2e', `journey-${language}-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
    });
    after(() => ui?.close());

    it('hands another extension nothing through activate(), so nothing reaches the credentials', async () => {
      // Empty while the probe is still writing it.
      const written = await eventually(() => (existsSync(exportsFile) ? readFileSync(exportsFile, 'utf8') || undefined : undefined), 30_000);
      assert.deepEqual(JSON.parse(written), { found: true, exports: 'undefined' });
    });

    it('opens the Cloud BOT view on its welcome content', async () => {
      await ui.steps.openCloudBotView(ui.page);
      const welcome = ui.page.locator('.welcome-view-content');
      await welcome.getByRole('button', { name: linkText('viewsWelcome.signedOut', 0) }).waitFor();
      await welcome.getByRole('button', { name: linkText('viewsWelcome.signedOut', 1) }).waitFor();
      await shot('01-welcome');
    });

    it('signs in with OAuth through the consent page', async () => {
      const { page, steps } = ui;
      const app = ui.emulator.oauthClients[0];
      await page.locator('.welcome-view-content').getByRole('button', { name: linkText('viewsWelcome.signedOut', 0) }).click();
      await steps.answerInputBox(page, tr('Cloud BOT OAuth app (1/2)'), String(app.clientId));
      await steps.answerInputBox(page, tr('Cloud BOT OAuth app (2/2)'), app.clientSecret);
      const consent = await page.context().waitForEvent('page', { timeout: 30_000 });
      await consent.locator('#allow').waitFor();
      await shot('02-consent', { on: consent });
      const [arrival] = await Promise.all([
        consent.waitForRequest(/^http:\/\/127\.0\.0\.1:33418\/callback\?code=/, { timeout: 30_000 }),
        consent.locator('#allow').click(),
      ]);
      await consent.close();
      await page.bringToFront();
      await steps.answerInputBox(page, tr('Sign in to Cloud BOT'), arrival.url());
      for (const contract of ['example1', 'example2', 'example3']) await steps.treeRow(page, contract).waitFor();
      await steps.expandRow(page, 'example1');
      await steps.treeRow(page, 'BOT With Defaults').waitFor();
      await shot('03-bots');
    });

    it('creates an input file for a BOT, edits it, and executes it from its CodeLens', async () => {
      const { page, steps } = ui;
      await steps.contextMenu(page, 'BOT With Defaults', nls['command.createInputFile']);
      await page.locator('.tab.active').filter({ hasText: 'with_defaults.cloudbot.json' }).waitFor();
      await shot('04-input-file');
      const edited = {
        bot: { contract: 'example1', id: 'with_defaults', name: 'BOT With Defaults' },
        input: { Name: 'Hanako', Colors: ['blue'], Orders: [{ Item: 'Green tea', Quantity: '3' }, { Item: 'Rice crackers', Quantity: '1' }] },
        options: {},
      };
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      // One line, as pasted: typed newlines would be indented again by the editor.
      await page.keyboard.insertText(JSON.stringify(edited));
      await page.keyboard.press('Control+S');
      await steps.clickCodeLens(page, 'BOT With Defaults');
      const panel = await steps.webviewContent(page, 'BOT With Defaults');
      await panel.getByText(tr('Succeeded')).first().waitFor({ timeout: 60_000 });
      const table = panel.locator('table').filter({ hasText: 'Green tea' });
      await table.waitFor();
      assert.equal(await table.locator('tbody tr').count(), 2);
      await shot('05-result');
      const [job] = ui.emulator.jobs();
      assert.deepEqual(job.input, edited.input);
    });

    it('starts a long job from the tree and suspends it from its result panel', async () => {
      const { page, steps } = ui;
      await steps.contextMenu(page, 'Long-running BOT', nls['command.executeBot']);
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: tr('Execute without input') }).first().click();
      const panel = await steps.webviewContent(page, 'Long-running BOT');
      await panel.getByText(tr('Executing')).first().waitFor({ timeout: 60_000 });
      await shot('06-running');
      await panel.getByRole('button', { name: tr('Suspend'), exact: true }).click();
      await page.locator('.monaco-dialog-box').getByRole('button', { name: tr('Suspend'), exact: true }).click();
      await panel.getByText(tr('Error')).first().waitFor({ timeout: 60_000 });
      const job = ui.emulator.jobs().find((j) => j.bot_id === 'long_running')!;
      assert.equal(job.suspended, true);
      await shot('07-suspended');
    });

    it('signs out, back to the welcome view', async () => {
      const { page, steps } = ui;
      await steps.runCommand(page, `Cloud BOT: ${nls['command.signOut']}`);
      await page.locator('.welcome-view-content').getByRole('button', { name: linkText('viewsWelcome.signedOut', 0) }).waitFor();
      await shot('08-signed-out');
    });
  });
}
