// The one place where jobs live: every answer that carries a job (execute, refer, list pages, suspend)
// is fed in here, each job is polled by at most one watcher, and one change event tells everyone else
// (tree, result panels, status bar, history, notifications, and later batches, tools and a CLI).
// A watcher runs only while something is interested in its job (a follow, a visible tree row, an open
// panel…) and stops when the last interest goes. No `vscode` here.
import type { CallOptions } from './client';
import { CloudBotError, mayHaveStartedJob } from './errors';
import { heldFirstPollAt, watchJob } from './jobWatcher';
import { jobKey, jobRefOf, type BotRef, type ContractRef, type JobRef } from './refs';
import { isFinished, type ExecuteRequest, type ExecuteResult, type Job, type JobListQuery } from './types';

/** The calls of the API client the store makes. */
export interface JobClient {
  executeBot(publicId: string, botId: string, request: ExecuteRequest, call?: CallOptions): Promise<ExecuteResult>;
  getJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job>;
  listJobs(publicId: string, botId: string, query?: JobListQuery, call?: CallOptions): Promise<Job[]>;
  suspendJob(publicId: string, jobId: string, call?: CallOptions): Promise<Job>;
}

/** Where the store writes what it does; VS Code's log output channel is one. */
export interface JobLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Who keeps a job's watcher alive. */
export type InterestKind = 'follow' | 'row' | 'panel' | 'batch' | 'tool' | 'check';
/**
 * Interests that take a job's end whenever it is seen: a batch, and a tree row, which is glanced at.
 * Any other (a panel, a follow, an agent's tool, a check) wants it promptly, at the usual cadence.
 */
const PATIENT_INTERESTS: ReadonlySet<InterestKind> = new Set(['batch', 'row']);

export interface JobEntry {
  readonly ref: JobRef;
  /** The latest state seen. */
  readonly job: Job;
  /** Executed or followed from here: such jobs are announced when they end and kept in the history. */
  readonly mine: boolean;
  /** Whether a watcher polls it now. */
  readonly watching: boolean;
  /** How many of each kind of interest it has. */
  readonly interests: Readonly<Record<InterestKind, number>>;
  /**
   * Takes the values its run resolved its variables to out of a text: a BOT may echo its input in its
   * message or output, which must not reach a log, a notification or the history. Memory only.
   */
  readonly redact?: (text: string) => string;
}

export interface JobChange {
  entry: JobEntry;
  /** The state before this change; undefined when the job was not known. */
  previous?: Job;
  /** This change is the job's end: true once per job, whichever path saw it. */
  ended: boolean;
  /** This change is the job's start, executed from here (its execute answer, or the job found for a lost one). */
  started: boolean;
}

export interface Disposable {
  dispose(): void;
}

export interface Started {
  ref: JobRef;
  job: Job;
  /** The execute answer was lost, and this job was found among the BOT's jobs instead of executing again. */
  recovered: boolean;
}

/** An execution that got no answer: it may or may not have started a job, so it is never sent again. */
export class ExecutionUnanswered extends Error {
  constructor(
    readonly error: CloudBotError,
    /** How many unknown jobs of the BOT started since: 0 (none) or several (cannot tell which). */
    readonly candidates: number,
  ) {
    super(error.message, { cause: error });
    this.name = 'ExecutionUnanswered';
  }
}

/** Waiting for a job's end was given up (the caller cancelled, or its account signed out); the job goes on. */
export class StoppedWaiting extends Error {
  constructor() {
    super('Stopped waiting for the job; it goes on in Cloud BOT.');
    this.name = 'StoppedWaiting';
  }
}

export interface JobStoreOptions {
  log?: JobLog;
  /** Jobs known from before (a history kept across reloads): never taken for the job of a lost execute answer. */
  knownElsewhere?: (ref: JobRef) => boolean;
  /** The watchers' clock and wait, for tests and the benchmark. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Jobs that started this long before an unanswered execute are not taken for its job (clock skew). */
const LOST_ANSWER_WINDOW_MS = 60_000;
/** At most this many jobs are kept; the oldest that nothing watches go first. */
const MAX_ENTRIES = 5_000;

interface Waiter {
  resolve(job: Job): void;
  reject(error: unknown): void;
}

/** What the store keeps per job; a job not yet seen has no `job` (a watcher may be fetching it). */
interface Slot {
  ref: JobRef;
  job?: Job;
  /** When the store first heard of the job (local clock): its age never counts from later than this. */
  firstSeenAt: number;
  mine: boolean;
  interests: Record<InterestKind, number>;
  redact?: (text: string) => string;
  /** Holds the watcher's first poll back (see WatchOptions.expectedRunMs) while only patient interests watch. */
  expectedRunMs?: number;
  watcher?: AbortController;
  waiters: Set<Waiter>;
}

export class JobStore implements Disposable {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(change: JobChange) => void>();
  private readonly referring = new Map<string, Promise<Job>>();

