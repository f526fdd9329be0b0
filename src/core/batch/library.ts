// The batch engine, loaded on first use. The build (scripts/bundle-options.mjs, lazyLibraries) turns
// this import into a require of dist/batch.js. The engine there gets the extension's job store, so it
// tells errors apart by name, not class (see batchRun.ts).
let engine: Promise<typeof import('./libs/engine')> | undefined;

export function batchEngine(): Promise<typeof import('./libs/engine')> {
  return (engine ??= import('./libs/engine'));
}
