// The batch engine, bundled on its own into dist/batch.js and loaded when a batch first starts
// (../library.ts): most windows never run one, and the main bundle has a size budget.
export { BatchRun } from '../batchRun';
export { FileLedgerStore } from '../fileLedgerStore';
