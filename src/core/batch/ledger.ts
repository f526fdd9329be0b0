// A batch's ledger: what it runs (BOT, template, rows) and what became of each row (its job, its
// state), saved as it goes so that a reload, a crash or a lost answer never sends a row twice or loses
// it. It holds the template as written and the rows as read: never a resolved variable. No `vscode` and
// no Node here (the batch page shares its types); fileLedgerStore.ts keeps ledgers on disk.
import type { ExecuteOptions } from '../executeOptions';
import type { BotRef } from '../refs';
import type { RowProblem } from '../tables/rowInput';

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

/** Why a row did not run (or how it was found), for words in the VS Code layer; `detail` is for the log. */
export type RowReason =
  /** Its cells cannot make the BOT's input. */
  | { code: 'badRow'; problem: RowProblem }
  /** Making its input failed otherwise (a variable, a template); `detail` says why. */
  | { code: 'badInput'; detail: string }
  /** Cloud BOT refused to execute it. */
  | { code: 'refused'; detail: string }
  /** Its execute got no answer, and its job was not found (none, or several that could be it). */
  | { code: 'unanswered' | 'noJobFound' | 'severalCandidates'; detail?: string }
  /** Its job could not be followed (gone, access refused). */
  | { code: 'cannotFollow'; detail: string }
  /** Its execute got no answer, and its job was found among the BOT's jobs. */
  | { code: 'recovered' };

/** Why a batch paused by itself: every row would fail the same way until the user acts. */
export type PauseReason =
  /** Cloud BOT could not be reached, or answered 401 (sign in), 403 (permission) or 404 (the BOT is gone). */
  | { code: 'notReached' | 'unauthorized' | 'forbidden' | 'botNotFound'; detail: string }
  /** A row in doubt could not be looked for among the BOT's jobs. */
  | { code: 'cannotCheckLostRow' };

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
  elapsedSeconds?: number;
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
  pausedFor?: PauseReason;
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
    id: globalThis.crypto.randomUUID(),
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

/** Counted on each change of a running batch (its progress notification), so one switch per row. */
export function countRows(ledger: BatchLedger): BatchCounts {
  const counts: BatchCounts = { total: ledger.rows.length, done: 0, succeeded: 0, failed: 0, running: 0, pending: 0 };
  for (const row of ledger.rows) {
    switch (row.state) {
      case 'pending':
        counts.pending++;
        break;
      case 'sending':
      case 'running':
        counts.running++;
        break;
      case 'succeeded':
        counts.succeeded++;
        break;
      case 'failed':
      case 'invalid':
      case 'refused':
      case 'unanswered':
      case 'stopped':
        counts.failed++;
    }
  }
  counts.done = counts.succeeded + counts.failed;
  return counts;
}

/** Where ledgers are kept between windows. */
export interface LedgerStore {
  /**
   * Keeps the ledger. `changed`, when given, are the only rows that changed since the last save (the
   * batch's phase may have too), so that the store can keep just them: a row at a time as a batch runs.
   */
  save(ledger: BatchLedger, changed?: readonly LedgerRow[]): Promise<void>;
  load(id: string): Promise<BatchLedger | undefined>;
  /** Every kept ledger's id. */
  list(): Promise<string[]>;
  remove(id: string): Promise<void>;
}
