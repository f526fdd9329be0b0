// The API VS Code gives a webview's page, typed by what each page sends and saves.
interface WebviewApi<Message, State> {
  postMessage(message: Message): void;
  /** What the page saved with setState before a reload; the page checks it like any input. */
  getState(): unknown;
  setState(state: State): void;
}

declare global {
  /** May be called once per page. */
  function acquireVsCodeApi<Message, State>(): WebviewApi<Message, State>;
}

export {};
