// The two views of a job on the result page: its output, each item presented by the kind of its value
// (text, list, table of group rows, files, else JSON), and the whole response as JSON. Long texts show
// their beginning and long lists and tables their first items until the user asks for more.
import type { Job } from '../core/types';
import { JobStatus } from '../core/types';
import { firstChars } from '../core/jobText';
import { button, el, fileSize, fileTime, formatNumber, isPlainObject, isScalar, sizeOfChars, stringify } from './dom';
import type { PageStrings } from './protocol';

/** Longer texts show only their beginning until the user asks for all of it. */
const TEXT_LIMIT = 20_000;
/** Lists show this many items until "show more". */
const LIST_LIMIT = 500;
/** Group tables show this many rows until "show more". */
const TABLE_FIRST_ROWS = 200;
/** Group tables show this many columns; the Response JSON view has the rest. */
const MAX_COLUMNS = 100;
/** Each "show more" adds this many items. */
const PAGE_SIZE = 1000;
/** Items revealed before a redraw come back this many per frame, so the window stays responsive. */
const BATCH_SIZE = 1000;

/** A translated string of the page with its {0}, {1}… filled in. */
export type Translate = (key: keyof PageStrings, ...values: (string | number)[]) => string;

/** What a render of a view reads and fills. */
export interface RenderContext {
  readonly t: Translate;
  /** Keys of long texts the user chose to show in full. */
  readonly fullTexts: Set<string>;
  /** How many items of each list and table the user revealed with "show more". */
  readonly expanded: Map<string, number>;
  /** Deferred appends the render must wait for before reporting. */
  readonly pending: Promise<void>[];
}

interface FilesValue {
  type: 'files';
  files: unknown[];
}

export function hasOutput(job: Job): boolean {
  const output = job.output;
  if (output === null || output === undefined) return false;
  return !isPlainObject(output) || Object.keys(output).length > 0;
}

export function renderResponseView(job: Job, context: RenderContext): HTMLElement {
  const view = el('div', 'view view-response');
  view.append(el('h2', 'visually-hidden', context.t('response')), renderLongText(context, 'json', 'response', stringify(job, 2)));
  return view;
}

export function renderOutputView(job: Job, context: RenderContext): HTMLElement {
  const view = el('div', 'view view-output');
  view.append(el('h2', 'visually-hidden', context.t('output')));
  const output: unknown = job.output;
  if (!hasOutput(job)) {
    view.append(el('p', 'empty', context.t(job.status === JobStatus.Executing ? 'waiting' : 'noOutput')));
  } else if (!isPlainObject(output)) {
    // Not the documented shape: still show what came.
    view.append(renderLongText(context, 'json', 'output', stringify(output, 2)));
  } else {
    for (const [name, value] of Object.entries(output)) {
      const section = el('section', 'item');
      section.append(el('h3', 'item-name', name), renderValue(context, name, value));
      view.append(section);
    }
  }
  return view;
}

/** Picks the presentation of one output item by the kind of its value. */
function renderValue(context: RenderContext, name: string, value: unknown): HTMLElement {
  if (typeof value === 'string') return renderLongText(context, 'text', `output:${name}`, value);
  if (isFilesValue(value)) return renderFiles(context, name, value.files);
  if (Array.isArray(value) && value.length > 0) {
    if (value.every(isScalar)) return renderList(context, name, value);
    if (value.every(isPlainObject)) return renderGroup(context, name, value);
  }
  return renderLongText(context, 'json', `output:${name}`, stringify(value, 2));
}

/** A <pre> holding a text that may be huge: its beginning only, until the user asks for all of it. */
function renderLongText(context: RenderContext, kind: 'text' | 'json', key: string, text: string): HTMLElement {
  const { t } = context;
  const block = el('div', 'long-text');
  const pre = el('pre', kind);
  pre.tabIndex = 0; // scrollable, so keyboard users must be able to reach it
  pre.dataset.scrollKey = key;
  block.append(pre);

  if (text.length <= TEXT_LIMIT || context.fullTexts.has(key)) {
    pre.textContent = text; // one assignment, whatever the size
    return block;
  }
  const shown = firstChars(text, TEXT_LIMIT);
  pre.textContent = shown;
  const note = el('p', 'truncated', t('truncated', formatNumber(shown.length), formatNumber(text.length)));
  const showAll = button(t('showAll', sizeOfChars(text.length)), 'link-button', `showAll:${key}`, () => {
    context.fullTexts.add(key);
    pre.textContent = text;
    note.remove();
    pre.focus({ preventScroll: true }); // the button is gone; keep focus near where it was
  });
  note.append(' ', showAll);
  block.append(note);
  return block;
}

