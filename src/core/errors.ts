// One error type for every way a Cloud BOT call can fail, carrying what a person needs to act on it.
import { say, type Bilingual } from './text';
import type { Language } from './types';

export type CloudBotErrorKind =
  | 'http' // the server answered with an error status
  | 'network' // no answer: connection refused, reset, DNS
  | 'timeout' // no answer within the call's timeout
  | 'aborted' // cancelled by the caller
  | 'tooLarge' // refused before sending: body over 4 MB
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

export interface CloudBotErrorDetails {
  kind: CloudBotErrorKind;
  operation: Operation;
  language: Language;
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

  constructor(details: CloudBotErrorDetails) {
    super(describe(details), { cause: details.cause });
    this.name = 'CloudBotError';
    this.kind = details.kind;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.apiMessage = details.apiMessage;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
  }

  /** Worth trying the same idempotent call again: no answer, a server fault or rate limiting. */
  get isTransient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'invalidResponse') return true;
    return this.kind === 'http' && (this.status === 429 || (this.status !== undefined && this.status >= 500));
  }
}

const resourceByOperation: Record<Operation, Bilingual> = {
  listContracts: { en: 'the contract list', ja: '契約一覧' },
  listBots: { en: 'the contract or its BOT list', ja: '契約またはその BOT 一覧' },
  getBot: { en: 'the BOT', ja: 'BOT' },
  getBotDefinition: { en: 'the BOT', ja: 'BOT' },
  executeBot: { en: 'the BOT', ja: 'BOT' },
  listJobs: { en: 'the BOT', ja: 'BOT' },
  getJob: { en: 'the job', ja: 'ジョブ' },
  suspendJob: { en: 'the job', ja: 'ジョブ' },
  createSubscription: { en: 'the BOT', ja: 'BOT' },
  listSubscriptions: { en: 'the BOT', ja: 'BOT' },
  deleteSubscription: { en: 'the subscription', ja: 'サブスクリプション' },
  issueWsToken: { en: 'the contract', ja: '契約' },
};

