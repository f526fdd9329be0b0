// A panel per batch: before the start, how its columns map and its first rows as the BOT will receive
// them; then one line per row, kept up to date from the batch's change event (a few times a second at
// most, however fast rows change), with Pause, Resume, Stop, Re-run Failed Rows and Export. Panels come
// back after a window reload.
import * as vscode from 'vscode';
import type { BatchChange } from '../core/batch/batchRun';
import { countRows, type BatchLedger, type LedgerRow } from '../core/batch/ledger';
import { elapsedText } from '../core/jobText';
import { jobRefOf, type JobRef } from '../core/refs';
import type { Batches } from '../jobs/batches';
import type { BatchFromPage, BatchInitialData, BatchPageStrings, BatchRenderReport, BatchToPage, BatchView, ColumnView, ExportFormat, RowView } from '../webview/batchProtocol';
import { batchPhaseText, describePauseReason, describeRowReason, jobWords, rowStateText } from '../words';
import { RENDER_REPORTS_KEPT } from './resultPanel';
import { keepLatest, pageOptions, webviewHtml } from './webviewHtml';

export const BATCH_VIEW_TYPE = 'cloudbot.batch';
/** Rows sent to a page at most this often while a batch runs. */
const UPDATE_EVERY_MS = 250;
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the panel shows before a batch starts. */
export interface BatchPreview {
  columns: ColumnView[];
  rows: NonNullable<BatchView['preview']>;
}

export interface BatchPanelServices {
  extensionUri: vscode.Uri;
  batches: Batches;
  preview(ledger: BatchLedger): Promise<BatchPreview | undefined>;
  openJob(ref: JobRef): void;
  /** Asks whether to suspend the running jobs, then stops. */
  stop(id: string): Promise<void>;
  exportResults(id: string, format: ExportFormat): Promise<unknown>;
  /** For tests: keep what the pages report after each render. */
  collectRenders: boolean;
}

export class BatchPanels implements vscode.WebviewPanelSerializer<{ batchId?: unknown }>, vscode.Disposable {
  private readonly panels = new Map<string, BatchPanel>();
  private readonly renderEmitter = new vscode.EventEmitter<BatchRenderReport & { batchId: string }>();
  readonly onDidRender = this.renderEmitter.event;

  constructor(private readonly services: BatchPanelServices) {}

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.renderEmitter.dispose();
  }

  open(ledger: BatchLedger): BatchPanel {
    const known = this.panels.get(ledger.id);
    if (known) {
      known.reveal();
      return known;
    }
    const panel = vscode.window.createWebviewPanel(BATCH_VIEW_TYPE, titleOf(ledger), vscode.ViewColumn.Active, pageOptions(this.services.extensionUri));
    return this.adopt(panel, ledger.id);
  }

  panelOf(id: string): BatchPanel | undefined {
    return this.panels.get(id);
  }

  /** What a batch's page rendered lately, oldest first (only while render reports are collected). */
  renderReportsOf(id: string): readonly BatchRenderReport[] {
    return this.panels.get(id)?.renderReports ?? [];
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: { batchId?: unknown } | undefined): Promise<void> {
    // The page's state is outside input: only an id of a kept ledger brings the panel back.
    const id = state?.batchId;
    if (typeof id !== 'string' || !BATCH_ID.test(id) || !(await this.services.batches.get(id))) {
      panel.dispose();
      return;
    }
    panel.webview.options = pageOptions(this.services.extensionUri);
    this.adopt(panel, id);
  }

  private adopt(panel: vscode.WebviewPanel, id: string): BatchPanel {
    const rendered = this.services.collectRenders ? (report: BatchRenderReport) => this.renderEmitter.fire({ ...report, batchId: id }) : undefined;
    const batchPanel = new BatchPanel(panel, id, this.services, rendered);
    this.panels.set(id, batchPanel);
    panel.onDidDispose(() => this.panels.get(id) === batchPanel && this.panels.delete(id));
    return batchPanel;
  }
}

