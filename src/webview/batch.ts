// The batch page: before the start, how the rows' columns map to the BOT's input and the first rows as
// the BOT will receive them; then one line per row (status, job, elapsed time, output or why it failed)
// with the batch's progress and its actions. Like the result page, it builds its DOM from text only.
import type { BatchPhase } from '../core/batch/ledger';
import { fill } from '../core/jobText';
import type { BatchFromPage, BatchInitialData, BatchPageState, BatchPageStrings, BatchView, ColumnView, ExportFormat, RowView } from './batchProtocol';
import { button, el, isPlainObject, stringify } from './dom';

const vscode = acquireVsCodeApi<BatchFromPage, BatchPageState>();
const initial = JSON.parse(document.getElementById('initial-data')?.textContent ?? '{}') as BatchInitialData;
const t = (key: keyof BatchPageStrings, ...values: (string | number)[]) => fill(initial.strings[key], ...values);

/** Rows drawn at first, and added by each "show more": a batch may have ten thousand. */
const ROWS_PER_PAGE = 200;

const root = document.getElementById('root') ?? document.body;
const announcer = el('div', 'visually-hidden');
announcer.setAttribute('role', 'status');
announcer.setAttribute('aria-live', 'polite');
const content = el('div', 'content');
root.setAttribute('aria-live', 'off');
root.replaceChildren(content, announcer);

const saved = savedState();
const state = {
  batch: null as BatchView | null,
  rows: [] as RowView[],
  onlyProblems: saved.onlyProblems === true,
  shown: ROWS_PER_PAGE,
  announced: '',
};
vscode.setState({ ...saved, batchId: initial.batchId });
window.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data));
content.replaceChildren(el('p', 'empty waiting', t('waiting')));
post({ type: 'ready' });

function post(message: BatchFromPage): void {
  vscode.postMessage(message);
}

function savedState(): BatchPageState {
  const value = vscode.getState();
  return isPlainObject(value) ? { batchId: value.batchId, onlyProblems: value.onlyProblems } : {};
}

/** A message from the host, checked like any input. */
function onMessage(data: unknown): void {
  if (!isPlainObject(data) || !isPlainObject(data.batch) || !Array.isArray(data.rows)) return;
  state.batch = data.batch as unknown as BatchView;
  const rows = data.rows as RowView[];
  if (data.type === 'show') {
    state.rows = rows;
  } else if (data.type === 'rows') {
    for (const row of rows) if (Number.isInteger(row.index) && row.index >= 0 && row.index < state.rows.length) state.rows[row.index] = row;
  } else {
    return;
  }
  render();
  announce();
}

function render(): void {
  const batch = state.batch;
  if (!batch) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset.focusKey;
  const scroll = window.scrollY;
  const parts: HTMLElement[] = [renderHeader(batch), renderToolbar(batch)];
  if (batch.notice) parts.push(el('p', 'banner batch-notice', batch.notice));
  if (batch.phase === 'ready') parts.push(renderColumns(batch.columns), renderPreview(batch));
  else parts.push(renderRows());
  content.replaceChildren(...parts);
  if (focused) content.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  window.scrollTo(0, scroll);
  if (initial.reportRenders) {
    post({
      type: 'rendered',
      report: {
        phase: batch.phase,
        rows: content.querySelectorAll('table.batch-rows tbody tr').length,
        previewRows: content.querySelectorAll('.preview-row').length,
        unknownColumns: batch.columns.filter((column) => column.unknown).length,
      },
    });
  }
}

function renderHeader(batch: BatchView): HTMLElement {
  const header = el('header', 'job-header');
  const title = el('div', 'title-row');
  title.append(el('span', `status-badge ${phaseClass(batch.phase)}`, batch.phaseText), el('h1', 'bot-label', batch.title));
  const { done, total, succeeded, failed, running } = batch.counts;
  const bar = el('progress', 'batch-progress');
  bar.max = Math.max(1, total);
  bar.value = done;
  bar.setAttribute('aria-label', t('progress', done, total));
  const summary = el('p', 'batch-summary', `${t('progress', done, total)} · ${t('tally', succeeded, failed, running)}${batch.timeLeft ? ` · ${t('timeLeft', batch.timeLeft)}` : ''}`);
  header.append(title, bar, summary);
  return header;
}

function phaseClass(phase: BatchPhase): string {
  switch (phase) {
    case 'running':
      return 'status-running';
    case 'done':
      return 'status-succeeded';
    case 'stopped':
      return 'status-error';
    default:
      return 'status-other';
  }
}

