// One input file run as a check: read it (its binding, input, options and `expect` block), resolve its
// variables, execute its BOT once through the job store, wait for the end, and hold the job against
// the expectations. The Testing view, the `cloudbot` command line and the task type all run files so.
// No `vscode` here.
import { executeRequest } from '../executeOptions';
import { parseInputFile } from '../inputFile';
import type { InputProblem } from '../jsonInput';
import type { JobStore, Started } from '../jobStore';
import type { BotRef, JobRef } from '../refs';
import type { Job } from '../types';
import { resolveInput, type VariableProblem, type VariableResolver } from '../variables';
import { evaluate, type CheckOutcome, type CheckWords } from './evaluate';
import { readExpectations, type ExpectationIssue, type Place } from './expectations';

export type CheckRunResult =
  /** The file cannot run: nothing was sent. */
  | { kind: 'invalid'; problem: { input: InputProblem } | { expectation: ExpectationIssue; at: Place } | { variable: VariableProblem } }
  /** Cloud BOT refused the execution, or its job could not be followed. */
  | { kind: 'error'; error: unknown; started?: Started }
  /** Stopped waiting (cancelled); the job, if one started, goes on. */
  | { kind: 'stopped'; started?: Started }
  | { kind: 'done'; ref: JobRef; job: Job; outcomes: CheckOutcome[]; passed: boolean; durationSeconds: number };

export interface CheckRunOptions {
  store: JobStore;
  /** The account that runs the file's BOT. */
  sessionId: string;
  /** Values of the file's `${env:…}`, `${secret:…}` and `${prompt:…}` variables. */
  resolve: VariableResolver;
  signal?: AbortSignal;
  /** Hears of the job as soon as it exists (to suspend it on cancel, to show it). */
  onStarted?(started: Started): void;
  words?: CheckWords;
  now?: () => number;
}

export async function runCheck(text: string, options: CheckRunOptions): Promise<CheckRunResult> {
  const parsed = parseInputFile(text);
  if (!parsed.ok) return { kind: 'invalid', problem: { input: parsed.problem } };
  const expectations = readExpectations(text);
  if (!expectations.ok) return { kind: 'invalid', problem: { expectation: expectations.issue, at: expectations.at } };
  const { file } = parsed;
  const resolved = await resolveInput(file.input, options.resolve, { text, rootPath: ['input'] });
  if (!resolved.ok) return { kind: 'invalid', problem: { variable: resolved.problem } };
  if (options.signal?.aborted) return { kind: 'stopped' };
  const now = options.now ?? Date.now;
  const bot: BotRef = { sessionId: options.sessionId, publicId: file.bot.contract, botId: file.bot.id, botName: file.bot.name };
  const startedAt = now();
  let started: Started | undefined;
  try {
    // Not marked as a person's job: a run of checks reports its jobs itself, not one notification each.
    started = await options.store.execute(bot, executeRequest(resolved.input, file.options), undefined, { mine: false });
    options.onStarted?.(started);
    const job = await options.store.waitForEnd(started.ref, { signal: options.signal, kind: 'check' });
    const durationSeconds = (now() - startedAt) / 1000;
    const outcomes = await evaluate(expectations.expectations, job, durationSeconds, options.words);
    return { kind: 'done', ref: started.ref, job, outcomes, passed: outcomes.every((outcome) => outcome.passed), durationSeconds };
  } catch (error) {
    // Told by the signal, not the error's class: this may run in a bundle of its own.
    if (options.signal?.aborted) return { kind: 'stopped', started };
    return { kind: 'error', error, started };
  }
}
