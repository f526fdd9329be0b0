// A run of input files (./suite.ts) told for people and for machines: plain text lines (the command
// line and the task's terminal), JSON (`--json`) and JUnit XML (CI). Text from files and servers is
// made one line and nothing holds more than a bounded amount of it. Every resolved value is taken out
// (`redact`) of what came from Cloud BOT (a job's message and output, what a check saw, an error),
// since a server may echo an input anywhere; the report's own text (paths, job IDs) is left whole, so
// that a short value ("3") cannot blank out every "3" of it. No `vscode` here.
import { jobData } from '../agent/toolResults';
import { isNamedError, messageOf, type CloudBotError } from '../errors';
import { bindingOf } from '../inputFile';
import { clippedToDepth } from '../jsonDepth';
import { positionOf, type InputProblem } from '../jsonInput';
import type { ExecutionUnanswered } from '../jobStore';
import { clipped, elapsedText, LOG_WORDS, outputSummary, statusAndElapsed } from '../jobText';
import { normalisedJson } from '../normalisedJson';
import { oneLine } from '../serverText';
import type { Job } from '../types';
import { variableText, type Variable, type VariableProblem } from '../variables';
import type { CheckRunResult } from './checkRun';
import type { CheckOutcome } from './evaluate';
import type { ExpectationIssue } from './expectations';
import { errorExitCode, exitCodeOf, type SuiteEntry, type SuiteEvent, type SuiteMode, type SuiteReport, type Verdict } from './suite';

export interface ReportOptions {
  /** Takes resolved values and credentials out of a text (see redactingResolver); applied to all server text. */
  redact?: (text: string) => string;
  /** Why a variable has no value, said as where it runs gives values (an environment variable, a secret store). */
  unresolved?: (variable: Variable) => string;
}

/** A value shown in a terminal line is cut to this; a JUnit message or body to MAX_XML_VALUE_CHARS. */
const MAX_SHOWN_CHARS = 2_000;
const MAX_XML_VALUE_CHARS = 20_000;
const INDENT = '    ';

const VERDICT_LABELS: Record<Verdict, string> = { passed: 'PASS', failed: 'FAIL', errored: 'ERROR', invalid: 'INVALID', stopped: 'STOPPED' };

type StartedEvent = Extract<SuiteEvent, { kind: 'started' }>;

/** "checks/echo.cloudbot.json: job 0190… of example1/echo started". */
export function startedLine({ file, started }: StartedEvent): string {
  const recovered = started.recovered ? ' (found among the BOT\'s jobs: the execute answer was lost)' : '';
  return oneLine(`${file.path}: job ${started.job.job_id} of ${started.ref.publicId}/${started.job.bot_id || bindingOf(file.text)?.id || '?'} started${recovered}`);
}

/**
 * A finished file: a head line ("PASS checks/echo.cloudbot.json  example1/echo (Echo BOT), job 0190…:
 * succeeded, 1 s"), then what a person needs: each failed check with what was expected and what came
 * (`test`), the job's message and output (`run`), or why the file could not run.
 */
export function entryLines(entry: SuiteEntry, mode: SuiteMode, options: ReportOptions = {}): string[] {
  const place = invalidPlace(entry);
  const head = `${VERDICT_LABELS[entry.verdict]} ${entry.file.path}${place ? `:${place.line}:${place.column}` : ''}  ${headDetail(entry)}`;
  const lines = [head, ...detailLines(entry, mode, options)];
  return lines.map(oneLine);
}

function headDetail({ file, result, timedOut, durationSeconds }: SuiteEntry): string {
  switch (result.kind) {
    case 'done':
      return `${botLabel(result.ref.publicId, result.job)}, job ${result.job.job_id}: ${statusAndElapsed(result.job, LOG_WORDS)}`;
    case 'invalid':
      return 'not run';
    case 'error':
      return result.started ? `job ${result.started.job.job_id}` : 'not run';
    case 'stopped': {
      const job = result.started ? `job ${result.started.job.job_id}` : '';
      if (timedOut) return `${job} did not end within ${elapsedText(durationSeconds, LOG_WORDS)}; it goes on in Cloud BOT`;
      return job ? `${job} was running when the run stopped` : `${bindingOf(file.text)?.id ?? ''} not started`.trim();
    }
  }
}

