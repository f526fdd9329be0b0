// The job result page. The extension host sends a Cloud BOT job ('show'), this page draws it.
//
// The webview runs under a strict CSP and every value of a job is untrusted, so the DOM is built
// only with createElement / textContent / append: nothing is ever parsed as HTML.
import { elapsedSeconds, fill, progressText, runningSince, statusText } from '../core/jobText';
import { JobStatus, type Job } from '../core/types';
import { button, el, formatDate, isPlainObject } from './dom';
import type { FromPage, InitialData, JobMeta, PageState, ResultView } from './protocol';
import { hasOutput, renderOutputView, renderResponseView, type RenderContext, type Translate } from './views';

const vscode = acquireVsCodeApi<FromPage, PageState>();
// Written into the page by the host together with this script, so it is read as it is typed.
const initial = JSON.parse(document.getElementById('initial-data')?.textContent ?? '{}') as InitialData;
const t: Translate = (key, ...values) => fill(initial.strings[key], ...values);

const root = document.getElementById('root') ?? document.body;
const bannerSlot = el('div', 'banner-slot');
const contentSlot = el('div', 'content');
// Re-rendering on every poll would make a live root re-read the whole panel to screen readers;
// instead only status changes are announced, through this small region.
const announcer = el('div', 'visually-hidden');
announcer.setAttribute('role', 'status');
announcer.setAttribute('aria-live', 'polite');
root.setAttribute('aria-live', 'off');
root.replaceChildren(bannerSlot, contentSlot, announcer);

const state = {
  view: savedState().view ?? 'output',
  job: null as Job | null,
  meta: null as JobMeta | null,
  /** Keys of long texts the user chose to show in full. */
  fullTexts: new Set<string>(),
  /** How many items of each list and table the user revealed with "show more". */
  expanded: new Map<string, number>(),
  /** The status text last announced, so a poll with no change stays quiet. */
  announced: '',
};

/** Bumped by every render, so deferred work of a replaced render does not report. */
let renderGeneration = 0;
let ticker: ReturnType<typeof setInterval> | undefined;
/** The <dd> showing the elapsed time while the job runs. */
let elapsedNode: HTMLElement | null = null;

// The job this panel shows is kept at once, so the panel can come back after a reload even if the
// window closes before any message arrives.
vscode.setState({ ...savedState(), ref: initial.ref });
window.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data));
contentSlot.replaceChildren(el('p', 'empty waiting', t('waiting')));
post({ type: 'ready' });

// ---------------------------------------------------------------- messages

/** A message from the host, checked like any input. */
function onMessage(data: unknown): void {
  if (!isPlainObject(data)) return;
  switch (data.type) {
    case 'show':
      onShow(data.job, data.meta);
      break;
    case 'error':
      showError(String(data.message ?? ''));
      break;
  }
}

function onShow(job: unknown, meta: unknown): void {
  if (!isPlainObject(job)) return;
  const sameJob = state.job !== null && state.job.job_id === job.job_id;
  if (state.job && !sameJob) {
    // Another job in the same panel: expansions and the old error no longer apply.
    state.fullTexts.clear();
    state.expanded.clear();
    clearError();
  }
  state.job = job as unknown as Job;
  state.meta = normaliseMeta(meta);
  render(sameJob ? 'all' : 'none');
  announceStatus();
}

function normaliseMeta(meta: unknown): JobMeta {
  const m = isPlainObject(meta) ? meta : {};
  return {
    botLabel: typeof m.botLabel === 'string' ? m.botLabel : '',
    publicId: typeof m.publicId === 'string' ? m.publicId : '',
    account: typeof m.account === 'string' ? m.account : '',
    canRerun: m.canRerun === true,
    canSuspend: m.canSuspend === true,
    canWatch: m.canWatch === true,
    usualSeconds: typeof m.usualSeconds === 'number' && Number.isFinite(m.usualSeconds) ? m.usualSeconds : undefined,
  };
}

function post(message: FromPage): void {
  vscode.postMessage(message);
}

/** What the page saved before a reload, checked like any input. */
function savedState(): PageState {
  const saved = vscode.getState();
  if (!isPlainObject(saved)) return {};
  return { ref: saved.ref, view: saved.view === 'response' ? 'response' : 'output' };
}

// ---------------------------------------------------------------- rendering

/**
 * Redraws the whole content from `state`, then reports it to the host. `keep` says what survives
 * the redraw: scroll positions and focus ('all': another poll of the same job), focus only
 * ('focus': a view switch) or nothing ('none': another job).
 */
