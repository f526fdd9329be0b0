// The esbuild options of the bundles, shared by the build (scripts/build.mjs) and the package
// (scripts/package.mjs), so that what is tested is what ships.

/** Every bundle for VS Code's extension host: one CommonJS file for its Node. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build (its "main") hides requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
};

/** The extension itself. */
export const extensionBundle = {
  ...nodeBundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  // `vscode` is the host's. fetch-blob (under node-fetch) loads a web streams polyfill only where
  // globalThis.ReadableStream is missing, which VS Code's Node (20 and later) never is: 59 KB unused.
  external: ['vscode', 'web-streams-polyfill/*'],
};

/** The result panel's page: one script for the webview's browser, no module loader there. */
export const webviewBundle = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  entryPoints: ['src/webview/result.ts'],
  // src/views/resultPanel.ts loads it from here.
  outfile: 'dist/webview/result.js',
};
