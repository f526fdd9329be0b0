// The heavy libraries of tables, loaded on first use. The build (scripts/bundle-options.mjs,
// lazyLibraries) turns these two imports into requires of their own bundles, dist/tables.js and
// dist/xlsx.js, so that no bundle that imports core carries them or loads them before they are needed.
let text: Promise<typeof import('./libs/text')> | undefined;
let xlsx: Promise<typeof import('./libs/xlsx')> | undefined;

/** csv-parse and csv-stringify. */
export function textLibraries(): Promise<typeof import('./libs/text')> {
  return (text ??= import('./libs/text'));
}

/** read-excel-file and write-excel-file. */
export function xlsxLibrary(): Promise<typeof import('./libs/xlsx')> {
  return (xlsx ??= import('./libs/xlsx'));
}

