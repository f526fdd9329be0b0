// Running input files as checks (one, or a suite told as lines) and recording expectations, bundled on their own into dist/checks.js
// and loaded by the first run or recording (../library.ts): the main bundle has a size budget.
export { runCheck } from '../checkRun';
export { entryLines, startedLine, summaryLine } from '../report';
export { exitCodeOf, runSuite } from '../suite';
export { expectationsFromJob, withExpectations } from '../recordExpectations';