function renderList(context: RenderContext, name: string, items: (string | number | boolean)[]): HTMLElement {
  const key = `list:${name}`;
  const block = el('div', 'list-block');
  const list = el('ul', 'list');
  list.tabIndex = 0;
  list.dataset.scrollKey = key;
  const makeItem = (item: string | number | boolean) => el('li', '', String(item));
  appendNow(list, items, 0, Math.min(items.length, LIST_LIMIT), makeItem);
  block.append(list);
  addRemainder(context, { block, parent: list, focusTarget: list }, key, items, makeItem);
  return block;
}

/** A table of group rows: one column per key, in first-seen order. */
function renderGroup(context: RenderContext, name: string, rows: Record<string, unknown>[]): HTMLElement {
  const key = `table:${name}`;
  const allColumns = unionKeys(rows);
  const columns = allColumns.slice(0, MAX_COLUMNS);
  const block = el('div', 'table-block');
  if (columns.length < allColumns.length) {
    block.append(el('p', 'truncated', context.t('columnsClipped', formatNumber(columns.length), formatNumber(allColumns.length))));
  }
  const table = el('table', 'group');
  table.createCaption().textContent = context.t('rows', formatNumber(rows.length));
  table.append(headerRow(columns));
  return pagedTable(context, block, key, table, rows, (row) => {
    const tr = el('tr');
    for (const column of columns) {
      const td = el('td');
      renderCell(td, Object.hasOwn(row, column) ? row[column] : undefined);
      tr.append(td);
    }
    return tr;
  });
}

/** A table whose rows come in pages: the first TABLE_FIRST_ROWS now, the rest behind "show more". */
function pagedTable<T>(context: RenderContext, block: HTMLElement, key: string, table: HTMLTableElement, items: T[], makeRow: (item: T) => Node): HTMLElement {
  const wrap = tableWrap(key);
  const body = table.createTBody();
  appendNow(body, items, 0, Math.min(items.length, TABLE_FIRST_ROWS), makeRow);
  wrap.append(table);
  block.append(wrap);
  addRemainder(context, { block, parent: body, focusTarget: wrap }, key, items, makeRow);
  return block;
}

interface RemainderPlaces {
  /** Holds the button. */
  block: HTMLElement;
  /** Receives the items. */
  parent: HTMLElement;
  /** Takes focus once the button is gone. */
  focusTarget: HTMLElement;
}

/**
 * For a list or table showing only its first items: refill what the user revealed before this render,
 * and offer "show more", which adds the next PAGE_SIZE at once. Revealing page by page keeps every
 * click quick: a browser lays the whole table out again on each addition, so one click that added
 * 100,000 rows would freeze the panel for a minute.
 */
function addRemainder<T>(context: RenderContext, { block, parent, focusTarget }: RemainderPlaces, key: string, items: T[], make: (item: T) => Node): void {
  const { expanded } = context;
  const revealed = Math.min(items.length, expanded.get(key) ?? 0);
  if (parent.childElementCount < revealed) context.pending.push(appendInBatches(parent, items, parent.childElementCount, revealed, make));
  const shown = Math.max(revealed, parent.childElementCount);
  if (shown >= items.length) return;
  const label = (from: number) => context.t('showMore', formatNumber(Math.min(PAGE_SIZE, items.length - from)));
  const more = button(label(shown), 'secondary show-more', `showMore:${key}`, () => {
    const from = parent.childElementCount;
    // Rows revealed earlier are still being refilled: a click now would append out of order.
    if (from < (expanded.get(key) ?? 0)) return;
    const to = Math.min(items.length, from + PAGE_SIZE);
    expanded.set(key, to);
    appendNow(parent, items, from, to, make);
    if (to < items.length) {
      more.textContent = label(to);
      return;
    }
    const hadFocus = document.activeElement === more;
    more.remove();
    if (hadFocus) focusTarget.focus({ preventScroll: true });
  });
  block.append(more);
}

