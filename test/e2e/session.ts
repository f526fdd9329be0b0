// What every UI test starts from: the emulator, a workspace pointed at it, and a workbench with the
// extension open in chromium. Screenshots and logs go to .test-artifacts/e2e/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';

const root = resolve(__dirname, '..', '..', '..');
const artifacts = join(root, '.test-artifacts', 'e2e');

export type Steps = typeof import('../../scripts/ui-steps.mjs');

interface Workbench {
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}

// The scripts are plain ESM shared with the demo: loaded as they are, not bundled.
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

export interface UiSession {
  emulator: RunningEmulator;
  /** The workspace folder the workbench has open. */
  workspace: string;
  page: Page;
  steps: Steps;
  /** Saves `<prefix><name>.png` once the screen has settled. */
  shot(name: string, options?: { on?: Page; quickInputOpen?: boolean }): Promise<void>;
  /** Signs in from the Cloud BOT view with the emulator's token that may execute, and waits for the contracts. */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Install these packages instead of loading the working tree. */
  vsix?: string[];
  /** VS Code's display language, e.g. "ja". */
  locale?: string;
  /** Test extensions of fixtures/ (see their README.md) loaded next to the working tree. */
  fixtures?: string[];
  /** User settings added to (or replacing) the test workbench's own. */
  userSettings?: Record<string, unknown>;
}

/** `files` are written into the workspace (name → content); user settings point at the emulator. */
export async function openUiSession(name: string, files: Record<string, string | Uint8Array> = {}, emulatorOptions: EmulatorOptions = {}, workbenchOptions: WorkbenchOptions = {}): Promise<UiSession> {
  mkdirSync(artifacts, { recursive: true });
  const steps = await load<Steps>('scripts/ui-steps.mjs');
  const { startWorkbench } = await load<{ startWorkbench(options: object): Promise<Workbench> }>('scripts/vscode-runner.mjs');
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  const workspace = mkdtempSync(join(tmpdir(), `cloudbot-e2e-${name}-`));
  let workbench: Workbench | undefined;
  const close = async () => {
    await workbench?.stop();
    await emulator.close();
    rmSync(workspace, { recursive: true, force: true });
  };
  try {
    for (const [file, content] of Object.entries(files)) writeFileSync(join(workspace, file), content);
    workbench = await startWorkbench({
      extensionPaths: [...(workbenchOptions.vsix ? [] : [root]), ...(workbenchOptions.fixtures ?? []).map((fixture) => join(root, 'test', 'e2e', 'fixtures', fixture))],
      vsix: workbenchOptions.vsix,
      locale: workbenchOptions.locale,
      workspacePath: workspace,
      // User settings, as a workspace cannot say where credentials go.
      userSettings: { 'cloudbot.apiBaseUrl': emulator.apiBaseUrl, 'cloudbot.oauthBaseUrl': emulator.oauthBaseUrl, ...workbenchOptions.userSettings },
      browser: true,
      artifactsDir: join(artifacts, `${name}-workbench`),
      log: () => undefined,
    });
    const page = await workbench.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url, { timeout: 60_000 });
    const shot: UiSession['shot'] = async (shotName, { on = page, quickInputOpen = false } = {}) => {
      if (on === page) await steps.settle(page, { quickInputOpen });
      await on.screenshot({ path: join(artifacts, `${name}-${shotName}.png`) });
    };
    const signIn = async () => {
      const token = emulator.tokens.find((t) => t.username === 'user@example.com' && t.permissions.includes('execute'))!;
      await steps.openCloudBotView(page);
      await steps.signInWithAccessToken(page, token);
      await steps.treeRow(page, 'example1').waitFor({ timeout: 60_000 });
    };
    return { emulator, workspace, page, steps, shot, signIn, close };
  } catch (error) {
    await close();
    throw error;
  }
}