function botLabel(contract: string, job: Pick<Job, 'bot_id' | 'bot_name'>): string {
  return `${contract}/${job.bot_id}${job.bot_name ? ` (${job.bot_name})` : ''}`;
}

function detailLines(entry: SuiteEntry, mode: SuiteMode, options: ReportOptions): string[] {
  const { result } = entry;
  switch (result.kind) {
    case 'invalid':
      return [`${INDENT}${problemText(result.problem, options)}`];
    case 'error':
      return [`${INDENT}${redacted(errorText(result.error), options)}`];
    case 'stopped':
      return [];
    case 'done': {
      const lines: string[] = [];
      const byChecks = mode === 'test' && result.outcomes.length > 0;
      if (!byChecks || entry.verdict !== 'passed') {
        if (result.job.message) lines.push(`${INDENT}message: ${clipped(redacted(result.job.message, options), MAX_SHOWN_CHARS)}`);
      }
      if (mode === 'run') lines.push(...outputSummary(redactedValue(result.job.output, options)).map((line) => `${INDENT}${line}`));
      if (mode === 'test') {
        for (const outcome of result.outcomes.filter((o) => !o.passed)) {
          const { line } = positionOf(entry.file.text, outcome.expectation.at.offset);
          lines.push(`${INDENT}✗ ${redacted(outcome.message, options)} (line ${line})`);
          lines.push(...valueLines('expected', redactedJsonText(outcome.expected, options)), ...valueLines('actual', redactedJsonText(outcome.actual, options)));
        }
      }
      return lines;
    }
  }
}

/** A value over one or more lines, each line indented under its label; cut when long. */
function valueLines(label: string, value: string): string[] {
  const [first, ...rest] = clipped(value.replace(/\n$/, ''), MAX_SHOWN_CHARS).split('\n');
  const pad = `${INDENT}  ${' '.repeat(label.length + 2)}`;
  return [`${INDENT}  ${label}: ${first}`, ...rest.map((line) => `${pad}${line}`)];
}

/** "7 files: 5 passed, 1 failed, 0 errors, 1 invalid, 0 stopped (12 s)". */
export function summaryLine(report: SuiteReport): string {
  const { counts } = report;
  const files = report.entries.length;
  return `${files} file${files === 1 ? '' : 's'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.errored} errors, ${counts.invalid} invalid, ${counts.stopped} stopped (${elapsedText(report.durationSeconds, LOG_WORDS)})`;
}

/** A progress line while files run: "3/7 done: 2 passed, 1 failed; 2 running". */
export function progressText(total: number, finished: readonly Verdict[], running: number): string {
  const counts = new Map<Verdict, number>();
  for (const verdict of finished) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  const parts = [...counts].map(([verdict, count]) => `${count} ${verdict}`);
  return `${finished.length}/${total} done${parts.length ? `: ${parts.join(', ')}` : ''}${running ? `; ${running} running` : ''}`;
}

/** Where an invalid file's problem is, one-based, when it has a place. */
function invalidPlace({ file, result }: SuiteEntry): { line: number; column: number } | undefined {
  if (result.kind !== 'invalid') return undefined;
  const { problem } = result;
  if ('input' in problem) return { line: problem.input.line, column: problem.input.column };
  if ('expectation' in problem) return positionOf(file.text, problem.at.offset);
  const { line, column } = problem.variable;
  return line !== undefined && column !== undefined ? { line, column } : undefined;
}

type InvalidProblem = Extract<CheckRunResult, { kind: 'invalid' }>['problem'];

/** Why a file cannot run, in English. */
export function problemText(problem: InvalidProblem, options: ReportOptions = {}): string {
  if ('input' in problem) return inputProblemText(problem.input);
  if ('expectation' in problem) return expectationIssueText(problem.expectation);
  return variableProblemText(problem.variable, options);
}

