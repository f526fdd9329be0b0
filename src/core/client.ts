// Typed calls for every Cloud BOT REST endpoint (E1–E12 in ../shared/cloudbot-api.md).
// No `vscode` here: the extension and the tests build it from plain values.
import { fetch, type RequestInit, type Response } from './http';
import { CloudBotError, MAX_REQUEST_BYTES, parseRetryAfter, type CloudBotErrorKind, type Operation } from './errors';
import { jobReferenceEndpoint } from './endpoints';
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
    return arrayField<Contract>(answer, 'contracts', this, 'listContracts');
  }

  /** E2 */
  async listBots(publicId: string, properties: string[] = [], call?: CallOptions): Promise<Bot[]> {
    const answer = await this.send({
      operation: 'listBots',
      method: 'GET',
      path: `/${seg(publicId)}/bots`,
      query: { properties: csv(properties) },
      call,
    });
    return arrayField<Bot>(answer, 'bots', this, 'listBots');
  }

  /** E3 */
  async getBot(publicId: string, botId: string, properties: string[] = [], call?: CallOptions): Promise<BotDetail> {
    const answer = await this.send({
      operation: 'getBot',
      method: 'GET',
      path: `/${seg(publicId)}/bots/${seg(botId)}`,
      query: { properties: csv(properties) },
      call,
    });
    return answer.body as unknown as BotDetail;
  }

  /** E4: the BOT definition as a compact JWS. */
  async getBotDefinition(publicId: string, botId: string, call?: CallOptions): Promise<string> {
    const answer = await this.send({
      operation: 'getBotDefinition',
      method: 'GET',
      path: `/${seg(publicId)}/bots/${seg(botId)}/definition`,
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
      path: `/${seg(publicId)}/bots/${seg(botId)}/jobs`,
      body: request,
      // The API holds the answer up to `timeout` ms while the BOT runs: wait that long on top.
      call: { ...call, timeoutMs: call?.timeoutMs ?? (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + (request.timeout ?? 0) },
    });
    const job = jobFrom(answer, this, 'executeBot');
    const location = answer.headers.get('location');
    return {
      job,
      httpStatus: answer.status,
      jobReferenceEndpoint: location
        ? new URL(location, this.apiBaseUrl + '/').toString()
        : jobReferenceEndpoint(this.apiBaseUrl, publicId, job.job_id),
    };
  }

  /** E6 */
  async listJobs(publicId: string, botId: string, query: JobListQuery = {}, call?: CallOptions): Promise<Job[]> {
    const answer = await this.send({
      operation: 'listJobs',
      method: 'GET',
      path: `/${seg(publicId)}/bots/${seg(botId)}/jobs`,
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
    return arrayField<Job>(answer, 'jobs', this, 'listJobs');
  }

  /** E7 */
  async getJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job> {
    const answer = await this.send({
      operation: 'getJob',
      method: 'GET',
      path: `/${seg(publicId)}/jobs/${seg(jobId)}`,
      call,
    });
    return jobFrom(answer, this, 'getJob');
  }

  /** E8. 410 (already finished) surfaces as a CloudBotError with status 410. */
  async suspendJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job> {
    const answer = await this.send({
      operation: 'suspendJob',
      method: 'DELETE',
      path: `/${seg(publicId)}/jobs/${seg(jobId)}`,
      call,
    });
    return jobFrom(answer, this, 'suspendJob');
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
      path: `/${seg(publicId)}/bots/${seg(botId)}/subscriptions`,
      body: { callback_type: 'webhook', ...request },
      call,
    });
    const id = answer.body.subscribe_id;
    if (typeof id !== 'number' && typeof id !== 'string') throw this.invalid('createSubscription', answer.status);
    const endpoint = answer.body.unsubscribe_endpoint;
    return { subscribe_id: Number(id), unsubscribe_endpoint: typeof endpoint === 'string' ? endpoint : undefined };
  }

  /** E10 */
  async listSubscriptions(publicId: string, botId: string, call?: CallOptions): Promise<Subscription[]> {
    const answer = await this.send({
      operation: 'listSubscriptions',
      method: 'GET',
      path: `/${seg(publicId)}/bots/${seg(botId)}/subscriptions`,
      call,
    });
    return arrayField<Subscription>(answer, 'subscriptions', this, 'listSubscriptions');
  }

  /** E11 */
  async deleteSubscription(publicId: string, botId: string, subscribeId: number, call?: CallOptions): Promise<void> {
    await this.send({
      operation: 'deleteSubscription',
      method: 'DELETE',
      path: `/${seg(publicId)}/bots/${seg(botId)}/subscriptions/${seg(String(subscribeId))}`,
      call,
    });
  }

  /** E12. The field name is undocumented: `ws_token`, with MindCloud's `wsToken` accepted too. */
  async issueWsToken(publicId: string, request: WsTokenRequest, call?: CallOptions): Promise<string> {
    const answer = await this.send({
      operation: 'issueWsToken',
      method: 'POST',
      path: `/${seg(publicId)}/ws_tokens`,
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
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call?.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const init: RequestInit = {
      method: spec.method,
      headers: { ...baseHeaders(this.language, this.options.userAgent), ...authHeaders(credentials) },
      body,
      signal,
      redirect: 'error',
    };

    let response: Response;
    try {
      response = await fetch(url.toString(), init);
    } catch (cause) {
      // Once the connection is up, a POST may have been received even though no answer came back.
      const kind: CloudBotErrorKind = call?.signal?.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network';
      throw this.error({ kind, operation, cause, timeoutMs, mayHaveReachedServer: kind !== 'network' || spec.method !== 'GET' });
    }

    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      const kind: CloudBotErrorKind = call?.signal?.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network';
      throw this.error({ kind, operation, cause, timeoutMs, status: response.status, mayHaveReachedServer: true });
    }
    const parsed = parseObject(text);
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

/** Waits, but gives up at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
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

function arrayField<T>(answer: Answer, field: string, client: CloudBotClient, operation: Operation): T[] {
  const value = answer.body[field];
  if (!Array.isArray(value)) throw client.invalid(operation, answer.status);
  return value as T[];
}

function stringField(answer: Answer, field: string, client: CloudBotClient, operation: Operation): string {
  const value = answer.body[field];
  if (typeof value !== 'string') throw client.invalid(operation, answer.status);
  return value;
}

function jobFrom(answer: Answer, client: CloudBotClient, operation: Operation): Job {
  const body = answer.body;
  if (typeof body.job_id !== 'string' || typeof body.status !== 'number') throw client.invalid(operation, answer.status);
  return body as unknown as Job;
}

function csv(values: string[]): string | undefined {
  return values.length ? values.join(',') : undefined;
}

/** One path segment, so that an ID can never change the path's shape. */
function seg(value: string): string {
  return encodeURIComponent(value);
}