export class BatchPanel implements vscode.Disposable {
  private ready = false;
  private preview: BatchPreview | undefined;
  private readonly changed = new Set<LedgerRow>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly renders: BatchRenderReport[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly batchId: string,
    private readonly services: BatchPanelServices,
    private readonly rendered: ((report: BatchRenderReport) => void) | undefined,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'cloudbot.svg');
    const initialData: BatchInitialData = { strings: pageStrings(), batchId, reportRenders: rendered !== undefined };
    panel.webview.html = webviewHtml(panel.webview, services.extensionUri, 'batch.js', initialData);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: BatchFromPage) => void this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      services.batches.onDidChange((change) => change.ledger.id === batchId && this.onChange(change)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.flushTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  get renderReports(): readonly BatchRenderReport[] {
    return this.renders;
  }

  private onChange({ ledger, rows }: BatchChange): void {
    this.panel.title = titleOf(ledger);
    if (!this.ready) return;
    for (const row of rows) this.changed.add(row);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const changedRows = [...this.changed];
      this.changed.clear();
      void this.post({ type: 'rows', batch: this.viewOf(ledger), rows: changedRows.map(rowView) });
    }, UPDATE_EVERY_MS);
  }

  private async showAll(): Promise<void> {
    const ledger = await this.services.batches.get(this.batchId);
    if (!ledger) return;
    if (ledger.phase === 'ready') this.preview ??= await this.services.preview(ledger);
    this.panel.title = titleOf(ledger);
    await this.post({ type: 'show', batch: this.viewOf(ledger), rows: ledger.rows.map(rowView) });
  }

  private viewOf(ledger: BatchLedger): BatchView {
    const run = this.services.batches.runOf(ledger.id);
    const counts = run?.counts ?? countRows(ledger);
    const msLeft = ledger.phase === 'running' ? run?.estimateMsLeft() : undefined;
    return {
      title: titleOf(ledger),
      phase: ledger.phase,
      phaseText: batchPhaseText(ledger.phase),
      notice: ledger.phase === 'paused' && ledger.pausedFor ? describePauseReason(ledger.pausedFor) : undefined,
      counts,
      timeLeft: msLeft === undefined ? undefined : elapsedText(msLeft / 1000, jobWords()),
      columns: this.preview?.columns ?? [],
      preview: ledger.phase === 'ready' ? this.preview?.rows : undefined,
      canExport: ledger.phase !== 'ready' && counts.done > 0,
    };
  }

  private post(message: BatchToPage): Thenable<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(message);
  }

  private async receive(message: BatchFromPage): Promise<void> {
    const { batches } = this.services;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.showAll();
      case 'rendered':
        if (!this.rendered) return;
        keepLatest(this.renders, message.report, RENDER_REPORTS_KEPT);
        return this.rendered(message.report);
      case 'start':
        if (await batches.start(this.batchId)) await this.showAll();
        return;
      case 'pause':
        return batches.pause(this.batchId);
      case 'resume':
        return batches.resume(this.batchId);
      case 'stop':
        return this.services.stop(this.batchId);
      case 'rerunFailed':
        return batches.rerunFailed(this.batchId);
      case 'export':
        if (message.format === 'csv' || message.format === 'xlsx' || message.format === 'jsonl') await this.services.exportResults(this.batchId, message.format);
        return;
      case 'openJob': {
        const ledger = await batches.get(this.batchId);
        const jobId = Number.isInteger(message.index) ? ledger?.rows[message.index]?.jobId : undefined;
        if (ledger && jobId) this.services.openJob(jobRefOf(ledger.bot, { job_id: jobId }));
        return;
      }
    }
  }
}

function titleOf(ledger: BatchLedger): string {
  const bot = ledger.bot.botName ?? ledger.bot.botId;
  return `${bot} × ${ledger.rowsSource}`;
}

function rowView(row: LedgerRow): RowView {
  const problem = row.reason !== undefined && row.reason.code !== 'recovered';
  return {
    index: row.index,
    line: row.line,
    state: row.state,
    stateText: rowStateText(row.state),
    jobId: row.jobId,
    elapsed: row.elapsedSeconds === undefined ? undefined : elapsedText(row.elapsedSeconds, jobWords()),
    result: problem ? describeRowReason(row.reason!) : (row.outputSummary ?? (row.state === 'failed' ? (row.message ?? undefined) : undefined)),
    problem: problem || row.state === 'failed',
  };
}

function pageStrings(): BatchPageStrings {
  return {
    start: vscode.l10n.t('Start'),
    pause: vscode.l10n.t('Pause'),
    resume: vscode.l10n.t('Resume'),
    stop: vscode.l10n.t('Stop…'),
    rerunFailed: vscode.l10n.t('Re-run Failed Rows'),
    exportCsv: vscode.l10n.t('Export CSV…'),
    exportXlsx: vscode.l10n.t('Export Excel…'),
    exportJsonLines: vscode.l10n.t('Export JSON Lines…'),
    progress: vscode.l10n.t('{0} of {1} rows done'),
    tally: vscode.l10n.t('{0} succeeded, {1} failed, {2} running'),
    timeLeft: vscode.l10n.t('about {0} left'),
    columns: vscode.l10n.t('Columns'),
    column: vscode.l10n.t('Column'),
    mapsTo: vscode.l10n.t('Goes to'),
    previewOf: vscode.l10n.t('The first {0} of {1} rows, as the BOT will receive them'),
    rows: vscode.l10n.t('Rows'),
    row: vscode.l10n.t('Row'),
    line: vscode.l10n.t('Line'),
    status: vscode.l10n.t('Status'),
    job: vscode.l10n.t('Job'),
    elapsed: vscode.l10n.t('Elapsed'),
    result: vscode.l10n.t('Output or reason'),
    onlyProblems: vscode.l10n.t('Only rows with problems'),
    showMore: vscode.l10n.t('Show {0} more'),
    noRows: vscode.l10n.t('No rows.'),
    waiting: vscode.l10n.t('Loading the batch…'),
  };
}
