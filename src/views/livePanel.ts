// Watch Live: a job's cast (its BOT's live screen) in a panel of its own beside the job's result panel,
// one panel per job. The cast URL is server text: only http(s) is framed, under a CSP whose frame-src
// is its origin alone, and only once its page's headers allow frames of other sites (checked once per
// URL); otherwise the panel says why and offers the browser. It follows the job in the store: a new
// cast URL is checked and framed anew, and when the job ends the frame goes (or, as the user prefers,
// the panel closes).
import * as vscode from 'vscode';
import { castTarget, type CastCheck, type CastTarget } from '../core/castFraming';
import type { Disposable as StoreDisposable, JobStore } from '../core/jobStore';
import { statusText } from '../core/jobText';
import { jobKey, sameJob, type JobRef } from '../core/refs';
import { isFinished, type Job } from '../core/types';
import type { LiveFromPage, LiveInitialData, LiveToPage, LiveView } from '../webview/liveProtocol';
import { describeCastCheck, describeError, jobWords } from '../words';
import { pageOptions, webviewHtml } from './webviewHtml';

export const LIVE_VIEW_TYPE = 'cloudbot.watchLive';

export interface LivePanelServices {
  extensionUri: vscode.Uri;
  store: JobStore;
  /** Opens (or brings forward) the job's result panel; says in which column it is. */
  showResult(ref: JobRef, preserveFocus: boolean): vscode.ViewColumn | undefined;
  /** Whether the cast page lets itself be framed (a bounded request). */
  check(target: CastTarget): Promise<CastCheck>;
}

/** Opens a job's cast in the browser, when its URL is an http(s) one. */
export function openCastInBrowser(job: Job | undefined): Thenable<boolean> | undefined {
  const target = castTarget(job?.cast_url);
  return target && vscode.env.openExternal(vscode.Uri.parse(target.url));
}

export class LivePanels implements vscode.Disposable {
  private readonly panels = new Map<string, LivePanel>();

  constructor(private readonly services: LivePanelServices) {}

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
  }

  /** Opens the job's live panel beside its result panel, or brings it forward. */
  open(ref: JobRef): LivePanel {
    const key = jobKey(ref);
    const known = this.panels.get(key);
    if (known) {
      known.reveal();
      return known;
    }
    const resultColumn = this.services.showResult(ref, true);
    const viewColumn = resultColumn ? Math.min(resultColumn + 1, vscode.ViewColumn.Nine) : vscode.ViewColumn.Beside;
    const webviewPanel = vscode.window.createWebviewPanel(LIVE_VIEW_TYPE, vscode.l10n.t('Live: {0}', ref.jobId), viewColumn, pageOptions(this.services.extensionUri));
    const panel = new LivePanel(webviewPanel, ref, this.services);
    this.panels.set(key, panel);
    webviewPanel.onDidDispose(() => this.panels.get(key) === panel && this.panels.delete(key));
    void panel.start();
    return panel;
  }

  panelOf(ref: JobRef): LivePanel | undefined {
    return this.panels.get(jobKey(ref));
  }
}

