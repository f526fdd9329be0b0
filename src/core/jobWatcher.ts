// Follows a job until it ends, polling "Refer job" (E7) quickly at first and less often as the job
// grows old, so short jobs finish promptly and long ones cost few requests.
import { sleep, type CallOptions } from './client';
import { CloudBotError, MAX_RETRY_AFTER_SECONDS } from './errors';
import { isFinished, JobStatus, type Job } from './types';

export interface JobSource {
  getJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job>;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Called with every job state seen, including the first and the last. */
  onUpdate?(job: Job): void;
  /** Called when a poll failed but following goes on (the error is transient). */
  onTransientError?(error: CloudBotError, nextDelayMs: number): void;
  /**
   * When the job was first seen here (local clock). Its age counts from this or from the server's
   * start_time, whichever is earlier: a server clock ahead of ours must not keep the job looking new.
   */
  firstSeenAt?: number;
  now?: () => number;
  /** Waits between polls; a test or the benchmark passes a fake clock's. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The job already in hand (the execute answer), so the first poll can wait. */
  initial?: Job;
  /**
   * How long the job is expected to run at the least (a batch's shortest recent run, as the server
   * measured it): the first poll waits until the job has been known that long, counted from
   * `firstSeenAt`, which is after it started. Later polls keep the usual cadence.
   */
  expectedRunMs?: number;
}

/**
 * Time until the next poll: every 0.5 s for the first 2 s, then 8 % of the job's age, 1–20 s. A job is
 * seen to end at most 8 % of its age late (20 s at most), and a 10-minute job costs about 70 requests
 * instead of the 600 of a once-a-second poller.
 */
export function nextPollDelayMs(elapsedMs: number): number {
  if (elapsedMs < 2_000) return 500;
  return Math.round(Math.min(20_000, Math.max(1_000, elapsedMs * 0.08)));
}

/** Longest wait after transient failures in a row (network down, 5xx, 429). */
const MAX_ERROR_BACKOFF_MS = 60_000;
/** Whatever a server says (Retry-After: 0), polls of one job are at least this far apart. */
export const MIN_POLL_GAP_MS = 500;
/**
 * Polls in a row that may answer a status the API does not document, or an answer that cannot be read
 * as a job at all (a status like "running"), before following stops: neither shows the job's end.
 */
export const MAX_UNKNOWN_STATUS_POLLS = 20;
/** The longest an expected run time can hold the first poll back, whatever the server's run times said. */
export const MAX_EXPECTED_RUN_MS = 10 * 60_000;

/** Following stopped: the job kept a status the API does not document, so its end cannot be recognised. */
export class UnknownStatusError extends Error {
  constructor(
    readonly jobId: string,
    readonly status: number,
  ) {
    super(`job ${jobId} kept the undocumented status ${status} for ${MAX_UNKNOWN_STATUS_POLLS} polls; stopped following it`);
    this.name = 'UnknownStatusError';
  }
}

export async function watchJob(source: JobSource, publicId: string, jobId: string, options: WatchOptions = {}): Promise<Job> {
  const now = options.now ?? Date.now;
  const wait = (ms: number) => (options.sleep ?? sleep)(Math.max(MIN_POLL_GAP_MS, ms), options.signal);
  let job = options.initial;
  let startedAt = Math.min(now(), options.firstSeenAt ?? Infinity, startTimeOf(job));
  // Not from startedAt: a server start time in whole seconds, or a server clock ahead, would make it early.
  const firstPollAt = heldFirstPollAt(Math.min(options.firstSeenAt ?? now(), now()), options.expectedRunMs);
  let polled = false;
  if (job) {
    options.onUpdate?.(job);
    if (isFinished(job)) return job;
  }
  let failures = 0;
  let unknownStatusPolls = 0;
  let unreadableAnswers = 0;
  for (;;) {
    if (job) {
      const usual = nextPollDelayMs(now() - startedAt);
      await wait(polled ? usual : Math.max(usual, firstPollAt - now()));
    }
    polled = true;
    try {
      const next = await source.getJob(publicId, jobId, { signal: options.signal });
      failures = 0;
      unreadableAnswers = 0;
      job = next;
      startedAt = Math.min(startedAt, startTimeOf(job));
      options.onUpdate?.(job);
      if (isFinished(job)) return job;
      unknownStatusPolls = job.status === JobStatus.Executing ? 0 : unknownStatusPolls + 1;
      if (unknownStatusPolls >= MAX_UNKNOWN_STATUS_POLLS) throw new UnknownStatusError(jobId, job.status);
    } catch (error) {
      if (!(error instanceof CloudBotError) || !error.isTransient) throw error;
      if (error.kind === 'invalidResponse' && ++unreadableAnswers >= MAX_UNKNOWN_STATUS_POLLS) throw error;
      failures++;
      const delay = error.retryAfterSeconds !== undefined
        ? Math.min(MAX_RETRY_AFTER_SECONDS, error.retryAfterSeconds) * 1000
        : Math.min(MAX_ERROR_BACKOFF_MS, 1_000 * 2 ** Math.min(failures, 6));
      options.onTransientError?.(error, Math.max(MIN_POLL_GAP_MS, delay));
      await wait(delay);
    }
  }
}

/** When a job first seen at `firstSeenAt` is first polled with `expectedRunMs` (see WatchOptions), within its bound. */
export function heldFirstPollAt(firstSeenAt: number, expectedRunMs: number | undefined): number {
  const usable = typeof expectedRunMs === 'number' && Number.isFinite(expectedRunMs) && expectedRunMs > 0;
  return firstSeenAt + (usable ? Math.min(expectedRunMs, MAX_EXPECTED_RUN_MS) : 0);
}

/** The server's start time of the job; Infinity when unknown, so that it never wins a Math.min. */
function startTimeOf(job: Job | undefined): number {
  const time = job?.start_time ? Date.parse(job.start_time) : NaN;
  return Number.isNaN(time) ? Infinity : time;
}
