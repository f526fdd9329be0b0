// Typed calls for every Cloud BOT REST endpoint (E1–E12 in ../shared/cloudbot-api.md).
// No `vscode` here: the extension and the tests build it from plain values.
import { fetch, type RequestInit, type Response } from './http';
import { CloudBotError, MAX_ANSWER_BYTES, MAX_REQUEST_BYTES, parseRetryAfter, type CloudBotErrorKind, type Operation } from './errors';
import { idSegment, isUsableId, jobReferenceEndpoint } from './endpoints';
import { clippedToDepth } from './jsonDepth';
import type {
  Bot,
  BotDetail,
  Contract,
  CreatedSubscription,
  ExecuteRequest,
  ExecuteResult,
  Job,
  JobListQuery,
  Language,
  Subscription,
  SubscriptionRequest,
  WsTokenRequest,
} from './types';

/** How a request proves who it is: the access token + secret key pair, or an OAuth bearer token. */
export type Credentials =
  | { kind: 'accessToken'; accessToken: string; secretKey: string }
  | { kind: 'bearer'; accessToken: string };

export interface CredentialSource {
  current(): Promise<Credentials>;
  /**
   * Called once after a 401 with the credentials that were refused; resolves true when fresh ones are
   * worth one more try (a refreshed OAuth token, or one another call refreshed meanwhile).
   */
  refreshAfterUnauthorized?(refused: Credentials): Promise<boolean>;
}

export interface RetryPolicy {
  /** Further attempts after the first, for idempotent GETs only. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ClientOptions {
  apiBaseUrl: string;
  /** Sent as content-language: the language of Cloud BOT's own messages. */
  language: Language;
  credentials: CredentialSource;
  timeoutMs?: number;
  retry?: RetryPolicy;
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };
/** A Retry-After longer than this is reported instead of waited out inside one call. */
const MAX_RETRY_AFTER_WAIT_SECONDS = 60;

interface RequestSpec {
  operation: Operation;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  call?: CallOptions;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Response['headers'];
}

