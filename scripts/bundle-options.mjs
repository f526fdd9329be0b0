// The esbuild options of the bundles, shared by the build (scripts/build.mjs) and the package
// (scripts/package.mjs), so that what is tested is what ships.

/** Every bundle: one CommonJS file for the Node of VS Code's extension host. */
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
  // `vscode` is the host's. fetch-blob (under node-fetch) loads a web streams polyfill only where
  // globalThis.ReadableStream is missing, which VS Code's Node (20 and later) never is: 59 KB unused.
  external: ['vscode', 'web-streams-polyfill/*'],
};
