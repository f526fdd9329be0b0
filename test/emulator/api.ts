// The Cloud BOT REST API (E1–E12 of §5) with the header checks of §13.2, in this order:
// 413 (server layer) → 415 → 422 language → 401 → 403 permission → 403 External Connections → 404 → 422 body/query.
import type { IncomingHttpHeaders } from 'node:http';
import type { DataMap, FixtureBot, FixtureContract, Permission } from './fixture';
import { CONTRACT_PROPERTIES } from './fixture';
import { apiError, apiReply, mediaType, type Reply } from './http';
import { newOpaqueToken, UUID_PATTERN } from './ids';
import { SUBSCRIPTION_EVENTS, type Job, type JobStore, type SubscriptionEvent } from './jobs';
import { signJws } from './jws';
import { forbidden, invalid, messages, type Language } from './messages';
import type { TimerSet } from './timers';
import type { Principal, World } from './world';

export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ApiOptions {
  apiBaseUrl: string;
  executeFinishedStatus: 200 | 201;
  executeRateLimit?: { requests: number; windowSeconds: number };
  /** Every API request of a token counts against this budget per second (the fixture's requestRateLimit). */
  requestsPerSecond?: number;
  /** For execute's `timeout` wait; close() clears it. */
  timers: TimerSet;
}

interface BaseContext {
  principal: Principal;
  language: Language;
  url: URL;
  body: Buffer;
}
/** For routes under /{public_id}/, after the contract access checks. */
interface Context extends BaseContext {
  contract: FixtureContract;
}

type Route = { method: 'GET' | 'POST' | 'DELETE'; pattern: RegExp; permission: Permission } & (
  | { global: true; handle(ctx: BaseContext): Reply }
  /** The pattern's first group is the public ID. */
  | { global?: false; handle(ctx: Context, params: string[]): Reply | Promise<Reply> }
);

/**
 * `content-language` must be ja or en (§2). Choice: compared case-insensitively; regional variants such
 * as en-US are refused.
 */
export function languageOf(headers: IncomingHttpHeaders): Language | undefined {
  const value = String(headers['content-language'] ?? '').trim().toLowerCase();
  return value === 'ja' || value === 'en' ? value : undefined;
}

/**
 * `application/json` is required on every request, GET and DELETE included (§2). A charset parameter
 * is [UNK] (§14.12); choice: `charset=utf-8` is accepted, any other charset is not.
 */
function isJsonContentType(header: string | undefined): boolean {
  if (mediaType(header) !== 'application/json') return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header ?? '')?.[1];
  return charset === undefined || /^utf-?8$/i.test(charset);
}

/**
 * Callback URLs must be https:// (cbot-cli says so). Choice: plain http is allowed for loopback hosts
 * too, so tests can receive callbacks locally.
 */
function isCallbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}

