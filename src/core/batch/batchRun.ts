// Runs a batch: the same BOT once per row, a bounded number at once, through the one job store (so a
// batch polls no more than following the same jobs would). Each execute is saved in the ledger before
// it leaves and one at a time, so that after a reload, a crash or a lost answer at most one row is in
// doubt, and it is looked for among the BOT's jobs rather than sent again. A save as rows change names
// just those rows, so that the store can keep a line rather than the whole ledger. No `vscode` here.
import { boundedConcurrency } from '../concurrency';
import { isNamedError, messageOf, type CloudBotError } from '../errors';
import { executeRequest } from '../executeOptions';
import type { Disposable, ExecutionUnanswered, JobLog, JobStore } from '../jobStore';
import { jobRefOf, type JobRef } from '../refs';
import { runSeconds } from '../runTimes';
import { isFinished, JobStatus, type Job } from '../types';
import { countRows, RERUNNABLE_ROW_STATES, type BatchCounts, type BatchLedger, type LedgerRow, type LedgerStore, type PauseReason, type RowReason } from './ledger';

/** A row's input made from the template and its cells, or why it cannot be. */
export type PreparedRow = { ok: true; input: Record<string, unknown> } | { ok: false; reason: RowReason };

export interface BatchRunOptions {
  store: JobStore;
  ledgers: LedgerStore;
  /** Makes each row's input (template, columns, variables); called just before the row is sent. */
  prepare: (row: LedgerRow) => Promise<PreparedRow>;
  /** At most this many rows at once (sending or running). */
  concurrency: number;
  log?: JobLog;
  now?: () => number;
  /** Changes other than a row being sent are saved at most this often. */
  saveEveryMs?: number;
  /**
   * Takes the values the template's variables resolved to out of what the server says of a row (a
   * message or output may echo its input) before it is kept in the ledger.
   */
  redact?: (text: string) => string;
}

/** Longest wait a 429's Retry-After is honoured for; a longer one waits this long and asks again. */
const MAX_HOLD_MS = 5 * 60_000;
/** Waits after a 429 without Retry-After: 1 s, doubling up to this. */
const MAX_BACKOFF_MS = 60_000;
const OUTPUT_SUMMARY_LENGTH = 160;
/** A row's first poll is timed by this many latest run times… */
const RUN_TIMES_KEPT = 10;
/** …once at least this many rows have ended: one slow first run must not hold back the next rows' polls. */
const RUN_TIMES_NEEDED = 3;
/** Answers that would refuse every row alike: the batch pauses for the user instead of failing them all. */
const PAUSING_STATUSES: Record<number, 'unauthorized' | 'forbidden' | 'botNotFound' | undefined> = { 401: 'unauthorized', 403: 'forbidden', 404: 'botNotFound' };

/**
 * How long a new row's job will run at the least, judging by the latest rows' run times; undefined
 * before enough rows ended. The server counts whole seconds, so a run of 1.999 s says 1: run times
 * within a second of each other may all be the same, and are taken as the longest of them (a row is
 * then seen at most a second late, as the usual cadence allows at that age); run times further apart,
 * as the shortest.
 */
export function expectedRunMs(runTimesMs: readonly number[]): number | undefined {
  if (runTimesMs.length < RUN_TIMES_NEEDED) return undefined;
  const shortest = Math.min(...runTimesMs);
  const longest = Math.max(...runTimesMs);
  return longest - shortest <= 1_000 ? longest : shortest;
}

export interface BatchChange {
  ledger: BatchLedger;
  /** The rows that changed; empty when only the batch's phase did. */
  rows: readonly LedgerRow[];
}