function render(keep: 'all' | 'focus' | 'none'): void {
  const started = performance.now();
  const generation = ++renderGeneration;
  const saved = keep === 'none' ? null : captureUi(keep === 'all');
  const context: RenderContext = { t, fullTexts: state.fullTexts, expanded: state.expanded, pending: [] };

  elapsedNode = null;
  const { job, meta } = state;
  if (job && meta) {
    contentSlot.replaceChildren(
      renderHeader(job, meta),
      renderToolbar(job, meta),
      state.view === 'response' ? renderResponseView(job, context) : renderOutputView(job, context),
    );
  } else {
    contentSlot.replaceChildren(el('p', 'empty waiting', t('waiting')));
  }
  syncTicker();
  if (saved) restoreUi(saved, true);
  if (keep !== 'all') window.scrollTo(0, 0);

  if (context.pending.length === 0) {
    reportRendered(performance.now() - started);
    return;
  }
  // Expanded tables and lists are being refilled frame by frame: report once they are complete.
  const scrollAfterSync = window.scrollY;
  void Promise.all(context.pending).then(() => {
    if (generation !== renderGeneration) return;
    // The page was too short to scroll back fully until now, unless the user has scrolled meanwhile.
    if (keep === 'all' && saved && window.scrollY === scrollAfterSync) restoreUi(saved, false);
    reportRendered(performance.now() - started);
  });
}

/** Tells the host what is in the DOM now, where tests and the benchmark read it. */
function reportRendered(renderMs: number): void {
  if (!state.job || !initial.reportRenders) return;
  const sumRows = (selector: string) =>
    Array.from(contentSlot.querySelectorAll<HTMLTableElement>(selector), (table) => table.tBodies[0]?.rows.length ?? 0).reduce((a, b) => a + b, 0);
  post({
    type: 'rendered',
    report: {
      jobId: state.job.job_id,
      status: state.job.status,
      view: state.view,
      textItems: contentSlot.querySelectorAll('pre').length,
      listItems: Array.from(contentSlot.querySelectorAll('ul.list'), (list) => list.childElementCount).reduce((a, b) => a + b, 0),
      tables: contentSlot.querySelectorAll('table.group').length,
      tableRows: sumRows('table.group'),
      fileRows: sumRows('table.files'),
      truncatedItems: contentSlot.querySelectorAll('.truncated').length,
      elapsed: elapsedNode?.textContent ?? '',
      actions: Array.from(document.querySelectorAll<HTMLButtonElement>('.toolbar .actions button'), (action) => action.dataset.focusKey ?? ''),
      renderMs,
    },
  });
}

function setView(view: ResultView): void {
  if (state.view === view) return;
  state.view = view;
  vscode.setState({ ...savedState(), view });
  // A view switch redraws the DOM too, so it reports like a 'show' render.
  render('focus');
}

// ---------------------------------------------------------------- header

function renderHeader(job: Job, meta: JobMeta): HTMLElement {
  const header = el('header', 'job-header');
  const title = el('div', 'title-row');
  title.append(statusBadge(job.status), el('h1', 'bot-label', meta.botLabel || job.bot_name || job.bot_id || ''));
  header.append(title, renderDetails(job, meta));
  return header;
}

function statusBadge(status: number): HTMLElement {
  const badge = el('span', `status-badge ${statusClass(status)}`);
  const icon = el('span', 'status-icon');
  icon.setAttribute('aria-hidden', 'true');
  badge.append(icon, el('span', 'status-label', statusText(status, initial.words)));
  return badge;
}

function statusClass(status: number): string {
  switch (status) {
    case JobStatus.Succeeded:
      return 'status-succeeded';
    case JobStatus.Error:
      return 'status-error';
    case JobStatus.Executing:
      return 'status-running';
    default:
      return 'status-other';
  }
}

function renderDetails(job: Job, meta: JobMeta): HTMLElement {
  const list = el('dl', 'details');
  const add = (label: string, value: string, className = '') => {
    const row = el('div', 'detail');
    const dd = el('dd', className, value);
    row.append(el('dt', '', label), dd);
    list.append(row);
    return dd;
  };
  add(t('contract'), meta.publicId);
  add(t('account'), meta.account);
  add(t('jobId'), String(job.job_id ?? ''));
  if (typeof job.start_time === 'string' && job.start_time) add(t('started'), formatDate(job.start_time));
  const elapsed = elapsedNow(job, meta);
  if (elapsed) elapsedNode = add(t('elapsed'), elapsed);
  if (job.message !== undefined && job.message !== null && job.message !== '') {
    add(t('message'), String(job.message), job.status === JobStatus.Error ? 'message error-text' : 'message');
  }
  return list;
}

function announceStatus(): void {
  if (!state.job || !state.meta) return;
  const text = `${state.meta.botLabel}: ${statusText(state.job.status, initial.words)}`;
  if (text === state.announced) return;
  state.announced = text;
  announcer.textContent = text;
}

