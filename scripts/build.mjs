// Builds everything with esbuild: the extension, its lazily loaded libraries, its result page and the MCP server (dist/), and the tests and the emulator (out/).
// Type-checking is separate (`npm run typecheck`), as esbuild only strips types.
//   --production   only what ships, minified and without source maps (`vscode:prepublish`)
//   --watch        rebuild on every change
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cliBundle, extensionBundle, lazyBundles, mcpBundle, nodeBundle, webviewBundle } from './bundle-options.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const quiet = process.argv.includes('--quiet');
const root = new URL('..', import.meta.url).pathname;

function filesUnder(dir, pattern) {
  const found = [];
  if (!existsSync(join(root, dir))) return found;
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) found.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

const common = {
  sourcemap: !production,
  logLevel: quiet ? 'error' : 'warning',
  absWorkingDir: root,
};

const shipped = [
  // The extension itself: one file, `vscode` provided by the host.
  { ...common, ...extensionBundle, minify: production },
  { ...common, ...webviewBundle, minify: production },
  // The MCP server, started by VS Code's MCP client or any other agent as `node dist/mcp.js`.
  { ...common, ...mcpBundle, minify: production },
  // Libraries core loads on first use, each in a file of its own next to the extension's.
  ...lazyBundles.map((bundle) => ({ ...common, ...bundle, minify: production })),
  // The `cloudbot` command line, self-contained; a release asset of its own rather than part of the .vsix.
  { ...common, ...cliBundle, minify: production },
];
// Tests and the emulator: one bundle per entry point, kept under out/ with their source layout.
const development = [
  {
    ...common,
    ...nodeBundle,
    entryPoints: [
      ...filesUnder('test', /\.(test|e2e)\.ts$/),
      ...filesUnder('test/integration', /^(index|runElectron)\.ts$/),
      ...filesUnder('test/bench', /^(host|mcp)\.ts$/),
      'test/emulator/cli.ts',
    ],
    outdir: 'out',
    outbase: '.',
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
  },
];
const builds = production ? shipped : [...shipped, ...development];

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log(`watching ${relative(process.cwd(), root) || '.'} for changes`);
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  // Runnable as `./dist/cloudbot.js` too, as npm makes a bin.
  chmodSync(join(root, cliBundle.outfile), 0o755);
}