function inputProblemText(problem: InputProblem): string {
  switch (problem.code) {
    case 'tooLarge':
      return `The file is ${problem.megabytes} MB, over Cloud BOT's 4 MB limit.`;
    case 'syntax':
      return `Invalid JSON: ${problem.error}.`;
    case 'tooDeep':
      return `The JSON is nested more than ${problem.max} levels deep here.`;
    case 'notObject':
      return `An input file is a JSON object, not ${problem.found}.`;
    case 'unknownField':
      return `Unknown field "${problem.name}": an input file has "bot", "input", "options" and "expect".`;
    case 'binding':
      return '"bot" must name the BOT the file runs: {"contract": "<public id>", "id": "<BOT id>"}.';
    case 'inputNotObject':
      return '"input" must be a JSON object keyed by the BOT\'s input item names.';
    case 'optionsNotObject':
      return '"options" must be a JSON object.';
    case 'option':
      if (problem.reason === 'credentials') return '"callbackEndpoint" must not hold a user name or password.';
      return {
        callbackEndpoint: '"callbackEndpoint" must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
        callbackTries: '"callbackTries" must be a whole number from 0 to 5.',
        timeout: '"timeout" must be a whole number of milliseconds from 0 to 120000.',
      }[problem.name];
  }
}

function expectationIssueText(issue: ExpectationIssue): string {
  switch (issue.code) {
    case 'notObject':
      return `"${issue.field}" must be a JSON object.`;
    case 'unknownField':
      return `"${issue.field}" is not an expectation. Use: ${issue.known.join(', ')}.`;
    case 'badStatus':
      return '"status" must be "succeeded" or "failed".';
    case 'badPattern':
      return `Not a usable regular expression: ${issue.reason}.`;
    case 'badRows':
      return '"rows" must be a whole number, 0 or more.';
    case 'badDuration':
      return '"maxDurationSeconds" must be a number of seconds above 0.';
    case 'emptyCheck':
      return `Output item "${issue.item}" has no check: use equals, contains, matches or rows.`;
    case 'tooMany':
      return 'The expect block has too many expectations.';
  }
}

function variableProblemText(problem: VariableProblem, options: ReportOptions): string {
  switch (problem.code) {
    case 'unresolvedVariable':
      return options.unresolved?.(problem.variable) ?? `${variableText(problem.variable)} has no value.`;
    case 'badVariable':
      if (problem.reason === 'unclosed') return `"${problem.written}" has no closing "}". Write $\${ for a literal "\${".`;
      if (problem.reason === 'badName') return `The name in "${problem.written}" cannot be used (an environment variable: letters, digits and _; a secret: 1 to 64 letters, digits, _ . -).`;
      return `"${problem.written}" is not a variable: use \${env:NAME}, \${secret:NAME} or \${prompt:Label}, or write $\${ for a literal "\${".`;
    case 'tooManyVariables':
      return `The input has more than ${problem.max} variables.`;
    case 'variableValueTooLarge':
      return `The value of ${variableText(problem.variable)} is ${problem.megabytes} MB, over the ${problem.maxMegabytes} MB a variable may hold.`;
  }
}

/** An error of a run or a call, in English, with what to do where there is something to do. */
export function errorText(error: unknown): string {
  const technical = messageOf(error);
  if (isNamedError(error, 'ExecutionUnanswered')) {
    return `The execution got no answer and may have started a job (${(error as ExecutionUnanswered).candidates} unknown job(s) of the BOT since): look at the BOT's jobs before running it again. ${technical}`;
  }
  if (!isNamedError(error, 'CloudBotError')) return technical;
  const { kind, status, operation } = error as CloudBotError;
  if (status === 401) return `Cloud BOT refused the credentials: ${technical}`;
  if (status === 403) return `Cloud BOT refused: the credentials lack a permission, or the contract has External Connections turned off. ${technical}`;
  if (status === 404 && operation === 'executeBot') return `No such BOT in the contract, or it is not published for the API: ${technical}`;
  if (status === 404 && operation === 'getJob') return `No such job in the contract: ${technical}`;
  if (kind === 'network' || kind === 'timeout') return `Cloud BOT could not be reached: ${technical}`;
  return technical;
}