/** Choice: times without an offset are UTC, so results never depend on the emulator's time zone. */
function parseIsoTime(value: string): number | undefined {
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (match === null) return undefined;
  const ms = Date.parse(match[1] !== undefined && match[4] === undefined ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

const BOT_PROPERTIES = ['icon', 'created', 'last_modified', 'creator'] as const;
const BOT_DETAIL_PROPERTIES = [...BOT_PROPERTIES, 'input', 'output'] as const;
/** [INF] §5 E6: the extra job fields a list can ask for. */
const JOB_PROPERTIES = ['output', 'cast_url'] as const;
/** [INF] §5 E12: WS tokens authorize file transfer. */
const WS_TOKEN_SCOPES = ['upload', 'download'];

/** Job list `limit`: the real default and maximum are [UNK]; choice: default 100, at most 1000 (what cbot-cli asks for). */
const DEFAULT_JOB_LIMIT = 100;
const MAX_JOB_LIMIT = 1000;
/** Execute `timeout` in ms ([INF]); choice: at most 120000, the largest value seen in a client. */
const MAX_TIMEOUT_MS = 120_000;
const MAX_CALLBACK_TRIES = 5;
/** Choice: `callback_tries` defaults to 1 when a callback endpoint is given (the PHP client's value). */
const DEFAULT_CALLBACK_TRIES = 1;

type Parsed<T> = { value: T } | { reply: Reply };

export class Api {
  private readonly routes: Route[];
  private readonly executeTimes = new Map<string, number[]>();
  /** Per token: the second being counted and how many requests it has had. */
  private readonly requestCounts = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly world: World,
    private readonly jobs: JobStore,
    private readonly options: ApiOptions,
  ) {
    const scoped = (suffix: string): RegExp => new RegExp(`^/([^/]+)${suffix}$`);
    // Permissions per §3.3. Choices for the [UNK] rows: definition needs refer; listing subscriptions
    // needs refer while creating/deleting them needs execute (they act on runs); ws_tokens needs refer.
    this.routes = [
      { method: 'GET', pattern: /^\/services\/contracts$/, permission: 'refer', global: true, handle: (ctx) => this.listContracts(ctx) },
      { method: 'GET', pattern: scoped('/bots'), permission: 'refer', handle: (ctx) => this.listBots(ctx) },
      { method: 'GET', pattern: scoped('/bots/([^/]+)'), permission: 'refer', handle: (ctx, [botId]) => this.getBot(ctx, botId) },
      { method: 'GET', pattern: scoped('/bots/([^/]+)/definition'), permission: 'refer', handle: (ctx, [botId]) => this.getDefinition(ctx, botId) },
      { method: 'POST', pattern: scoped('/bots/([^/]+)/jobs'), permission: 'execute', handle: (ctx, [botId]) => this.execute(ctx, botId) },
      { method: 'GET', pattern: scoped('/bots/([^/]+)/jobs'), permission: 'refer', handle: (ctx, [botId]) => this.listJobs(ctx, botId) },
      { method: 'GET', pattern: scoped('/jobs/([^/]+)'), permission: 'refer', handle: (ctx, [jobId]) => this.getJob(ctx, jobId) },
      { method: 'DELETE', pattern: scoped('/jobs/([^/]+)'), permission: 'suspend', handle: (ctx, [jobId]) => this.suspendJob(ctx, jobId) },
      { method: 'POST', pattern: scoped('/bots/([^/]+)/subscriptions'), permission: 'execute', handle: (ctx, [botId]) => this.subscribe(ctx, botId) },
      { method: 'GET', pattern: scoped('/bots/([^/]+)/subscriptions'), permission: 'refer', handle: (ctx, [botId]) => this.listSubscriptions(ctx, botId) },
      { method: 'DELETE', pattern: scoped('/bots/([^/]+)/subscriptions/([^/]+)'), permission: 'execute', handle: (ctx, [botId, id]) => this.unsubscribe(ctx, botId, id) },
      { method: 'POST', pattern: scoped('/ws_tokens'), permission: 'refer', handle: (ctx) => this.issueWsToken(ctx) },
    ];
  }

  /** Forgets the counts of the rate limits. */
  reset(): void {
    this.executeTimes.clear();
    this.requestCounts.clear();
  }

  async handle(req: ApiRequest): Promise<Reply> {
    const requested = languageOf(req.headers);
    if (!isJsonContentType(req.headers['content-type'])) return apiError(415, messages.unsupportedMediaType, requested ?? 'en');
    if (requested === undefined) return apiError(422, messages.badLanguage, 'en');
    const language = requested;
    const auth = this.world.authenticate(req.headers);
    if ('error' in auth) return apiError(401, auth.error, language);
    if (this.overRequestBudget(auth.principal.credential)) return apiError(429, messages.tooManyRequests, language, { 'retry-after': '1' });

    const match = this.match(req.method, req.url.pathname);
    if (match === undefined) return apiError(404, messages.notFound, language);
    const { route, params } = match;
    if (!auth.principal.permissions.has(route.permission)) return apiError(403, forbidden(route.permission), language);
    const ctx = { principal: auth.principal, language, url: req.url, body: req.body };
    if (route.global) return route.handle(ctx);
    const access = this.world.access(auth.principal.username, params[0]);
    if ('status' in access) return apiError(access.status, access.message, language);
    return route.handle({ ...ctx, contract: access.contract }, params.slice(1));
  }

  /** Choice: a known path with another method is 404 like any unknown path (the real answer is [UNK]). */
  private match(method: string, pathname: string): { route: Route; params: string[] } | undefined {
    for (const route of this.routes) {
      const found = route.method === method ? route.pattern.exec(pathname) : null;
      if (found === null) continue;
      try {
        return { route, params: found.slice(1).map(decodeURIComponent) };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private invalid(ctx: BaseContext, name: string, en: string, ja: string): Reply {
    return apiError(422, invalid(name, en, ja), ctx.language);
  }

  /** A CSV of names from `allowed`. Choice: unknown names are 422 rather than ignored, to catch typos. */
  private csv<T extends string>(ctx: BaseContext, name: string, allowed: readonly T[]): Parsed<T[]> {
    const values = (ctx.url.searchParams.get(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    const unknown = values.find((v) => !(allowed as readonly string[]).includes(v));
    if (unknown !== undefined) return { reply: this.invalid(ctx, name, `"${unknown}" is not one of ${allowed.join(', ')}.`, `「${unknown}」は指定できません（${allowed.join(', ')}）。`) };
    return { value: values as T[] };
  }

  /** The JSON body as an object; an empty body counts as `{}`. */
  private jsonObject(ctx: BaseContext): Parsed<Record<string, unknown>> {
    if (ctx.body.length === 0) return { value: {} };
    let value: unknown;
    try {
      value = JSON.parse(ctx.body.toString('utf8'));
    } catch {
      return { reply: this.invalid(ctx, 'body', 'not valid JSON.', 'JSON として解析できません。') };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reply: this.invalid(ctx, 'body', 'expected a JSON object.', 'JSON オブジェクトを指定してください。') };
    return { value: value as Record<string, unknown> };
  }

  private callbackEndpoint(ctx: Context, value: unknown): Parsed<string> {
    if (typeof value === 'string' && isCallbackUrl(value)) return { value };
    return { reply: this.invalid(ctx, 'callback_endpoint', 'expected an https:// URL.', 'https:// で始まる URL を指定してください。') };
  }

  private bot(ctx: Context, botId: string): Parsed<FixtureBot> {
    const bot = this.world.publishedBot(ctx.contract, botId);
    return bot === undefined ? { reply: apiError(404, messages.botNotFound, ctx.language) } : { value: bot };
  }

  // E1
  private listContracts(ctx: BaseContext): Reply {
    const properties = this.csv(ctx, 'properties', CONTRACT_PROPERTIES);
    if ('reply' in properties) return properties.reply;
    const contracts = this.world.contractsOf(ctx.principal.username).map((contract) => ({
      public_id: contract.publicId,
      public_path: `/${contract.publicId}/`,
      ...Object.fromEntries(properties.value.map((name) => [name, contract.properties?.[name] ?? null])),
    }));
    return apiReply(200, { contracts });
  }

  /** `id`, `name` and `description` always; requested properties, null when the BOT has none. */
  private botFields(bot: FixtureBot, properties: readonly string[]): Record<string, unknown> {
    const values: Record<string, unknown> = {
      icon: bot.icon ?? null,
      created: bot.created ?? null,
      last_modified: bot.lastModified ?? null,
      creator: bot.creator ?? null,
      input: bot.input ?? {},
      output: bot.output ?? {},
    };
    return { id: bot.id, name: bot.name, description: bot.description, ...Object.fromEntries(properties.map((name) => [name, values[name]])) };
  }

  // E2
  private listBots(ctx: Context): Reply {
    const properties = this.csv(ctx, 'properties', BOT_PROPERTIES);
    if ('reply' in properties) return properties.reply;
    const bots = ctx.contract.bots.filter((bot) => bot.published !== false).map((bot) => this.botFields(bot, properties.value));
    return apiReply(200, { bots });
  }

  // E3
  private getBot(ctx: Context, botId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const properties = this.csv(ctx, 'properties', BOT_DETAIL_PROPERTIES);
    if ('reply' in properties) return properties.reply;
    return apiReply(200, this.botFields(bot.value, properties.value));
  }

  // E4
  private getDefinition(ctx: Context, botId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const { id, name, description, input = {}, output = {} } = bot.value;
    return apiReply(200, { jws: signJws(bot.value.definition ?? { id, name, description, input, output }) });
  }

  // E5
  private async execute(ctx: Context, botId: string): Promise<Reply> {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const body = this.jsonObject(ctx);
    if ('reply' in body) return body.reply;
    const { timeout = 0, callback_endpoint: endpoint = null, callback_tries: tries = DEFAULT_CALLBACK_TRIES, input = {} } = body.value;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT_MS) {
      return this.invalid(ctx, 'timeout', `expected an integer from 0 to ${MAX_TIMEOUT_MS} (milliseconds).`, `0〜${MAX_TIMEOUT_MS} の整数（ミリ秒）を指定してください。`);
    }
    const callback = endpoint === null ? undefined : this.callbackEndpoint(ctx, endpoint);
    if (callback !== undefined && 'reply' in callback) return callback.reply;
    if (typeof tries !== 'number' || !Number.isInteger(tries) || tries < 0 || tries > MAX_CALLBACK_TRIES) {
      return this.invalid(ctx, 'callback_tries', `expected an integer from 0 to ${MAX_CALLBACK_TRIES}.`, `0〜${MAX_CALLBACK_TRIES} の整数を指定してください。`);
    }
    // Input item kinds are not checked against the BOT's definition ([UNK] §7); only the container is.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return this.invalid(ctx, 'input', 'expected an object keyed by input item name.', '入力項目名をキーとするオブジェクトを指定してください。');
    }
    const retryAfter = this.rateLimited(ctx.principal.credential);
    if (retryAfter !== undefined) return apiError(429, messages.tooManyRequests, ctx.language, { 'retry-after': String(retryAfter) });

    const job = this.jobs.execute(ctx.contract.publicId, bot.value, input as DataMap, ctx.principal.username,
      callback === undefined ? undefined : { endpoint: callback.value, tries, language: ctx.language });
    if (timeout > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.jobs.whenFinished(job), new Promise<void>((resolve) => (timer = this.options.timers.after(timeout, resolve)))]);
      this.options.timers.cancel(timer);
    }
    // [INF] §9: 202 while running; a job that finished within `timeout` answers 201 (the callback sample's code) or 200.
    const status = job.status === 2 ? 202 : this.options.executeFinishedStatus;
    return apiReply(status, { ...this.jobs.body(job, ctx.language, { output: true, castUrl: true }), callback: callback !== undefined && tries > 0 },
      // [INF] §1: the job reference endpoint travels in a Location header.
      { location: `${this.options.apiBaseUrl}/${ctx.contract.publicId}/jobs/${job.id}` });
  }

  /**
   * Choice (§10 says a limit exists, not its shape): a fixed budget per token per clock second; the
   * request over it is answered 429 with `Retry-After: 1`, and is not counted.
   */
  private overRequestBudget(credential: string): boolean {
    const limit = this.options.requestsPerSecond;
    if (limit === undefined) return false;
    const second = Math.floor(Date.now() / 1000);
    const counted = this.requestCounts.get(credential);
    if (!counted || counted.second !== second) {
      this.requestCounts.set(credential, { second, count: 1 });
      return false;
    }
    if (counted.count >= limit) return true;
    counted.count++;
    return false;
  }

  /** Seconds to wait when the token used up the fixture's execute limit; undefined when allowed (and counted). */
  private rateLimited(credential: string): number | undefined {
    const limit = this.options.executeRateLimit;
    if (limit === undefined) return undefined;
    const now = Date.now();
    const recent = (this.executeTimes.get(credential) ?? []).filter((t) => t > now - limit.windowSeconds * 1000);
    this.executeTimes.set(credential, recent);
    if (recent.length >= limit.requests) return Math.max(1, Math.ceil((recent[0] + limit.windowSeconds * 1000 - now) / 1000));
    recent.push(now);
    return undefined;
  }

  // E6
  private listJobs(ctx: Context, botId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const query = ctx.url.searchParams;
    const properties = this.csv(ctx, 'properties', JOB_PROPERTIES);
    if ('reply' in properties) return properties.reply;
    const statuses = this.csv(ctx, 'statuses', ['0', '1', '2']);
    if ('reply' in statuses) return statuses.reply;

    const limitText = query.get('limit');
    const limit = limitText === null ? DEFAULT_JOB_LIMIT : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_JOB_LIMIT)) return this.invalid(ctx, 'limit', `expected an integer from 1 to ${MAX_JOB_LIMIT}.`, `1〜${MAX_JOB_LIMIT} の整数を指定してください。`);
    // [UNK] default sort; choice: newest first.
    const sortOrder = query.get('sort_order') ?? 'desc';
    if (sortOrder !== 'asc' && sortOrder !== 'desc') return this.invalid(ctx, 'sort_order', 'expected asc or desc.', 'asc または desc を指定してください。');

    const times: Record<string, number | undefined> = {};
    for (const name of ['datetime_from', 'datetime_to']) {
      const text = query.get(name);
      if (text === null) continue;
      times[name] = parseIsoTime(text);
      if (times[name] === undefined) return this.invalid(ctx, name, 'expected an ISO 8601 date-time.', 'ISO 8601 形式の日時を指定してください。');
    }
    const ids: Record<string, string | undefined> = {};
    for (const name of ['id_from', 'id_to']) {
      const text = query.get(name)?.toLowerCase();
      if (text === undefined) continue;
      if (!UUID_PATTERN.test(text)) return this.invalid(ctx, name, 'expected a job ID (UUID).', 'ジョブID（UUID）を指定してください。');
      ids[name] = text;
    }

    const wanted = new Set(statuses.value.map(Number));
    // Inclusivity is [UNK] (§14.11); choice: datetime_from ≤ start < datetime_to on the whole-second
    // start_time clients see, and id_from < id < id_to ("greater/smaller than", §5 E6).
    const { datetime_from: from, datetime_to: to } = times;
    const { id_from: idFrom, id_to: idTo } = ids;
    const selected = this.jobs.list(ctx.contract.publicId, bot.value.id).filter((job) => {
      const start = Math.floor(job.startMs / 1000) * 1000;
      return (wanted.size === 0 || wanted.has(job.status))
        && (from === undefined || start >= from) && (to === undefined || start < to)
        && (idFrom === undefined || job.id > idFrom) && (idTo === undefined || job.id < idTo);
    });
    if (sortOrder === 'desc') selected.reverse();
    const include = { output: properties.value.includes('output'), castUrl: properties.value.includes('cast_url') };
    return apiReply(200, { jobs: selected.slice(0, limit).map((job) => this.jobs.body(job, ctx.language, include)) });
  }

  private job(ctx: Context, jobId: string): Parsed<Job> {
    const job = this.jobs.get(jobId.toLowerCase());
    return job === undefined || job.publicId !== ctx.contract.publicId ? { reply: apiError(404, messages.jobNotFound, ctx.language) } : { value: job };
  }

  // E7
  private getJob(ctx: Context, jobId: string): Reply {
    const job = this.job(ctx, jobId);
    if ('reply' in job) return job.reply;
    return apiReply(200, this.jobs.body(job.value, ctx.language, { output: true, castUrl: true }));
  }

  // E8
  private suspendJob(ctx: Context, jobId: string): Reply {
    const job = this.job(ctx, jobId);
    if ('reply' in job) return job.reply;
    if (job.value.status !== 2) return apiError(410, messages.jobAlreadyFinished, ctx.language);
    this.jobs.suspend(job.value);
    return apiReply(200, { ...this.jobs.body(job.value, ctx.language, { output: true, castUrl: false }), callback: job.value.callback !== undefined && job.value.callback.tries > 0 });
  }

  private unsubscribeEndpoint(ctx: Context, botId: string, subscribeId: number): string {
    return `${this.options.apiBaseUrl}/${ctx.contract.publicId}/bots/${encodeURIComponent(botId)}/subscriptions/${subscribeId}`;
  }

  // E9
  private subscribe(ctx: Context, botId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const body = this.jsonObject(ctx);
    if ('reply' in body) return body.reply;
    const { event, callback_type: callbackType = 'webhook', callback_endpoint: endpoint } = body.value;
    if (!(SUBSCRIPTION_EVENTS as readonly unknown[]).includes(event)) {
      return this.invalid(ctx, 'event', `expected one of ${SUBSCRIPTION_EVENTS.join(', ')}.`, `${SUBSCRIPTION_EVENTS.join(', ')} のいずれかを指定してください。`);
    }
    // Choice: mailhook subscriptions (§5 E9) are refused; the emulator has no mail to send.
    if (callbackType !== 'webhook') return this.invalid(ctx, 'callback_type', 'only webhook is supported.', 'webhook のみ指定できます。');
    const callback = this.callbackEndpoint(ctx, endpoint);
    if ('reply' in callback) return callback.reply;
    const created = this.jobs.subscribe({ publicId: ctx.contract.publicId, botId: bot.value.id, event: event as SubscriptionEvent, callbackEndpoint: callback.value, language: ctx.language });
    const unsubscribeEndpoint = this.unsubscribeEndpoint(ctx, bot.value.id, created.subscribeId);
    // [UNK] 200 or 201; choice: 201 Created with a Location header, as the connector swagger shows one.
    return apiReply(201, { subscribe_id: created.subscribeId, unsubscribe_endpoint: unsubscribeEndpoint }, { location: unsubscribeEndpoint });
  }

  // E10
  private listSubscriptions(ctx: Context, botId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const subscriptions = this.jobs.subscriptionsOf(ctx.contract.publicId, bot.value.id).map((sub) => ({
      subscribe_id: sub.subscribeId,
      event: sub.event,
      callback_type: 'webhook',
      callback_endpoint: sub.callbackEndpoint,
      // Shape [UNK]; webhooks have no e-mail addresses.
      callback_emails: null,
      language: sub.language,
      disabled: false,
      unsubscribe_endpoint: this.unsubscribeEndpoint(ctx, bot.value.id, sub.subscribeId),
    }));
    return apiReply(200, { subscriptions });
  }

  // E11
  private unsubscribe(ctx: Context, botId: string, subscribeId: string): Reply {
    const bot = this.bot(ctx, botId);
    if ('reply' in bot) return bot.reply;
    const subscription = this.jobs.subscriptionsOf(ctx.contract.publicId, bot.value.id).find((sub) => String(sub.subscribeId) === subscribeId);
    if (subscription === undefined) return apiError(404, messages.subscriptionNotFound, ctx.language);
    this.jobs.unsubscribe(subscription);
    return apiReply(200, {});
  }

  // E12: the token is only issued; nothing in the emulator accepts it (its use is [UNK], §5 E12).
  private issueWsToken(ctx: Context): Reply {
    const body = this.jsonObject(ctx);
    if ('reply' in body) return body.reply;
    const { scopes, keys, expire = 60 } = body.value;
    const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');
    if (!isStrings(scopes) || !scopes.every((s) => WS_TOKEN_SCOPES.includes(s))) {
      return this.invalid(ctx, 'scopes', `expected a non-empty array of ${WS_TOKEN_SCOPES.join(', ')}.`, `${WS_TOKEN_SCOPES.join(', ')} の配列を指定してください。`);
    }
    if (!isStrings(keys)) return this.invalid(ctx, 'keys', 'expected a non-empty array of strings.', '文字列の配列を指定してください。');
    // [INF] seconds; choice: 1–3600.
    if (typeof expire !== 'number' || !Number.isInteger(expire) || expire < 1 || expire > 3600) {
      return this.invalid(ctx, 'expire', 'expected an integer from 1 to 3600 (seconds).', '1〜3600 の整数（秒）を指定してください。');
    }
    return apiReply(200, { ws_token: newOpaqueToken() });
  }
}
