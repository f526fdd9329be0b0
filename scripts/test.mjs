// The project's test command (`npm test`, also what CI runs): install, type-check, lint, the check of
// translations, build, unit tests, integration tests inside two real VS Codes (the lowest the extension
// supports and the latest), UI tests. It goes on after a failed step where later steps can still run, so
// one run shows every failure, and ends with one line "N passed, N failed".
//   --skip-install           do not run `npm ci` even when node_modules looks stale
//   --only unit|integration  build and run just that suite
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CODE_SERVERS, dependenciesStale, ensureTools, exec, exit, MINUTE, npmCi, root, seconds } from './tools.mjs';

const { values: options } = parseArgs({
  options: { 'skip-install': { type: 'boolean', default: false }, only: { type: 'string' } },
});
if (options.only && !['unit', 'integration'].includes(options.only)) {
  console.error(`--only takes "unit" or "integration", not "${options.only}"`);
  process.exit(2);
}
const wanted = (suite) => !options.only || options.only === suite;
const checks = !options.only;
const node = (script, args = []) => [process.execPath, [join(root, script), ...args]];

const results = [];
let testsRan = 0;

/**
 * Runs one step under a header and records its outcome. `fn` returns { passed, failed } for test
 * suites, or { reason } (a failed check) / {} (a passed check) with `counts: 'check'`; steps that are
 * neither (install, build, tools) count only when they fail.
 */
async function step(name, { counts }, fn) {
  console.log(`\n━━ ${name}`);
  const started = Date.now();
  let outcome;
  try {
    outcome = await fn();
  } catch (error) {
    outcome = { reason: error.message };
  }
  let { passed = 0, failed = 0 } = outcome;
  if (counts === 'check') [passed, failed] = outcome.reason ? [0, 1] : [1, 0];
  else if (outcome.reason) failed = Math.max(failed, 1);
  if (counts === 'tests') testsRan += passed + failed;
  const ok = !outcome.reason && failed === 0;
  const detail = counts === 'tests' ? `${passed} passing, ${failed} failing` : ok ? 'ok' : 'FAILED';
  console.log(`━━ ${name}: ${detail}${outcome.reason ? ` (${outcome.reason})` : ''} [${seconds(started)}]`);
  results.push({ name, passed, failed, ok });
  return ok;
}

const show = (line) => console.log(line);
/** A command whose output is shown as it comes; fails on a non-zero exit. */
const command = (cmd, args, { timeoutMs = 10 * MINUTE, onLine = show } = {}) => exec(cmd, args, { timeoutMs, onLine });

/** Runs mocha with the spec reporter and reads the counts from its closing "N passing / N failing". */
async function mocha(args, timeoutMs) {
  const counts = { passing: 0, failing: 0 };
  const { reason } = await command(...node('node_modules/mocha/bin/mocha.js', ['--reporter', 'spec', ...args]), {
    timeoutMs,
    onLine: (line) => {
      show(line);
      const match = /^\s+(\d+) (passing|failing)\b/.exec(line);
      if (match) counts[match[2]] = Number(match[1]);
    },
  });
  return { passed: counts.passing, failed: counts.failing, reason: reason && counts.failing === 0 ? reason : undefined };
}

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(dir, file))
    .sort();
}

/** The floor's VS Code must be the one package.json's engines.vscode names, or the floor is not what is tested. */
function checkFloor(vscodeVersion) {
  const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const declared = /^\^(\d+\.\d+)\./.exec(engines.vscode)?.[1];
  if (!vscodeVersion.startsWith(`${declared}.`)) throw new Error(`engines.vscode is ${engines.vscode}, but the floor's code-server has VS Code ${vscodeVersion}`);
}

/** The integration suite inside the extension host of the VS Code that `tools` holds. */
async function integrationTests(tools) {
  const { runExtensionTests } = await import('./vscode-runner.mjs');
  const workspacePath = mkdtempSync(join(tmpdir(), 'cloudbot-integration-workspace-'));
  try {
    return await runExtensionTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
      workspacePath,
      artifactsDir: join(root, '.test-artifacts', `integration-${tools.vscodeVersion}`),
      timeoutMs: 15 * MINUTE,
      log: console.log,
      tools,
    });
  } finally {
    rmSync(workspacePath, { recursive: true, force: true });
  }
}

async function main() {
  if (!options['skip-install'] && dependenciesStale()) {
    if (!(await step('install (npm ci)', {}, () => npmCi({ onLine: show })))) return;
  }
  if (checks) {
    // The extension and tests for Node, and the result page for the browser: both checked, so both lists of errors show.
    await step('type-check (tsc)', { counts: 'check' }, async () => {
      const outcomes = [];
      for (const project of ['.', 'src/webview']) outcomes.push(await command(...node('node_modules/typescript/bin/tsc', ['--noEmit', '-p', project])));
      return outcomes.find((outcome) => outcome.reason) ?? {};
    });
    await step('lint (eslint)', { counts: 'check' }, () => command(...node('node_modules/eslint/bin/eslint.js', ['.'])));
    await step('translations (English, Japanese)', { counts: 'check' }, () => command(...node('scripts/l10n.mjs')));
  }
  if (!(await step('build', {}, () => command(...node('scripts/build.mjs'), { timeoutMs: 5 * MINUTE })))) return;

  if (wanted('unit')) await step('unit tests', { counts: 'tests' }, () => mocha([], 10 * MINUTE));

  if (wanted('integration')) {
    // In the lowest VS Code the extension supports, then in the latest.
    for (const vscode of ['floor', 'latest']) {
      const { version, nodeMajor } = CODE_SERVERS[vscode];
      let tools;
      const toolsReady = await step(`tools (Node ${nodeMajor}, code-server ${version}, chromium)`, {}, async () => {
        tools = await ensureTools({ log: console.log, vscode });
        if (vscode === 'floor') checkFloor(tools.vscodeVersion);
        return {};
      });
      if (toolsReady) await step(`integration tests (VS Code ${tools.vscodeVersion})`, { counts: 'tests' }, () => integrationTests(tools));
    }
  }

  if (checks) {
    const e2e = filesUnder(join(root, 'out', 'test', 'e2e'), '.e2e.js');
    if (e2e.length === 0) console.log('\n━━ UI tests: none yet (no out/test/e2e/**/*.e2e.js)');
    else await step('UI tests (Playwright)', { counts: 'tests' }, () => mocha(['--no-config', '--timeout', '120000', ...e2e], 30 * MINUTE));
  }
}

const started = Date.now();
await main();
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
console.log(`\n━━ summary [${seconds(started)}]`);
for (const result of results) console.log(`  ${result.ok ? '✔' : '✘'} ${result.name}`);
if (testsRan === 0 && failed === 0) console.log('  ✘ no test ran');
console.log(`${passed} passed, ${failed} failed`);
exit(failed > 0 || testsRan === 0 ? 1 : 0);
