// The API VS Code gives a webview's page, as far as the result page uses it.
import type { FromPage, PageState } from './protocol';

interface WebviewApi {
  postMessage(message: FromPage): void;
  /** What the page saved with setState before a reload; the page checks it like any input. */
  getState(): unknown;
  setState(state: PageState): void;
}

declare global {
  /** May be called once per page. */
  function acquireVsCodeApi(): WebviewApi;
}