export class BatchRun implements Disposable {
  private readonly listeners = new Set<(change: BatchChange) => void>();
  private readonly stopWaiting = new AbortController();
  private readonly rowsByJob = new Map<string, LedgerRow>();
  /** Rows whose job is being followed to its end. */
  private readonly followed = new Set<LedgerRow>();
  private readonly storeSubscription: Disposable;
  /** A row's execute is on its way (never more than one). */
  private sending = false;
  /** After a 429: nothing is sent before this time, and fewer rows run at once for a while. */
  private holdUntil = 0;
  private holdTimer?: NodeJS.Timeout;
  private backoffMs = 0;
  private allowed: number;
  private saveTimer?: NodeJS.Timeout;
  /** Rows changed since the last save. */
  private readonly unsaved = new Set<LedgerRow>();
  private settledWaiters: (() => void)[] = [];
  /** How long finished rows took from send to end, for the time left. */
  private readonly durations: number[] = [];
  /**
   * The latest rows' run times as the server measured them (`elapsed_time`, which our polling cannot
   * lengthen, unlike `durations`): a row's job is first polled when it has run as long as they say.
   */
  private readonly runTimesMs: number[] = [];
  private disposed = false;
  /** The execute on its way, if any: close() waits for its outcome to be saved. */
  private inFlightSend: Promise<void> | undefined;
  /** Closed: the ledger may be another run's now, so this one saves nothing more. */
  private closed = false;
  /** Stopped with "suspend the running jobs": a job that starts after that (its execute was on its way) is suspended too. */
  private suspendAfterStop = false;

  constructor(
    readonly ledger: BatchLedger,
    private readonly options: BatchRunOptions,
  ) {
    this.allowed = this.limit;
    for (const row of ledger.rows) if (row.jobId) this.rowsByJob.set(row.jobId, row);
    // Running rows show their job's elapsed time and status as the store sees them.
    this.storeSubscription = options.store.onDidChange(({ entry }) => {
      const row = this.rowsByJob.get(entry.ref.jobId);
      if (!row || row.state !== 'running' || !sameContract(entry.ref, this.ledger)) return;
      this.record(row, entry.job);
    });
  }

  /** Rows sending or running. */
  private get inFlight(): number {
    return this.followed.size + (this.sending ? 1 : 0);
  }

  get counts(): BatchCounts {
    return countRows(this.ledger);
  }

  /** The configured concurrency, within bounds. */
  private get limit(): number {
    return boundedConcurrency(this.options.concurrency);
  }

