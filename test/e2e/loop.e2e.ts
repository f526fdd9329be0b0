// The thin loop as a person does it, in a real workbench (code-server + chromium): the welcome view,
// signing in with an access token, the BOT tree, executing the echo BOT on an input file from the
// palette, and bad JSON refused. Screenshots go to .test-artifacts/e2e/.
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

// The scripts are plain ESM shared with the demo: loaded as they are, not bundled.
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

describe('the Cloud BOT loop, as a person does it', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let workbench: Workbench;
  let page: Page;
  let steps: Steps;
  let workspace: string;

  const shot = async (name: string) => {
    await steps.settle(page);
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
  };

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    emulator = await startEmulator({ port: 0 });
    workspace = mkdtempSync(join(tmpdir(), 'cloudbot-e2e-workspace-'));
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'cloudbot.apiBaseUrl': emulator.apiBaseUrl, 'cloudbot.oauthBaseUrl': emulator.oauthBaseUrl }),
    );
    writeFileSync(join(workspace, 'echo.input.json'), JSON.stringify({ Message: 'Hello from the UI test' }, null, 2));
    writeFileSync(join(workspace, 'broken.input.json'), '{\n  "Message": "no closing quote\n}\n');
    steps = await load<Steps>('scripts/ui-steps.mjs');
    const { startWorkbench } = await load<{ startWorkbench(options: object): Promise<Workbench> }>('scripts/vscode-runner.mjs');
    workbench = await startWorkbench({
      extensionPaths: [root],
      workspacePath: workspace,
      browser: true,
      artifactsDir: join(artifacts, 'workbench'),
      log: () => undefined,
    });
    page = await workbench.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url, { timeout: 60_000 });
  });

  after(async () => {
    await workbench?.stop();
    await emulator?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the welcome view with both ways to sign in while signed out', async () => {
    await steps.openCloudBotView(page);
    const welcome = page.locator('.welcome-view-content');
    await welcome.getByRole('button', { name: 'Sign in with Cloud BOT' }).waitFor();
    await welcome.getByRole('button', { name: 'Use an Access Token' }).waitFor();
    assert.match(await welcome.innerText(), /Sign in to Cloud BOT/);
    await shot('01-welcome');
  });

  it('signs in with an access token and lists the contracts', async () => {
    const token = emulator.tokens.find((t) => t.username === 'user@example.com' && t.permissions.includes('execute'))!;
    await steps.signInWithAccessToken(page, token);
    for (const contract of ['example1', 'example2', 'example3']) await steps.treeRow(page, contract).waitFor();
    await shot('02-contracts');
  });

  it('lists the BOTs of a contract', async () => {
    await steps.expandRow(page, 'example1');
    await steps.treeRow(page, 'Echo BOT').waitFor();
    await steps.treeRow(page, 'Long-running BOT').waitFor();
    await shot('03-bots');
  });

  it('executes the echo BOT with the open input file and shows the result', async () => {
    await steps.runCommand(page, 'Go to File');
    await page.keyboard.insertText('echo.input.json');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'echo.input.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active').filter({ hasText: 'echo.input.json' }).waitFor();
    await steps.runCommand(page, 'Cloud BOT: Execute BOT', 'example1 / echo');
    await steps.notification(page, 'Echo BOT: succeeded').waitFor({ timeout: 60_000 });
    await shot('04-executed');
    const [job] = emulator.jobs();
    assert.equal(job.status, 0);
    assert.deepEqual(job.input, { Message: 'Hello from the UI test' });
  });

  it('refuses bad JSON with its line and column, and sends nothing', async () => {
    const before = emulator.jobs().length;
    await steps.runCommand(page, 'Go to File');
    await page.keyboard.insertText('broken.input.json');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'broken.input.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active').filter({ hasText: 'broken.input.json' }).waitFor();
    await steps.runCommand(page, 'Cloud BOT: Execute BOT', 'example1 / echo');
    await steps.notification(page, 'Invalid JSON at line 2').waitFor();
    await shot('05-bad-json');
    assert.equal(emulator.jobs().length, before);
  });
});
