// Signing in with OAuth as a person does on this web host (code-server): the welcome view's button, the
// OAuth app set up on the way, the emulator's consent page in a browser tab, the address pasted back,
// and the account in the Accounts menu. Screenshots: .test-artifacts/e2e/sign-in-*.png.
import * as assert from 'node:assert/strict';
import { openUiSession, type UiSession } from './session';

describe('signing in with OAuth, as a person does it', function () {
  this.timeout(180_000);
  let ui: UiSession;

  before(async () => {
    ui = await openUiSession('sign-in');
    await ui.steps.openCloudBotView(ui.page);
  });

  after(() => ui?.close());

  it('goes from the welcome button through the consent page to a signed-in account', async () => {
    const { page, steps } = ui;
    const app = ui.emulator.oauthClients[0];
    await page.locator('.welcome-view-content').getByRole('button', { name: 'Sign in with Cloud BOT' }).click();
    // No OAuth app yet: the sign-in asks for it first.
    await steps.answerInputBox(page, 'Client ID', String(app.clientId));
    await steps.answerInputBox(page, 'Client secret', app.clientSecret);

    // The browser opens Cloud BOT's consent page in a new tab.
    const consent = await page.context().waitForEvent('page', { timeout: 30_000 });
    await consent.waitForLoadState();
    await consent.locator('#allow').waitFor();
    assert.match(await consent.locator('#scopes').innerText(), /Execute your BOTs/);
    await ui.shot('01-consent', { on: consent });
    // This host runs the manual flow: the browser stops on the loopback address, which nobody serves;
    // its address bar holds what the person copies.
    const [arrival] = await Promise.all([
      consent.waitForRequest(/^http:\/\/127\.0\.0\.1:33418\/callback\?code=/, { timeout: 30_000 }),
      consent.locator('#allow').click(),
    ]);
    const landed = arrival.url();
    await consent.close();

    await page.bringToFront();
    await page.locator('.quick-input-widget').filter({ hasText: 'Paste the whole address' }).waitFor();
    await ui.shot('02-paste-address', { quickInputOpen: true });
    await steps.answerInputBox(page, 'Paste the whole address', landed);

    for (const contract of ['example1', 'example2', 'example3']) await steps.treeRow(page, contract).waitFor();
    await ui.shot('03-signed-in');
  });

  it('shows the account in the Accounts menu', async () => {
    const { page } = ui;
    await page.locator('.activitybar .action-label[aria-label^="Accounts"]').click();
    const entry = page.locator('.monaco-menu .action-label, .context-view .action-label').filter({ hasText: 'user@example.com' }).first();
    await entry.waitFor({ timeout: 30_000 });
    assert.match(await entry.innerText(), /user@example\.com/);
    await ui.shot('04-accounts-menu');
    await page.keyboard.press('Escape');
  });
});
