// The jobs this window executed or followed, newest first: the running ones are followed again after
// a window reload, the rest are a history of the last few per account. Kept in a key-value store
// (VS Code's global state) without inputs or options, which may carry credentials for the BOT's site.
import type { Disposable, JobStore } from './jobStore';
import { isFinished, type Job } from './types';

export interface JobRecord {
  sessionId: string;
  publicId: string;
  botId: string;
  botName?: string;
  jobId: string;
  /** ISO time: the job's start_time, or when it was executed. */
  startTime: string;
  status: number;
  elapsedTime?: number;
  message?: string | null;
}

/** The part of VS Code's Memento the history needs. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'cloudbot.jobHistory';
export const DEFAULT_HISTORY_SIZE = 20;
/** A job's message is kept up to this many characters: the history is read at every start. */
export const HISTORY_MESSAGE_LENGTH = 500;

export class JobHistory {
  private records: JobRecord[];

  constructor(
    private readonly store: KeyValueStore,
    private readonly sizePerAccount: () => number = () => DEFAULT_HISTORY_SIZE,
  ) {
    this.records = (store.get<unknown[]>(KEY) ?? []).filter(isRecord);
  }

  /** Newest first. */
  all(): readonly JobRecord[] {
    return this.records;
  }

  running(): JobRecord[] {
    return this.records.filter((record) => !isFinished(record));
  }

  get(jobId: string): JobRecord | undefined {
    return this.records.find((record) => record.jobId === jobId);
  }

  /** Adds a job (or updates it when already known) with its latest state. */
  /** `redact` takes values the job's run resolved out of its message (a BOT may echo its input). */
  async remember(where: { sessionId: string; publicId: string; botName?: string }, job: Job, redact: (text: string) => string = (text) => text): Promise<void> {
    const known = this.get(job.job_id);
    const message = typeof job.message === 'string' ? redact(job.message) : job.message;
    const record: JobRecord = {
      sessionId: where.sessionId,
      publicId: where.publicId,
      botId: job.bot_id,
      botName: job.bot_name || where.botName || known?.botName,
      jobId: job.job_id,
      startTime: job.start_time ?? known?.startTime ?? new Date().toISOString(),
      status: job.status,
      elapsedTime: job.elapsed_time,
      message: typeof message === 'string' && message.length > HISTORY_MESSAGE_LENGTH ? `${message.slice(0, HISTORY_MESSAGE_LENGTH)}…` : message,
    };
    if (known && sameState(known, record)) return;
    this.records = known ? this.records.map((r) => (r === known ? record : r)) : [record, ...this.records];
    this.trim();
    await this.store.update(KEY, this.records);
  }

  /** Keeps every job the store marks as executed or followed here, in its latest state. */
  recordFrom(store: JobStore): Disposable {
    return store.onDidChange(({ entry }) => entry.mine && void this.remember(entry.ref, entry.job, entry.redact));
  }

  /** Drops an account's jobs (signed out). */
  async forgetAccount(sessionId: string): Promise<void> {
    this.records = this.records.filter((record) => record.sessionId !== sessionId);
    await this.store.update(KEY, this.records);
  }

  /** The BOTs of these jobs, most recently executed first: `publicId/botId`. */
  recentBots(): string[] {
    return [...new Set(this.records.map((record) => `${record.publicId}/${record.botId}`))];
  }

  /** Keeps the newest finished jobs per account, and every running job (they are still followed). */
  private trim(): void {
    const size = Math.max(1, this.sizePerAccount());
    const kept = new Map<string, number>();
    this.records = this.records.filter((record) => {
      if (!isFinished(record)) return true;
      const count = (kept.get(record.sessionId) ?? 0) + 1;
      kept.set(record.sessionId, count);
      return count <= size;
    });
  }
}

function sameState(a: JobRecord, b: JobRecord): boolean {
  return a.status === b.status && a.elapsedTime === b.elapsedTime && a.message === b.message && a.botName === b.botName && a.startTime === b.startTime;
}

function isRecord(value: unknown): value is JobRecord {
  const record = value as Partial<JobRecord> | null;
  return (
    !!record &&
    typeof record === 'object' &&
    ['sessionId', 'publicId', 'botId', 'jobId', 'startTime'].every((key) => typeof record[key as keyof JobRecord] === 'string') &&
    typeof record.status === 'number'
  );
}
