// Follows a job until it ends, polling "Refer job" (E7) quickly at first and less often as the job
// grows old, so short jobs finish promptly and long ones cost few requests.
import { sleep, type CallOptions } from './client';
import { CloudBotError } from './errors';
import { isFinished, type Job } from './types';

export interface JobSource {
  getJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job>;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Called with every job state seen, including the first and the last. */
  onUpdate?(job: Job): void;
  /** Called when a poll failed but following goes on (the error is transient). */
  onTransientError?(error: CloudBotError, nextDelayMs: number): void;
  /** Start of the job, when known (a job resumed after a reload is already old). */
  startedAt?: number;
  now?: () => number;
  /** Waits between polls; a test or the benchmark passes a fake clock's. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The job already in hand (the execute answer), so the first poll can wait. */
  initial?: Job;
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

export async function watchJob(source: JobSource, publicId: string, jobId: string, options: WatchOptions = {}): Promise<Job> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  let job = options.initial;
  const startedAt = options.startedAt ?? startTimeOf(job) ?? now();
  if (job) {
    options.onUpdate?.(job);
    if (isFinished(job)) return job;
  }
  let failures = 0;
  for (;;) {
    if (job) await wait(nextPollDelayMs(now() - startedAt), options.signal);
    try {
      const next = await source.getJob(publicId, jobId, { signal: options.signal });
      failures = 0;
      job = next;
      options.onUpdate?.(job);
      if (isFinished(job)) return job;
    } catch (error) {
      if (!(error instanceof CloudBotError) || !error.isTransient) throw error;
      failures++;
      const delay = error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : Math.min(MAX_ERROR_BACKOFF_MS, 1_000 * 2 ** Math.min(failures, 6));
      options.onTransientError?.(error, delay);
      await wait(delay, options.signal);
    }
  }
}

function startTimeOf(job: Job | undefined): number | undefined {
  const time = job?.start_time ? Date.parse(job.start_time) : NaN;
  return Number.isNaN(time) ? undefined : time;
}