function renderToolbar(batch: BatchView): HTMLElement {
  const bar = el('div', 'toolbar');
  const actions = el('div', 'actions');
  const action = (key: keyof BatchPageStrings, type: 'start' | 'pause' | 'resume' | 'stop' | 'rerunFailed', primary = false) =>
    actions.append(button(t(key), primary ? 'primary' : 'secondary', type, () => post({ type })));
  if (batch.phase === 'ready') action('start', 'start', true);
  if (batch.phase === 'running') action('pause', 'pause');
  if (batch.phase === 'paused') action('resume', 'resume', true);
  if (batch.phase === 'running' || batch.phase === 'paused') action('stop', 'stop');
  if ((batch.phase === 'done' || batch.phase === 'stopped' || batch.phase === 'paused') && batch.counts.failed > 0) action('rerunFailed', 'rerunFailed', batch.phase !== 'paused');
  if (batch.canExport) {
    const exportAs = (key: keyof BatchPageStrings, format: ExportFormat) => actions.append(button(t(key), 'secondary', `export-${format}`, () => post({ type: 'export', format })));
    exportAs('exportCsv', 'csv');
    exportAs('exportXlsx', 'xlsx');
    exportAs('exportJsonLines', 'jsonl');
  }
  bar.append(actions);
  if (batch.phase !== 'ready') {
    const filter = el('label', 'filter');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = state.onlyProblems;
    box.dataset.focusKey = 'only-problems';
    box.addEventListener('change', () => {
      state.onlyProblems = box.checked;
      state.shown = ROWS_PER_PAGE;
      vscode.setState({ ...savedState(), onlyProblems: state.onlyProblems });
      render();
    });
    filter.append(box, document.createTextNode(` ${t('onlyProblems')}`));
    bar.append(filter);
  }
  return bar;
}

function renderColumns(columns: ColumnView[]): HTMLElement {
  const section = el('section', 'item');
  section.append(el('h2', 'item-name', t('columns')));
  const table = el('table', 'batch-columns');
  const head = el('thead');
  head.append(headRow([t('column'), t('mapsTo')]));
  const body = el('tbody');
  for (const column of columns) {
    const tr = el('tr', column.unknown ? 'unknown-column' : undefined);
    tr.append(el('td', undefined, column.column), el('td', column.unknown ? 'problem-text' : undefined, column.target));
    body.append(tr);
  }
  table.append(head, body);
  section.append(wrap(table));
  return section;
}

function renderPreview(batch: BatchView): HTMLElement {
  const section = el('section', 'item');
  const preview = batch.preview ?? [];
  section.append(el('h2', 'item-name', t('previewOf', preview.length, batch.counts.total)));
  for (const row of preview) {
    const block = el('div', 'preview-row');
    block.append(el('div', 'preview-line', `${t('line')} ${row.line}`));
    block.append(row.problem !== undefined ? el('p', 'problem-text', row.problem) : el('pre', undefined, stringify(row.input, 2)));
    section.append(block);
  }
  return section;
}

function renderRows(): HTMLElement {
  const section = el('section', 'item');
  const rows = state.onlyProblems ? state.rows.filter((row) => row.problem || row.state === 'failed') : state.rows;
  section.append(el('h2', 'item-name', `${t('rows')} (${rows.length})`));
  if (!rows.length) {
    section.append(el('p', 'empty', t('noRows')));
    return section;
  }
  const table = el('table', 'batch-rows');
  const head = el('thead');
  head.append(headRow([t('row'), t('line'), t('status'), t('job'), t('elapsed'), t('result')]));
  const body = el('tbody');
  for (const row of rows.slice(0, state.shown)) body.append(renderRow(row));
  table.append(head, body);
  section.append(wrap(table));
  if (rows.length > state.shown) {
    const more = Math.min(ROWS_PER_PAGE, rows.length - state.shown);
    section.append(
      button(fill(t('showMore'), more), 'link-button show-more', 'show-more', () => {
        state.shown += ROWS_PER_PAGE;
        render();
      }),
    );
  }
  return section;
}

function renderRow(row: RowView): HTMLTableRowElement {
  const tr = el('tr', `row-${row.state}`);
  const job = el('td', 'num');
  if (row.jobId) job.append(button(row.jobId, 'link-button', `job-${row.index}`, () => post({ type: 'openJob', index: row.index })));
  tr.append(
    el('td', 'num', String(row.index + 1)),
    el('td', 'num', String(row.line)),
    el('td', undefined, row.stateText),
    job,
    el('td', 'num', row.elapsed ?? ''),
    el('td', row.problem ? 'problem-text' : undefined, row.result ?? ''),
  );
  return tr;
}

function headRow(names: string[]): HTMLTableRowElement {
  const tr = el('tr');
  for (const name of names) {
    const th = el('th', undefined, name);
    th.scope = 'col';
    tr.append(th);
  }
  return tr;
}

function wrap(table: HTMLTableElement): HTMLElement {
  const node = el('div', 'table-wrap');
  node.append(table);
  return node;
}

/** Screen readers hear the phase and the count of done rows when they change, not every redraw. */
function announce(): void {
  const batch = state.batch;
  if (!batch) return;
  const text = `${batch.phaseText}. ${t('progress', batch.counts.done, batch.counts.total)}`;
  if (text === state.announced) return;
  state.announced = text;
  announcer.textContent = text;
}
