// Watching a running job as a person does: its result panel shows its time against the BOT's usual run
// time, Watch Live there opens the emulator's cast page inside VS Code beside it, and the live panel
// says the job ended when it does. Screenshots: .test-artifacts/e2e/watch-*.png.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { fixtureWithEchoBot } from '../emulator/testing';
import { openUiSession, type UiSession } from './session';

const BOT = 'Price Check BOT';

describe('watching a running job, as a person does', function () {
  this.timeout(240_000);
  let ui: UiSession;

  before(async () => {
    // A BOT that runs for 45 s, and usually for 40 s (three successful runs in Cloud BOT's history):
    // long enough that a busy machine still reaches its cast while it runs.
    const fixture = fixtureWithEchoBot('price_check', 45_000);
    fixture.contracts.find((contract) => contract.publicId === 'example1')!.bots.find((bot) => bot.id === 'price_check')!.name = BOT;
    for (const [day, elapsedTime] of [[1, 38], [2, 40], [3, 44]]) fixture.jobs!.push({ publicId: 'example1', botId: 'price_check', status: 0, startTime: `2026-01-0${day}T09:00:00Z`, elapsedTime });
    ui = await openUiSession('watch', { 'price.cloudbot.json': JSON.stringify({ bot: { contract: 'example1', id: 'price_check' }, input: {}, options: {} }, null, 2) }, { fixture });
    await ui.signIn();
  });

  after(() => ui?.close());

  /** The content of the visible webview that shows `text` (several are visible side by side). */
  async function webviewShowing(text: string): Promise<FrameLocator> {
    const frames = ui.page.locator('iframe.webview.ready');
    for (let tries = 0; tries < 300; tries++) {
      for (let n = 0; n < (await frames.count()); n++) {
        const content = ui.page.frameLocator('iframe.webview.ready').nth(n).frameLocator('#active-frame');
        if (await content.getByText(text).first().isVisible().catch(() => false)) return content;
      }
      await ui.page.waitForTimeout(200);
    }
    throw new Error(`no webview shows "${text}"`);
  }

  it('shows the cast of a running job inside VS Code, beside its result', async () => {
    // The BOT's row lists its history, so its usual run time is known.
    await ui.steps.expandRow(ui.page, 'example1');
    await ui.steps.expandRow(ui.page, BOT);
    await ui.steps.treeRow(ui.page, '44 s').waitFor({ timeout: 60_000 });
    await ui.steps.openFile(ui.page, 'price.cloudbot.json');
    await ui.steps.clickCodeLens(ui.page, 'Execute');
    const result = await webviewShowing('usually 40 s');
    await result.getByText(/^usually 40 s, \d+ s so far$/).waitFor({ timeout: 60_000 });
    await result.getByRole('button', { name: 'Watch Live' }).click();
    const live = await webviewShowing(`${BOT} · `);
    const cast = live.frameLocator('iframe.cast-frame');
    await cast.getByText('running').waitFor({ timeout: 60_000 });
    assert.match(await cast.locator('body').innerText(), new RegExp(`BOT ${BOT}, job [0-9a-f-]+ started .*: running`));
    assert.equal(await live.getByRole('button', { name: 'Open in Browser' }).count(), 1);
    // The result panel and the tab title say which job this is.
    await ui.page.locator('.tab').filter({ hasText: `Live: ${BOT} · ` }).waitFor();
    await ui.shot('01-live');
  });

  it('stops showing the cast when the job ends, and says how it ended', async () => {
    const live = await webviewShowing('has ended');
    await live.getByText('The job has ended: Succeeded. Its cast is over.').waitFor();
    assert.equal(await live.locator('iframe').count(), 0, 'the cast is no longer framed');
    await live.getByRole('button', { name: 'Show Result' }).waitFor();
    await ui.shot('02-ended');
  });
});