  constructor(
    private readonly clientFor: (sessionId: string) => JobClient,
    private readonly options: JobStoreOptions = {},
  ) {}

  dispose(): void {
    for (const slot of this.slots.values()) this.stopWatching(slot);
    this.slots.clear();
    this.listeners.clear();
  }

  /** The one change event: a job's state, its watching or its interests changed. */
  onDidChange(listener: (change: JobChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(ref: JobRef): JobEntry | undefined {
    const slot = this.slots.get(jobKey(ref));
    return slot?.job ? entryOf(slot) : undefined;
  }

  /** Every known job, in the order first seen. */
  entries(): JobEntry[] {
    return [...this.slots.values()].filter((slot) => slot.job).map(entryOf);
  }

  /** A job carried by any answer. Returns the entry as it is now. */
  seen(where: ContractRef, job: Job): JobEntry {
    const slot = this.slotOf(jobRefOf(where, job));
    this.update(slot, job);
    return entryOf(slot);
  }

  /** A page of jobs (a list answer). */
  seenAll(where: ContractRef, jobs: readonly Job[]): JobEntry[] {
    return jobs.map((job) => this.seen(where, job));
  }

  /**
   * Keeps the job watched (polled until it ends) until the returned interest is disposed. A job not
   * known yet is fetched at once. Counted: one watcher however many interests.
   */
  interest(ref: JobRef, kind: InterestKind): Disposable {
    const slot = this.slotOf(ref);
    slot.interests[kind]++;
    if (kind === 'follow') slot.mine = true;
    if (slot.expectedRunMs !== undefined && !PATIENT_INTERESTS.has(kind)) {
      // Somebody wants this job promptly: a watcher still holding its first poll back starts again at the usual cadence.
      if (this.now() < heldFirstPollAt(slot.firstSeenAt, slot.expectedRunMs)) this.stopWatching(slot);
      slot.expectedRunMs = undefined;
    }
    this.startWatching(slot);
    // Interests are part of what listeners see (the status bar counts the followed jobs).
    this.fire(slot, slot.job, false);
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        slot.interests[kind]--;
        if (!hasInterest(slot)) this.stopWatching(slot);
        this.fire(slot, slot.job, false);
      },
    };
  }

  /**
   * The job's end, following it meanwhile (as interest `kind`). Rejects with StoppedWaiting when
   * `signal` aborts or the account is forgotten, and with the error when the job cannot be followed
   * (it does not exist, access was refused, or it kept a status the API does not document: then the
   * job is left as last seen, to refresh by hand). `expectedRunMs` (a batch's learned run time)
   * holds back the first poll of a job nobody watches yet, while only patient interests watch it.
   */
  waitForEnd(ref: JobRef, { signal, kind = 'follow', expectedRunMs }: { signal?: AbortSignal; kind?: InterestKind; expectedRunMs?: number } = {}): Promise<Job> {
    if (signal?.aborted) return Promise.reject(new StoppedWaiting());
    const slot = this.slotOf(ref);
    if (slot.job && isFinished(slot.job)) {
      if (kind === 'follow') this.claim(slot);
      return Promise.resolve(slot.job);
    }
    if (expectedRunMs !== undefined && PATIENT_INTERESTS.has(kind) && !slot.watcher) slot.expectedRunMs = expectedRunMs;
    return new Promise<Job>((resolve, reject) => {
      const interest = this.interest(ref, kind);
      const finish = () => {
        slot.waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        interest.dispose();
      };
      const waiter: Waiter = {
        resolve: (job) => (finish(), resolve(job)),
        reject: (error) => (finish(), reject(error)),
      };
      const onAbort = () => waiter.reject(new StoppedWaiting());
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.waiters.add(waiter);
    });
  }

  /** Asks for the job once (one request however many ask at the same time) and feeds the answer in. */
  refer(ref: JobRef): Promise<Job> {
    const key = jobKey(ref);
    let pending = this.referring.get(key);
    if (!pending) {
      pending = this.clientFor(ref.sessionId)
        .getJob(ref.publicId, ref.jobId)
        .then((job) => this.seen(ref, job).job)
        .finally(() => this.referring.delete(key));
      this.referring.set(key, pending);
    }
    return pending;
  }

