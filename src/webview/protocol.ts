// What the result panel's host (src/views/resultPanel.ts) and its page (result.ts) tell each other:
// the page's initial data, and the messages in each direction. Types only, so both sides import it.
import type { JobWords } from '../core/jobText';
import type { JobRef } from '../core/refs';
import type { Job } from '../core/types';

/** The page's translated strings, made by the host with vscode.l10n; `{0}`, `{1}` are filled in by the page. */
export interface PageStrings {
  contract: string;
  account: string;
  jobId: string;
  started: string;
  elapsed: string;
  message: string;
  output: string;
  response: string;
  noOutput: string;
  copyOutput: string;
  openJson: string;
  rerun: string;
  suspend: string;
  openCast: string;
  watchLive: string;
  compare: string;
  useOutputAsInput: string;
  export: string;
  showAll: string;
  showMore: string;
  truncated: string;
  /** `{0}` columns shown of `{1}`. */
  columnsClipped: string;
  fileName: string;
  fileSize: string;
  fileTime: string;
  noFiles: string;
  rows: string;
  waiting: string;
  dismiss: string;
}

/** Written into the page by the host, read once when the page starts. */
export interface InitialData {
  strings: PageStrings;
  words: JobWords;
  /** The job, kept in the page's state so the host can restore the panel after a reload. */
  ref: JobRef;
  /** Whether the page reports its renders ('rendered'): only where tests and the benchmark read them. */
  reportRenders: boolean;
}

/** What the page saves with vscode.setState: VS Code keeps it across reloads and gives it to the host to restore the panel. */
export interface PageState {
  /** Checked by the host when it comes back (isJobRef): the state is the page's, so outside input. */
  ref?: unknown;
  view?: ResultView;
}

/** What the host knows about a job besides the job itself. */
export interface JobMeta {
  botLabel: string;
  publicId: string;
  account: string;
  canRerun: boolean;
  canSuspend: boolean;
  /** The job runs and its cast is an address VS Code can show or open (the host's check of that server text). */
  canWatch: boolean;
  /** The BOT's usual run time in seconds, which a running job is shown against; absent without enough runs. */
  usualSeconds?: number;
}

/** The two views of a job: its output by kind, or the whole response as JSON. */
export type ResultView = 'output' | 'response';

/** What the page reports after each render (tests and the benchmark read it). */
export interface RenderReport {
  jobId: string;
  status: number;
  view: ResultView;
  textItems: number;
  listItems: number;
  tables: number;
  tableRows: number;
  fileRows: number;
  truncatedItems: number;
  /** The elapsed time as shown ("usually 40 s, 25 s so far" while the job runs). */
  elapsed: string;
  /** The toolbar's buttons, by what they do. */
  actions: string[];
  renderMs: number;
}

export interface ShowMessage {
  readonly type: 'show';
  readonly job: Job;
  readonly meta: JobMeta;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

/** Host to page. */
export type ToPage = ShowMessage | ErrorMessage;

/** The page has started and waits for its job; the buttons of the toolbar. */
export interface ActionMessage {
  readonly type: 'ready' | 'copyOutput' | 'openJson' | 'rerun' | 'suspend' | 'openCast' | 'watchLive' | 'compare' | 'useOutputAsInput' | 'export';
}

/** What the whole output can be saved as. */
export interface RenderedMessage {
  readonly type: 'rendered';
  readonly report: RenderReport;
}

/** Page to host. */
export type FromPage = ActionMessage | RenderedMessage;
