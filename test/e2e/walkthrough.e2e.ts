// The "Get started with Cloud BOT" walkthrough as a newcomer follows it, with the extension installed
// from its .vsix, in English and with VS Code's display language set to Japanese: it opens by itself on
// the first activation, each step is done as a person does it (from its button, or where the step says)
// and turns complete then and not before, and the welcome view's "Get started" link opens it again, all
// done. Screenshots: .test-artifacts/e2e/walkthrough-<language>-*.png.
//
// CLOUDBOT_UPDATE_WALKTHROUGH_IMAGES=1 also writes the steps' images (media/walkthrough/<step>.<language>.webp)
// from the same screens: cropped to what the step is about, scaled down, and encoded as WebP by the
// test's own chromium. They are committed; run it again when the screens change.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { extensionVsix, fixtureVsix, strings } from './packaged';
import { openUiSession, type UiSession } from './session';

const root = resolve(__dirname, '..', '..', '..');
const updateImages = process.env.CLOUDBOT_UPDATE_WALKTHROUGH_IMAGES === '1';
/** Wide enough to read in the walkthrough's media column (which shows it at 1/1.5), small enough for a few KB each. */
const IMAGE_WIDTH = 600;
const IMAGE_QUALITY = 0.4;
/** More than the 250 ms after which VS Code focuses a walkthrough step that was selected. */
const STEP_FOCUS_DELAY_MS = 600;

/** The manifest's walkthrough: its steps' ids and where each step's image is, per language. */
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: { id: string; steps: { id: string; media: { image: string } }[] }[] };
};
const [walkthrough] = manifest.contributes.walkthroughs;

/** Encodes a PNG as WebP in the browser (canvas.toDataURL), scaled to `width`. */
async function saveWebp(page: Page, png: Buffer, file: string): Promise<void> {
  const tab = await page.context().browser()!.newPage();
  try {
    const dataUrl = await tab.evaluate(
      async ({ src, width, quality }) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = Math.min(width, image.width);
        canvas.height = Math.round((image.height * canvas.width) / image.width);
        const context = canvas.getContext('2d')!;
        context.imageSmoothingQuality = 'high';
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        return canvas.toDataURL('image/webp', quality);
      },
      { src: `data:image/png;base64,${png.toString('base64')}`, width: IMAGE_WIDTH, quality: IMAGE_QUALITY },
    );
    assert.ok(dataUrl.startsWith('data:image/webp;base64,'), 'chromium encodes WebP');
    writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  } finally {
    await tab.close();
  }
}

