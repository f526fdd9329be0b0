// The checks' code, loaded on first use. The build (scripts/bundle-options.mjs, lazyLibraries) turns
// this import into a require of dist/checks.js. What runs there gets the extension's job store, so it
// tells errors and cancellations apart without their classes (see checkRun.ts).
let checks: Promise<typeof import('./libs/checks')> | undefined;

export function checksLibrary(): Promise<typeof import('./libs/checks')> {
  return (checks ??= import('./libs/checks'));
}
