// The heavy libraries of tables, and the code that reads and writes table files, loaded on first use.
// The build (scripts/bundle-options.mjs, lazyLibraries) turns these imports into requires of their own
// bundles, dist/tables.js, dist/xlsx.js and dist/tablefiles.js, so that no bundle that imports core
// carries them or loads them before they are needed.
let text: Promise<typeof import('./libs/text')> | undefined;
let xlsx: Promise<typeof import('./libs/xlsx')> | undefined;
let files: Promise<typeof import('./libs/files')> | undefined;

/** csv-parse and csv-stringify. */
export function textLibraries(): Promise<typeof import('./libs/text')> {
  return (text ??= import('./libs/text'));
}

/** read-excel-file and write-excel-file. */
export function xlsxLibrary(): Promise<typeof import('./libs/xlsx')> {
  return (xlsx ??= import('./libs/xlsx'));
}

/** readTable and the writers of CSV, .xlsx and JSON Lines. */
export function tableFiles(): Promise<typeof import('./libs/files')> {
  return (files ??= import('./libs/files'));
}