  /**
   * Executes a BOT once. A POST is never retried: when its answer is lost after it may have reached
   * Cloud BOT, the one job of the BOT that started since then and that nobody knows is taken for it;
   * none or several, and ExecutionUnanswered says so. The job is marked as this caller's.
   */
  async execute(bot: BotRef, request: ExecuteRequest, call?: CallOptions, { mine = true, redact }: { mine?: boolean; redact?: (text: string) => string } = {}): Promise<Started> {
    const client = this.clientFor(bot.sessionId);
    const label = bot.botName ? `${bot.botName} (${bot.botId})` : bot.botId;
    const sentAt = this.now();
    let job: Job;
    let recovered = false;
    try {
      const answer = await client.executeBot(bot.publicId, bot.botId, request, call);
      job = answer.job;
      this.options.log?.info(`[${bot.publicId}] Job ${job.job_id} started (HTTP ${answer.httpStatus}). Job reference endpoint: ${answer.jobReferenceEndpoint}`);
    } catch (error) {
      if (!(error instanceof CloudBotError) || !mayHaveStartedJob(error)) throw error;
      const candidates = await this.lostJobCandidates(bot, sentAt);
      if (candidates?.length !== 1) throw new ExecutionUnanswered(error, candidates?.length ?? 0);
      job = candidates[0];
      recovered = true;
      this.options.log?.warn(`[${bot.publicId}] The execute answer was lost, but job ${job.job_id} of ${label} started at ${job.start_time}: following it.`);
    }
    return this.adopt(bot, job, { recovered, mine, redact });
  }

  /**
   * Takes a job as executed from here (its execute answer, or the job found for a lost one). `mine`
   * marks it as a person's: announced when it ends and kept in the history. A batch's rows are not:
   * the batch tells of them.
   */
  adopt(where: ContractRef, job: Job, { recovered = false, mine = true, redact }: { recovered?: boolean; mine?: boolean; redact?: (text: string) => string } = {}): Started {
    const slot = this.slotOf(jobRefOf(where, job));
    if (mine) slot.mine = true;
    // Before anyone hears of the job: a job that ended at once is told of in this very update.
    if (redact) slot.redact = redact;
    this.update(slot, job, true);
    return { ref: slot.ref, job: slot.job ?? job, recovered };
  }

  /** Executes a BOT once and waits for its job's end; `onStarted` hears of the job as soon as it exists. */
  async run(bot: BotRef, request: ExecuteRequest, { signal, onStarted }: { signal?: AbortSignal; onStarted?: (started: Started) => void } = {}): Promise<Job> {
    if (signal?.aborted) throw new StoppedWaiting();
    // The POST itself is not cancelled: cut off, it could start a job nobody follows.
    const started = await this.execute(bot, request);
    onStarted?.(started);
    return this.waitForEnd(started.ref, { signal });
  }

  /** Suspends a running job; its new state reaches everyone at once. */
  async suspend(ref: JobRef): Promise<Job> {
    const job = await this.clientFor(ref.sessionId).suspendJob(ref.publicId, ref.jobId);
    return this.seen(ref, job).job;
  }

  /** An account signed out: its watchers stop, its waiters give up, its jobs are forgotten. */
  forgetAccount(sessionId: string): void {
    for (const [key, slot] of this.slots) {
      if (slot.ref.sessionId !== sessionId) continue;
      this.stopWatching(slot);
      for (const waiter of [...slot.waiters]) waiter.reject(new StoppedWaiting());
      this.slots.delete(key);
    }
  }

  /** Marks a job as executed or followed from here. */
  private claim(slot: Slot): void {
    if (slot.mine) return;
    slot.mine = true;
    this.fire(slot, slot.job, false);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private slotOf(ref: JobRef): Slot {
    const key = jobKey(ref);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { ref: { sessionId: ref.sessionId, publicId: ref.publicId, jobId: ref.jobId }, firstSeenAt: this.now(), mine: false, interests: { follow: 0, row: 0, panel: 0, batch: 0, tool: 0, check: 0 }, waiters: new Set() };
      this.slots.set(key, slot);
      this.trim();
    }
    return slot;
  }

  /** Takes in a job state; fires a change when anything a person could see changed. */
  private update(slot: Slot, job: Job, started = false): void {
    const previous = slot.job;
    const next = previous ? merged(previous, job) : job;
    // A start is told of even when a list page already showed the job as it is.
    if (previous && sameState(previous, next) && !started) return;
    slot.job = next;
    const ended = isFinished(next) && !(previous && isFinished(previous));
    // Seen to end by any path (a poll, a suspension, a list page): polling stops, then everyone hears of it.
    if (isFinished(next)) this.stopWatching(slot);
    this.fire(slot, previous, ended, started);
    if (isFinished(next)) for (const waiter of [...slot.waiters]) waiter.resolve(next);
  }

