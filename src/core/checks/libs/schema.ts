// @cfworker/json-schema, bundled on its own into dist/schema.js and loaded when a check first has an
// output schema (../evaluate.ts). It interprets schemas rather than compiling them into code, so a
// schema from a workspace file never becomes code that runs.
export { Validator } from '@cfworker/json-schema';
