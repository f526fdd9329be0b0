// Reading and writing table files, bundled on their own into dist/tablefiles.js and loaded by the
// first batch or export (../tableFiles.ts): most windows never read a spreadsheet, and the main bundle
// has a size budget. The libraries they use load from their own bundles in turn.
export { readTable } from '../readTable';
export { tableOutputToRows, toCsv, toJsonLines, toXlsx } from '../writeTable';