function headerRow(columns: string[]): HTMLTableSectionElement {
  const head = el('thead');
  const tr = el('tr');
  for (const column of columns) {
    const th = el('th', '', column);
    th.scope = 'col';
    tr.append(th);
  }
  head.append(tr);
  return head;
}

function tableWrap(key: string): HTMLDivElement {
  const wrap = el('div', 'table-wrap');
  wrap.tabIndex = 0;
  wrap.dataset.scrollKey = key;
  return wrap;
}

/** One cell of a group row. */
function renderCell(td: HTMLElement, value: unknown): void {
  if (value === undefined || value === null) return;
  if (isScalar(value)) {
    td.textContent = String(value);
  } else if (Array.isArray(value) && value.every(isScalar)) {
    for (const item of value) td.append(el('span', 'chip', String(item)));
  } else if (isFilesValue(value)) {
    for (const file of value.files) td.append(el('span', 'file-ref', fileLabel(file)));
  } else {
    td.append(el('code', 'cell-json', stringify(value, 0)));
  }
}

function fileLabel(file: unknown): string {
  const meta = fileMeta(file);
  const name = meta.name ?? fileRef(file);
  const size = fileSize(meta.size);
  return size ? `${name} (${size})` : name;
}

/** A files value: one row per file, paged like group rows. */
function renderFiles(context: RenderContext, name: string, files: unknown[]): HTMLElement {
  const { t } = context;
  if (files.length === 0) return el('p', 'empty', t('noFiles'));
  const table = el('table', 'files');
  table.append(headerRow([t('fileName'), t('fileSize'), t('fileTime')]));
  return pagedTable(context, el('div', 'table-block'), `files:${name}`, table, files, (file) => {
    const meta = fileMeta(file);
    const tr = el('tr');
    tr.append(el('td', 'file-name', meta.name ?? fileRef(file)), el('td', 'num', fileSize(meta.size)), el('td', '', fileTime(meta.timestamp)));
    return tr;
  });
}

function fileMeta(file: unknown): { name?: string; size?: unknown; timestamp?: unknown } {
  const meta = isPlainObject(file) && isPlainObject(file.meta) ? file.meta : {};
  return { name: typeof meta.name === 'string' ? meta.name : undefined, size: meta.size, timestamp: meta.timestamp };
}

function fileRef(file: unknown): string {
  return isPlainObject(file) && typeof file.ref === 'string' ? file.ref : '';
}

function isFilesValue(value: unknown): value is FilesValue {
  return isPlainObject(value) && value.type === 'files' && Array.isArray(value.files);
}

function unionKeys(rows: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return Array.from(keys);
}

// ---------------------------------------------------------------- batched appends

/** Appends items[from, to) at once, through one fragment. */
function appendNow<T>(parent: HTMLElement, items: T[], from: number, to: number, make: (item: T) => Node): void {
  const fragment = document.createDocumentFragment();
  for (let i = from; i < to; i++) fragment.append(make(items[i]));
  parent.append(fragment);
}

/** Appends items[from, to), BATCH_SIZE per frame. Stops early when `parent` has been replaced. */
function appendInBatches<T>(parent: HTMLElement, items: T[], from: number, to: number, make: (item: T) => Node): Promise<void> {
  return new Promise((resolve) => {
    let next = from;
    const step = () => {
      if (!parent.isConnected) return resolve();
      const end = Math.min(to, next + BATCH_SIZE);
      appendNow(parent, items, next, end, make);
      next = end;
      if (next < to) nextFrame(step);
      else resolve();
    };
    nextFrame(step);
  });
}

/** A hidden webview gets no animation frames, so there a timer carries the work on. */
function nextFrame(callback: () => void): void {
  if (document.hidden) setTimeout(callback, 0);
  else requestAnimationFrame(() => callback());
}
