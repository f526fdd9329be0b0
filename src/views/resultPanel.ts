// A result panel per job: status, BOT, times, message and the output rendered by kind (src/webview/),
// kept up to date from the job store while the panel is open (its interest keeps the job watched). The
// webview builds its DOM from text only, under a CSP with a nonce, so an output carrying HTML shows as
// text. Panels come back after a window reload.
import * as vscode from 'vscode';
import type { Disposable as StoreDisposable, JobStore } from '../core/jobStore';
import { castTarget } from '../core/castFraming';
import { statusText } from '../core/jobText';
import { isJobRef, jobKey, jobRefFrom, sameJob, type JobRef } from '../core/refs';
import { inert } from '../core/serverText';
import { isFinished, JobStatus, type Job } from '../core/types';
import type { RecentRunTimes } from '../core/runTimes';
import type { BotRunner } from '../jobs/botRunner';
import type { CloudBot } from '../services/cloudBot';
import type { FromPage, InitialData, PageStrings, RenderReport, ToPage } from '../webview/protocol';
import { describeError, jobWords } from '../words';
import { openCastInBrowser } from './livePanel';
import { keepLatest, pageOptions, webviewHtml } from './webviewHtml';

export const RESULT_VIEW_TYPE = 'cloudbot.jobResult';

export interface ResultPanelServices {
  extensionUri: vscode.Uri;
  cloudBot: CloudBot;
  store: JobStore;
  runner: BotRunner;
  runTimes: RecentRunTimes;
  suspend(ref: JobRef): Promise<unknown>;
  openJson(ref: JobRef): Promise<unknown>;
  /** The job's cast beside its result, inside VS Code. */
  watchLive(ref: JobRef): unknown;
  /** The toolbar's actions on a finished job. */
  actions: { compare(ref: JobRef): Promise<unknown>; useOutputAsInput(ref: JobRef): Promise<unknown>; exportOutput(ref: JobRef): Promise<unknown> };
  /** Keep what the pages report after each render (renderReports, onDidRender): for tests and the benchmark only. */
  collectRenders: boolean;
}

export class ResultPanels implements vscode.WebviewPanelSerializer<{ ref?: JobRef }>, vscode.Disposable {
  private readonly panels = new Map<string, ResultPanel>();
  private readonly renderEmitter = new vscode.EventEmitter<RenderReport>();
  readonly onDidRender = this.renderEmitter.event;

  constructor(private readonly services: ResultPanelServices) {}

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.renderEmitter.dispose();
  }

  /** Opens (or brings forward) the panel of a job, beside the editor and without taking the focus. */
  open(ref: JobRef, preserveFocus = true): ResultPanel {
    const known = this.panels.get(jobKey(ref));
    if (known) {
      known.reveal(preserveFocus);
      return known;
    }
    // Results gather in one column: the one the other result panels are in, else beside the editor.
    const column = [...this.panels.values()].map((p) => p.viewColumn).find((c) => c !== undefined) ?? vscode.ViewColumn.Beside;
    const job = this.services.store.get(ref)?.job;
    const panel = vscode.window.createWebviewPanel(RESULT_VIEW_TYPE, job?.bot_name || job?.bot_id || ref.jobId, { viewColumn: column, preserveFocus }, pageOptions(this.services.extensionUri));
    return this.adopt(panel, jobRefFrom(ref));
  }

  panelOf(ref: JobRef): ResultPanel | undefined {
    return this.panels.get(jobKey(ref));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: { ref?: unknown } | undefined): Promise<void> {
    // The state comes from the webview, so it is checked like any outside input.
    if (!isJobRef(state?.ref)) {
      panel.dispose();
      return;
    }
    panel.webview.options = pageOptions(this.services.extensionUri);
    this.adopt(panel, jobRefFrom(state.ref));
  }

  private adopt(panel: vscode.WebviewPanel, ref: JobRef): ResultPanel {
    const key = jobKey(ref);
    const rendered = this.services.collectRenders ? (report: RenderReport) => this.renderEmitter.fire(report) : undefined;
    const resultPanel = new ResultPanel(panel, ref, this.services, rendered);
    this.panels.set(key, resultPanel);
    panel.onDidDispose(() => this.panels.get(key) === resultPanel && this.panels.delete(key));
    void resultPanel.start();
    return resultPanel;
  }
}

/** Render reports a panel keeps: a running job renders at every poll, so older ones are let go. */
export const RENDER_REPORTS_KEPT = 50;

