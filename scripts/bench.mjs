// `npm run bench`: the performance figures as a table, each the median of several runs, with what it
// is compared to measured in the same run. Sizes and the bundle's load time are measured here; the
// rest inside a real VS Code's extension host (test/bench/host.ts) against emulators on 127.0.0.1, and
// the MCP server in plain Node (test/bench/mcp.ts).
//   node scripts/bench.mjs [--runs n] [--batches] [--mcp]   n runs of the extension host part (default 3);
//   --batches adds the batch figures, measured once in a run of their own (about 25 minutes);
//   --mcp measures only the MCP server (its bundle's size, its start, a round trip; under a minute)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extensionBundle, lazyBundles, mcpBundle } from './bundle-options.mjs';
import { buildMinified, packageExtension } from './package.mjs';
import { exec, exit, MINUTE, root } from './tools.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, batches: { type: 'boolean', default: false }, mcp: { type: 'boolean', default: false } } });
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const figures = new Map(); // name → { unit, values }
const add = (name, value, unit) => {
  const entry = figures.get(name) ?? { unit, values: [] };
  entry.values.push(value);
  figures.set(name, entry);
};

/** Loads the minified bundle in a fresh Node process with a stand-in `vscode` module, `runs` times. */
function bundleLoad(bundle, runs = 7) {
  const probe = `
    const Module = require('module');
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? {} : load.call(this, request, ...rest); };
    const started = performance.now();
    require(${JSON.stringify(bundle)});
    process.stdout.write(String(performance.now() - started));`;
  for (let run = 0; run < runs; run++) add('activation: time to load the bundle', Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })), 'ms');
}

/** Takes a `CLOUDBOT_BENCH {json}` line of a measuring child as a figure, and shows any other line. */
function figureOrLog(line) {
  const match = /^CLOUDBOT_BENCH (.*)$/.exec(line);
  if (!match) return console.log(`  ${line}`);
  const { name, value, unit } = JSON.parse(match[1]);
  add(name, value, unit);
}

/** The MCP server as it ships (minified, next to the node-fetch bundle it loads), started and driven in plain Node. */
async function mcpServer(work) {
  const dir = join(work, 'mcp');
  const server = join(dir, 'mcp.js');
  await buildMinified(mcpBundle, server);
  await buildMinified(lazyBundles.find((bundle) => bundle.outfile === 'dist/fetch.js'), join(dir, 'fetch.js'));
  add('size: MCP server bundle (dist/mcp.js, minified)', statSync(server).size / 1024, 'KB');
  console.log('bench: MCP server…');
  const { reason, tail } = await exec(process.execPath, [join(root, 'out', 'test', 'bench', 'mcp.js'), server], { timeoutMs: 5 * MINUTE, onLine: figureOrLog });
  if (reason) throw new Error(`the MCP part failed: ${reason}\n${tail}`);
}

/** The extension's sizes and load time, then its figures inside VS Code's extension host. */
async function extension(work) {
  const bundle = join(work, 'extension.min.js');
  await buildMinified(extensionBundle, bundle);
  const packaged = await packageExtension(join(work, 'cloudbot-vscode.vsix'));
  add('size: minified bundle', packaged.bundleBytes / 1024, 'KB');
  add('size: .vsix', packaged.bytes / 1024, 'KB');
  bundleLoad(bundle);

  const { runExtensionTests } = await import('./vscode-runner.mjs');
  /** One run of the extension host part; `part` chooses what host.ts measures. */
  const hostRun = async (title, part, timeoutMs) => {
    console.log(`bench: ${title}…`);
    const workspacePath = mkdtempSync(join(work, 'workspace-'));
    process.env.CLOUDBOT_BENCH_PART = part;
    const outcome = await runExtensionTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'bench', 'host.js'),
      workspacePath,
      artifactsDir: join(root, '.test-artifacts', 'bench'),
      timeoutMs,
      log: figureOrLog,
    });
    if (outcome.failed || outcome.reason) throw new Error(`the extension host part failed: ${outcome.reason ?? 'see .test-artifacts/bench'}`);
  };
  for (let run = 1; run <= Number(values.runs); run++) await hostRun(`extension host run ${run} of ${values.runs}`, 'all', 10 * MINUTE);
  // Three batches of 1,000 rows of a 2 s BOT take about 25 minutes: measured once.
  if (values.batches) await hostRun('batches of 1,000 rows (about 25 minutes)', 'batches', 45 * MINUTE);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'cloudbot-bench-'));
  try {
    const built = await exec(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { timeoutMs: 5 * MINUTE });
    if (built.reason) throw new Error(`the build failed: ${built.reason}`);
    await mcpServer(work);
    if (!values.mcp) await extension(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = [...figures].map(([name, { unit, values: list }]) => `| ${name} | ${format(median(list))} ${unit} | ${list.length} |`);
  const table = ['| Figure | Median | Runs |', '| --- | ---: | ---: |', ...rows].join('\n');
  console.log(`\n${table}\n`);
  mkdirSync(join(root, '.test-artifacts'), { recursive: true });
  writeFileSync(join(root, '.test-artifacts', values.mcp ? 'bench-mcp.md' : 'bench.md'), `${table}\n`);
}

function format(value) {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

main().then(
  () => exit(0),
  (error) => {
    console.error(`bench: ${error.message}`);
    exit(1);
  },
);
