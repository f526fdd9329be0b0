// A batch's ledger: what it runs (BOT, template, rows) and what became of each row (its job, its
// state), saved as it goes so that a reload, a crash or a lost answer never sends a row twice or loses
// it. It holds the template as written and the rows as read: never a resolved variable. No `vscode` here.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecuteOptions } from '../executeOptions';
import type { BotRef } from '../refs';

/**
 * - `pending`: not sent yet;
 * - `sending`: its execute is on its way (saved before it leaves, so that a crash meanwhile is found out);
 * - `running`: its job started;
 * - `succeeded` / `failed`: its job ended so;
 * - `invalid`: its data could not make an input (nothing was sent);
 * - `refused`: Cloud BOT refused to execute it (nothing started);
 * - `unanswered`: its execute got no answer and no job of it was found: it may or may not run;
 * - `stopped`: the batch was stopped before it was sent.
 */
export type RowState = 'pending' | 'sending' | 'running' | 'succeeded' | 'failed' | 'invalid' | 'refused' | 'unanswered' | 'stopped';

/** Why a row did not run, for words in the VS Code layer (`code`) and the log (`detail`). */
export interface RowReason {
  code: string;
  detail?: string;
  /** Where in the row's data (a column) or template (line and column) the problem is. */
  column?: string;
  line?: number;
}

export interface LedgerRow {
  /** 0-based position among the rows. */
  index: number;
  /** Where the row was in its file (line or sheet row), for messages. */
  line: number;
  cells: Record<string, unknown>;
  state: RowState;
  jobId?: string;
  /** When its execute was sent (ms since the epoch): where to look for its job if the answer is lost. */
  sentAt?: number;
  /** Job status, message and elapsed time as last seen. */
  status?: number;
  message?: string | null;
  elapsedMs?: number;
  /** A short text of the output, for the batch table. */
  outputSummary?: string;
  reason?: RowReason;
  /** Jobs of earlier attempts (Re-run Failed Rows). */
  earlierJobIds?: string[];
}

export type BatchPhase = 'ready' | 'running' | 'paused' | 'stopped' | 'done';

export interface BatchLedger {
  id: string;
  version: 1;
  createdAt: string;
  bot: BotRef;
  /** The input template as written (variables unresolved), and the execute options. */
  template: { input: Record<string, unknown>; options: ExecuteOptions; source?: string };
  /** The file the rows came from, for titles. */
  rowsSource: string;
  /** Column names, in file order. */
  columns: string[];
  phase: BatchPhase;
  /** Why the batch paused by itself (sign-in needed, no permission…). */
  pausedFor?: RowReason;
  rows: LedgerRow[];
}

export interface NewBatch {
  bot: BotRef;
  template: BatchLedger['template'];
  rowsSource: string;
  columns: string[];
  rows: { line: number; cells: Record<string, unknown> }[];
}

export function newLedger(batch: NewBatch, now = new Date()): BatchLedger {
  return {
    id: randomUUID(),
    version: 1,
    createdAt: now.toISOString(),
    bot: { sessionId: batch.bot.sessionId, publicId: batch.bot.publicId, botId: batch.bot.botId, botName: batch.bot.botName },
    template: batch.template,
    rowsSource: batch.rowsSource,
    columns: batch.columns,
    phase: 'ready',
    rows: batch.rows.map((row, index) => ({ index, line: row.line, cells: row.cells, state: 'pending' })),
  };
}

export const FINAL_ROW_STATES: readonly RowState[] = ['succeeded', 'failed', 'invalid', 'refused', 'unanswered', 'stopped'];
/** What Re-run Failed Rows sends again. */
export const RERUNNABLE_ROW_STATES: readonly RowState[] = ['failed', 'invalid', 'refused', 'stopped'];

export interface BatchCounts {
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  running: number;
  pending: number;
}

export function countRows(ledger: BatchLedger): BatchCounts {
  const counts: BatchCounts = { total: ledger.rows.length, done: 0, succeeded: 0, failed: 0, running: 0, pending: 0 };
  for (const row of ledger.rows) {
    if (row.state === 'succeeded') counts.succeeded++;
    if (row.state === 'running' || row.state === 'sending') counts.running++;
    if (row.state === 'pending') counts.pending++;
    if (FINAL_ROW_STATES.includes(row.state)) counts.done++;
    if (FINAL_ROW_STATES.includes(row.state) && row.state !== 'succeeded') counts.failed++;
  }
  return counts;
}

/** Where ledgers are kept between windows. */
export interface LedgerStore {
  save(ledger: BatchLedger): Promise<void>;
  load(id: string): Promise<BatchLedger | undefined>;
  /** Every kept ledger's id. */
  list(): Promise<string[]>;
  remove(id: string): Promise<void>;
}

/** A kept ledger bigger than this is not read back (a hand-edited or damaged file). */
export const MAX_LEDGER_BYTES = 64 * 1024 * 1024;
const LEDGER_FILE = /^batch-([0-9a-f-]{36})\.json$/;

/**
 * One JSON file per batch in a folder of the extension's own storage, replaced whole on each save
 * (written aside, then renamed), so that a crash mid-write leaves the previous save intact.
 */
export class FileLedgerStore implements LedgerStore {
  /** Saves of one ledger run one after the other, the newest last. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly folder: string) {}

  save(ledger: BatchLedger): Promise<void> {
    const text = JSON.stringify(ledger);
    const previous = this.queues.get(ledger.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(ledger.id, text));
    this.queues.set(ledger.id, next);
    void next.finally(() => this.queues.get(ledger.id) === next && this.queues.delete(ledger.id)).catch(() => undefined);
    return next;
  }

  async load(id: string): Promise<BatchLedger | undefined> {
    if (!LEDGER_FILE.test(`batch-${id}.json`)) return undefined;
    let text: string;
    try {
      const bytes = await readFile(this.pathOf(id));
      if (bytes.length > MAX_LEDGER_BYTES) return undefined;
      text = bytes.toString('utf8');
    } catch {
      return undefined;
    }
    try {
      const ledger = JSON.parse(text) as BatchLedger;
      return isLedger(ledger) ? ledger : undefined;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).flatMap((name) => LEDGER_FILE.exec(name)?.[1] ?? []);
    } catch {
      return [];
    }
  }

  async remove(id: string): Promise<void> {
    if (LEDGER_FILE.test(`batch-${id}.json`)) await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    return join(this.folder, `batch-${id}.json`);
  }

  private async write(id: string, text: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const aside = `${this.pathOf(id)}.${process.pid}.tmp`;
    await writeFile(aside, text, 'utf8');
    await rename(aside, this.pathOf(id));
  }
}

function isLedger(value: unknown): value is BatchLedger {
  const ledger = value as Partial<BatchLedger> | null;
  return (
    !!ledger &&
    ledger.version === 1 &&
    typeof ledger.id === 'string' &&
    !!ledger.bot &&
    typeof ledger.bot.sessionId === 'string' &&
    typeof ledger.bot.publicId === 'string' &&
    typeof ledger.bot.botId === 'string' &&
    !!ledger.template &&
    Array.isArray(ledger.rows) &&
    ledger.rows.every((row) => !!row && typeof row.index === 'number' && typeof row.state === 'string' && !!row.cells && typeof row.cells === 'object')
  );
}
