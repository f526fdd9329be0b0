// "The previous run" of a job: the finished job of the same BOT that started last before it. No `vscode` here.
import { isFinished, type Job, type JobListQuery } from './types';

/** Jobs asked for; running ones among them are skipped, so a few more than one. */
export const PREVIOUS_RUN_CANDIDATES = 20;

/**
 * The list query (E6) for the BOT's jobs that started up to `job`'s start, newest first. Start times
 * come in whole seconds and whether `datetime_to` is inclusive is not documented, so the second after
 * the start is asked for and previousRun orders what comes back.
 */
export function previousRunQuery(job: Pick<Job, 'start_time'>): JobListQuery {
  const start = startOf(job);
  return { sort_order: 'desc', limit: PREVIOUS_RUN_CANDIDATES, datetime_to: Number.isNaN(start) ? undefined : new Date(start + 1000).toISOString() };
}

/**
 * The finished job of `job`'s BOT among `candidates` (in any order; `job` itself may be among them)
 * that started last before `job`. Jobs that started in the same second are ordered by job ID, which
 * sorts by creation time.
 */
export function previousRun(job: Job, candidates: readonly Job[]): Job | undefined {
  if (Number.isNaN(startOf(job))) return undefined;
  return candidates
    .filter((other) => other.bot_id === job.bot_id && isFinished(other) && !Number.isNaN(startOf(other)) && runOrder(other, job) < 0)
    .reduce<Job | undefined>((latest, other) => (!latest || runOrder(other, latest) > 0 ? other : latest), undefined);
}

/** Negative when `a` started before `b` (both starts known): by start time, then by job ID. */
function runOrder(a: Job, b: Job): number {
  const startA = startOf(a);
  const startB = startOf(b);
  return startA !== startB ? startA - startB : a.job_id < b.job_id ? -1 : a.job_id > b.job_id ? 1 : 0;
}

/** Milliseconds since the epoch; NaN when the start is missing or unreadable. */
function startOf(job: Pick<Job, 'start_time'>): number {
  return job.start_time ? Date.parse(job.start_time) : NaN;
}
