// A BOT's usual run time, which a running job of it is shown against ("usually 40 s, 25 s so far"):
// the median of its last successful runs, from the job history and the jobs the store knows. No
// `vscode` here.
import type { JobRecord } from './jobHistory';
import type { Disposable, JobStore } from './jobStore';
import { JobStatus } from './types';

/** A finished run of a BOT, from the history or the store. */
export interface FinishedRun {
  jobId: string;
  /** ISO time. */
  startTime?: string;
  status: number;
  seconds?: number;
}

/** How many of the latest successful runs count. */
export const RECENT_RUNS = 10;
/** Fewer successful runs than this tell nothing usual. */
const MIN_RUNS = 2;

/** A run time Cloud BOT gave (`elapsed_time`), when it is one: a finite number of seconds, not negative. */
export function runSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The median run time in seconds of the last RECENT_RUNS successful runs (by start time; a job given
 * twice counts once, as given last), or undefined with fewer than MIN_RUNS of them.
 */
export function usualRunTime(runs: Iterable<FinishedRun>): number | undefined {
  const byJob = new Map<string, FinishedRun & { seconds: number }>();
  for (const run of runs) {
    const seconds = runSeconds(run.seconds);
    if (run.status === JobStatus.Succeeded && seconds !== undefined) byJob.set(run.jobId, { ...run, seconds });
  }
  const started = (run: FinishedRun) => Date.parse(run.startTime ?? '') || 0;
  const recent = [...byJob.values()]
    .sort((a, b) => started(b) - started(a))
    .slice(0, RECENT_RUNS)
    .map((run) => run.seconds)
    .sort((a, b) => a - b);
  if (recent.length < MIN_RUNS) return undefined;
  const middle = recent.length >> 1;
  return recent.length % 2 ? recent[middle] : (recent[middle - 1] + recent[middle]) / 2;
}

/**
 * The usual run time of each BOT, worked out when first asked and kept until a job ends (only an end
 * can change it): the tree, the status bar and the result panels ask at every poll of a running job.
 */
export class RecentRunTimes implements Disposable {
  private readonly usual = new Map<string, number | undefined>();
  private readonly subscription: Disposable;

  constructor(
    private readonly history: { all(): readonly JobRecord[] },
    private readonly store: JobStore,
  ) {
    this.subscription = store.onDidChange(({ ended }) => ended && this.usual.clear());
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** The BOT's usual run time in seconds, or undefined when it has not run successfully often enough. */
  of(publicId: string, botId: string): number | undefined {
    const key = `${publicId}\n${botId}`;
    if (!this.usual.has(key)) this.usual.set(key, usualRunTime(this.runs(publicId, botId)));
    return this.usual.get(key);
  }

  private *runs(publicId: string, botId: string): Iterable<FinishedRun> {
    for (const record of this.history.all()) {
      if (record.publicId === publicId && record.botId === botId) yield { jobId: record.jobId, startTime: record.startTime, status: record.status, seconds: record.elapsedTime };
    }
    // After the history: the store's state of a job is the newer one.
    for (const { ref, job } of this.store.entries()) {
      if (ref.publicId === publicId && job.bot_id === botId) yield { jobId: job.job_id, startTime: job.start_time, status: job.status, seconds: job.elapsed_time };
    }
  }
}