  onDidChange(listener: (change: BatchChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Starts or resumes the batch: rows whose job was running are followed again, a row whose execute
   * was on its way is looked for among the BOT's jobs, and pending rows are sent.
   */
  async start(): Promise<void> {
    if (this.disposed) return;
    for (const row of this.ledger.rows) if (row.state === 'running' && row.jobId) this.follow(row);
    if (this.ledger.phase === 'ready') this.ledger.phase = 'running';
    this.changed([]);
    await this.findRowsInDoubt('unanswered');
    await this.saveNow();
    this.pump();
    this.settleIfIdle();
  }

  pause(): void {
    if (this.ledger.phase !== 'running') return;
    this.ledger.phase = 'paused';
    this.changed([]);
    this.scheduleSave();
  }

  resume(): void {
    if (this.ledger.phase !== 'paused') return;
    this.ledger.phase = 'running';
    this.ledger.pausedFor = undefined;
    this.changed([]);
    this.scheduleSave();
    void this.start();
  }

  /** Sends no more rows; the running jobs go on (and are still followed) unless `suspendRunning`. */
  async stop({ suspendRunning }: { suspendRunning: boolean }): Promise<void> {
    this.ledger.phase = 'stopped';
    const stopped = this.ledger.rows.filter((row) => row.state === 'pending');
    for (const row of stopped) row.state = 'stopped';
    this.changed(stopped);
    await this.saveWhole();
    this.suspendAfterStop = suspendRunning;
    if (suspendRunning) await Promise.all(this.ledger.rows.filter((row) => row.state === 'running').map((row) => this.suspend(row)));
    this.settleIfIdle();
  }

  private async suspend(row: LedgerRow): Promise<void> {
    if (!row.jobId) return;
    try {
      await this.options.store.suspend(this.refOf(row.jobId));
    } catch (error) {
      this.options.log?.warn(`[${this.ledger.bot.publicId}] Could not suspend job ${row.jobId}: ${messageOf(error)}`);
    }
  }

  /**
   * Sends the failed, refused, invalid and stopped rows again, as new jobs. A row whose execute went
   * unanswered is looked for among the BOT's jobs once more, and sent again only when none is found.
   */
  async rerunFailed(): Promise<void> {
    const again = this.ledger.rows.filter((row) => RERUNNABLE_ROW_STATES.includes(row.state));
    for (const row of again) {
      if (row.jobId) row.earlierJobIds = [...(row.earlierJobIds ?? []), row.jobId];
      Object.assign(row, { state: 'pending', jobId: undefined, sentAt: undefined, status: undefined, message: undefined, elapsedSeconds: undefined, outputSummary: undefined, reason: undefined });
    }
    for (const row of this.ledger.rows) if (row.state === 'unanswered') row.state = 'sending';
    this.ledger.phase = 'running';
    this.ledger.pausedFor = undefined;
    this.changed(again);
    for (const row of this.ledger.rows) if (row.state === 'running' && row.jobId) this.follow(row);
    await this.findRowsInDoubt('pending');
    await this.saveWhole();
    this.pump();
    this.settleIfIdle();
  }

  /** Resolves when nothing is sending or running and no row will be sent without being asked to. */
  whenSettled(): Promise<void> {
    return new Promise((resolve) => {
      this.settledWaiters.push(resolve);
      this.settleIfIdle();
    });
  }

  /** Milliseconds until the last row ends, from how long rows took so far; undefined before any ended. */
  estimateMsLeft(): number | undefined {
    if (!this.durations.length) return undefined;
    const { pending, running } = this.counts;
    const average = this.durations.reduce((sum, ms) => sum + ms, 0) / this.durations.length;
    return Math.round(((pending + running) * average) / this.allowed);
  }

  /** As dispose, once the execute on its way (if any) has its outcome saved: nothing is saved after this. */
  async close(): Promise<void> {
    this.dispose();
    await this.inFlightSend?.catch(() => undefined);
    await this.saveWhole();
    this.closed = true;
  }

  /** Stops following (the jobs go on in Cloud BOT) and saves; the ledger resumes in a later window. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWaiting.abort();
    this.storeSubscription.dispose();
    clearTimeout(this.holdTimer);
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      void this.options.ledgers.save(this.ledger).catch(() => undefined);
    }
    this.listeners.clear();
  }

  /** Sends the next row when there is room: one execute at a time, within the concurrency. */
  private pump(): void {
    if (this.disposed || this.ledger.phase !== 'running' || this.sending) return;
    const wait = this.holdUntil - this.now();
    if (wait > 0) {
      clearTimeout(this.holdTimer);
      this.holdTimer = setTimeout(() => this.pump(), wait);
      return;
    }
    if (this.inFlight >= this.allowed) return;
    const row = this.ledger.rows.find((candidate) => candidate.state === 'pending');
    if (!row) {
      if (this.inFlight === 0) {
        this.ledger.phase = 'done';
        this.changed([]);
        void this.saveWhole();
        this.settleIfIdle();
      }
      return;
    }
    this.sending = true;
    const sent = this.send(row).finally(() => {
      this.sending = false;
      this.inFlightSend = undefined;
      this.pump();
      this.settleIfIdle();
    });
    this.inFlightSend = sent;
    void sent;
  }

  private async send(row: LedgerRow): Promise<void> {
    let prepared: PreparedRow;
    try {
      prepared = await this.options.prepare(row);
    } catch (error) {
      prepared = { ok: false, reason: { code: 'badInput', detail: messageOf(error) } };
    }
    if (!prepared.ok) {
      this.end(row, { state: 'invalid', reason: prepared.reason });
      return;
    }
    row.state = 'sending';
    row.sentAt = this.now();
    this.changed([row]);
    // Saved before it leaves: a crash from here on leaves a row to look for, not one to send again.
    await this.saveNow();
    const { bot, template } = this.ledger;
    try {
      const started = await this.options.store.execute(bot, executeRequest(prepared.input, template.options), undefined, { mine: false });
      this.backoffMs = 0;
      this.allowed = Math.min(this.limit, this.allowed + 1);
      this.begin(row, started.job, started.recovered);
      await this.saveNow();
    } catch (error) {
      this.executeFailed(row, error);
    }
  }

  private executeFailed(row: LedgerRow, error: unknown): void {
    const { publicId } = this.ledger.bot;
    // Told by name: this may run in a bundle of its own, apart from the store's and client's classes.
    const cloudBotError = isNamedError(error, 'CloudBotError') ? (error as CloudBotError) : undefined;
    if (cloudBotError?.status === 429) {
      // Refused, so nothing started: the row goes back, and the batch sends less for a while.
      this.backoffMs = cloudBotError.retryAfterSeconds !== undefined ? cloudBotError.retryAfterSeconds * 1000 : Math.min(MAX_BACKOFF_MS, Math.max(1000, this.backoffMs * 2));
      this.holdUntil = this.now() + Math.min(MAX_HOLD_MS, this.backoffMs);
      this.allowed = Math.max(1, Math.floor(this.allowed / 2));
      this.options.log?.warn(`[${publicId}] Batch: Cloud BOT asked to slow down (429); sending again in ${Math.round((this.holdUntil - this.now()) / 1000)} s, ${this.allowed} at once.`);
      this.backToPending(row);
      return;
    }
    if (isNamedError(error, 'ExecutionUnanswered')) {
      const unanswered = error as ExecutionUnanswered;
      this.options.log?.warn(`[${publicId}] Batch row ${row.index + 1}: the execute got no answer, and ${unanswered.candidates} unknown job(s) of the BOT started since: not sent again.`);
      this.end(row, { state: 'unanswered', reason: { code: 'unanswered', detail: messageOf(unanswered.error) } });
      return;
    }
    if (cloudBotError && !cloudBotError.mayHaveReachedServer) {
      // Nothing reached Cloud BOT (offline, signed out): every row would fail the same way.
      this.backToPending(row);
      this.pauseFor({ code: 'notReached', detail: cloudBotError.message });
      return;
    }
    const everyRow = cloudBotError && PAUSING_STATUSES[cloudBotError.status ?? 0];
    if (everyRow) {
      // Refused for every row alike (sign-in, permission, the BOT is gone): the batch waits for the user.
      this.backToPending(row);
      this.pauseFor({ code: everyRow, detail: messageOf(error) });
      return;
    }
    // Refused for this row's input: it fails alone, the others go on.
    this.end(row, { state: 'refused', reason: { code: 'refused', detail: messageOf(error) } });
  }

  /**
   * Looks for the jobs of rows whose execute was on its way when the window went. A row whose job is not
   * found becomes `noneFound`: `unanswered` after a reload (the user decides), `pending` when the user
   * asked to run it again.
   */
  private async findRowsInDoubt(noneFound: 'unanswered' | 'pending'): Promise<void> {
    for (const row of this.ledger.rows.filter((candidate) => candidate.state === 'sending')) {
      const known = new Set(this.ledger.rows.flatMap((other) => [...(other.jobId ? [other.jobId] : []), ...(other.earlierJobIds ?? [])]));
      const candidates = await this.options.store.lostJobCandidates(this.ledger.bot, row.sentAt ?? 0, known);
      if (candidates === undefined) {
        // Cannot tell now: the row stays in doubt and the batch waits, rather than risking a second job.
        this.pauseFor({ code: 'cannotCheckLostRow' });
        return;
      }
      if (candidates.length === 1) {
        const started = this.options.store.adopt(this.ledger.bot, candidates[0], { recovered: true, mine: false });
        this.options.log?.info(`[${this.ledger.bot.publicId}] Batch row ${row.index + 1}: found its job ${started.ref.jobId}; not sent again.`);
        this.begin(row, started.job, true);
      } else if (candidates.length === 0 && noneFound === 'pending') {
        row.state = 'pending';
        row.sentAt = undefined;
        this.changed([row]);
      } else {
        this.end(row, { state: 'unanswered', reason: { code: candidates.length ? 'severalCandidates' : 'noJobFound' } });
      }
    }
  }

  private begin(row: LedgerRow, job: Job, recovered: boolean): void {
    row.jobId = job.job_id;
    row.reason = recovered ? { code: 'recovered' } : undefined;
    this.rowsByJob.set(job.job_id, row);
    row.state = 'running';
    this.record(row, job);
    this.follow(row);
    if (this.suspendAfterStop && row.state === 'running') void this.suspend(row);
  }

  /** Follows a running row's job to its end (once however often asked). */
  private follow(row: LedgerRow): void {
    if (this.followed.has(row) || !row.jobId) return;
    this.followed.add(row);
    this.rowsByJob.set(row.jobId, row);
    this.options.store.waitForEnd(this.refOf(row.jobId), { kind: 'batch', signal: this.stopWaiting.signal, expectedRunMs: expectedRunMs(this.runTimesMs) }).then(
      (job) => {
        this.followed.delete(row);
        this.record(row, job);
        if (row.sentAt !== undefined) this.durations.push(Math.max(0, this.now() - row.sentAt));
        this.learnRunTime(job);
        this.afterRow(row);
      },
      (error: unknown) => {
        this.followed.delete(row);
        if (isNamedError(error, 'StoppedWaiting')) return;
        // The job cannot be followed (gone, access refused): its row ends with why.
        this.end(row, { state: 'failed', reason: { code: 'cannotFollow', detail: messageOf(error) } });
        this.pump();
      },
    );
  }

  private learnRunTime(job: Job): void {
    const seconds = runSeconds(job.elapsed_time);
    if (seconds === undefined) return;
    this.runTimesMs.push(seconds * 1000);
    if (this.runTimesMs.length > RUN_TIMES_KEPT) this.runTimesMs.shift();
  }

  /** Takes in the job's latest state. */
  private record(row: LedgerRow, job: Job): void {
    const redact = this.options.redact ?? ((text: string) => text);
    row.status = job.status;
    row.message = typeof job.message === 'string' ? redact(job.message) : job.message;
    row.elapsedSeconds = job.elapsed_time;
    if (job.output) row.outputSummary = redact(summaryOf(job.output));
    if (isFinished(job)) row.state = job.status === JobStatus.Succeeded ? 'succeeded' : 'failed';
    this.changed([row]);
    this.scheduleSave();
  }

  private afterRow(row: LedgerRow): void {
    this.changed([row]);
    this.scheduleSave();
    this.settleIfIdle();
    this.pump();
  }

  private end(row: LedgerRow, { state, reason }: { state: LedgerRow['state']; reason: RowReason }): void {
    row.state = state;
    row.reason = reason;
    this.changed([row]);
    this.scheduleSave();
    this.settleIfIdle();
  }

  private backToPending(row: LedgerRow): void {
    row.state = 'pending';
    row.sentAt = undefined;
    this.changed([row]);
    void this.saveNow();
  }

  private pauseFor(reason: PauseReason): void {
    this.ledger.phase = 'paused';
    this.ledger.pausedFor = reason;
    this.options.log?.warn(`[${this.ledger.bot.publicId}] Batch paused: ${reason.code}${'detail' in reason ? ` (${reason.detail})` : ''}.`);
    this.changed([]);
    this.scheduleSave();
    this.settleIfIdle();
  }

  private settleIfIdle(): void {
    if (this.inFlight > 0 || this.sending) return;
    if (this.ledger.phase === 'running' && this.ledger.rows.some((row) => row.state === 'pending')) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private refOf(jobId: string): JobRef {
    return jobRefOf(this.ledger.bot, { job_id: jobId });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private changed(rows: readonly LedgerRow[]): void {
    for (const row of rows) this.unsaved.add(row);
    for (const listener of [...this.listeners]) {
      try {
        listener({ ledger: this.ledger, rows });
      } catch (error) {
        this.options.log?.warn(`A listener of batch changes failed: ${messageOf(error)}`);
      }
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer || this.disposed) return;
    this.saveTimer = setTimeout(() => void this.saveNow(), this.options.saveEveryMs ?? 1000);
  }

  /** Saves the rows changed since the last save, and the batch's phase. */
  private saveNow(): Promise<void> {
    const changed = [...this.unsaved];
    this.unsaved.clear();
    return this.write(changed);
  }

  /** Saves the whole ledger: after changes to many rows, and when the run ends, to be read back in one piece. */
  private saveWhole(): Promise<void> {
    this.unsaved.clear();
    return this.write(undefined);
  }

  private async write(changed: readonly LedgerRow[] | undefined): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.closed) return;
    try {
      await this.options.ledgers.save(this.ledger, changed);
    } catch (error) {
      this.options.log?.warn(`[${this.ledger.bot.publicId}] Could not save the batch's ledger: ${messageOf(error)}`);
    }
  }
}

function sameContract(ref: JobRef, ledger: BatchLedger): boolean {
  return ref.sessionId === ledger.bot.sessionId && ref.publicId === ledger.bot.publicId;
}

/** The first output items as one short line: the batch table's glance at each row. */
export function summaryOf(output: Record<string, unknown>): string {
  const parts = Object.entries(output).map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const text = parts.join(' · ').replace(/\s+/g, ' ');
  return text.length > OUTPUT_SUMMARY_LENGTH ? `${text.slice(0, OUTPUT_SUMMARY_LENGTH - 1)}…` : text;
}
