// @ts-check
'use strict';
/* global window, document, requestAnimationFrame, HTMLElement, acquireVsCodeApi */

// The job result panel. The extension host sends a Cloud BOT job ('show'), this script draws it.
//
// The webview runs under a strict CSP and every value of a job is untrusted, so the DOM is built
// only with createElement / textContent / append: nothing is ever parsed as HTML.

(function () {
  /**
   * @typedef {{
   *   job_id: string, bot_id: string, bot_name?: string, status: number, start_time?: string,
   *   elapsed_time?: number, output?: unknown, message?: string | null, cast_url?: string | null,
   *   callback?: boolean, code?: number
   * }} Job
   * @typedef {{ botLabel: string, publicId: string, account: string, canRerun: boolean, canSuspend: boolean, language: 'en' | 'ja' }} Meta
   * @typedef {'output' | 'response'} View
   * @typedef {{ pending: Promise<void>[] }} RenderWork  Deferred appends a render must wait for before reporting.
   * @typedef {{ type: 'files', files: unknown[] }} FilesValue
   */

  const vscode = acquireVsCodeApi();

  /** Longer texts show only their beginning until the user asks for all of it. */
  const TEXT_LIMIT = 20_000;
  /** Lists show this many items until "show more". */
  const LIST_LIMIT = 500;
  /** Group tables show this many rows until "show more". */
  const TABLE_FIRST_ROWS = 200;
  /** Each "show more" adds this many items. */
  const PAGE_SIZE = 1000;
  /** Items revealed before a redraw come back this many per frame, so the window stays responsive. */
  const BATCH_SIZE = 1000;

  /** @type {Record<string, unknown>} */
  const strings = readStrings();

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
    /** @type {View} */
    view: initialView(),
    /** @type {Job | null} */
    job: null,
    /** @type {Meta | null} */
    meta: null,
    /** Keys of long texts the user chose to show in full. */
    fullTexts: new Set(),
    /** How many items of each list and table the user revealed with "show more". @type {Map<string, number>} */
    expanded: new Map(),
    /** The status text last announced, so a poll with no change stays quiet. */
    announced: '',
  };

  /** Bumped by every render, so deferred work of a replaced render does not report. */
  let renderGeneration = 0;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;
  /** The <dd> showing the elapsed time while the job runs. @type {HTMLElement | null} */
  let elapsedNode = null;

  // The job this panel shows is kept at once, so the panel can come back after a reload even if the
  // window closes before any message arrives.
  vscode.setState({ ...vscode.getState(), ref: readJson('ref') });
  window.addEventListener('message', (event) => onMessage(event.data));
  contentSlot.replaceChildren(el('p', 'empty waiting', t('waiting')));
  vscode.postMessage({ type: 'ready' });

  // ---------------------------------------------------------------- messages

  /** @param {unknown} data */
  function onMessage(data) {
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

  /** @param {unknown} job @param {unknown} meta */
  function onShow(job, meta) {
    if (!isPlainObject(job)) return;
    const sameJob = state.job !== null && state.job.job_id === job.job_id;
    if (state.job && !sameJob) {
      // Another job in the same panel: expansions and the old error no longer apply.
      state.fullTexts.clear();
      state.expanded.clear();
      clearError();
    }
    state.job = /** @type {Job} */ (/** @type {unknown} */ (job));
    state.meta = normaliseMeta(meta);
    render(sameJob ? 'all' : 'none');
    announceStatus();
  }

  /** @param {unknown} meta @returns {Meta} */
  function normaliseMeta(meta) {
    const m = isPlainObject(meta) ? meta : {};
    return {
      botLabel: typeof m.botLabel === 'string' ? m.botLabel : '',
      publicId: typeof m.publicId === 'string' ? m.publicId : '',
      account: typeof m.account === 'string' ? m.account : '',
      canRerun: m.canRerun === true,
      canSuspend: m.canSuspend === true,
      language: m.language === 'ja' ? 'ja' : 'en',
    };
  }

  /** @param {Record<string, unknown>} message */
  function post(message) {
    vscode.postMessage(message);
  }

  // ---------------------------------------------------------------- rendering

  /**
   * Redraws the whole content from `state`, then reports it to the host. `keep` says what survives
   * the redraw: scroll positions and focus ('all': another poll of the same job), focus only
   * ('focus': a view switch) or nothing ('none': another job).
   * @param {'all' | 'focus' | 'none'} keep
   */
  function render(keep) {
    const started = performance.now();
    const generation = ++renderGeneration;
    const saved = keep === 'none' ? null : captureUi(keep === 'all');
    /** @type {RenderWork} */
    const work = { pending: [] };

    elapsedNode = null;
    const { job, meta } = state;
    if (job && meta) {
      contentSlot.replaceChildren(
        renderHeader(job, meta),
        renderToolbar(job, meta),
        state.view === 'response' ? renderResponseView(job) : renderOutputView(job, work),
      );
    } else {
      contentSlot.replaceChildren(el('p', 'empty waiting', t('waiting')));
    }
    syncTicker();
    if (saved) restoreUi(saved, true);
    if (keep !== 'all') window.scrollTo(0, 0);

    if (work.pending.length === 0) {
      reportRendered(performance.now() - started);
      return;
    }
    // Expanded tables and lists are being refilled frame by frame: report once they are complete.
    const scrollAfterSync = window.scrollY;
    Promise.all(work.pending).then(() => {
      if (generation !== renderGeneration) return;
      // The page was too short to scroll back fully until now, unless the user has scrolled meanwhile.
      if (keep === 'all' && saved && window.scrollY === scrollAfterSync) restoreUi(saved, false);
      reportRendered(performance.now() - started);
    });
  }

  /** Tells the host what is in the DOM now (tests and the benchmark rely on it). @param {number} renderMs */
  function reportRendered(renderMs) {
    if (!state.job) return;
    const sumRows = (/** @type {string} */ selector) =>
      Array.from(contentSlot.querySelectorAll(selector), (table) => /** @type {HTMLTableElement} */ (table).tBodies[0]?.rows.length ?? 0)
        .reduce((a, b) => a + b, 0);
    post({
      type: 'rendered',
      jobId: state.job.job_id,
      status: state.job.status,
      view: state.view,
      textItems: contentSlot.querySelectorAll('pre').length,
      listItems: Array.from(contentSlot.querySelectorAll('ul.list'), (list) => list.childElementCount).reduce((a, b) => a + b, 0),
      tables: contentSlot.querySelectorAll('table.group').length,
      tableRows: sumRows('table.group'),
      fileRows: sumRows('table.files'),
      truncatedItems: contentSlot.querySelectorAll('.truncated').length,
      renderMs,
    });
  }

  /** @param {View} view */
  function setView(view) {
    if (state.view === view) return;
    state.view = view;
    vscode.setState({ ...vscode.getState(), view });
    // A view switch redraws the DOM too, so it reports like a 'show' render.
    render('focus');
  }

  // ---------------------------------------------------------------- header

  /** @param {Job} job @param {Meta} meta */
  function renderHeader(job, meta) {
    const header = el('header', 'job-header');
    const title = el('div', 'title-row');
    title.append(statusBadge(job.status), el('h1', 'bot-label', meta.botLabel || job.bot_name || job.bot_id || ''));
    header.append(title, renderDetails(job, meta));
    return header;
  }

  /** @param {number} status */
  function statusBadge(status) {
    const { className, label } = statusInfo(status);
    const badge = el('span', `status-badge ${className}`);
    const icon = el('span', 'status-icon');
    icon.setAttribute('aria-hidden', 'true');
    badge.append(icon, el('span', 'status-label', label));
    return badge;
  }

  /** @param {number} status */
  function statusInfo(status) {
    switch (status) {
      case 0:
        return { className: 'status-succeeded', label: t('status.0') };
      case 1:
        return { className: 'status-error', label: t('status.1') };
      case 2:
        return { className: 'status-running', label: t('status.2') };
      default:
        return { className: 'status-other', label: t('status.other', status) };
    }
  }

  /** @param {Job} job @param {Meta} meta */
  function renderDetails(job, meta) {
    const list = el('dl', 'details');
    const add = (/** @type {string} */ labelKey, /** @type {string} */ value, className = '') => {
      const row = el('div', 'detail');
      const dd = el('dd', className, value);
      row.append(el('dt', '', t(labelKey)), dd);
      list.append(row);
      return dd;
    };
    add('contract', meta.publicId);
    add('account', meta.account);
    add('jobId', String(job.job_id ?? ''));
    if (typeof job.start_time === 'string' && job.start_time) add('started', formatDate(job.start_time));
    const seconds = currentElapsed(job);
    if (seconds !== undefined) elapsedNode = add('elapsed', elapsedText(seconds));
    if (job.message !== undefined && job.message !== null && job.message !== '') {
      add('message', String(job.message), job.status === 1 ? 'message error-text' : 'message');
    }
    return list;
  }

  function announceStatus() {
    if (!state.job || !state.meta) return;
    const text = `${state.meta.botLabel}: ${statusInfo(state.job.status).label}`;
    if (text === state.announced) return;
    state.announced = text;
    announcer.textContent = text;
  }

  // ---------------------------------------------------------------- elapsed time

  /** The start of a running job in ms, when the clock can tick from it. @param {Job} job */
  function liveStart(job) {
    if (job.status !== 2 || typeof job.start_time !== 'string') return undefined;
    const ms = Date.parse(job.start_time);
    return Number.isFinite(ms) ? ms : undefined;
  }

  /** @param {Job} job @returns {number | undefined} whole seconds */
  function currentElapsed(job) {
    const start = liveStart(job);
    // Clamped: the local clock may be a little behind the server's.
    if (start !== undefined) return Math.max(0, Math.floor((Date.now() - start) / 1000));
    const seconds = job.elapsed_time;
    return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : undefined;
  }

  /** @param {number} seconds */
  function elapsedText(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (state.meta?.language === 'ja') return minutes ? `${minutes} 分 ${rest} 秒` : `${rest} 秒`;
    return minutes ? `${minutes} min ${rest} s` : `${rest} s`;
  }

  /** One interval for the whole panel, running only while the shown job runs. */
  function syncTicker() {
    const running = state.job !== null && liveStart(state.job) !== undefined;
    if (running && ticker === undefined) {
      ticker = setInterval(tick, 1000);
    } else if (!running && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  function tick() {
    if (!state.job || !elapsedNode?.isConnected) return;
    const seconds = currentElapsed(state.job);
    if (seconds !== undefined) elapsedNode.textContent = elapsedText(seconds);
  }

  // ---------------------------------------------------------------- toolbar

  /** @param {Job} job @param {Meta} meta */
  function renderToolbar(job, meta) {
    const bar = el('div', 'toolbar');

    const views = el('div', 'segmented');
    views.setAttribute('role', 'group');
    for (const [view, label] of /** @type {const} */ ([['output', t('output')], ['response', t('response')]])) {
      const tab = button(label, 'segment', `view:${view}`, () => setView(view));
      tab.setAttribute('aria-pressed', String(state.view === view));
      views.append(tab);
    }

    const actions = el('div', 'actions');
    const copy = button(t('copyOutput'), 'secondary', 'copyOutput', () => post({ type: 'copyOutput' }));
    copy.disabled = !hasOutput(job);
    actions.append(copy, button(t('openJson'), 'secondary', 'openJson', () => post({ type: 'openJson' })));
    if (meta.canRerun) actions.append(button(t('rerun'), 'primary', 'rerun', () => post({ type: 'rerun' })));
    if (job.status === 2 && meta.canSuspend) actions.append(button(t('suspend'), 'secondary', 'suspend', () => post({ type: 'suspend' })));
    if (isWebUrl(job.cast_url)) actions.append(button(t('openCast'), 'secondary', 'openCast', () => post({ type: 'openCast' })));

    bar.append(views, actions);
    return bar;
  }

  /** @param {unknown} url */
  function isWebUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url);
  }

  /** @param {Job} job */
  function hasOutput(job) {
    const output = job.output;
    if (output === null || output === undefined) return false;
    return !isPlainObject(output) || Object.keys(output).length > 0;
  }

  // ---------------------------------------------------------------- views

  /** @param {Job} job */
  function renderResponseView(job) {
    const view = el('div', 'view view-response');
    view.append(el('h2', 'visually-hidden', t('response')), renderLongText('json', 'response', stringify(job, 2)));
    return view;
  }

  /** @param {Job} job @param {RenderWork} work */
  function renderOutputView(job, work) {
    const view = el('div', 'view view-output');
    view.append(el('h2', 'visually-hidden', t('output')));
    const output = job.output;
    if (!hasOutput(job)) {
      view.append(el('p', 'empty', t(job.status === 2 ? 'waiting' : 'noOutput')));
    } else if (!isPlainObject(output)) {
      // Not the documented shape: still show what came.
      view.append(renderLongText('json', 'output', stringify(output, 2)));
    } else {
      for (const [name, value] of Object.entries(output)) {
        const section = el('section', 'item');
        section.append(el('h3', 'item-name', name), renderValue(name, value, work));
        view.append(section);
      }
    }
    return view;
  }

  /** Picks the presentation of one output item by the kind of its value. @param {string} name @param {unknown} value @param {RenderWork} work */
  function renderValue(name, value, work) {
    if (typeof value === 'string') return renderLongText('text', `output:${name}`, value);
    if (isFilesValue(value)) return renderFiles(name, value.files);
    if (Array.isArray(value) && value.length > 0) {
      if (value.every(isScalar)) return renderList(name, value, work);
      if (value.every(isPlainObject)) return renderGroup(name, value, work);
    }
    return renderLongText('json', `output:${name}`, stringify(value, 2));
  }

  /**
   * A <pre> holding a text that may be huge: its beginning only, until the user asks for all of it.
   * @param {'text' | 'json'} kind @param {string} key @param {string} text
   */
  function renderLongText(kind, key, text) {
    const block = el('div', 'long-text');
    const pre = el('pre', kind);
    pre.tabIndex = 0; // scrollable, so keyboard users must be able to reach it
    pre.dataset.scrollKey = key;
    block.append(pre);

    if (text.length <= TEXT_LIMIT || state.fullTexts.has(key)) {
      pre.textContent = text; // one assignment, whatever the size
      return block;
    }
    const shown = clipText(text, TEXT_LIMIT);
    pre.textContent = shown;
    const note = el('p', 'truncated', t('truncated', formatNumber(shown.length), formatNumber(text.length)));
    const showAll = button(t('showAll', sizeOfChars(text.length)), 'link-button', `showAll:${key}`, () => {
      state.fullTexts.add(key);
      pre.textContent = text;
      note.remove();
      pre.focus({ preventScroll: true }); // the button is gone; keep focus near where it was
    });
    note.append(' ', showAll);
    block.append(note);
    return block;
  }

  /** @param {string} name @param {unknown[]} items @param {RenderWork} work */
  function renderList(name, items, work) {
    const key = `list:${name}`;
    const block = el('div', 'list-block');
    const list = el('ul', 'list');
    list.tabIndex = 0;
    list.dataset.scrollKey = key;
    const makeItem = (/** @type {unknown} */ item) => el('li', '', String(item));
    appendNow(list, items, 0, Math.min(items.length, LIST_LIMIT), makeItem);
    block.append(list);
    addRemainder(block, list, list, key, items, makeItem, work);
    return block;
  }

  /** A table of group rows: one column per key, in first-seen order. @param {string} name @param {Record<string, unknown>[]} rows @param {RenderWork} work */
  function renderGroup(name, rows, work) {
    const key = `table:${name}`;
    const columns = unionKeys(rows);
    const block = el('div', 'table-block');
    const wrap = tableWrap(key);
    const table = el('table', 'group');
    table.createCaption().textContent = t('rows', formatNumber(rows.length));
    table.append(headerRow(columns));
    const body = table.createTBody();
    const makeRow = (/** @type {Record<string, unknown>} */ row) => {
      const tr = el('tr');
      for (const column of columns) {
        const td = el('td');
        renderCell(td, Object.hasOwn(row, column) ? row[column] : undefined);
        tr.append(td);
      }
      return tr;
    };
    appendNow(body, rows, 0, Math.min(rows.length, TABLE_FIRST_ROWS), makeRow);
    wrap.append(table);
    block.append(wrap);
    addRemainder(block, body, wrap, key, rows, makeRow, work);
    return block;
  }

  /**
   * For a list or table showing only its first items: refill what the user revealed before this render,
   * and offer "show more", which adds the next PAGE_SIZE at once. Revealing page by page keeps every
   * click quick: a browser lays the whole table out again on each addition, so one click that added
   * 100,000 rows would freeze the panel for a minute.
   * @template T
   * @param {HTMLElement} block  holds the button
   * @param {HTMLElement} parent  receives the items
   * @param {HTMLElement} focusTarget  takes focus once the button is gone
   * @param {string} key @param {T[]} items @param {(item: T) => Node} make @param {RenderWork} work
   */
  function addRemainder(block, parent, focusTarget, key, items, make, work) {
    const revealed = Math.min(items.length, state.expanded.get(key) ?? 0);
    if (parent.childElementCount < revealed) work.pending.push(appendInBatches(parent, items, parent.childElementCount, revealed, make));
    const shown = Math.max(revealed, parent.childElementCount);
    if (shown >= items.length) return;
    const label = (/** @type {number} */ from) => t('showMore', formatNumber(Math.min(PAGE_SIZE, items.length - from)));
    const more = button(label(shown), 'secondary show-more', `showMore:${key}`, () => {
      const from = parent.childElementCount;
      // Rows revealed earlier are still being refilled: a click now would append out of order.
      if (from < (state.expanded.get(key) ?? 0)) return;
      const to = Math.min(items.length, from + PAGE_SIZE);
      state.expanded.set(key, to);
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

  /** @param {string[]} columns */
  function headerRow(columns) {
    const head = document.createElement('thead');
    const tr = el('tr');
    for (const column of columns) {
      const th = el('th', '', column);
      th.scope = 'col';
      tr.append(th);
    }
    head.append(tr);
    return head;
  }

  /** @param {string} key */
  function tableWrap(key) {
    const wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    wrap.dataset.scrollKey = key;
    return wrap;
  }

  /** One cell of a group row. @param {HTMLElement} td @param {unknown} value */
  function renderCell(td, value) {
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

  /** @param {unknown} file */
  function fileLabel(file) {
    const meta = fileMeta(file);
    const name = meta.name ?? fileRef(file);
    const size = fileSize(meta.size);
    return size ? `${name} (${size})` : name;
  }

  /** A files value: one row per file. @param {string} name @param {unknown[]} files */
  function renderFiles(name, files) {
    if (files.length === 0) return el('p', 'empty', t('noFiles'));
    const wrap = tableWrap(`files:${name}`);
    const table = el('table', 'files');
    table.append(headerRow([t('fileName'), t('fileSize'), t('fileTime')]));
    const body = table.createTBody();
    appendNow(body, files, 0, files.length, (file) => {
      const meta = fileMeta(file);
      const tr = el('tr');
      tr.append(el('td', 'file-name', meta.name ?? fileRef(file)), el('td', 'num', fileSize(meta.size)), el('td', '', fileTime(meta.timestamp)));
      return tr;
    });
    wrap.append(table);
    return wrap;
  }

  /** @param {unknown} file @returns {{ name?: string, size?: unknown, timestamp?: unknown }} */
  function fileMeta(file) {
    const meta = isPlainObject(file) && isPlainObject(file.meta) ? file.meta : {};
    return { name: typeof meta.name === 'string' ? meta.name : undefined, size: meta.size, timestamp: meta.timestamp };
  }

  /** @param {unknown} file */
  function fileRef(file) {
    return isPlainObject(file) && typeof file.ref === 'string' ? file.ref : '';
  }

  // ---------------------------------------------------------------- batched appends

  /**
   * Appends items[from, to) at once, through one fragment.
   * @template T @param {HTMLElement} parent @param {T[]} items @param {number} from @param {number} to @param {(item: T) => Node} make
   */
  function appendNow(parent, items, from, to, make) {
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) fragment.append(make(items[i]));
    parent.append(fragment);
  }

  /**
   * Appends items[from, to), BATCH_SIZE per frame. Stops early when `parent` has been replaced.
   * @template T @param {HTMLElement} parent @param {T[]} items @param {number} from @param {number} to @param {(item: T) => Node} make
   * @returns {Promise<void>}
   */
  function appendInBatches(parent, items, from, to, make) {
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

  /** A hidden webview gets no animation frames, so there a timer carries the work on. @param {() => void} callback */
  function nextFrame(callback) {
    if (document.hidden) setTimeout(callback, 0);
    else requestAnimationFrame(() => callback());
  }

  // ---------------------------------------------------------------- scroll and focus across renders

  /** @param {boolean} withScroll */
  function captureUi(withScroll) {
    /** @type {Map<string, { top: number, left: number }>} */
    const scrolls = new Map();
    if (withScroll) for (const node of contentSlot.querySelectorAll('[data-scroll-key]')) {
      const box = /** @type {HTMLElement} */ (node);
      if (box.scrollTop || box.scrollLeft) scrolls.set(box.dataset.scrollKey ?? '', { top: box.scrollTop, left: box.scrollLeft });
    }
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && contentSlot.contains(active) ? (active.dataset.focusKey ?? active.dataset.scrollKey) : undefined;
    return { scrollX: window.scrollX, scrollY: window.scrollY, scrolls, focusKey };
  }

  /** @param {ReturnType<typeof captureUi>} saved @param {boolean} withFocus */
  function restoreUi(saved, withFocus) {
    for (const node of contentSlot.querySelectorAll('[data-scroll-key], [data-focus-key]')) {
      const box = /** @type {HTMLElement} */ (node);
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

  /** @param {string} message */
  function showError(message) {
    const banner = el('div', 'banner error-banner');
    banner.setAttribute('role', 'alert');
    const dismiss = button('×', 'icon-button', 'dismissError', clearError);
    const label = dismissLabel();
    dismiss.setAttribute('aria-label', label);
    dismiss.title = label;
    banner.append(el('span', 'banner-text', message), dismiss);
    bannerSlot.replaceChildren(banner);
  }

  function clearError() {
    bannerSlot.replaceChildren();
  }

  /** The host sends no string for this button, so fall back by language. */
  function dismissLabel() {
    if (typeof strings.dismiss === 'string') return strings.dismiss;
    return state.meta?.language === 'ja' ? '閉じる' : 'Dismiss';
  }

  // ---------------------------------------------------------------- small helpers

  function readStrings() {
    const parsed = readJson('strings');
    return isPlainObject(parsed) ? parsed : {};
  }

  /** The JSON the host put in the page in a <script type="application/json" id=…>. @param {string} id */
  function readJson(id) {
    try {
      return JSON.parse(document.getElementById(id)?.textContent || 'null');
    } catch {
      return null;
    }
  }

  function initialView() {
    const saved = vscode.getState();
    return isPlainObject(saved) && saved.view === 'response' ? 'response' : 'output';
  }

  /** A translated UI string with its {0}, {1}… filled in. @param {string} key @param {...unknown} values */
  function t(key, ...values) {
    const template = strings[key];
    return format(typeof template === 'string' ? template : key, ...values);
  }

  /** Replaces {0}, {1}… by the values; unknown placeholders stay as they are. @param {string} template @param {...unknown} values */
  function format(template, ...values) {
    return template.replace(/\{(\d+)\}/g, (match, index) => (Number(index) < values.length ? String(values[Number(index)]) : match));
  }

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag @param {string} [className] @param {string} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A real <button>, so it is keyboard accessible; focusKey lets a re-render give focus back. @param {string} label @param {string} className @param {string} focusKey @param {() => void} onClick */
  function button(label, className, focusKey, onClick) {
    const node = el('button', className, label);
    node.type = 'button';
    node.dataset.focusKey = focusKey;
    node.addEventListener('click', onClick);
    return node;
  }

  /** @param {unknown} value @returns {value is Record<string, any>} */
  function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** @param {unknown} value @returns {value is string | number | boolean} */
  function isScalar(value) {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  }

  /** @param {unknown} value @returns {value is FilesValue} */
  function isFilesValue(value) {
    return isPlainObject(value) && value.type === 'files' && Array.isArray(value.files);
  }

  /** @param {Record<string, unknown>[]} rows */
  function unionKeys(rows) {
    const keys = new Set();
    for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
    return /** @type {string[]} */ (Array.from(keys));
  }

  /** JSON text of any value, never throwing. @param {unknown} value @param {number} indent */
  function stringify(value, indent) {
    try {
      return JSON.stringify(value, null, indent) ?? String(value);
    } catch {
      return String(value);
    }
  }

  /** The first `limit` characters, not splitting a surrogate pair. @param {string} text @param {number} limit */
  function clipText(text, limit) {
    const code = text.charCodeAt(limit - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
  }

  /** The size of a text for the "show all" button, counted in characters. @param {number} chars */
  function sizeOfChars(chars) {
    return chars >= 1048576 ? `${(chars / 1048576).toFixed(1)} MB` : `${(chars / 1024).toFixed(1)} KB`;
  }

  /** @param {unknown} bytes */
  function fileSize(bytes) {
    if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1048576).toFixed(1)} MB`;
  }

  /** @param {unknown} timestamp ms since epoch */
  function fileTime(timestamp) {
    const ms = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' ? Number(timestamp) : NaN;
    return Number.isFinite(ms) ? new Date(ms).toLocaleString(locale()) : '';
  }

  /** @param {string} iso */
  function formatDate(iso) {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? new Date(ms).toLocaleString(locale()) : iso;
  }

  /** @param {number} value */
  function formatNumber(value) {
    return value.toLocaleString(locale());
  }

  function locale() {
    return state.meta?.language === 'ja' ? 'ja-JP' : 'en-US';
  }
})();