const permissionByOperation: Record<Operation, string> = {
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

const sentences = {
  401: {
    en: 'Cloud BOT rejected the credentials (401). Check the access token and secret key, or sign in again.',
    ja: 'Cloud BOT が認証情報を拒否しました (401)。アクセストークンとシークレットキーを確認するか、もう一度サインインしてください。',
  },
  403: {
    en: 'Cloud BOT refused access to {resource} (403): the token needs the "{permission}" permission, or the contract has External Connections turned off. Check the token in For Developers > Access Token, or External Connections on the Connect page.',
    ja: '{resource}へのアクセスが拒否されました (403)。トークンに「{permission}」権限が必要か、契約の外部連携が無効です。「開発者向け > アクセストークン」の権限、または「連携」ページの外部連携を確認してください。',
  },
  404: {
    en: 'Cloud BOT could not find {resource} (404). Check the ID, and that the BOT is published for the API in For Developers > API.',
    ja: '{resource}が見つかりません (404)。ID と、BOT が「開発者向け > API」で API 公開されていることを確認してください。',
  },
  410: {
    en: 'The job has already finished (410), so there is nothing to suspend.',
    ja: 'ジョブはすでに終了しています (410)。中断するものはありません。',
  },
  executeAborted: {
    en: 'Cloud BOT aborted the BOT execution (410).',
    ja: 'Cloud BOT が BOT の実行を中止しました (410)。',
  },
  413: {
    en: 'The request is over Cloud BOT\'s 4 MB limit (413). Make the input smaller.',
    ja: 'リクエストが Cloud BOT の上限 4 MB を超えています (413)。入力を小さくしてください。',
  },
  415: {
    en: 'Cloud BOT did not accept the request\'s content type (415). This is a bug in the extension; please report it.',
    ja: 'Cloud BOT がリクエストの Content-Type を受け付けませんでした (415)。拡張機能の不具合です。報告してください。',
  },
  422: {
    en: 'Cloud BOT could not process the request (422){detail}. Check the input data and the options.',
    ja: 'Cloud BOT がリクエストを処理できませんでした (422){detail}。入力データとオプションを確認してください。',
  },
  429: {
    en: 'Cloud BOT is receiving too many requests (429). Try again {after}.',
    ja: 'Cloud BOT へのリクエストが多すぎます (429)。{after}再試行してください。',
  },
  server: {
    en: 'Cloud BOT had a server error ({status}){detail}. Try again later.',
    ja: 'Cloud BOT でサーバーエラーが発生しました ({status}){detail}。しばらくしてから再試行してください。',
  },
  other: {
    en: 'Cloud BOT answered {status}{detail}.',
    ja: 'Cloud BOT が {status} を返しました{detail}。',
  },
  network: {
    en: 'Could not reach Cloud BOT at {host}{detail}. Check your network or proxy and the "cloudbot.apiBaseUrl" setting.',
    ja: '{host} の Cloud BOT に接続できませんでした{detail}。ネットワークやプロキシ、「cloudbot.apiBaseUrl」設定を確認してください。',
  },
  timeout: {
    en: 'Cloud BOT at {host} did not answer within {seconds} s.',
    ja: '{host} の Cloud BOT が {seconds} 秒以内に応答しませんでした。',
  },
  aborted: { en: 'The request was cancelled.', ja: 'リクエストはキャンセルされました。' },
  tooLarge: {
    en: 'The request is {size} MB, over Cloud BOT\'s 4 MB limit; nothing was sent. Make the input smaller.',
    ja: 'リクエストが {size} MB で、Cloud BOT の上限 4 MB を超えています。何も送信していません。入力を小さくしてください。',
  },
  invalidResponse: {
    en: 'Cloud BOT at {host} sent an answer that is not the expected JSON (HTTP {status}). Check the "cloudbot.apiBaseUrl" setting, or try again.',
    ja: '{host} の Cloud BOT から想定外の応答がありました (HTTP {status})。「cloudbot.apiBaseUrl」設定を確認するか、再試行してください。',
  },
  afterSending: {
    en: ' The request may have reached Cloud BOT: check the BOT\'s jobs before executing again.',
    ja: ' リクエストは Cloud BOT に届いた可能性があります。再実行する前に BOT のジョブを確認してください。',
  },
} satisfies Record<string, Bilingual>;

function describe(d: CloudBotErrorDetails): string {
  const lang = d.language;
  const detail = d.apiMessage ? `: ${d.apiMessage}` : '';
  const values = {
    resource: say(resourceByOperation[d.operation], lang),
    permission: permissionByOperation[d.operation],
    status: d.status ?? '',
    host: d.host ?? '',
    detail,
  };
  let text: string;
  switch (d.kind) {
    case 'http':
      text = describeStatus(d, values);
      break;
    case 'network':
      text = say(sentences.network, lang, { ...values, detail: causeText(d.cause) });
      break;
    case 'timeout':
      text = say(sentences.timeout, lang, { ...values, seconds: Number(((d.timeoutMs ?? 0) / 1000).toFixed(1)) });
      break;
    case 'aborted':
      text = say(sentences.aborted, lang);
      break;
    case 'tooLarge':
      text = say(sentences.tooLarge, lang, { size: ((d.bodyBytes ?? 0) / 1024 / 1024).toFixed(1) });
      break;
    case 'invalidResponse':
      text = say(sentences.invalidResponse, lang, values);
      break;
  }
  // Execute is the one call whose repetition has a cost: say so whenever it may have been received.
  if (d.operation === 'executeBot' && d.mayHaveReachedServer && d.kind !== 'http') {
    text += say(sentences.afterSending, lang);
  }
  return text;
}

function describeStatus(d: CloudBotErrorDetails, values: Record<string, string | number>): string {
  const lang = d.language;
  switch (d.status) {
    case 401:
      return say(sentences[401], lang);
    case 403:
      return say(sentences[403], lang, values);
    case 404:
      return say(sentences[404], lang, values);
    case 410:
      return say(d.operation === 'executeBot' ? sentences.executeAborted : sentences[410], lang);
    case 413:
      return say(sentences[413], lang);
    case 415:
      return say(sentences[415], lang);
    case 422:
      return say(sentences[422], lang, values);
    case 429:
      return say(sentences[429], lang, { after: retryAfterText(d.retryAfterSeconds, lang) });
  }
  if ((d.status ?? 0) >= 500) return say(sentences.server, lang, values);
  return say(sentences.other, lang, values);
}

function retryAfterText(seconds: number | undefined, lang: Language): string {
  if (seconds === undefined) return lang === 'ja' ? 'しばらくしてから' : 'in a moment';
  return lang === 'ja' ? `${seconds} 秒後に` : `in ${seconds} s`;
}

function causeText(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

/** Parses `Retry-After`: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** The message of anything thrown, for logs and notifications. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
