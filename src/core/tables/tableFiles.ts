// The code that reads and writes table files, loaded by the first batch or export: the build
// (scripts/bundle-options.mjs, lazyLibraries) turns this import into a require of dist/tablefiles.js.
let files: Promise<typeof import('./libs/files')> | undefined;

/** readTable and the writers of CSV, .xlsx and JSON Lines. */
export function tableFiles(): Promise<typeof import('./libs/files')> {
  return (files ??= import('./libs/files'));
}
