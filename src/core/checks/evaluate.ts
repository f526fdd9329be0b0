// Each expectation of an input file against the job a run gave: passed or not, with what was expected
// and what came as text for a diff. The sentences come from the caller's words (the extension's
// translations, or the English of the command line). No `vscode` here.
import { fill } from '../jobText';
import { normalisedJson } from '../normalisedJson';
import { JobStatus, type Job } from '../types';
import type { Expectation } from './expectations';

/** The words a failed check is told with; `{0}`, `{1}` are filled in. */
export interface CheckWords {
  /** `{0}` the expected status, `{1}` the job's. */
  status: string;
  /** `{0}` the pattern. */
  message: string;
  /** `{0}` the item. */
  missingItem: string;
  /** `{0}` the item. */
  equals: string;
  /** `{0}` the item, `{1}` the value looked for. */
  contains: string;
  /** `{0}` the item, `{1}` the pattern. */
  matches: string;
  /** `{0}` the item, `{1}` the expected number of rows, `{2}` the number there is. */
  rows: string;
  /** `{0}` how many problems, `{1}` the first. */
  outputSchema: string;
  /** `{0}` the most seconds, `{1}` the seconds it took. */
  maxDuration: string;
  succeeded: string;
  failed: string;
  running: string;
}

export const CHECK_WORDS: CheckWords = {
  status: 'Expected the job to have {0}, but it {1}.',
  message: 'Expected the job\'s message to match /{0}/.',
  missingItem: 'Expected an output item "{0}", but the output has none.',
  equals: 'Output item "{0}" is not the expected value.',
  contains: 'Output item "{0}" does not contain {1}.',
  matches: 'Output item "{0}" does not match /{1}/.',
  rows: 'Expected {1} rows in output item "{0}", but it has {2}.',
  outputSchema: 'The output does not fit the output schema ({0} problems): {1}',
  maxDuration: 'Expected the job to take at most {0} s, but it took {1} s.',
  succeeded: 'succeeded',
  failed: 'failed',
  running: 'is still running',
};

export interface CheckOutcome {
  expectation: Expectation;
  passed: boolean;
  /** Why it failed; empty when it passed. */
  message: string;
  /** What was expected and what came, as text to compare side by side. */
  expected: string;
  actual: string;
}

/** Text matched against a pattern is cut to this: the patterns come from files, the text from a server. */
const MAX_MATCHED_CHARS = 100_000;
const MAX_SCHEMA_PROBLEMS_SHOWN = 20;

/** `durationSeconds` is how long the run took here, for a job whose answers carry no elapsed time. */
export async function evaluate(expectations: readonly Expectation[], job: Job, durationSeconds: number, words: CheckWords = CHECK_WORDS): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const expectation of expectations) outcomes.push(await evaluateOne(expectation, job, durationSeconds, words));
  return outcomes;
}

async function evaluateOne(expectation: Expectation, job: Job, durationSeconds: number, words: CheckWords): Promise<CheckOutcome> {
  const outcome = (passed: boolean, message: string, expected: unknown, actual: unknown): CheckOutcome => ({
    expectation,
    passed,
    message: passed ? '' : message,
    expected: typeof expected === 'string' ? expected : normalisedJson(expected),
    actual: typeof actual === 'string' ? actual : normalisedJson(actual),
  });
  switch (expectation.kind) {
    case 'status': {
      const actual = statusOf(job);
      const expected = expectation.status;
      return outcome(actual === expected, fill(words.status, words[expected], words[actual] ?? String(job.status)), expected, actual);
    }
    case 'message': {
      const message = job.message ?? '';
      return outcome(matches(expectation.pattern, message), fill(words.message, expectation.pattern), `/${expectation.pattern}/`, message);
    }
    case 'maxDuration': {
      const seconds = job.elapsed_time ?? durationSeconds;
      return outcome(seconds <= expectation.seconds, fill(words.maxDuration, expectation.seconds, Math.round(seconds * 10) / 10), `≤ ${expectation.seconds} s`, `${seconds} s`);
    }
    case 'outputSchema': {
      const { Validator } = await import('./libs/schema');
      const result = new Validator(expectation.schema as never, '2020-12', false).validate(job.output ?? null);
      const problems = result.errors.filter((error) => error.keyword !== 'properties' && error.keyword !== 'items').map((error) => `${error.instanceLocation}: ${error.error}`);
      const shown = problems.length ? problems : result.errors.map((error) => `${error.instanceLocation}: ${error.error}`);
      return outcome(result.valid, fill(words.outputSchema, shown.length, shown[0] ?? ''), expectation.schema, shown.slice(0, MAX_SCHEMA_PROBLEMS_SHOWN).join('\n'));
    }
    case 'output': {
      const output = job.output ?? {};
      const { item, check, value } = expectation;
      if (!Object.prototype.hasOwnProperty.call(output, item)) return outcome(false, fill(words.missingItem, item), value, null);
      const actual = output[item];
      switch (check) {
        case 'equals':
          return outcome(normalisedJson(actual) === normalisedJson(value), fill(words.equals, item), value, actual);
        case 'contains':
          return outcome(contains(actual, value), fill(words.contains, item, JSON.stringify(value) ?? String(value)), value, actual);
        case 'matches':
          return outcome(typeof actual === 'string' && matches(String(value), actual), fill(words.matches, item, String(value)), `/${String(value)}/`, actual);
        case 'rows': {
          const rows = Array.isArray(actual) ? actual.length : 0;
          return outcome(Array.isArray(actual) && rows === value, fill(words.rows, item, Number(value), rows), `${Number(value)} rows`, `${rows} rows`);
        }
      }
    }
  }
}

function statusOf(job: Job): 'succeeded' | 'failed' | 'running' {
  if (job.status === JobStatus.Succeeded) return 'succeeded';
  if (job.status === JobStatus.Error) return 'failed';
  return 'running';
}

function matches(pattern: string, text: string): boolean {
  return new RegExp(pattern, 'u').test(text.slice(0, MAX_MATCHED_CHARS));
}

/** Text contains text; a list or table contains an entry equal to the value. */
function contains(actual: unknown, value: unknown): boolean {
  if (typeof actual === 'string') return typeof value === 'string' && actual.includes(value);
  if (Array.isArray(actual)) return actual.some((entry) => normalisedJson(entry) === normalisedJson(value));
  return false;
}