/** The run as JSON for machines (`--json`): every file with its verdict, job, checks or problem; resolved values taken out. */
export function reportData(report: SuiteReport, options: ReportOptions = {}): Record<string, unknown> {
  return {
    mode: report.mode,
    exitCode: exitCodeOf(report),
    counts: report.counts,
    durationSeconds: report.durationSeconds,
    files: report.entries.map((entry) => entryData(entry, report.mode, options)),
  };
}

function entryData(entry: SuiteEntry, mode: SuiteMode, options: ReportOptions): Record<string, unknown> {
  const { file, result } = entry;
  const binding = bindingOf(file.text);
  const data: Record<string, unknown> = {
    path: file.path,
    verdict: entry.verdict,
    timedOut: entry.timedOut,
    durationSeconds: entry.durationSeconds,
    bot: binding ? { contract: binding.contract, id: binding.id } : null,
  };
  const started = result.kind === 'done' ? result : result.kind !== 'invalid' ? result.started : undefined;
  // The same fields as the agent tools' jobs; `run` gives the whole output, for the next step of a pipeline.
  if (started) {
    const { job } = started;
    data.job = { ...jobData(started.ref.publicId, job, false), message: redactedValue(job.message ?? null, options), ...(mode === 'run' ? { output: redactedValue(job.output ?? null, options) } : {}) };
  }
  if (result.kind === 'done') data.checks = result.outcomes.map((outcome) => outcomeData(outcome, file.text, options));
  if (result.kind === 'invalid') data.problem = { message: problemText(result.problem, options), ...invalidPlace(entry) };
  if (result.kind === 'error') data.error = { message: redacted(errorText(result.error), options), exitCode: errorExitCode(result.error) };
  return data;
}


function outcomeData(outcome: CheckOutcome, text: string, options: ReportOptions): Record<string, unknown> {
  const { expectation } = outcome;
  return {
    check: expectation.kind === 'output' ? `output.${expectation.item}.${expectation.check}` : expectation.kind,
    passed: outcome.passed,
    message: redacted(outcome.message, options),
    expected: redactedJsonText(outcome.expected, options),
    actual: redactedJsonText(outcome.actual, options),
    line: positionOf(text, expectation.at.offset).line,
  };
}

/**
 * JUnit XML: a testsuite per folder, a testcase per file, a failure per failed check (with expected
 * and actual), an error for a file that could not run, skipped for one the run stopped before its end.
 */