export class ResultPanel implements vscode.Disposable {
  private job: Job | undefined;
  private ready = false;
  /** The account's label, read once: a running job is posted again at every poll. */
  private account: Promise<string> | undefined;
  /** Keeps the job watched while the panel is open. */
  private interest: StoreDisposable | undefined;
  private disposed = false;
  private readonly disposables: { dispose(): void }[] = [];
  private readonly renders: RenderReport[] = [];
  private readonly extensionUri: vscode.Uri;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly ref: JobRef,
    private readonly services: ResultPanelServices,
    /** Where render reports go; without it the page sends none. */
    private readonly rendered: ((report: RenderReport) => void) | undefined,
  ) {
    this.extensionUri = services.extensionUri;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cloudbot.svg');
    const initialData: InitialData = { strings: webviewStrings(), words: jobWords(), ref, reportRenders: rendered !== undefined };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'result.js', initialData);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromPage) => void this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      services.store.onDidChange(({ entry }) => sameJob(entry.ref, ref) && this.show(entry.job)),
    );
  }

  dispose(): void {
    this.disposed = true;
    // The listeners go first: ending the interest fires a change, which must not reach a closing panel.
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.interest?.dispose();
    this.interest = undefined;
    this.panel.dispose();
  }

  /** What the webview rendered lately, oldest first (only while render reports are collected). */
  get renderReports(): readonly RenderReport[] {
    return this.renders;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /**
   * Shows the job as the store knows it, asking Cloud BOT once when the store does not know it or lacks
   * its output; then keeps it watched while it runs (one watcher for every panel, row and follow).
   */
  async start(): Promise<void> {
    const { store } = this.services;
    const known = store.get(this.ref)?.job;
    if (known) this.show(known);
    if (!known || (isFinished(known) && known.output === undefined)) {
      try {
        await store.refer(this.ref);
      } catch (error) {
        void this.post({ type: 'error', message: vscode.l10n.t('Could not refer to job {0}: {1}', this.ref.jobId, describeError(error)) });
        return;
      }
    }
    if (!this.disposed) this.interest ??= store.interest(this.ref, 'panel');
  }

  private show(job: Job): void {
    this.job = job;
    this.panel.title = `${job.bot_name || job.bot_id}: ${statusText(job.status, jobWords())}`;
    if (this.ready) void this.postJob();
  }

  private async postJob(): Promise<void> {
    const job = this.job;
    if (!job) return;
    this.account ??= this.services.cloudBot.accounts().then((accounts) => accounts.find((a) => a.sessionId === this.ref.sessionId)?.label ?? '');
    const account = await this.account;
    await this.post({
      type: 'show',
      job,
      meta: {
        botLabel: job.bot_name ? `${job.bot_name} (${job.bot_id})` : job.bot_id,
        publicId: this.ref.publicId,
        account,
        canRerun: !!this.services.runner.executionOf(this.ref),
        canSuspend: job.status === JobStatus.Executing,
        canWatch: job.status === JobStatus.Executing && castTarget(job.cast_url) !== undefined,
        usualSeconds: job.status === JobStatus.Executing ? this.services.runTimes.of(this.ref.publicId, job.bot_id) : undefined,
      },
    });
  }

  private post(message: ToPage): Thenable<boolean> {
    // A post that waited (for the account's label) may come after the close, when the webview is gone.
    if (this.disposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(message);
  }

  private async receive(message: FromPage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.postJob();
      case 'rendered':
        if (!this.rendered) return;
        keepLatest(this.renders, message.report, RENDER_REPORTS_KEPT);
        return this.rendered(message.report);
      case 'copyOutput':
        await vscode.env.clipboard.writeText(`${JSON.stringify(this.job?.output ?? null, null, 2)}\n`);
        void vscode.window.showInformationMessage(vscode.l10n.t('Copied the output of job {0}.', inert(this.ref.jobId)));
        return;
      case 'openJson':
        await this.services.openJson(this.ref);
        return;
      case 'rerun': {
        const execution = this.services.runner.executionOf(this.ref);
        if (execution) await this.services.runner.run(execution);
        return;
      }
      case 'suspend':
        await this.services.suspend(this.ref);
        return;
      case 'compare':
        await this.services.actions.compare(this.ref);
        return;
      case 'useOutputAsInput':
        await this.services.actions.useOutputAsInput(this.ref);
        return;
      case 'export':
        await this.services.actions.exportOutput(this.ref);
        return;
      case 'openCast':
        await openCastInBrowser(this.job);
        return;
      case 'watchLive':
        this.services.watchLive(this.ref);
        return;
    }
  }
}

function webviewStrings(): PageStrings {
  return {
    contract: vscode.l10n.t('Contract'),
    account: vscode.l10n.t('Account'),
    jobId: vscode.l10n.t('Job ID'),
    started: vscode.l10n.t('Started'),
    elapsed: vscode.l10n.t('Elapsed'),
    message: vscode.l10n.t('Message'),
    output: vscode.l10n.t('Output'),
    response: vscode.l10n.t('Response JSON'),
    noOutput: vscode.l10n.t('No output.'),
    copyOutput: vscode.l10n.t('Copy Output'),
    openJson: vscode.l10n.t('Open as JSON'),
    rerun: vscode.l10n.t('Re-run'),
    suspend: vscode.l10n.t('Suspend'),
    openCast: vscode.l10n.t('Open Cast'),
    watchLive: vscode.l10n.t('Watch Live'),
    compare: vscode.l10n.t('Compare…'),
    useOutputAsInput: vscode.l10n.t('Use Output as Input…'),
    export: vscode.l10n.t('Export…'),
    showAll: vscode.l10n.t('Show all ({0})'),
    showMore: vscode.l10n.t('Show {0} more'),
    truncated: vscode.l10n.t('Showing the first {0} of {1} characters.'),
    columnsClipped: vscode.l10n.t('Showing the first {0} of {1} columns; Response JSON has them all.'),
    fileName: vscode.l10n.t('File name'),
    fileSize: vscode.l10n.t('Size'),
    fileTime: vscode.l10n.t('Time'),
    noFiles: vscode.l10n.t('No files.'),
    rows: vscode.l10n.t('{0} rows'),
    waiting: vscode.l10n.t('Waiting for the job…'),
    dismiss: vscode.l10n.t('Dismiss'),
  };
}
