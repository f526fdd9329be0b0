// Jobs and subscriptions: the scripted run of each BOT, the job object (§6), and callbacks (§8).
import type { DataMap, EmulatorFixture, FixtureBot, ItemDefinitions, LocalizedText } from './fixture';
import { CallbackDispatcher, type DeliveryAttempt } from './callbacks';
import { Uuid7Generator, uuid7At } from './ids';
import { messages, type Language } from './messages';
import { TimerSet } from './timers';

export type JobStatus = 0 | 1 | 2;

/** A job as tests see it through `jobs()` / `GET /_emulator/jobs`: API field names plus emulator-only facts. */
export interface JobRecord {
  /** The contract the job ran in. */
  public_id: string;
  job_id: string;
  bot_id: string;
  bot_name: string;
  status: JobStatus;
  start_time: string;
  /** ISO 8601 with milliseconds; null while running. */
  end_time: string | null;
  /** Who executed it (the access token's or OAuth token's user). */
  username: string;
  suspended: boolean;
  input: DataMap;
  output: DataMap | null;
  callback_endpoint: string | null;
  callback_tries: number;
  /** Every callback and subscription delivery attempt, in order. */
  deliveries: DeliveryAttempt[];
}

export const SUBSCRIPTION_EVENTS = ['onended', 'onsucceeded', 'onfailed'] as const;
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

export interface Subscription {
  subscribeId: number;
  publicId: string;
  botId: string;
  /** Only `onended` is confirmed (§5 E9); `onsucceeded`/`onfailed` are honoured as documented guesses. */
  event: SubscriptionEvent;
  callbackEndpoint: string;
  /** The content-language of the request that created it; deliveries use it. */
  language: Language;
}

/** Subscriptions have no `callback_tries`; choice: 3 attempts each. */
const SUBSCRIPTION_TRIES = 3;

export interface Job {
  id: string;
  publicId: string;
  bot: FixtureBot;
  status: JobStatus;
  startMs: number;
  endMs?: number;
  input: DataMap;
  output?: DataMap;
  message?: LocalizedText;
  /** Null for the fixture's history. */
  username: string | null;
  /** The `cast_url` given while it runs, when a test set one (setCastUrl); else its cast page's. */
  castUrl?: string;
  suspended: boolean;
  callback?: { endpoint: string; tries: number; language: Language };
  deliveries: DeliveryAttempt[];
  timer?: NodeJS.Timeout;
  finished: Promise<void>;
  markFinished(): void;
}

export interface JobStoreOptions {
  apiBaseUrl: string;
  /** `code` of callback payloads, the same as an execute that waited for the end. */
  finishedCode: number;
  callbackRetryIntervalMs: number;
  /** The server clock's offset from the machine's (ms): jobs start, end and are listed by it. */
  clockOffsetMs: number;
}