export class LivePanel implements vscode.Disposable {
  private job: Job | undefined;
  /** What the page shows. */
  view: LiveView;
  /** The cast URL checked last, and what the check found once it has. */
  private checked: { url: string; result?: CastCheck } | undefined;
  /** The origin the page's CSP lets frame, fixed when its HTML is set. */
  private framedOrigin: string | undefined;
  private ready = false;
  /** Keeps the job watched while the panel is open, so that its end is seen. */
  private interest: StoreDisposable | undefined;
  private disposed = false;
  private readonly disposables: { dispose(): void }[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly ref: JobRef,
    private readonly services: LivePanelServices,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'cloudbot.svg');
    this.view = this.notice('checking', '');
    this.setHtml();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: LiveFromPage) => void this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      services.store.onDidChange(({ entry }) => sameJob(entry.ref, ref) && this.follow(entry.job)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The listeners go first: ending the interest fires a change, which must not reach a closing panel.
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.interest?.dispose();
    this.panel.dispose();
  }

  /** The page's HTML as set last: its CSP says what it may frame. */
  get html(): string {
    return this.panel.webview.html;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Shows the job as the store knows it (asking Cloud BOT once when it does not), then follows it. */
  async start(): Promise<void> {
    const { store } = this.services;
    const known = store.get(this.ref)?.job;
    if (known) {
      this.follow(known);
    } else {
      try {
        await store.refer(this.ref);
      } catch (error) {
        this.show(this.notice('unknownJob', vscode.l10n.t('Could not refer to job {0}: {1}', this.ref.jobId, describeError(error))));
        return;
      }
    }
    if (!this.disposed) this.interest ??= store.interest(this.ref, 'panel');
  }

  private follow(job: Job): void {
    this.job = job;
    this.panel.title = vscode.l10n.t('Live: {0}', this.title());
    if (isFinished(job)) {
      if (vscode.workspace.getConfiguration('cloudbot').get<boolean>('watchLive.closeWhenJobEnds', false)) return this.dispose();
      return this.show(this.notice('ended', vscode.l10n.t('The job has ended: {0}. Its cast is over.', statusText(job.status, jobWords())), ['showResult']));
    }
    if (!job.cast_url) return this.show(this.notice('noCast', vscode.l10n.t('Cloud BOT gives no cast URL for this job.')));
    const target = castTarget(job.cast_url);
    if (!target) return this.show(this.notice('notWeb', vscode.l10n.t('The cast URL Cloud BOT gave is not an http or https address, so it is neither shown nor opened.')));
    // The same URL comes at every poll: it is checked once, as long as it stays.
    if (this.checked?.url === target.url) return this.show(this.castView(target, this.checked.result));
    void this.check(target);
  }

  private async check(target: CastTarget): Promise<void> {
    const checking: { url: string; result?: CastCheck } = { url: target.url };
    this.checked = checking;
    this.show(this.castView(target, undefined));
    checking.result = await this.services.check(target);
    // Unless a newer URL, or the end, came meanwhile.
    if (this.checked === checking && this.job && !isFinished(this.job)) this.show(this.castView(target, checking.result));
  }

  /** The cast while it is checked, framed, or why not. */
  private castView(target: CastTarget, result: CastCheck | undefined): LiveView {
    if (!result) return this.notice('checking', vscode.l10n.t('Checking whether the cast can be shown here…'), ['openInBrowser']);
    if (result.kind === 'frame') return { ...this.notice('live', '', ['openInBrowser']), frame: target.url };
    return this.notice(result.kind === 'failed' ? 'unchecked' : 'refused', describeCastCheck(result), ['openInBrowser']);
  }

  /** The BOT's name and the job. */
  private title(): string {
    return [this.job?.bot_name || this.job?.bot_id, this.ref.jobId].filter(Boolean).join(' · ');
  }

  private notice(state: LiveView['state'], message: string, actions: LiveView['actions'] = []): LiveView {
    return { state, title: this.title(), message, actions };
  }

  /** A view to show: a new page when it frames another origin (its CSP names the one it may), else a message. */
  private show(view: LiveView): void {
    if (this.disposed || JSON.stringify(view) === JSON.stringify(this.view)) return;
    this.view = view;
    if ((view.frame && castTarget(view.frame)?.origin) !== this.framedOrigin) this.setHtml();
    else if (this.ready) void this.post({ type: 'show', view });
  }

  private setHtml(): void {
    this.ready = false;
    this.framedOrigin = this.view.frame && castTarget(this.view.frame)?.origin;
    const initialData: LiveInitialData = { strings: { openInBrowser: vscode.l10n.t('Open in Browser'), showResult: vscode.l10n.t('Show Result') }, view: this.view };
    this.panel.webview.html = webviewHtml(this.panel.webview, this.services.extensionUri, 'live.js', initialData, this.framedOrigin);
  }

  private post(message: LiveToPage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private async receive(message: LiveFromPage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.post({ type: 'show', view: this.view });
        return;
      case 'openInBrowser':
        await openCastInBrowser(this.job);
        return;
      case 'showResult':
        this.services.showResult(this.ref, false);
        return;
    }
  }
}
