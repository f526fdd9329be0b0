// What the batch panel's host (src/views/batchPanel.ts) and its page (batch.ts) tell each other. Types
// only, so both sides import it. Every text is made by the host (translated, server text made inert);
// the page only lays it out.
import type { BatchCounts, BatchPhase, RowState } from '../core/batch/ledger';

/** The page's translated strings; `{0}`, `{1}` are filled in by the page. */
export interface BatchPageStrings {
  start: string;
  pause: string;
  resume: string;
  stop: string;
  rerunFailed: string;
  exportCsv: string;
  exportXlsx: string;
  exportJsonLines: string;
  /** `{0}` done of `{1}`. */
  progress: string;
  /** `{0}` succeeded, `{1}` failed, `{2}` running. */
  tally: string;
  /** `{0}` a duration. */
  timeLeft: string;
  columns: string;
  column: string;
  mapsTo: string;
  /** `{0}` rows shown of `{1}`. */
  previewOf: string;
  rows: string;
  row: string;
  line: string;
  status: string;
  job: string;
  elapsed: string;
  result: string;
  onlyProblems: string;
  showMore: string;
  noRows: string;
  waiting: string;
}

/** Written into the page by the host, read once when the page starts. */
export interface BatchInitialData {
  strings: BatchPageStrings;
  /** Kept in the page's state so that the host can bring the panel back after a reload. */
  batchId: string;
  reportRenders: boolean;
}

/** What the page saves with vscode.setState (outside input when the host reads it back). */
export interface BatchPageState {
  batchId?: unknown;
  onlyProblems?: unknown;
}

export interface ColumnView {
  column: string;
  /** Where the column goes, in words ("input item Orders", "row variable"…). */
  target: string;
  /** A column no item or variable takes: shown as a warning. */
  unknown: boolean;
}

export interface RowView {
  index: number;
  line: number;
  state: RowState;
  stateText: string;
  jobId?: string;
  elapsed?: string;
  /** The output's glance, or why the row did not run. */
  result?: string;
  /** Whether `result` is a problem (shown as one). */
  problem: boolean;
}

export interface BatchView {
  title: string;
  phase: BatchPhase;
  phaseText: string;
  /** Why it paused by itself, in words. */
  notice?: string;
  counts: BatchCounts;
  timeLeft?: string;
  columns: ColumnView[];
  /** Before it starts: the first rows as the BOT will receive them (variables other than `${row:…}` unresolved). */
  preview?: { line: number; input?: unknown; problem?: string }[];
  canExport: boolean;
}

export interface BatchShowMessage {
  readonly type: 'show';
  readonly batch: BatchView;
  readonly rows: RowView[];
}

/** Only these rows changed (a running batch sends these, a few times a second at most). */
export interface BatchRowsMessage {
  readonly type: 'rows';
  readonly batch: BatchView;
  readonly rows: RowView[];
}

export type BatchToPage = BatchShowMessage | BatchRowsMessage;

export interface BatchActionMessage {
  readonly type: 'ready' | 'start' | 'pause' | 'resume' | 'stop' | 'rerunFailed';
}

export type ExportFormat = 'csv' | 'xlsx' | 'jsonl';

export interface BatchExportMessage {
  readonly type: 'export';
  readonly format: ExportFormat;
}

export interface BatchOpenJobMessage {
  readonly type: 'openJob';
  readonly index: number;
}

export interface BatchRenderReport {
  phase: BatchPhase;
  rows: number;
  previewRows: number;
  unknownColumns: number;
}

export interface BatchRenderedMessage {
  readonly type: 'rendered';
  readonly report: BatchRenderReport;
}

export type BatchFromPage = BatchActionMessage | BatchExportMessage | BatchOpenJobMessage | BatchRenderedMessage;
