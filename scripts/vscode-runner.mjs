// Runs VS Code (code-server's web workbench in headless Debian chromium, driven by playwright-core)
// for the integration tests and for UI use (demo, UI tests). Why this route and the exact flags:
// shared/vscode-testing.md.
import { createHash } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureTools, onCleanup, root, run, seconds, startGroup, withTimeout } from './tools.mjs';

const HOST = '127.0.0.1';
// Printed by test/integration/index.ts around the mocha run.
const START_MARKER = 'CLOUDBOT_TEST_START';
const SUMMARY_PREFIX = 'CLOUDBOT_TEST_SUMMARY ';
// Workbench messages that arrive amid the test output (the smoke-test driver forwards the workbench's
// whole log with the extension host's); browser.log keeps them.
const WORKBENCH_NOISE = /^(Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[AccountPolicyGate\] )/;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A quiet, offline workbench: nothing to look up online, no editor opened over the views.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  // Hides the chat panel and its agent host, which otherwise logs GitHub sign-in look-ups mid-test.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // A fresh profile is a first install: no walkthrough opened over what a test looks at (ours opens on
  // a first activation; the walkthrough's own UI test turns this back on).
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // No search for ports to forward: in a remote extension host (code-server's is one; a desktop VS Code's
  // local host has none) it runs `ls -l /proc/*/fd/*` and reads /proc every few seconds, which on a
  // 2-core machine took a core from the tests and most of the garbage the bench measured in the host.
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
};
// Machine-scoped settings: a remote window (code-server's is one) and its extension host take them from
// the machine's settings, not the user's, so they are written there too.
const MACHINE_SCOPED = ['workbench.welcomePage.walkthroughs.openOnInstall', 'remote.autoForwardPorts', 'remote.autoForwardPortsSource'];
// Files this module writes into artifactsDir: removed first so none is left from an earlier run.
const ARTIFACTS = ['code-server.log', 'browser.log', 'workbench.png', 'vscode-logs', 'workbench-logs'];
// Top-level entries of an extension folder that a packaged extension would not contain either.
const NOT_PACKAGED = new Set(['node_modules', 'src', 'test', 'out', 'scripts']);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Hides the payload (which carries the extension environment) and the environment's values. */
function redactor(secrets) {
  const values = secrets.map(String).filter((value) => value.length >= 4);
  return (text) =>
    values.reduce((result, value) => result.split(value).join('***'), String(text).replace(/payload=[^\s"']+/g, 'payload=***'));
}

function healthy(port) {
  return new Promise((resolve) => {
    const request = get({ host: HOST, port, path: '/healthz', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false)); // not listening yet
  });
}

async function waitForHealth(port, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let gone;
  exited.then((result) => (gone = result));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`code-server exited during start-up (${gone.code ?? gone.signal})`);
    if (await healthy(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer /healthz within ${Math.round(timeoutMs / 1000)} s`);
}

/**
 * Starts code-server with everything it writes (settings, extensions, XDG folders) in a fresh temp
 * folder. `prepare(dirs, env)` runs before the server starts, e.g. to install extensions.
 * Its log and VS Code's own logs end up in artifactsDir when it stops.
 */
async function startCodeServer({ tools, port, smokeDriver, userSettings, locale, prepare, artifactsDir, log }) {
  for (const name of ARTIFACTS) rmSync(join(artifactsDir, name), { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'cloudbot-code-server-'));
  const dirs = {
    userData: join(tmp, 'user-data'),
    extensions: join(tmp, 'extensions'),
    config: join(tmp, 'config.yaml'),
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(join(dirs.userData, 'Machine'));
  mkdirSync(dirs.extensions);
  const settings = { ...DEFAULT_SETTINGS, ...userSettings };
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const machineSettings = Object.fromEntries(Object.entries(settings).filter(([key]) => MACHINE_SCOPED.includes(key)));
  writeFileSync(join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  const env = {
    ...process.env,
    HOME: tmp, // for anything that ignores the XDG variables
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    // No extension gallery: it is unreachable offline, and its failed look-ups land in the test log.
    EXTENSIONS_GALLERY: '{}',
  };
  // Inherited VS Code variables (when run from a VS Code terminal) would point the server at that VS Code.
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];
  const logFile = join(artifactsDir, 'code-server.log');

  let server;
  const stop = async () => {
    unregister();
    await server?.stop();
    const vscodeLogs = join(dirs.userData, 'logs');
    if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(artifactsDir, 'vscode-logs'), { recursive: true });
    rmSync(tmp, { recursive: true, force: true });
  };
  const unregister = onCleanup(stop);
  try {
    await prepare?.(dirs, env, logFile);
    port ??= await freePort();
    const started = Date.now();
    const args = [
      tools.codeServer,
      '--bind-addr', `${HOST}:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...(tools.reconnectionGraceTime ? ['--reconnection-grace-time', '5'] : []),
      '--config', dirs.config,
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      // The display language: extensions see it as vscode.env.language and load their translations.
      ...(locale ? ['--locale', locale] : []),
      // Makes the workbench honour the test payload and report through window.codeAutomation*.
      ...(smokeDriver ? tools.smokeTestDriverArgs : []),
    ];
    server = startGroup(tools.node, args, { env, logFile });
    await waitForHealth(port, server.exited, 60_000).catch((error) => {
      throw new Error(`${error.message}\n${server.tail()}\nFull log: ${logFile}`);
    });
    log(`vscode: code-server on ${HOST}:${port} (${seconds(started)})`);
    return { port, exited: server.exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Writes user-data/languagepacks.json for the language packs in the extensions dir, as VS Code does when
 * a language pack is installed from the UI; code-server's --install-extension leaves it out, and without
 * it --locale falls back to English.
 */
function registerLanguagePacks(dirs) {
  const packs = {};
  for (const name of readdirSync(dirs.extensions)) {
    const manifestPath = join(dirs.extensions, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
    for (const localization of manifest.contributes?.localizations ?? []) {
      const pack = (packs[localization.languageId] ??= { hash: '', extensions: [], translations: {}, label: localization.localizedLanguageName ?? localization.languageName });
      pack.extensions.push({ extensionIdentifier: { id }, version: manifest.version });
      for (const translation of localization.translations) pack.translations[translation.id] = join(dirs.extensions, name, translation.path);
      pack.hash = createHash('md5').update(pack.extensions.map((e) => `${e.extensionIdentifier.id}${e.version}`).join()).digest('hex');
    }
  }
  if (Object.keys(packs).length) writeFileSync(join(dirs.userData, 'languagepacks.json'), JSON.stringify(packs));
}

async function launchChromium(tools) {
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
    // Our own signal handling (tools.mjs) closes it along with everything else.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // playwright-core starts chromium in its own process group, with a fresh temporary profile.
  const unregister = onCleanup(() => browser.close());
  browser.once('disconnected', unregister);
  return browser;
}

function copyExtension(folder, extensionsDir) {
  const { publisher, name, version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  cpSync(folder, join(extensionsDir, `${publisher}.${name}-${version}`), {
    recursive: true,
    filter: (source) => {
      const top = source.slice(folder.length).split('/').filter(Boolean)[0];
      return top === undefined || !(top.startsWith('.') || NOT_PACKAGED.has(top) || top.endsWith('.vsix'));
    },
  });
}

/**
 * Runs an extension's test index (the @vscode/test-electron contract: `run(): Promise<void>`) inside
 * the extension host of a real VS Code. The test log is passed to `log` line by line; the counts come
 * from the index's CLOUDBOT_TEST_SUMMARY line. Never throws for a test failure, crash or timeout: it
 * returns failed > 0 and a `reason`.
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  workspacePath,
  extensionEnv = {},
  artifactsDir = join(root, '.test-artifacts', 'integration'),
  timeoutMs = 600_000,
  log = console.log,
  tools,
}) {
  const deadline = Date.now() + timeoutMs;
  const redact = redactor(Object.values(extensionEnv));
  let started = false;
  let summary;
  let outcome;
  let server;
  let browser;
  let browserLog;
  let timer;
  const errors = new Set(); // first lines of the error messages, for a run that never began
  const record = (level, text) => {
    const lines = redact(text).split('\n');
    browserLog.write(lines.map((line) => `[${level}] ${line}\n`).join(''));
    if (level === 'error' || level === 'pageerror') errors.add(lines[0]);
  };
  try {
    tools ??= await ensureTools({ log });
    server = await startCodeServer({ tools, smokeDriver: true, artifactsDir, log });
    browser = await launchChromium(tools);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The page's console repeats the workbench log below; only uncaught errors are added to it.
    browserLog = createWriteStream(join(artifactsDir, 'browser.log'));
    page.on('pageerror', (error) => record('pageerror', error.stack ?? String(error)));
    // Tabs the workbench opens (env.openExternal), e.g. a sign-in page; only origin and path are kept,
    // as their queries may carry OAuth codes.
    page.context().on('page', (opened) => opened.on('load', () => {
      const url = new URL(opened.url());
      record('tab', `${url.origin}${url.pathname}`);
    }));

    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    timer = setTimeout(() => finish({ reason: `timed out after ${Math.round(timeoutMs / 1000)} s` }), Math.max(0, deadline - Date.now()));
    page.on('crash', () => finish({ reason: 'the workbench page crashed' }));
    browser.on('disconnected', () => finish({ reason: 'chromium exited unexpectedly' }));
    server.exited.then(({ code, signal }) => finish({ reason: `code-server exited unexpectedly (${code ?? signal})` }));
    await page.exposeFunction('codeAutomationExit', (code, logs = []) => {
      // The workbench hands over its own logs (kept in the browser) with the exit code.
      for (const { relativePath, contents } of logs) {
        const file = join(artifactsDir, 'workbench-logs', relativePath);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, redact(contents));
      }
      finish({ code });
    });
    // The workbench's whole log comes through here, the test output among it: all of it goes to
    // browser.log, and the test output (between the index's start and summary lines) also to `log`.
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = format(...[message].flat());
      record(level, text);
      for (const line of text.split('\n')) {
        if (line.startsWith(START_MARKER)) started = true;
        else if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length));
        else if (started && !summary && !WORKBENCH_NOISE.test(line)) log(redact(line));
      }
    });

    const remote = (path) => `vscode-remote://${HOST}:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
      ...(Object.keys(extensionEnv).length ? [['extensionEnvironment', JSON.stringify(extensionEnv)]] : []),
    ];
    const url = new URL(`http://${HOST}:${server.port}/`);
    url.searchParams.set('folder', workspacePath);
    url.searchParams.set('payload', JSON.stringify(payload));
    await page.goto(url.href, { timeout: 60_000 });

    outcome = await finished;
    await page
      .screenshot({ path: join(artifactsDir, 'workbench.png'), timeout: 10_000 })
      .catch((error) => log(`vscode: no screenshot: ${error.message.split('\n')[0]}`));
  } catch (error) {
    outcome = { reason: redact(error.message) };
  } finally {
    clearTimeout(timer);
    await withTimeout(browser?.close() ?? Promise.resolve(), 15_000, 'closing chromium').catch(() => {});
    await server?.stop();
    browserLog?.end();
  }

  const exitCode = outcome.code ?? 1;
  let { passed = 0, failed = 0 } = summary ?? {};
  let reason = outcome.reason; // a time-out, crash or start-up failure
  if (!reason && !started) reason = 'the test index never started (could it be loaded?)';
  else if (!reason && !summary) reason = 'the test index ended without its CLOUDBOT_TEST_SUMMARY line';
  else if (!reason && exitCode !== 0 && failed === 0) reason = `the test run exited with code ${exitCode} although no test failed`;
  if (reason) failed = Math.max(failed, 1);
  if (!started && errors.size) {
    // The reason is then among the workbench's errors, which were not shown.
    log(`vscode: last errors in ${join(artifactsDir, 'browser.log')}:\n  ${[...errors].slice(-5).join('\n  ')}`);
  }
  if (reason) log(`vscode: integration run failed: ${reason} (artifacts: ${artifactsDir})`);
  return { passed, failed, exitCode, reason };
}

/**
 * Starts a workbench with the extension installed (from folders copied into a fresh extensions dir,
 * or one or more .vsix files) for a person or a UI test. Optionally launches chromium too (`browser: true`; the
 * caller opens pages). `exited` resolves if code-server ends by itself; `stop()` ends both.
 */
export async function startWorkbench({
  extensionPaths = [],
  vsix,
  workspacePath,
  userSettings = {},
  locale,
  port,
  smokeDriver = false,
  browser: withBrowser = false,
  artifactsDir = join(root, '.test-artifacts', 'workbench'),
  log = console.log,
  tools,
}) {
  tools ??= await ensureTools({ log });
  const server = await startCodeServer({
    tools,
    port,
    smokeDriver,
    userSettings,
    locale,
    artifactsDir,
    log,
    prepare: async (dirs, env, logFile) => {
      for (const folder of extensionPaths) copyExtension(folder, dirs.extensions);
      for (const file of [vsix ?? []].flat()) {
        const args = [tools.codeServer, '--install-extension', file, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
        await run(tools.node, args, { env, logFile, timeoutMs: 120_000, what: `installing ${basename(file)}` });
      }
      registerLanguagePacks(dirs);
    },
  });
  let browser;
  try {
    if (withBrowser) browser = await launchChromium(tools);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // Slashes left readable, as code-server writes the folder parameter itself.
  const folder = workspacePath ? `?folder=${encodeURIComponent(workspacePath).replaceAll('%2F', '/')}` : '';
  return {
    url: `http://${HOST}:${server.port}/${folder}`,
    port: server.port,
    browser,
    exited: server.exited,
    stop: async () => {
      await withTimeout(browser?.close() ?? Promise.resolve(), 15_000, 'closing chromium').catch(() => {});
      await server.stop();
    },
  };
}