export function junitXml(report: SuiteReport, options: ReportOptions & { name?: string } = {}): string {
  const folders = new Map<string, SuiteEntry[]>();
  for (const entry of report.entries) {
    const folder = folderOf(entry.file.path);
    folders.set(folder, [...(folders.get(folder) ?? []), entry]);
  }
  const timestamp = new Date(report.startedAt).toISOString().replace(/\.\d+Z$/, '');
  const totals = countsOf(report.entries);
  const suites = [...folders].map(([folder, entries]) => {
    const counts = countsOf(entries);
    const time = entries.reduce((sum, entry) => sum + entry.durationSeconds, 0);
    return [
      `  <testsuite name=${attribute(folder)} tests="${entries.length}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(time)}" timestamp="${timestamp}">`,
      ...entries.map((entry) => testcaseXml(entry, folder, report.mode, options)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attribute(options.name ?? `cloudbot ${report.mode}`)} tests="${report.entries.length}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(report.durationSeconds)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testcaseXml(entry: SuiteEntry, folder: string, mode: SuiteMode, options: ReportOptions): string {
  const { file, result } = entry;
  const name = file.path.slice(folder === '.' ? 0 : folder.length + 1);
  const clean = (text: string) => clipped(text, MAX_XML_VALUE_CHARS);
  const inner: string[] = [];
  if (result.kind === 'invalid') inner.push(element('error', { message: clean(problemText(result.problem, options)), type: 'invalid' }));
  if (result.kind === 'error') inner.push(element('error', { message: clean(redacted(errorText(result.error), options)), type: 'error' }));
  if (result.kind === 'stopped') {
    if (entry.timedOut) inner.push(element('failure', { message: clean(headDetail(entry)), type: 'timeout' }));
    else inner.push(element('skipped', { message: clean(headDetail(entry)) }));
  }
  if (result.kind === 'done' && entry.verdict === 'failed') {
    const failedChecks = mode === 'test' ? result.outcomes.filter((outcome) => !outcome.passed) : [];
    for (const outcome of failedChecks) {
      const body = `expected: ${redactedJsonText(outcome.expected, options)}\nactual: ${redactedJsonText(outcome.actual, options)}`;
      const line = positionOf(file.text, outcome.expectation.at.offset).line;
      inner.push(element('failure', { message: clean(`${redacted(outcome.message, options)} (line ${line})`), type: outcome.expectation.kind }, clean(body)));
    }
    if (!failedChecks.length) {
      const message = result.job.message ? `: ${redacted(result.job.message, options)}` : '';
      inner.push(element('failure', { message: clean(`The job ended with ${statusAndElapsed(result.job, LOG_WORDS)}${message}`), type: 'status' }));
    }
  }
  if (result.kind === 'done') inner.push(`      <system-out>${xmlText(clean(entryLines(entry, mode, options).join('\n')))}</system-out>`);
  const attributes = `name=${attribute(name)} classname=${attribute(folder)} file=${attribute(file.path)} time="${seconds(entry.durationSeconds)}"`;
  return inner.length ? `    <testcase ${attributes}>\n${inner.join('\n')}\n    </testcase>` : `    <testcase ${attributes}/>`;
}

function countsOf(entries: readonly SuiteEntry[]): { failures: number; errors: number; skipped: number } {
  const count = (test: (entry: SuiteEntry) => boolean) => entries.filter(test).length;
  return {
    failures: count((entry) => entry.verdict === 'failed'),
    errors: count((entry) => entry.verdict === 'errored' || entry.verdict === 'invalid'),
    skipped: count((entry) => entry.verdict === 'stopped'),
  };
}

function element(name: string, attributes: Record<string, string>, body?: string): string {
  const shownAttributes = Object.entries(attributes).map(([key, value]) => ` ${key}=${attribute(value)}`).join('');
  return body === undefined ? `      <${name}${shownAttributes}/>` : `      <${name}${shownAttributes}>${xmlText(body)}</${name}>`;
}

/** Characters XML 1.0 cannot hold at all (most control characters, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A quoted attribute value; line breaks and tabs as references, so that a parser keeps them. */
function attribute(value: string): string {
  return `"${xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`;
}

function seconds(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '0';
}

/** The folder part of a path as given ("." for none), with either separator. */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : '.';
}

function redacted(text: string, options: ReportOptions): string {
  return options.redact ? options.redact(text) : text;
}

function redactedValue<T>(value: T, options: ReportOptions): T {
  return options.redact ? redactDeep(value, options.redact) : value;
}

/**
 * A copy of a value (an output, a job) with `redact` applied to every string in it, keys too: done
 * before it is encoded as JSON, where a value holding a quote or a backslash is no longer itself.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redact(key), walk(inner)]));
    return item;
  };
  return walk(clippedToDepth(value)) as T;
}

/**
 * A check's expected or actual text, which is often JSON: a value holding a quote or a backslash is
 * escaped there, so it is taken out of the decoded value and encoded again.
 */
function redactedJsonText(text: string, options: ReportOptions): string {
  if (!options.redact) return text;
  try {
    return normalisedJson(redactedValue(JSON.parse(text) as unknown, options));
  } catch {
    return redacted(text, options);
  }
}