  private startWatching(slot: Slot): void {
    if (slot.watcher || (slot.job && isFinished(slot.job)) || !hasInterest(slot)) return;
    const controller = new AbortController();
    slot.watcher = controller;
    const { publicId, jobId } = slot.ref;
    void watchJob(this.clientFor(slot.ref.sessionId), publicId, jobId, {
      initial: slot.job,
      signal: controller.signal,
      firstSeenAt: slot.firstSeenAt,
      expectedRunMs: slot.expectedRunMs,
      now: this.options.now,
      sleep: this.options.sleep,
      onUpdate: (job) => !controller.signal.aborted && this.update(slot, job),
      onTransientError: (error, delayMs) => this.options.log?.warn(`[${publicId}] ${jobId}: ${error.message} (retrying in ${Math.round(delayMs / 1000)} s)`),
    }).then(
      () => undefined,
      (error: unknown) => {
        if (controller.signal.aborted) return;
        // Not transient (the job is gone, access was refused): nobody can follow it now.
        this.options.log?.warn(`[${publicId}] ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
        for (const waiter of [...slot.waiters]) waiter.reject(error);
      },
    ).finally(() => {
      if (slot.watcher !== controller) return;
      slot.watcher = undefined;
      this.fire(slot, slot.job, false);
    });
  }

  private stopWatching(slot: Slot): void {
    const watcher = slot.watcher;
    if (!watcher) return;
    slot.watcher = undefined;
    watcher.abort();
  }

  private fire(slot: Slot, previous: Job | undefined, ended: boolean, started = false): void {
    if (!slot.job) return;
    const change: JobChange = { entry: entryOf(slot), previous, ended, started };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.options.log?.warn(`A listener of job changes failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /**
   * The jobs of a BOT that started since an execute was sent and that nobody here executed or followed
   * (GETs only): the candidates for the job of a lost execute answer. `exclude` holds job IDs the caller
   * knows are others' (a batch's earlier rows, after a reload). Undefined when the jobs could not be listed.
   */
  async lostJobCandidates(bot: BotRef, sentAt: number, exclude: ReadonlySet<string> = new Set()): Promise<Job[] | undefined> {
    try {
      const jobs = await this.clientFor(bot.sessionId).listJobs(bot.publicId, bot.botId, {
        datetime_from: new Date(sentAt - LOST_ANSWER_WINDOW_MS).toISOString().replace(/\.\d+Z$/, 'Z'),
        sort_order: 'desc',
        limit: 10,
      });
      const unknown = jobs.filter((job) => {
        const ref = jobRefOf(bot, job);
        // A job only seen (a list page of the tree) may still be the lost one; one executed or followed here is not.
        const slot = this.slots.get(jobKey(ref));
        return !exclude.has(job.job_id) && !slot?.mine && !slot?.interests.batch && !this.options.knownElsewhere?.(ref);
      });
      this.options.log?.info(`[${bot.publicId}] Looked for the job of the unanswered execution: ${unknown.length} candidate(s).`);
      return unknown;
    } catch (error) {
      this.options.log?.warn(`[${bot.publicId}] Could not look for the job of the unanswered execution: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Bounded memory: the oldest jobs that nothing watches or waits for go first. */
  private trim(): void {
    if (this.slots.size <= MAX_ENTRIES) return;
    for (const [key, slot] of this.slots) {
      if (this.slots.size <= MAX_ENTRIES) return;
      if (!slot.watcher && !slot.waiters.size && !hasInterest(slot)) this.slots.delete(key);
    }
  }
}

function hasInterest(slot: Slot): boolean {
  return Object.values(slot.interests).some((count) => count > 0);
}

function entryOf(slot: Slot): JobEntry {
  return { ref: slot.ref, job: slot.job!, mine: slot.mine, watching: !!slot.watcher, interests: { ...slot.interests }, redact: slot.redact };
}

/** A newer state over an older one; what the newer answer lacks (a list page has no output) is kept. */
function merged(known: Job, job: Job): Job {
  const next: Record<string, unknown> = { ...known };
  for (const [field, value] of Object.entries(job)) if (value !== undefined) next[field] = value;
  return next as unknown as Job;
}

/** Whether two states of a job would look the same anywhere they are shown. */
function sameState(a: Job, b: Job): boolean {
  return (
    a.status === b.status &&
    a.elapsed_time === b.elapsed_time &&
    a.message === b.message &&
    a.bot_name === b.bot_name &&
    a.start_time === b.start_time &&
    a.cast_url === b.cast_url &&
    a.output === b.output
  );
}
