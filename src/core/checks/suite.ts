// Input files run together: each file as a check (./checkRun.ts), a few at a time, with a verdict per
// file, the counts, and the exit code that the `cloudbot` command line and the task type end with.
// No `vscode` here.
import { boundedConcurrency, mapLimit } from '../concurrency';
import { isNamedError, type CloudBotError } from '../errors';
import type { JobStore, Started } from '../jobStore';
import { JobStatus } from '../types';
import type { VariableResolver } from '../variables';
import { runCheck, type CheckRunResult } from './checkRun';
import type { CheckWords } from './evaluate';

export interface SuiteFile {
  /** As the user gave or sees it (relative to the workspace or the current folder): the file's name in reports. */
  path: string;
  text: string;
}

/**
 * `test`: a file passes when every check of its `expect` block passes, or, without one, when its job
 * succeeds. `run`: a file passes when its job succeeds (an `expect` block is still read, and checked).
 */
export type SuiteMode = 'run' | 'test';

export type Verdict = 'passed' | 'failed' | 'errored' | 'invalid' | 'stopped';

export interface SuiteEntry {
  file: SuiteFile;
  result: CheckRunResult;
  verdict: Verdict;
  /** Waiting for the job's end stopped at the time limit: the file failed, and its job goes on. */
  timedOut: boolean;
  durationSeconds: number;
}

export interface SuiteReport {
  mode: SuiteMode;
  /** In the order of the files given. */
  entries: SuiteEntry[];
  counts: Record<Verdict, number>;
  durationSeconds: number;
  /** The run was stopped by its signal (Ctrl-C, a cancelled task). */
  interrupted: boolean;
  /** When the run started (local clock, ms since 1970). */
  startedAt: number;
}

export type SuiteEvent =
  /** A file's job exists: to show it, and to suspend it if the run is stopped. */
  | { kind: 'started'; index: number; file: SuiteFile; started: Started }
  | { kind: 'finished'; index: number; entry: SuiteEntry };

export interface SuiteOptions {
  store: JobStore;
  /** The account that runs the files' BOTs. */
  sessionId: string;
  /** Values of the files' variables; wrap it in resolveOnce so that a prompt used by several files is asked once. */
  resolve: VariableResolver;
  /** Files run at once (at least 1). */
  concurrency: number;
  mode?: SuiteMode;
  /** Stops the run: files not started yet are not, and the jobs of the others go on (suspending them is the caller's choice). */
  signal?: AbortSignal;
  onEvent?(event: SuiteEvent): void;
  /** How long one file may wait for its job's end (ms). */
  timeoutMs?: number;
  words?: CheckWords;
  now?: () => number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 30 * 60_000;

/** The exit codes, shared by the command line and the task type; when several apply, the highest wins. */
export const EXIT_CODES = {
  passed: 0,
  /** A check or a job failed (or did not end in time). */
  failed: 1,
  /** Wrong usage, or an input file that cannot run (unreadable, a variable without a value, no such BOT, input Cloud BOT refused). */
  input: 2,
  /** The credentials were refused (401, 403), or Cloud BOT could not be reached or did not answer usably. */
  unreachable: 3,
  /** Stopped by Ctrl-C (SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export async function runSuite(files: readonly SuiteFile[], options: SuiteOptions): Promise<SuiteReport> {
  const mode = options.mode ?? 'test';
  const now = options.now ?? Date.now;
  const startedAt = now();
  const entries = await mapLimit(files, boundedConcurrency(options.concurrency), async (file, index) => {
    const fileStartedAt = now();
    const { result, timedOut } = await checkWithin(file, index, options);
    const entry: SuiteEntry = { file, result, verdict: verdictOf(result, mode, timedOut), timedOut, durationSeconds: (now() - fileStartedAt) / 1000 };
    options.onEvent?.({ kind: 'finished', index, entry });
    return entry;
  });
  const counts: Record<Verdict, number> = { passed: 0, failed: 0, errored: 0, invalid: 0, stopped: 0 };
  for (const entry of entries) counts[entry.verdict]++;
  return { mode, entries, counts, durationSeconds: (now() - startedAt) / 1000, interrupted: !!options.signal?.aborted, startedAt };
}

/** One file, its wait bounded by the time limit as well as by the run's signal. */
async function checkWithin(file: SuiteFile, index: number, options: SuiteOptions): Promise<{ result: CheckRunResult; timedOut: boolean }> {
  if (options.signal?.aborted) return { result: { kind: 'stopped' }, timedOut: false };
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, options.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS);
  const onStop = () => stop.abort();
  options.signal?.addEventListener('abort', onStop, { once: true });
  try {
    const result = await runCheck(file.text, {
      store: options.store,
      sessionId: options.sessionId,
      resolve: options.resolve,
      signal: stop.signal,
      words: options.words,
      now: options.now,
      onStarted: (started) => options.onEvent?.({ kind: 'started', index, file, started }),
    });
    return { result, timedOut: timedOut && result.kind === 'stopped' && !options.signal?.aborted };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onStop);
  }
}

function verdictOf(result: CheckRunResult, mode: SuiteMode, timedOut: boolean): Verdict {
  switch (result.kind) {
    case 'invalid':
      return 'invalid';
    case 'error':
      return 'errored';
    case 'stopped':
      return timedOut ? 'failed' : 'stopped';
    case 'done': {
      const judgedByChecks = mode === 'test' && result.outcomes.length > 0;
      return (judgedByChecks ? result.passed : result.job.status === JobStatus.Succeeded) ? 'passed' : 'failed';
    }
  }
}

/** The exit code of a run: the highest of its files' (interrupted 130, unreachable 3, input 2, failed 1, passed 0). */
export function exitCodeOf(report: SuiteReport): number {
  if (report.interrupted) return EXIT_CODES.interrupted;
  return Math.max(EXIT_CODES.passed, ...report.entries.map(entryExitCode));
}

function entryExitCode(entry: SuiteEntry): number {
  switch (entry.verdict) {
    case 'passed':
      return EXIT_CODES.passed;
    case 'failed':
      return EXIT_CODES.failed;
    case 'invalid':
      return EXIT_CODES.input;
    case 'stopped':
      return EXIT_CODES.interrupted;
    case 'errored':
      return entry.result.kind === 'error' ? errorExitCode(entry.result.error) : EXIT_CODES.failed;
  }
}

/**
 * The exit code of an error from Cloud BOT: 3 when the credentials were refused or no usable answer
 * came (the run says nothing about the files), 2 when the request was refused for what it asked (no
 * such BOT or job, input or options Cloud BOT rejects), 1 for anything else (a job whose end cannot be
 * recognised).
 */
export function errorExitCode(error: unknown): number {
  if (isNamedError(error, 'ExecutionUnanswered')) return EXIT_CODES.unreachable;
  if (isNamedError(error, 'UnusableIdError') || isNamedError(error, 'JobReferenceError')) return EXIT_CODES.input;
  if (!isNamedError(error, 'CloudBotError')) return EXIT_CODES.failed;
  const { kind, status } = error as CloudBotError;
  if (kind === 'tooLarge') return EXIT_CODES.input;
  if (kind !== 'http' || status === undefined) return EXIT_CODES.unreachable;
  if (status === 401 || status === 403 || status === 429 || status >= 500) return EXIT_CODES.unreachable;
  return EXIT_CODES.input;
}
