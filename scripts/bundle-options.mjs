// The esbuild options of the bundles, shared by the build (scripts/build.mjs) and the package
// (scripts/package.mjs), so that what is tested is what ships.
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/**
 * Code loaded on first use (by src/core/http.ts, src/core/tables/libraries.ts and tableFiles.ts,
 * src/core/checks/library.ts and evaluate.ts, src/core/batch/library.ts, and the agent tools'
 * src/agents/languageModelTools.ts), each built into a bundle of its own: the source file that
 * re-exports it, and the bundle that ships next to dist/extension.js.
 */
const lazy = {
  'src/core/libs/fetch.ts': 'dist/fetch.js',
  'src/core/tables/libs/text.ts': 'dist/tables.js',
  'src/core/tables/libs/xlsx.ts': 'dist/xlsx.js',
  'src/core/tables/libs/files.ts': 'dist/tablefiles.js',
  'src/core/agent/libs/tools.ts': 'dist/agent.js',
  'src/core/checks/libs/schema.ts': 'dist/schema.js',
  'src/core/checks/libs/checks.ts': 'dist/checks.js',
  'src/core/batch/libs/engine.ts': 'dist/batch.js',
};

/**
 * Makes every import of a lazy library's source file a require of its bundle instead: relative to the
 * bundle's own file (dist/extension.js, later dist/cli.js), or by absolute path for builds into a
 * folder (the tests under out/, at several depths, which never ship).
 */
const lazyLibraries = {
  name: 'lazy-libraries',
  setup(build) {
    const { outfile } = build.initialOptions;
    build.onResolve({ filter: /\/libs\/[a-z]+$/ }, ({ path, resolveDir }) => {
      const source = relative(root, resolve(resolveDir, `${path}.ts`));
      const bundle = lazy[source];
      if (!bundle) return undefined;
      const target = join(root, bundle);
      return { path: outfile ? `./${relative(dirname(resolve(root, outfile)), target)}` : target, external: true };
    });
  },
};

/** Every bundle for VS Code's extension host: one CommonJS file for its Node. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build (its "main") hides requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  plugins: [lazyLibraries],
  // fetch-blob (under node-fetch) loads a web streams polyfill only where globalThis.ReadableStream is
  // missing, which VS Code's Node (20 and later) never is: 59 KB unused.
  external: ['web-streams-polyfill/*'],
};

/** The lazily loaded libraries' bundles (see `lazy`). */
export const lazyBundles = Object.entries(lazy).map(([source, outfile]) => ({ ...nodeBundle, entryPoints: [source], outfile }));

/** The extension itself. */
export const extensionBundle = {
  ...nodeBundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  // `vscode` is the host's.
  external: [...nodeBundle.external, 'vscode'],
};

/**
 * The MCP SDK's Server builds an ajv JSON Schema validator by default (two copies of ajv 8 here: the
 * SDK's and ajv-formats' own, as eslint keeps ajv 6 at the top), and uses it only to check the answers
 * to elicitation requests, which our server never sends: 230 KB minified for nothing. The bundle gets a
 * validator that refuses instead.
 */
const withoutAjv = {
  name: 'without-ajv',
  setup(build) {
    build.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, ({ importer }) =>
      importer.includes('@modelcontextprotocol/sdk') ? { path: 'ajv-provider', namespace: 'without-ajv' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'without-ajv' }, () => ({
      contents: "export class AjvJsonSchemaValidator { getValidator() { throw new Error('No JSON Schema validator in the Cloud BOT MCP server.'); } }",
      loader: 'js',
    }));
  },
};

/**
 * The MCP server (`node dist/mcp.js`), a bundle of its own so that it weighs nothing on the extension's.
 * It sits next to the lazy libraries' bundles, and loads node-fetch from dist/fetch.js like the extension.
 */
export const mcpBundle = {
  ...nodeBundle,
  entryPoints: ['src/mcp/main.ts'],
  outfile: 'dist/mcp.js',
  plugins: [...nodeBundle.plugins, withoutAjv],
};

/**
 * The command line (`node dist/cloudbot.js`, the package's `cloudbot` bin): one file with everything in
 * it, the lazily loaded libraries and the MCP server included, so that the file alone runs in a clean
 * folder (a CI job downloads just it). Released on its own, not in the .vsix.
 */
export const cliBundle = {
  ...nodeBundle,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cloudbot.js',
  plugins: [withoutAjv],
  // ES modules among the libraries (fdir, under tinyglobby) ask for import.meta.url, which a CommonJS
  // file has not: it is this file's URL.
  banner: { js: "#!/usr/bin/env node\n'use strict';\nconst importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': 'importMetaUrl' },
};

/** The result, batch and live panels' pages: one script each for the webview's browser, no module loader there. */
export const webviewBundle = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  entryPoints: ['src/webview/result.ts', 'src/webview/batch.ts', 'src/webview/live.ts'],
  // src/views/webviewHtml.ts loads them from here.
  outdir: 'dist/webview',
};
