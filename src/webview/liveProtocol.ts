// What the live panel's host (src/views/livePanel.ts) and its page (live.ts) tell each other. Types
// only, so both sides import it. Every text is made by the host; the page only lays it out.

/** What the panel shows: the cast in a frame ('live'), or why not. */
export type LiveState =
  /** The cast page's headers are being checked. */
  | 'checking'
  | 'live'
  /** The cast page forbids frames of other sites, or leads to another site. */
  | 'refused'
  /** The cast page could not be checked (no answer, an error status). */
  | 'unchecked'
  /** The cast URL is not an http(s) URL: never framed, never opened. */
  | 'notWeb'
  /** The job has no cast URL. */
  | 'noCast'
  | 'ended'
  /** The job could not be read. */
  | 'unknownJob';

export type LiveAction = 'openInBrowser' | 'showResult';

export interface LiveView {
  state: LiveState;
  /** The BOT's name and the job, as text. */
  title: string;
  /** What the page says instead of the cast, or over it while checking. */
  message: string;
  /** The cast URL to frame, only when 'live'; the page's CSP lets in its origin alone. */
  frame?: string;
  actions: LiveAction[];
}

export interface LivePageStrings {
  openInBrowser: string;
  showResult: string;
}

/** Written into the page by the host, read once when the page starts. */
export interface LiveInitialData {
  strings: LivePageStrings;
  view: LiveView;
}

/** Host to page: the view changed (within the same frame origin; another one comes as a new page). */
export interface LiveShowMessage {
  readonly type: 'show';
  readonly view: LiveView;
}

export type LiveToPage = LiveShowMessage;

/** Page to host: it has started (and wants the latest view), or a button was pressed. */
export interface LiveFromPage {
  readonly type: 'ready' | LiveAction;
}
