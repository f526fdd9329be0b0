// The CSV libraries, bundled on their own into dist/tables.js and loaded on first use (../libraries.ts),
// so that the extension does not load them at activation.
export { parse } from 'csv-parse/sync';
export { stringify } from 'csv-stringify/sync';
