// One error type for every way a Cloud BOT call can fail, carrying what a person needs to act on it.
// The sentences a person reads are made from these fields in the VS Code layer (src/words.ts); the
// message here is a short technical line for logs.

export type CloudBotErrorKind =
  | 'http' // the server answered with an error status
  | 'network' // no answer: connection refused, reset, DNS
  | 'timeout' // no answer within the call's timeout
  | 'aborted' // cancelled by the caller
  | 'tooLarge' // refused before sending: body over 4 MB
  | 'answerTooLarge' // the answer grew over MAX_ANSWER_BYTES while being read: the rest was not read
  | 'redirect' // the server answered with a redirect, which is not followed (credentials stay on the configured host)
  | 'invalidResponse'; // an answer that is not the JSON the API documents

/** What a call was about, so that a 404 or 403 can say which thing was missing or refused. */
export type Operation =
  | 'listContracts'
  | 'listBots'
  | 'getBot'
  | 'getBotDefinition'
  | 'executeBot'
  | 'listJobs'
  | 'getJob'
  | 'suspendJob'
  | 'createSubscription'
  | 'listSubscriptions'
  | 'deleteSubscription'
  | 'issueWsToken';

export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** The largest answer read, counted after decompression (a BOT's output can be large, not unbounded). */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface CloudBotErrorDetails {
  kind: CloudBotErrorKind;
  operation: Operation;
  status?: number;
  /** The `code` field of the error body, when there was one. */
  code?: number;
  /** The `message` field of the error body, in the request's content-language. */
  apiMessage?: string;
  retryAfterSeconds?: number;
  /** Whether the request may have reached the server (matters for execute: never assume no job exists). */
  mayHaveReachedServer: boolean;
  host?: string;
  cause?: unknown;
  bodyBytes?: number;
  timeoutMs?: number;
}

export class CloudBotError extends Error {
  readonly kind: CloudBotErrorKind;
  readonly operation: Operation;
  readonly status?: number;
  readonly code?: number;
  readonly apiMessage?: string;
  readonly retryAfterSeconds?: number;
  readonly mayHaveReachedServer: boolean;
  readonly host?: string;
  readonly bodyBytes?: number;
  readonly timeoutMs?: number;

  constructor(details: CloudBotErrorDetails) {
    super(technicalMessage(details), { cause: details.cause });
    this.name = 'CloudBotError';
    this.kind = details.kind;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.apiMessage = details.apiMessage;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
    this.host = details.host;
    this.bodyBytes = details.bodyBytes;
    this.timeoutMs = details.timeoutMs;
  }

  /** Worth trying the same idempotent call again: no answer, a server fault or rate limiting. */
  get isTransient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'invalidResponse') return true;
    return this.kind === 'http' && (this.status === 429 || (this.status !== undefined && this.status >= 500));
  }
}

/** The token permission each operation needs: a 403 names it. */
export const permissionByOperation: Record<Operation, 'Refer' | 'Execute' | 'Suspend'> = {
  listContracts: 'Refer',
  listBots: 'Refer',
  getBot: 'Refer',
  getBotDefinition: 'Refer',
  executeBot: 'Execute',
  listJobs: 'Refer',
  getJob: 'Refer',
  suspendJob: 'Suspend',
  createSubscription: 'Execute',
  listSubscriptions: 'Refer',
  deleteSubscription: 'Execute',
  issueWsToken: 'Execute',
};

function technicalMessage(d: CloudBotErrorDetails): string {
  const where = d.host ? ` (${d.host})` : '';
  let text: string;
  switch (d.kind) {
    case 'http':
      text = `HTTP ${d.status}${d.status === 403 ? `, needs the "${permissionByOperation[d.operation]}" permission or External Connections on` : ''}${d.apiMessage ? `: ${d.apiMessage}` : ''}`;
      break;
    case 'network':
      text = `no connection${where}${causeCode(d.cause) ? `: ${causeCode(d.cause)}` : ''}`;
      break;
    case 'timeout':
      text = `no answer${where} within ${secondsOf(d.timeoutMs)} s`;
      break;
    case 'aborted':
      text = 'cancelled';
      break;
    case 'tooLarge':
      text = `request of ${megabytesOf(d.bodyBytes)} MB is over the 4 MB limit, not sent`;
      break;
    case 'answerTooLarge':
      text = `answer${where} over the ${megabytesOf(MAX_ANSWER_BYTES)} MB limit, not read, HTTP ${d.status}`;
      break;
    case 'redirect':
      text = `redirect${where} not followed`;
      break;
    case 'invalidResponse':
      text = `not the expected JSON${where}, HTTP ${d.status}`;
      break;
  }
  return `${d.operation}: ${text}${mayHaveStartedJob(d) ? '; the request may have reached Cloud BOT' : ''}`;
}

/**
 * Whether `error` is of the class of that name, also when another bundle's copy of the class made it:
 * the agent tools, checks and batch engine load as bundles of their own, and errors reach them from the
 * extension's classes.
 */
export function isNamedError(error: unknown, name: 'CloudBotError' | 'ExecutionUnanswered' | 'StoppedWaiting' | 'UnusableIdError' | 'JobReferenceError'): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * Execute is the one call whose repetition has a cost: whenever it may have been received without an
 * answer, a job may exist.
 */
export function mayHaveStartedJob(error: Pick<CloudBotErrorDetails, 'operation' | 'mayHaveReachedServer' | 'kind'>): boolean {
  return error.operation === 'executeBot' && error.mayHaveReachedServer && error.kind !== 'http';
}

/** The system's error code behind a failed connection (ECONNREFUSED, ENOTFOUND…), when there is one. */
export function causeCode(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Seconds with one decimal, as messages show a timeout. */
export function secondsOf(ms: number | undefined): number {
  return Number(((ms ?? 0) / 1000).toFixed(1));
}

/** Megabytes with one decimal, as messages show a size over the limit. */
export function megabytesOf(bytes: number | undefined): string {
  return ((bytes ?? 0) / 1024 / 1024).toFixed(1);
}

/** The range any server-given wait is held to: never a busy loop, never hours. */
const MIN_RETRY_AFTER_SECONDS = 1;
export const MAX_RETRY_AFTER_SECONDS = 300;

/**
 * Parses `Retry-After`: delay-seconds (a negative number too) or an HTTP date, held to 1 s – 5 min.
 * Anything else is no advice (undefined), so it never reads as "try again in 0 s".
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  let seconds: number;
  if (/^-?\d+$/.test(trimmed)) seconds = Number(trimmed);
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (Date.parse alone takes "-5" or "1" for years).
  else if (/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    seconds = Math.ceil((Date.parse(trimmed) - now) / 1000);
  } else return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(MIN_RETRY_AFTER_SECONDS, seconds));
}

/** The technical message of anything thrown, for logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
