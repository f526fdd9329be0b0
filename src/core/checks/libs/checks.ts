// Running input files as checks and recording expectations, bundled on their own into dist/checks.js
// and loaded by the first run or recording (../library.ts): the main bundle has a size budget.
export { runCheck } from '../checkRun';
export { expectationsFromJob, withExpectations } from '../recordExpectations';