// ---------------------------------------------------------------- elapsed time

/** The elapsed time now: while the job runs, against its BOT's usual run time when there is one. */
function elapsedNow(job: Job, meta: JobMeta): string {
  return progressText(job.status === JobStatus.Executing ? meta.usualSeconds : undefined, elapsedSeconds(job, Date.now()), initial.words);
}

/** One interval for the whole panel, running only while the shown job runs. */
function syncTicker(): void {
  const running = state.job !== null && runningSince(state.job) !== undefined;
  if (running && ticker === undefined) {
    ticker = setInterval(tick, 1000);
  } else if (!running && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

function tick(): void {
  if (!state.job || !state.meta || !elapsedNode?.isConnected) return;
  elapsedNode.textContent = elapsedNow(state.job, state.meta);
}

// ---------------------------------------------------------------- toolbar

function renderToolbar(job: Job, meta: JobMeta): HTMLElement {
  const bar = el('div', 'toolbar');

  const views = el('div', 'segmented');
  views.setAttribute('role', 'group');
  for (const view of ['output', 'response'] as const) {
    const tab = button(t(view), 'segment', `view:${view}`, () => setView(view));
    tab.setAttribute('aria-pressed', String(state.view === view));
    views.append(tab);
  }

  const actions = el('div', 'actions');
  const copy = button(t('copyOutput'), 'secondary', 'copyOutput', () => post({ type: 'copyOutput' }));
  copy.disabled = !hasOutput(job);
  actions.append(copy, button(t('openJson'), 'secondary', 'openJson', () => post({ type: 'openJson' })));
  if (meta.canRerun) actions.append(button(t('rerun'), 'primary', 'rerun', () => post({ type: 'rerun' })));
  if (job.status === JobStatus.Executing && meta.canSuspend) actions.append(button(t('suspend'), 'secondary', 'suspend', () => post({ type: 'suspend' })));
  if (meta.canWatch) actions.append(button(t('watchLive'), 'secondary', 'watchLive', () => post({ type: 'watchLive' })), button(t('openCast'), 'secondary', 'openCast', () => post({ type: 'openCast' })));
  if (job.status !== JobStatus.Executing) {
    const withOutput = [button(t('useOutputAsInput'), 'secondary', 'useOutputAsInput', () => post({ type: 'useOutputAsInput' })), button(t('export'), 'secondary', 'export', () => post({ type: 'export' }))];
    for (const action of withOutput) action.disabled = !hasOutput(job);
    actions.append(button(t('compare'), 'secondary', 'compare', () => post({ type: 'compare' })), ...withOutput);
  }

  bar.append(views, actions);
  return bar;
}

// ---------------------------------------------------------------- scroll and focus across renders

interface SavedUi {
  scrollX: number;
  scrollY: number;
  scrolls: Map<string, { top: number; left: number }>;
  focusKey: string | undefined;
}

function captureUi(withScroll: boolean): SavedUi {
  const scrolls = new Map<string, { top: number; left: number }>();
  if (withScroll) {
    for (const box of contentSlot.querySelectorAll<HTMLElement>('[data-scroll-key]')) {
      if (box.scrollTop || box.scrollLeft) scrolls.set(box.dataset.scrollKey ?? '', { top: box.scrollTop, left: box.scrollLeft });
    }
  }
  const active = document.activeElement;
  const focusKey = active instanceof HTMLElement && contentSlot.contains(active) ? (active.dataset.focusKey ?? active.dataset.scrollKey) : undefined;
  return { scrollX: window.scrollX, scrollY: window.scrollY, scrolls, focusKey };
}

function restoreUi(saved: SavedUi, withFocus: boolean): void {
  for (const box of contentSlot.querySelectorAll<HTMLElement>('[data-scroll-key], [data-focus-key]')) {
    const scroll = saved.scrolls.get(box.dataset.scrollKey ?? '');
    if (scroll) {
      box.scrollTop = scroll.top;
      box.scrollLeft = scroll.left;
    }
    if (withFocus && saved.focusKey !== undefined && (box.dataset.focusKey ?? box.dataset.scrollKey) === saved.focusKey) {
      box.focus({ preventScroll: true });
    }
  }
  window.scrollTo(saved.scrollX, saved.scrollY);
}

// ---------------------------------------------------------------- error banner

function showError(message: string): void {
  const banner = el('div', 'banner error-banner');
  banner.setAttribute('role', 'alert');
  const dismiss = button('×', 'icon-button', 'dismissError', clearError);
  dismiss.setAttribute('aria-label', t('dismiss'));
  dismiss.title = t('dismiss');
  banner.append(el('span', 'banner-text', message), dismiss);
  bannerSlot.replaceChildren(banner);
}

function clearError(): void {
  bannerSlot.replaceChildren();
}