for (const language of ['en', 'ja'] as const) {
  const { tr, nls, linkText } = strings(language);
  const rows = language === 'ja' ? ['こんにちは', 'ありがとう', 'またね'] : ['Hello', 'Thank you', 'See you'];

  describe(`the Get Started walkthrough, in ${language === 'ja' ? 'Japanese' : 'English'}`, function () {
    this.timeout(300_000);
    let ui: UiSession;
    const shot = (name: string, options?: Parameters<UiSession['shot']>[1]) => ui.shot(name, options);
    const page = () => ui.page;

    const walkthroughEditor = () => page().locator('.gettingStartedContainer');
    const stepButton = (id: string) => walkthroughEditor().locator(`button.getting-started-step[data-step-id$="#${id}"]`);
    const doneSteps = async () => {
      const done: string[] = [];
      for (const { id } of walkthrough.steps) if ((await stepButton(id).getAttribute('aria-checked', { timeout: 5_000 })) === 'true') done.push(id);
      return done;
    };
    /** The steps done so far, read from the walkthrough as it shows them. */
    const expectDone = async (ids: string[]) => {
      const wanted = walkthrough.steps.map((step) => step.id).filter((id) => ids.includes(id));
      const deadline = Date.now() + 30_000;
      let seen = await doneSteps();
      while (JSON.stringify(seen) !== JSON.stringify(wanted) && Date.now() < deadline) {
        await page().waitForTimeout(250);
        seen = await doneSteps();
      }
      assert.deepEqual(seen, wanted);
    };
    /** Brings the walkthrough forward, as the palette's Get Started does, and opens a step. */
    const openStep = async (id: string) => {
      await ui.steps.runCommand(page(), `Cloud BOT: ${nls['command.openWalkthrough']}`);
      // A click on the open step would close it.
      if ((await stepButton(id).getAttribute('aria-expanded')) !== 'true') await stepButton(id).click();
      await stepButton(id).and(page().locator('[aria-expanded="true"]')).waitFor();
      // VS Code focuses the selected step 250 ms later, which would close a quick pick opened before: a person is slower.
      await page().waitForTimeout(STEP_FOCUS_DELAY_MS);
    };
    /** Clicks the step's button, as its description names it. */
    const clickStepAction = (id: string) => walkthroughEditor().getByRole('button', { name: linkText(`walkthrough.${id}.description`, 0), exact: true }).click();
    /** The editor group whose active tab has this title. */
    const groupShowing = (title: string) => page().locator('.editor-group-container').filter({ has: page().locator('.tab.active', { hasText: title }) });
    /** The step's image, when asked to update the images: the top left of this part of the screen, at most this big. */
    const stepImage = async (id: string, part: Locator, most: { width: number; height: number }) => {
      if (!updateImages) return;
      const box = (await part.boundingBox())!;
      const png = await page().screenshot({ clip: { x: box.x, y: box.y, width: Math.min(box.width, most.width), height: Math.min(box.height, most.height) } });
      const image = walkthrough.steps.find((step) => step.id === id)!.media.image;
      const key = image.slice(1, -1);
      await saveWebp(page(), png, join(root, strings(language).nls[key]));
    };

    before(async () => {
      const vsix = [await extensionVsix(), ...(language === 'ja' ? [await fixtureVsix('language-pack-ja')] : [])];
      const csv = `Message\r\n${rows.join('\r\n')}\r\n`;
      ui = await openUiSession(`walkthrough-${language}`, { 'greetings.csv': csv }, {}, {
        vsix,
        locale: language,
        // As VS Code has it for a user: on (the test workbench turns it off for every other suite).
        userSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      });
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await ui?.page.screenshot({ path: join(root, '.test-artifacts', 'e2e', `walkthrough-${language}-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
    });
    after(() => ui?.close());

    it('opens by itself on the first activation, with no step done and each step\'s image in this language', async () => {
      await walkthroughEditor().getByText(nls['walkthrough.title']).first().waitFor({ timeout: 60_000 });
      await expectDone([]);
      await stepButton('signIn').click();
      const image = walkthroughEditor().locator('.getting-started-media img');
      await image.waitFor();
      assert.match(String(await image.getAttribute('srcset')), new RegExp(`sign-in\\.${language}\\.webp`));
      // Being made anew, the images may not be there yet.
      if (!updateImages) await page().waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await image.elementHandle());
      await shot('00-opened');
    });

    it('1. signs in from the step\'s button, with an access token', async () => {
      await clickStepAction('signIn');
      const methods = page().locator('.quick-input-widget').filter({ hasText: tr('Use an access token and secret key') });
      await methods.waitFor();
      await shot('01-sign-in', { quickInputOpen: true });
      await stepImage('signIn', page().locator('.quick-input-widget'), { width: 800, height: 400 });
      await expectDone([]);
      await page().locator('.quick-input-list .monaco-list-row').filter({ hasText: tr('Use an access token and secret key') }).click();
      const token = ui.emulator.tokens.find((t) => t.username === 'user@example.com' && t.permissions.includes('execute'))!;
      // The prompts' text up to the host they name.
      const prompt = (english: string) => tr(english, '\0').split('\0')[0].trim();
      await ui.steps.answerInputBox(page(), prompt('Cloud BOT access token, sent only to {0}'), token.accessToken);
      await ui.steps.answerInputBox(page(), prompt('Secret key of that access token, sent only to {0}'), token.secretKey);
      await expectDone(['signIn']);
    });

    it('2. opens the Cloud BOT view from the step\'s button', async () => {
      await openStep('openView');
      await expectDone(['signIn']);
      await clickStepAction('openView');
      await ui.steps.expandRow(page(), 'example1');
      await ui.steps.treeRow(page(), 'Echo BOT').waitFor({ timeout: 60_000 });
      await expectDone(['signIn', 'openView']);
      await shot('02-view');
      await stepImage('openView', page().locator('.part.sidebar'), { width: 400, height: 280 });
    });

    it('3. creates an input file from the step\'s button, once the BOT is picked', async () => {
      await openStep('createInputFile');
      await clickStepAction('createInputFile');
      const bots = page().locator('.quick-input-widget').filter({ has: page().locator(`input[placeholder="${tr('BOT to execute')}"]`) });
      await bots.waitFor();
      // Picking is not creating: nothing is done yet.
      await expectDone(['signIn', 'openView']);
      await bots.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Echo BOT' }).first().click();
      await page().locator('.tab.active').filter({ hasText: 'echo.cloudbot.json' }).waitFor();
      // The Message the BOT will echo, as a person types it over the empty one.
      const editor = page().locator('.editor-group-container.active .monaco-editor');
      await editor.getByText('""').first().click();
      await page().keyboard.press('End');
      await page().keyboard.press('ArrowLeft');
      await page().keyboard.insertText(rows[0]);
      await page().keyboard.press('Control+S');
      await page().locator('.tab.active.dirty').waitFor({ state: 'detached' });
      await shot('03-input-file');
      await stepImage('createInputFile', groupShowing('echo.cloudbot.json'), { width: 640, height: 320 });
      await openStep('createInputFile');
      await expectDone(['signIn', 'openView', 'createInputFile']);
    });

    it('4 and 5. executes it from its CodeLens, and sees the result in the panel that opens', async () => {
      await page().locator('.tab').filter({ hasText: 'echo.cloudbot.json' }).click();
      const lens = page().locator('.editor-group-container.active .codelens-decoration').first();
      await lens.waitFor();
      await shot('04-execute');
      await stepImage('execute', groupShowing('echo.cloudbot.json'), { width: 640, height: 160 });
      await ui.steps.clickCodeLens(page(), 'Echo BOT');
      const panel = await ui.steps.webviewContent(page(), 'Echo BOT');
      await panel.getByText(tr('Succeeded')).first().waitFor({ timeout: 60_000 });
      await panel.getByText(rows[0]).first().waitFor();
      await shot('05-result');
      await stepImage('seeResult', groupShowing('Echo BOT'), { width: 520, height: 260 });
      await openStep('checkOrBatch');
      await expectDone(['signIn', 'openView', 'createInputFile', 'execute', 'seeResult']);
    });

    it('6. starts a batch from the step\'s button, over a CSV file', async () => {
      await clickStepAction('checkOrBatch');
      await page().locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Echo BOT' }).first().click({ timeout: 30_000 });
      await ui.steps.answerFileDialog(page(), join(ui.workspace, 'greetings.csv'));
      const panel = await ui.steps.webviewContent(page(), 'greetings.csv');
      await panel.getByRole('button', { name: tr('Start'), exact: true }).waitFor({ timeout: 60_000 });
      await openStep('checkOrBatch');
      // A batch made is not a batch run.
      await expectDone(['signIn', 'openView', 'createInputFile', 'execute', 'seeResult']);
      const batch = await ui.steps.webviewContent(page(), 'greetings.csv');
      await batch.getByRole('button', { name: tr('Start'), exact: true }).click();
      await batch.getByText(tr('{0} of {1} rows done', String(rows.length), String(rows.length))).first().waitFor({ timeout: 120_000 });
      await shot('06-batch');
      await stepImage('checkOrBatch', groupShowing('greetings.csv'), { width: 520, height: 260 });
      await openStep('checkOrBatch');
      await expectDone(walkthrough.steps.map((step) => step.id));
    });

    it('opens again from the welcome view\'s Get started link after signing out, every step still done', async () => {
      // The Cloud BOT view is open since step 2.
      await ui.steps.runCommand(page(), `Cloud BOT: ${nls['command.signOut']}`);
      const link = page().locator('.welcome-view-content').getByText(linkText('viewsWelcome.signedOut', 3), { exact: true });
      await link.waitFor();
      // Closed first (a middle click on its tab), so that it is the link that brings it back.
      await page().locator('.editor-group-container').filter({ has: walkthroughEditor() }).locator('.tab.active').click({ button: 'middle' });
      await walkthroughEditor().waitFor({ state: 'detached' });
      await link.click();
      await walkthroughEditor().getByText(nls['walkthrough.title']).first().waitFor();
      await expectDone(walkthrough.steps.map((step) => step.id));
      await shot('07-all-done');
    });
  });
}