/** ISO 8601 UTC without milliseconds, like the docs' `2019-12-02T05:30:13Z` (§6). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function defaultsOf(definitions: ItemDefinitions | undefined): DataMap {
  return Object.fromEntries(Object.entries(definitions ?? {}).flatMap(([name, item]) => (item.default === undefined ? [] : [[name, item.default]])));
}

/** How a job of `bot` ends when its script runs to completion. */
function scriptResult(bot: FixtureBot, input: DataMap): { status: 0 | 1; message?: LocalizedText; output?: DataMap } {
  const script = bot.script;
  switch (script.result) {
    case 'echo':
      // Missing or unknown input keys are [UNK] (§7); choice: accept anything and fill missing items from their defaults.
      return { status: 0, output: { ...defaultsOf(bot.input), ...input } };
    case 'output':
      return { status: 0, output: script.output };
    case 'large':
      return { status: 0, output: { [script.item]: '0123456789abcdef'.repeat(Math.ceil(script.bytes / 16)).slice(0, script.bytes) } };
    case 'fail':
      return { status: 1, message: script.message };
  }
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly subscriptions = new Map<number, Subscription>();
  private nextSubscribeId = 1;
  private readonly ids = new Uuid7Generator();
  private readonly timers = new TimerSet();
  private readonly dispatcher: CallbackDispatcher;
  /** Headers every cast page is answered with besides its own (e.g. X-Frame-Options), until reset. */
  castHeaders: Record<string, string> = {};

  constructor(fixture: EmulatorFixture, private readonly options: JobStoreOptions) {
    this.dispatcher = new CallbackDispatcher(this.timers, options.callbackRetryIntervalMs);
    for (const seed of fixture.jobs ?? []) {
      const bot = fixture.contracts.find((c) => c.publicId === seed.publicId)?.bots.find((b) => b.id === seed.botId);
      if (bot === undefined) throw new Error(`fixture job for unknown BOT ${seed.publicId}/${seed.botId}`);
      const startMs = Date.parse(seed.startTime);
      const id = seed.jobId ?? uuid7At(startMs);
      this.jobs.set(id, {
        id,
        publicId: seed.publicId,
        bot,
        status: seed.status,
        startMs,
        endMs: startMs + seed.elapsedTime * 1000,
        input: seed.input ?? {},
        ...(seed.output === undefined ? {} : { output: seed.output }),
        ...(seed.message === undefined ? {} : { message: seed.message }),
        username: null,
        suspended: false,
        deliveries: [],
        finished: Promise.resolve(),
        markFinished: () => undefined,
      });
    }
  }

  /** The server's clock. */
  private now(): number {
    return Date.now() + this.options.clockOffsetMs;
  }

  /** Starts a job of `bot`; its script ends it after `durationMs` unless it is suspended first. */
  execute(publicId: string, bot: FixtureBot, input: DataMap, username: string, callback?: Job['callback']): Job {
    let markFinished = (): void => undefined;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const job: Job = {
      id: this.ids.next(),
      publicId,
      bot,
      status: 2,
      startMs: this.now(),
      input,
      username,
      suspended: false,
      ...(callback === undefined ? {} : { callback }),
      deliveries: [],
      finished,
      markFinished,
    };
    this.jobs.set(job.id, job);
    job.timer = this.timers.after(bot.script.durationMs, () => {
      const { status, message, output } = scriptResult(bot, input);
      this.finish(job, status, message, output);
    });
    return job;
  }

  /** A running job ends as status 1 with a "suspended" message ([INF] §5 E8: there is no suspended status). */
  suspend(job: Job): void {
    job.suspended = true;
    this.finish(job, 1, messages.jobSuspended);
  }

  private finish(job: Job, status: 0 | 1, message?: LocalizedText, output?: DataMap): void {
    this.timers.cancel(job.timer);
    job.status = status;
    job.endMs = this.now();
    if (message !== undefined) job.message = message;
    if (output !== undefined) job.output = output;
    job.markFinished();
    this.deliver(job);
  }

  private deliver(job: Job): void {
    const payload = (language: Language): string => JSON.stringify({ code: this.options.finishedCode, ...this.body(job, language, { output: true, castUrl: false }) });
    const onAttempt = (attempt: DeliveryAttempt): void => void job.deliveries.push(attempt);
    // callback_tries 0 with an endpoint is [UNK] (§8); choice: 0 attempts means no callback at all.
    if (job.callback !== undefined) {
      this.dispatcher.deliver({ url: job.callback.endpoint, payload: payload(job.callback.language), tries: job.callback.tries, kind: 'callback', onAttempt });
    }
    for (const sub of this.subscriptions.values()) {
      const matches = sub.event === 'onended' || (sub.event === 'onsucceeded' ? job.status === 0 : job.status === 1);
      if (sub.publicId !== job.publicId || sub.botId !== job.bot.id || !matches) continue;
      this.dispatcher.deliver({ url: sub.callbackEndpoint, payload: payload(sub.language), tries: SUBSCRIPTION_TRIES, kind: 'subscription', subscribeId: sub.subscribeId, onAttempt });
    }
  }

  /** Resolves when the job ends (never, for a job dropped by reset()). */
  whenFinished(job: Job): Promise<void> {
    return job.finished;
  }

  get(jobId: string): Job | undefined {
    return this.jobs.get(jobId);
  }

  /** Gives a job the `cast_url` a test chose (any text); false when there is no such job. */
  setCastUrl(jobId: string, url: string): boolean {
    const job = this.jobs.get(jobId);
    if (job === undefined) return false;
    job.castUrl = url;
    return true;
  }

  /** A BOT's jobs, oldest first by start time (a fixture's job IDs need not sort by time), then by ID. */
  list(publicId: string, botId: string): Job[] {
    return [...this.jobs.values()]
      .filter((job) => job.publicId === publicId && job.bot.id === botId)
      .sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
  }

  /**
   * The job object of §6 without `code`. `elapsed_time` is whole seconds so far or in total.
   * `output` only once finished; `cast_url` only while running.
   */
  body(job: Job, language: Language, include: { output: boolean; castUrl: boolean }): Record<string, unknown> {
    const message = job.status === 2 ? messages.jobRunning : (job.message ?? (job.status === 0 ? messages.jobSucceeded : messages.jobFailed));
    return {
      job_id: job.id,
      bot_id: job.bot.id,
      bot_name: job.bot.name,
      status: job.status,
      start_time: isoSeconds(job.startMs),
      elapsed_time: Math.floor(((job.endMs ?? this.now()) - job.startMs) / 1000),
      ...(include.output && job.status !== 2 && job.output !== undefined ? { output: job.output } : {}),
      message: message[language],
      ...(include.castUrl && job.status === 2 ? { cast_url: job.castUrl ?? `${this.options.apiBaseUrl}/_emulator/cast/${job.id}` } : {}),
    };
  }

  /** Jobs created at run time (not the fixture's history), oldest first. */
  records(): JobRecord[] {
    return [...this.jobs.values()].flatMap((job) => job.username === null ? [] : [{
      public_id: job.publicId,
      job_id: job.id,
      bot_id: job.bot.id,
      bot_name: job.bot.name,
      status: job.status,
      start_time: isoSeconds(job.startMs),
      end_time: job.endMs === undefined ? null : new Date(job.endMs).toISOString(),
      username: job.username,
      suspended: job.suspended,
      input: job.input,
      output: job.output ?? null,
      callback_endpoint: job.callback?.endpoint ?? null,
      callback_tries: job.callback?.tries ?? 0,
      deliveries: [...job.deliveries],
    }]);
  }

  subscribe(subscription: Omit<Subscription, 'subscribeId'>): Subscription {
    const created = { subscribeId: this.nextSubscribeId++, ...subscription };
    this.subscriptions.set(created.subscribeId, created);
    return created;
  }

  subscriptionsOf(publicId: string, botId: string): Subscription[] {
    return [...this.subscriptions.values()].filter((sub) => sub.publicId === publicId && sub.botId === botId);
  }

  unsubscribe(subscription: Subscription): void {
    this.subscriptions.delete(subscription.subscribeId);
  }

  /** Drops run-time jobs and subscriptions and stops their timers and deliveries; the history stays. */
  reset(): void {
    this.stop();
    this.castHeaders = {};
    for (const [id, job] of this.jobs) if (job.username !== null) this.jobs.delete(id);
    this.subscriptions.clear();
  }

  stop(): void {
    this.timers.clear();
    this.dispatcher.cancel();
  }
}