export class CloudBotClient {
  readonly apiBaseUrl: string;
  readonly language: Language;
  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.language = options.language;
    this.options = options;
  }

  /** E1 */
  async listContracts(properties: string[] = [], call?: CallOptions): Promise<Contract[]> {
    const answer = await this.send({
      operation: 'listContracts',
      method: 'GET',
      path: '/services/contracts',
      query: { properties: csv(properties) },
      call,
    });
    return arrayField(answer, 'contracts', this, 'listContracts').flatMap((item) => withTextIds<Contract>(item, ['public_id'], []));
  }

  /** E2 */
  async listBots(publicId: string, properties: string[] = [], call?: CallOptions): Promise<Bot[]> {
    const answer = await this.send({
      operation: 'listBots',
      method: 'GET',
      path: `/${idSegment(publicId)}/bots`,
      query: { properties: csv(properties) },
      call,
    });
    return arrayField(answer, 'bots', this, 'listBots').flatMap((item) => withTextIds<Bot>(item, ['id'], ['name']));
  }

  /** E3 */
  async getBot(publicId: string, botId: string, properties: string[] = [], call?: CallOptions): Promise<BotDetail> {
    const answer = await this.send({
      operation: 'getBot',
      method: 'GET',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}`,
      query: { properties: csv(properties) },
      call,
    });
    const [bot] = withTextIds<BotDetail>(answer.body, ['id'], ['name']);
    if (!bot) throw this.invalid('getBot', answer.status);
    return bot;
  }

  /** E4: the BOT definition as a compact JWS. */
  async getBotDefinition(publicId: string, botId: string, call?: CallOptions): Promise<string> {
    const answer = await this.send({
      operation: 'getBotDefinition',
      method: 'GET',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/definition`,
      call,
    });
    return stringField(answer, 'jws', this, 'getBotDefinition');
  }

  /**
   * E5. Never retried: a second POST would start a second job. Accepts 200, 201 and 202, since which one
   * the API uses for which case is not documented.
   */
  async executeBot(publicId: string, botId: string, request: ExecuteRequest, call?: CallOptions): Promise<ExecuteResult> {
    const answer = await this.send({
      operation: 'executeBot',
      method: 'POST',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/jobs`,
      body: request,
      // The API holds the answer up to `timeout` ms while the BOT runs: wait that long on top.
      call: { ...call, timeoutMs: call?.timeoutMs ?? (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + (request.timeout ?? 0) },
    });
    const job = jobFrom(answer, this, 'executeBot');
    return { job, httpStatus: answer.status, jobReferenceEndpoint: this.locationOf(answer) ?? jobReferenceEndpoint(this.apiBaseUrl, publicId, job.job_id) };
  }

  /** The answer's `Location` as an absolute URL; undefined when absent or malformed (the job is known anyway). */
  private locationOf(answer: Answer): string | undefined {
    const location = answer.headers.get('location');
    if (!location) return undefined;
    try {
      return new URL(location, this.apiBaseUrl + '/').toString();
    } catch {
      return undefined;
    }
  }

  /** E6 */
  async listJobs(publicId: string, botId: string, query: JobListQuery = {}, call?: CallOptions): Promise<Job[]> {
    const answer = await this.send({
      operation: 'listJobs',
      method: 'GET',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/jobs`,
      query: {
        limit: query.limit?.toString(),
        sort_order: query.sort_order,
        statuses: query.statuses?.join(','),
        datetime_from: query.datetime_from,
        datetime_to: query.datetime_to,
        id_from: query.id_from,
        id_to: query.id_to,
        properties: csv(query.properties ?? []),
      },
      call,
    });
    return mergedById(arrayField(answer, 'jobs', this, 'listJobs').flatMap((item) => jobOf(item) ?? []));
  }

  /** E7 */
  async getJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job> {
    const answer = await this.send({
      operation: 'getJob',
      method: 'GET',
      path: `/${idSegment(publicId)}/jobs/${idSegment(jobId)}`,
      call,
    });
    return jobFrom(answer, this, 'getJob');
  }

  /**
   * E8. 410 (already finished) surfaces as a CloudBotError with status 410. A 204 (no job in the answer)
   * is success too: the job's new state is then asked for.
   */
  async suspendJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job> {
    const answer = await this.send({
      operation: 'suspendJob',
      method: 'DELETE',
      path: `/${idSegment(publicId)}/jobs/${idSegment(jobId)}`,
      call,
    });
    return answer.status === 204 ? this.getJob(publicId, jobId, call) : jobFrom(answer, this, 'suspendJob');
  }

  /** E9 */
  async createSubscription(
    publicId: string,
    botId: string,
    request: SubscriptionRequest,
    call?: CallOptions,
  ): Promise<CreatedSubscription> {
    const answer = await this.send({
      operation: 'createSubscription',
      method: 'POST',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/subscriptions`,
      body: { callback_type: 'webhook', ...request },
      call,
    });
    const id = answer.body.subscribe_id;
    if (typeof id !== 'number' && typeof id !== 'string') throw this.invalid('createSubscription', answer.status);
    const endpoint = answer.body.unsubscribe_endpoint;
    // Kept as sent: a string ID may not survive a round trip through a number.
    return { subscribe_id: id, unsubscribe_endpoint: typeof endpoint === 'string' ? endpoint : undefined };
  }

  /** E10 */
  async listSubscriptions(publicId: string, botId: string, call?: CallOptions): Promise<Subscription[]> {
    const answer = await this.send({
      operation: 'listSubscriptions',
      method: 'GET',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/subscriptions`,
      call,
    });
    return arrayField(answer, 'subscriptions', this, 'listSubscriptions') as Subscription[];
  }

  /** E11 */
  async deleteSubscription(publicId: string, botId: string, subscribeId: number | string, call?: CallOptions): Promise<void> {
    await this.send({
      operation: 'deleteSubscription',
      method: 'DELETE',
      path: `/${idSegment(publicId)}/bots/${idSegment(botId)}/subscriptions/${idSegment(String(subscribeId))}`,
      call,
    });
  }

  /** E12. The field name is undocumented: `ws_token`, with MindCloud's `wsToken` accepted too. */
  async issueWsToken(publicId: string, request: WsTokenRequest, call?: CallOptions): Promise<string> {
    const answer = await this.send({
      operation: 'issueWsToken',
      method: 'POST',
      path: `/${idSegment(publicId)}/ws_tokens`,
      body: request,
      call,
    });
    const token = answer.body.ws_token ?? answer.body.wsToken;
    if (typeof token !== 'string') throw this.invalid('issueWsToken', answer.status);
    return token;
  }

  /** Sends one request, retrying GETs on transient failures and any call once after a refreshed 401. */
  private async send(spec: RequestSpec): Promise<Answer> {
    const retry = spec.method === 'GET' ? (this.options.retry ?? DEFAULT_RETRY) : { ...DEFAULT_RETRY, retries: 0 };
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const credentials = await this.options.credentials.current();
      try {
        return await this.sendOnce(spec, credentials);
      } catch (error) {
        if (!(error instanceof CloudBotError)) throw error;
        if (error.status === 401 && !refreshed && this.options.credentials.refreshAfterUnauthorized) {
          refreshed = true;
          if (await this.options.credentials.refreshAfterUnauthorized(credentials)) continue;
        }
        if (!error.isTransient || attempt >= retry.retries) throw error;
        if ((error.retryAfterSeconds ?? 0) > MAX_RETRY_AFTER_WAIT_SECONDS) throw error;
        await sleep(retryDelayMs(attempt, retry, error.retryAfterSeconds), spec.call?.signal);
      }
    }
  }

  private async sendOnce(spec: RequestSpec, credentials: Credentials): Promise<Answer> {
    const { operation, call } = spec;
    const url = new URL(this.apiBaseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, value);
    }
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const bodyBytes = body === undefined ? 0 : Buffer.byteLength(body);
    if (bodyBytes > MAX_REQUEST_BYTES) {
      throw this.error({ kind: 'tooLarge', operation, mayHaveReachedServer: false, bodyBytes });
    }
    if (call?.signal?.aborted) throw this.error({ kind: 'aborted', operation, mayHaveReachedServer: false });

    const timeoutMs = call?.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = requestDeadline(timeoutMs, call?.signal);
    try {
      return await this.exchange(spec, url, body, credentials, deadline, timeoutMs);
    } finally {
      deadline.release();
    }
  }

  private async exchange(
    { operation, call, method }: RequestSpec,
    url: URL,
    body: string | undefined,
    credentials: Credentials,
    deadline: RequestDeadline,
    timeoutMs: number,
  ): Promise<Answer> {
    const init: RequestInit = {
      method,
      headers: { ...baseHeaders(this.language, this.options.userAgent), ...authHeaders(credentials) },
      body,
      signal: deadline.signal,
      redirect: 'error',
    };

    let response: Response;
    try {
      response = await fetch(url.toString(), init);
    } catch (cause) {
      // Once the connection is up, a POST may have been received even though no answer came back.
      if (isRefusedRedirect(cause)) throw this.error({ kind: 'redirect', operation, cause, mayHaveReachedServer: true });
      const kind: CloudBotErrorKind = call?.signal?.aborted ? 'aborted' : deadline.timedOut ? 'timeout' : 'network';
      throw this.error({ kind, operation, cause, timeoutMs, mayHaveReachedServer: kind !== 'network' || method !== 'GET' });
    }

    let text: string | undefined;
    try {
      text = await readText(response, MAX_ANSWER_BYTES);
    } catch (cause) {
      const kind: CloudBotErrorKind = call?.signal?.aborted ? 'aborted' : deadline.timedOut ? 'timeout' : 'network';
      throw this.error({ kind, operation, cause, timeoutMs, status: response.status, mayHaveReachedServer: true });
    }
    if (text === undefined) throw this.error({ kind: 'answerTooLarge', operation, status: response.status, mayHaveReachedServer: true });
    // 204 No Content (e.g. to a DELETE) is success without a body.
    const parsed = response.status === 204 ? {} : parseObject(text);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));

    if (!response.ok) {
      throw this.error({
        kind: 'http',
        operation,
        status: response.status,
        code: typeof parsed?.code === 'number' ? parsed.code : undefined,
        apiMessage: typeof parsed?.message === 'string' && parsed.message ? parsed.message : undefined,
        retryAfterSeconds,
        mayHaveReachedServer: true,
      });
    }
    if (!parsed) throw this.invalid(operation, response.status);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  private error(details: Omit<ConstructorParameters<typeof CloudBotError>[0], 'host'>): CloudBotError {
    return new CloudBotError({ ...details, host: new URL(this.apiBaseUrl).host });
  }

  invalid(operation: Operation, status: number): CloudBotError {
    return this.error({ kind: 'invalidResponse', operation, status, mayHaveReachedServer: true });
  }
}

