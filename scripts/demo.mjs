// `npm run demo`: the extension in a browser VS Code (code-server) talking to the Cloud BOT emulator,
// for trying it by hand. Everything listens on 127.0.0.1 only and stops on Ctrl-C.
//   --port N        workbench port (default 8080)
//   --check         open the workbench in headless chromium, save .test-artifacts/demo.png, print OK, stop
//   --skip-install  do not run `npm ci` even when node_modules looks stale
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clickCodeLens, expandRow, openCloudBotView, openFile, signInWithAccessToken, treeRow, webviewContent } from './ui-steps.mjs';
import { dependenciesStale, ensureTools, exit, MINUTE, npmCi, root, run, startGroup, step, withTimeout } from './tools.mjs';

const LIFETIME_SECONDS = 8 * 60 * 60;
const CHECK_TIMEOUT_MS = 5 * MINUTE;
const workspacePath = join(root, '.cache', 'demo-workspace');
const artifactsDir = join(root, '.test-artifacts', 'demo');
const screenshot = join(root, '.test-artifacts', 'demo.png');

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    check: { type: 'boolean', default: false },
    'skip-install': { type: 'boolean', default: false },
  },
});
const port = Number(options.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port takes a port number, not "${options.port}"`);
  process.exit(2);
}
const log = (line) => console.log(line);

/** Starts the emulator CLI and reads the URLs and demo credentials from its first stdout line. */
async function startEmulator() {
  const args = [join(root, 'out', 'test', 'emulator', 'cli.js'), '--port', '0', '--auto-approve', '--max-lifetime-seconds', String(LIFETIME_SECONDS)];
  const logFile = join(artifactsDir, 'emulator.log');
  rmSync(logFile, { force: true });
  let ready;
  let described = false;
  const info = new Promise((resolve, reject) => (ready = { resolve, reject }));
  const emulator = startGroup(process.execPath, args, {
    // The first stdout line carries the demo credentials: it is parsed, never written to the log.
    onLine: (line, stream) => {
      if (stream === 'stdout' && !described) {
        described = true;
        try {
          ready.resolve(JSON.parse(line));
        } catch {
          ready.reject(new Error('the emulator\'s first output line is not its JSON description'));
        }
        return;
      }
      appendFileSync(logFile, `${line}\n`);
    },
  });
  emulator.exited.then(({ code, signal }) => ready.reject(new Error(`the emulator exited (${code ?? signal}):\n${emulator.tail()}`)));
  const timer = setTimeout(() => ready.reject(new Error('the emulator did not start within 30 s')), 30_000);
  try {
    return { ...(await info), stop: emulator.stop, exited: emulator.exited };
  } catch (error) {
    await emulator.stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh workspace with an input file for each of the emulator's BOTs worth trying. */
function writeWorkspace() {
  rmSync(workspacePath, { recursive: true, force: true });
  mkdirSync(workspacePath, { recursive: true });
  const inputFile = (id, name, input) => ({ bot: { contract: 'example1', id, name }, input, options: {} });
  const files = {
    'echo.cloudbot.json': inputFile('echo', 'Echo BOT', { Message: 'Hello from VS Code' }),
    'all_outputs.cloudbot.json': inputFile('all_outputs', 'All Outputs BOT', {}),
    'with_defaults.cloudbot.json': inputFile('with_defaults', 'BOT With Defaults', { Name: 'Hanako Yamada', Colors: ['blue', 'white'], Orders: [{ Item: 'Green tea', Quantity: '3' }] }),
    'long_running.cloudbot.json': inputFile('long_running', 'Long-running BOT', { Message: 'Suspend me from its result panel' }),
    'large_output.cloudbot.json': inputFile('large_output', 'Large Output BOT', {}),
    'plain-input.json': { Message: 'Any JSON file (or a selection in it) can be the input: run "Cloud BOT: Execute BOT" and pick a BOT.' },
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(workspacePath, name), `${JSON.stringify(content, null, 2)}\n`);
}

/** Signs in as a person would and waits for the emulator's BOTs in the Cloud BOT view; throws if they do not appear. */
async function check(workbench, emulator) {
  const page = await workbench.browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(workbench.url, { timeout: 60_000 });
    // The walkthrough opens by itself on the first activation.
    await page.locator('.gettingStartedContainer').getByText('Get started with Cloud BOT').first().waitFor({ timeout: 60_000 });
    await openCloudBotView(page);
    await signInWithAccessToken(page, emulator.tokens[0]);
    await expandRow(page, 'example1');
    await treeRow(page, 'Echo BOT').waitFor({ timeout: 30_000 });
    // The first result, as a newcomer gets it: the echo input file run from its CodeLens.
    await openFile(page, 'echo.cloudbot.json');
    await clickCodeLens(page, 'Echo BOT');
    const panel = await webviewContent(page, 'Echo BOT');
    await panel.getByText('Hello from VS Code').first().waitFor({ timeout: 60_000 });
  } finally {
    // Also on failure: it shows how far the workbench got.
    await page.screenshot({ path: screenshot });
  }
}

function printInstructions(workbench, emulator) {
  const token = emulator.tokens?.[0];
  console.log(`
Cloud BOT demo is running.
  Open:      ${workbench.url}
  Emulator:  API ${emulator.apiBaseUrl}, OAuth ${emulator.oauthBaseUrl}
  Workspace: ${workspacePath} (the throwaway profile's user settings point the extension at the emulator)

The "Get started with Cloud BOT" walkthrough opens first (again from the palette: "Cloud BOT: Get Started").
Sign in: click the Cloud BOT icon in the activity bar, then "Use an Access Token", and paste the emulator's demo
access token and secret key (throwaway credentials that only this local emulator accepts):
  access token: ${token?.accessToken}
  secret key:   ${token?.secretKey}
  permissions:  ${token?.permissions?.join(', ')}
Then open echo.cloudbot.json and click "▶ Execute Echo BOT" above its first line: the result panel
opens beside it. The other *.cloudbot.json files try the other BOTs (a table of rows, a long job to
suspend, a 3 MB output). Servers listen on 127.0.0.1 only (forward the port
to reach them from another machine). Press Ctrl-C to stop.`);
}

async function main() {
  mkdirSync(artifactsDir, { recursive: true });
  if (!options['skip-install'] && dependenciesStale()) {
    await step(log, 'demo: npm ci', async () => {
      const { reason, tail } = await npmCi();
      if (reason) throw new Error(`npm ci failed: ${reason}\n${tail}`);
    });
  }
  // Only now: it needs playwright-core, which npm ci may just have installed.
  const { startWorkbench } = await import('./vscode-runner.mjs');
  await step(log, 'demo: build', () => run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { timeoutMs: 5 * MINUTE, what: 'build' }));
  const tools = await ensureTools({ log });
  const emulator = await startEmulator();
  let workbench;
  try {
    writeWorkspace();
    workbench = await startWorkbench({
      extensionPaths: [root],
      workspacePath,
      userSettings: {
        // The demo workspace lives inside this repository: no prompt to open the repository around it.
        'git.openRepositoryInParentFolders': 'never',
        // A fresh profile is a first install: the Get Started walkthrough opens, as for a newcomer.
        'workbench.welcomePage.walkthroughs.openOnInstall': true,
        // User settings, as a workspace cannot say where credentials go.
        'cloudbot.apiBaseUrl': emulator.apiBaseUrl,
        'cloudbot.oauthBaseUrl': emulator.oauthBaseUrl,
      },
      port,
      browser: options.check,
      artifactsDir,
      log,
      tools,
    });
    if (options.check) {
      await withTimeout(check(workbench, emulator), CHECK_TIMEOUT_MS, 'the demo check');
      console.log(`demo check: OK, the Get Started walkthrough opened, signed in, the Cloud BOT view lists the emulator's BOTs, and echo.cloudbot.json ran from its CodeLens into the result panel (screenshot: ${screenshot})`);
      return;
    }
    printInstructions(workbench, emulator);
    // Runs until Ctrl-C (tools.mjs stops everything), or until the emulator's lifetime ends or a server dies.
    const ended = await Promise.race([
      emulator.exited.then(({ code, signal }) => `the emulator stopped (${code ?? signal})`),
      workbench.exited.then(({ code, signal }) => `code-server stopped (${code ?? signal})`),
    ]);
    throw new Error(ended);
  } finally {
    await workbench?.stop();
    await emulator.stop();
  }
}

try {
  await main();
} catch (error) {
  console.error(`demo: ${error.message}`);
  exit(1);
}
exit(0);
