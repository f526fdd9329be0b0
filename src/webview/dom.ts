// Small helpers of the result page: elements built from text only, checks of untrusted values, and
// number, size and time texts.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A real <button>, so it is keyboard accessible; focusKey lets a re-render give focus back. */
export function button(label: string, className: string, focusKey: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', className, label);
  node.type = 'button';
  node.dataset.focusKey = focusKey;
  node.addEventListener('click', onClick);
  return node;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** JSON text of any value, never throwing. */
export function stringify(value: unknown, indent: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The size of a text for the "show all" button, counted in characters. */
export function sizeOfChars(chars: number): string {
  return chars >= 1048576 ? `${(chars / 1048576).toFixed(1)} MB` : `${(chars / 1024).toFixed(1)} KB`;
}

export function fileSize(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Dates and numbers are written in the page's language, which the host sets on <html lang> from VS Code's. */
const locale = document.documentElement.lang || undefined;

/** A file's time, in ms since the epoch. */
export function fileTime(timestamp: unknown): string {
  const ms = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' ? Number(timestamp) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toLocaleString(locale) : '';
}

export function formatDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toLocaleString(locale) : iso;
}

export function formatNumber(value: number): string {
  return value.toLocaleString(locale);
}