function baseHeaders(language: Language, userAgent?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-language': language,
    accept: 'application/json',
    ...(userAgent ? { 'user-agent': userAgent } : {}),
  };
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === 'bearer'
    ? { authorization: `Bearer ${credentials.accessToken}` }
    : { 'access-token': credentials.accessToken, 'secret-key': credentials.secretKey };
}

function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Full jitter, so that many windows retrying at once spread out.
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

interface RequestDeadline {
  signal: AbortSignal;
  readonly timedOut: boolean;
  release(): void;
}

/**
 * One request's signal: aborts at the caller's signal or after `timeoutMs`. Released when the request
 * ends, so that no timer or listener outlives it (AbortSignal.timeout would keep both for the whole
 * timeout, and AbortSignal.any would tie every request to a watcher's long-lived signal).
 */
function requestDeadline(timeoutMs: number, callerSignal?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
  }, Math.min(MAX_TIMER_MS, timeoutMs));
  const onAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The longest delay setTimeout takes: a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits (held to what a timer can wait), but gives up at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(MAX_TIMER_MS, Math.max(0, ms || 0)));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The body as text, or undefined once it grows over `limit` bytes (the rest is not read). */
async function readText(response: Response, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    // Leaving the loop destroys the stream, so a huge or endless answer is not read on.
    if (size > limit) return undefined;
    chunks.push(bytes);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** node-fetch's refusal of a redirect (redirect: 'error'), or of a redirect to a malformed URL. */
function isRefusedRedirect(cause: unknown): boolean {
  const type = (cause as { type?: unknown } | undefined)?.type;
  return type === 'no-redirect' || type === 'invalid-redirect';
}

function arrayField(answer: Answer, field: string, client: CloudBotClient, operation: Operation): unknown[] {
  const value = answer.body[field];
  if (!Array.isArray(value)) throw client.invalid(operation, answer.status);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** An ID or a name as text: some servers send digits as a number. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** A number, also when sent as a string ("0"). */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : undefined;
}

/**
 * A list item with its IDs and names as text; none (an empty list) when an ID is missing or cannot be
 * used in a request path, since nothing could be asked about it.
 */
function withTextIds<T>(value: unknown, ids: string[], names: string[]): T[] {
  if (!isRecord(value)) return [];
  const item: Record<string, unknown> = { ...value };
  for (const field of ids) {
    const id = textOf(value[field]);
    if (id === undefined || !isUsableId(id)) return [];
    item[field] = id;
  }
  for (const field of names) item[field] = textOf(value[field]) ?? '';
  return [item as T];
}

/**
 * A job as everything above the client sees it: IDs and names as text, the status and times as numbers,
 * and no null where the type has none (a null elapsed time stays unknown). Undefined when it has no
 * usable ID or no numeric status.
 */
function jobOf(value: unknown): Job | undefined {
  const [job] = withTextIds<Record<string, unknown>>(value, ['job_id'], []);
  const status = numberOf(job?.status);
  if (!job || status === undefined) return undefined;
  job.status = status;
  job.bot_id = textOf(job.bot_id) ?? '';
  // Output nested deeper than anything a BOT makes is clipped here, so nothing above recurses into it.
  if (job.output !== undefined) job.output = clippedToDepth(job.output);
  for (const [field, read] of [['bot_name', textOf], ['start_time', (v: unknown) => (typeof v === 'string' ? v : undefined)], ['elapsed_time', numberOf], ['code', numberOf]] as const) {
    const clean = read(job[field]);
    if (clean === undefined) delete job[field];
    else job[field] = clean;
  }
  return job as unknown as Job;
}

/** A page's jobs with each ID once, in the place it first came, its fields merged. */
function mergedById(jobs: Job[]): Job[] {
  const byId = new Map<string, Job>();
  for (const job of jobs) byId.set(job.job_id, { ...byId.get(job.job_id), ...job });
  return [...byId.values()];
}

function stringField(answer: Answer, field: string, client: CloudBotClient, operation: Operation): string {
  const value = answer.body[field];
  if (typeof value !== 'string') throw client.invalid(operation, answer.status);
  return value;
}

function jobFrom(answer: Answer, client: CloudBotClient, operation: Operation): Job {
  const job = jobOf(answer.body);
  if (!job) throw client.invalid(operation, answer.status);
  return job;
}

function csv(values: string[]): string | undefined {
  return values.length ? values.join(',') : undefined;
}
