// The batches of this workspace: each one's ledger is kept in the extension's workspace storage, and
// the batch that runs is a core BatchRun. A window that reloads in the middle of a batch resumes it
// from its ledger once activation is over; the panel, the progress notification and the commands all
// go through here and listen to its one change event.
import * as vscode from 'vscode';
import type { BatchChange, BatchRun, PreparedRow } from '../core/batch/batchRun';
import { batchEngine } from '../core/batch/library';
import { newLedger, type BatchLedger, type LedgerRow, type LedgerStore, type NewBatch } from '../core/batch/ledger';
import type { JobStore } from '../core/jobStore';
import type { JobRef } from '../core/refs';
import { messageOf } from '../core/errors';

/**
 * What a batch needs to send its rows: each row's input, and how to keep the values its variables
 * resolved to out of what is saved; undefined when the user cancelled (a secret or a prompt not given).
 */
export type RowPreparer = (ledger: BatchLedger) => Promise<{ prepare(row: LedgerRow): Promise<PreparedRow>; redact(text: string): string } | undefined>;

export interface BatchesOptions {
  store: JobStore;
  ledgers: LedgerStore;
  log: vscode.LogOutputChannel;
  preparer: RowPreparer;
  concurrency(): number;
}

/** Kept ledgers older than this that are done or stopped are deleted at the next start. */
const KEEP_FINISHED_MS = 30 * 24 * 60 * 60 * 1000;

export class Batches implements vscode.Disposable {
  private readonly runs = new Map<string, BatchRun>();
  private readonly known = new Map<string, BatchLedger>();
  private readonly changeEmitter = new vscode.EventEmitter<BatchChange>();
  /** A batch's ledger or one of its rows changed (also when it starts or settles). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly options: BatchesOptions) {}

  dispose(): void {
    // The jobs go on in Cloud BOT; the ledgers say where each row was, for the next window.
    for (const run of this.runs.values()) run.dispose();
    this.runs.clear();
    this.changeEmitter.dispose();
  }

  /** A new batch, kept but not started: its panel shows the preview and a Start button. */
  async create(batch: NewBatch): Promise<BatchLedger> {
    const ledger = newLedger(batch);
    await this.options.ledgers.save(ledger);
    this.known.set(ledger.id, ledger);
    return ledger;
  }

  async get(id: string): Promise<BatchLedger | undefined> {
    const known = this.known.get(id);
    if (known) return known;
    const loaded = await this.options.ledgers.load(id);
    if (loaded) this.known.set(id, loaded);
    return loaded;
  }

  runOf(id: string): BatchRun | undefined {
    return this.runs.get(id);
  }

  /** Every kept batch, newest first. */
  async all(): Promise<BatchLedger[]> {
    const ids = await this.options.ledgers.list();
    const ledgers = (await Promise.all(ids.map((id) => this.get(id)))).filter((ledger): ledger is BatchLedger => !!ledger);
    return ledgers.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The batch row whose job this is (also an earlier attempt's), among the kept batches. */
  async rowOfJob(ref: JobRef): Promise<{ ledger: BatchLedger; row: LedgerRow } | undefined> {
    for (const ledger of await this.all()) {
      if (ledger.bot.sessionId !== ref.sessionId || ledger.bot.publicId !== ref.publicId) continue;
      const row = ledger.rows.find((candidate) => candidate.jobId === ref.jobId || candidate.earlierJobIds?.includes(ref.jobId));
      if (row) return { ledger, row };
    }
    return undefined;
  }

  /** Starts (or resumes following) a batch; false when the user cancelled what its rows need. */
  async start(id: string): Promise<boolean> {
    const run = await this.runFor(id);
    if (!run) return false;
    await run.start();
    return true;
  }

  async pause(id: string): Promise<void> {
    (await this.runFor(id))?.pause();
  }

  async resume(id: string): Promise<void> {
    (await this.runFor(id))?.resume();
  }

  async stop(id: string, suspendRunning: boolean): Promise<void> {
    await (await this.runFor(id))?.stop({ suspendRunning });
  }

  async rerunFailed(id: string): Promise<void> {
    await (await this.runFor(id))?.rerunFailed();
  }

  /**
   * After a reload: batches that were running or paused with rows in flight are taken up again, for
   * the accounts still signed in. Old finished ledgers are deleted. No network here but the batches'.
   */
  async resumeAll(signedIn: ReadonlySet<string>): Promise<void> {
    for (const ledger of await this.all()) {
      const finished = ledger.phase === 'done' || ledger.phase === 'stopped';
      const inFlight = ledger.rows.some((row) => row.state === 'running' || row.state === 'sending');
      if (finished && !inFlight) {
        if (Date.now() - Date.parse(ledger.createdAt) > KEEP_FINISHED_MS) await this.options.ledgers.remove(ledger.id);
        continue;
      }
      if (ledger.phase === 'ready' || !signedIn.has(ledger.bot.sessionId) || this.runs.has(ledger.id)) continue;
      this.options.log.info(`[${ledger.bot.publicId}] Taking up the batch of ${ledger.bot.botId} over ${ledger.rowsSource} again (${ledger.phase}).`);
      try {
        await this.start(ledger.id);
      } catch (error) {
        this.options.log.warn(`[${ledger.bot.publicId}] Could not take up the batch over ${ledger.rowsSource}: ${messageOf(error)}`);
      }
    }
  }

  /**
   * Stops following a batch here, leaving its ledger as it is (its jobs go on in Cloud BOT), as a window
   * that closes does; a later resumeAll takes it up again.
   */
  async forget(id: string): Promise<void> {
    const run = this.runs.get(id);
    this.runs.delete(id);
    this.known.delete(id);
    await run?.close();
  }

  /** An account signed out: its batches are no longer followed here; they are taken up at its next sign-in after a reload. */
  async forgetAccount(sessionId: string): Promise<void> {
    await Promise.all([...this.runs].filter(([, run]) => run.ledger.bot.sessionId === sessionId).map(([id]) => this.forget(id)));
  }

  /** Deletes a batch that is not running, with its ledger. */
  async remove(id: string): Promise<void> {
    this.runs.get(id)?.dispose();
    this.runs.delete(id);
    this.known.delete(id);
    await this.options.ledgers.remove(id);
  }

  private async runFor(id: string): Promise<BatchRun | undefined> {
    const running = this.runs.get(id);
    if (running) return running;
    const ledger = await this.get(id);
    if (!ledger) return undefined;
    const prepared = await this.options.preparer(ledger);
    if (!prepared) return undefined;
    const { BatchRun } = await batchEngine();
    // Asked meanwhile (a second click while a secret was asked for): one run per batch.
    const raced = this.runs.get(id);
    if (raced) return raced;
    const { store, ledgers, log } = this.options;
    const run = new BatchRun(ledger, { store, ledgers, log, prepare: prepared.prepare, redact: prepared.redact, concurrency: this.options.concurrency() });
    run.onDidChange((change) => this.changeEmitter.fire(change));
    this.runs.set(id, run);
    return run;
  }
}
