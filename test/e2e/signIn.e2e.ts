// Signing in with OAuth as a person does on this web host (code-server): the welcome view's button, the
// OAuth app set up on the way, the emulator's consent page in a browser tab, the address pasted back,
// and the account in the Accounts menu. Screenshots go to .test-artifacts/e2e/sign-in-*.png.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../emulator';

const root = resolve(__dirname, '..', '..', '..');
const artifacts = join(root, '.test-artifacts', 'e2e');

interface Workbench {
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}
type Steps = typeof import('../../scripts/ui-steps.mjs');
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

describe('signing in with OAuth, as a person does it', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let workbench: Workbench;
  let page: Page;
  let steps: Steps;
  let workspace: string;

  const shot = async (name: string, { on = page, quickInputOpen = false } = {}) => {
    if (on === page) await steps.settle(page, { quickInputOpen });
    await on.screenshot({ path: join(artifacts, `sign-in-${name}.png`) });
  };

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    emulator = await startEmulator({ port: 0 });
    workspace = mkdtempSync(join(tmpdir(), 'cloudbot-e2e-signin-'));
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'cloudbot.apiBaseUrl': emulator.apiBaseUrl, 'cloudbot.oauthBaseUrl': emulator.oauthBaseUrl }),
    );
    steps = await load<Steps>('scripts/ui-steps.mjs');
    const { startWorkbench } = await load<{ startWorkbench(options: object): Promise<Workbench> }>('scripts/vscode-runner.mjs');
    workbench = await startWorkbench({
      extensionPaths: [root],
      workspacePath: workspace,
      browser: true,
      artifactsDir: join(artifacts, 'sign-in-workbench'),
      log: () => undefined,
    });
    page = await workbench.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url, { timeout: 60_000 });
    await steps.openCloudBotView(page);
  });

  after(async () => {
    await workbench?.stop();
    await emulator?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('goes from the welcome button through the consent page to a signed-in account', async () => {
    const app = emulator.oauthClients[0];
    await page.locator('.welcome-view-content').getByRole('button', { name: 'Sign in with Cloud BOT' }).click();
    // No OAuth app yet: the sign-in asks for it first.
    await steps.answerInputBox(page, 'Client ID', String(app.clientId));
    await steps.answerInputBox(page, 'Client secret', app.clientSecret);

    // The browser opens Cloud BOT's consent page in a new tab.
    const consent = await page.context().waitForEvent('page', { timeout: 30_000 });
    await consent.waitForLoadState();
    await consent.locator('#allow').waitFor();
    assert.match(await consent.locator('#scopes').innerText(), /Execute your BOTs/);
    await shot('01-consent', { on: consent });
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
    await shot('02-paste-address', { quickInputOpen: true });
    await steps.answerInputBox(page, 'Paste the whole address', landed);

    for (const contract of ['example1', 'example2', 'example3']) await steps.treeRow(page, contract).waitFor();
    await shot('03-signed-in');
  });

  it('shows the account in the Accounts menu', async () => {
    await page.locator('.activitybar .action-label[aria-label^="Accounts"]').click();
    const entry = page.locator('.monaco-menu .action-label, .context-view .action-label').filter({ hasText: 'user@example.com' }).first();
    await entry.waitFor({ timeout: 30_000 });
    assert.match(await entry.innerText(), /user@example\.com/);
    await page.screenshot({ path: join(artifacts, 'sign-in-04-accounts-menu.png') });
    await page.keyboard.press('Escape');
  });
});
