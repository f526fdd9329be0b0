// What the BOT explorer shows, fetched once and kept until refreshed: contracts per account, BOTs per
// contract, and pages of jobs per BOT (newest first, older pages by start time, since the API has no
// cursor and job IDs are not known to sort by time). The jobs themselves live in the job store, which every page feeds; a BOT's list keeps
// only which jobs it shows, so a job's latest state is the same wherever it is shown. No `vscode` here.
import type { CloudBotClient } from './client';
import { mapLimit } from './concurrency';
import type { JobStore } from './jobStore';
import { jobRefOf, type BotRef } from './refs';
import type { Bot, Contract, Job } from './types';

export const JOB_PAGE_SIZE = 20;
/** How many contracts' BOT lists are fetched at once when all are needed (a filter). */
export const CONTRACT_PARALLELISM = 4;

export interface JobList {
  jobs: Job[];
  /** False once a page came back shorter than asked, or brought no job not shown yet: nothing older is left. */
  more: boolean;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class ExplorerData {
  private readonly contracts = new Map<string, Promise<Contract[]>>();
  private readonly bots = new Map<string, Promise<Bot[]>>();
  /** The IDs of the jobs each BOT's list shows, newest first. */
  private readonly jobs = new Map<string, { ids: string[]; more: boolean }>();
  /** Failures, kept like results until refreshed, so that a row can show what went wrong without asking again. */
  private readonly failures = new Map<string, unknown>();

  constructor(
    private readonly clientFor: (sessionId: string) => CloudBotClient,
    private readonly store: JobStore,
  ) {}

  listContracts(sessionId: string): Promise<Contract[]> {
    return this.cached(this.contracts, sessionId, () => this.clientFor(sessionId).listContracts(['name', 'plan']));
  }

  listBots(sessionId: string, publicId: string): Promise<Bot[]> {
    return this.cached(this.bots, `${sessionId}/${publicId}`, () => this.clientFor(sessionId).listBots(publicId, ['icon']));
  }

  /** Every contract's BOTs (or why not), at most `parallelism` requests at a time. */
  async listAllBots(sessionId: string, parallelism = CONTRACT_PARALLELISM): Promise<{ contract: Contract; bots: Outcome<Bot[]> }[]> {
    const contracts = await this.listContracts(sessionId);
    return mapLimit(contracts, parallelism, async (contract) => ({
      contract,
      bots: await this.listBots(sessionId, contract.public_id).then(
        (value): Outcome<Bot[]> => ({ ok: true, value }),
        (error: unknown): Outcome<Bot[]> => ({ ok: false, error }),
      ),
    }));
  }

  /** The jobs loaded so far for a BOT, in their latest state, loading the first page when none is. */
  async listJobs(key: BotKey): Promise<JobList> {
    const id = botKeyId(key);
    let list = this.jobs.get(id);
    if (!list) {
      const jobs = await this.page(key);
      list = { ids: jobs.map((job) => job.job_id), more: jobs.length === JOB_PAGE_SIZE };
      this.jobs.set(id, list);
      this.store.seenAll(key, jobs);
    }
    return this.resolve(key, list);
  }

  /**
   * Appends the next older page: the jobs that started up to the oldest start shown, that second
   * included (whether the API's bound is inclusive is unknown), merged by ID. A page with nothing new
   * (a server that ignores the bound) ends the list, so "load more" cannot go on forever.
   */
  async loadMoreJobs(key: BotKey): Promise<JobList> {
    await this.listJobs(key);
    const list = this.jobs.get(botKeyId(key))!;
    if (!list.more) return this.resolve(key, list);
    const oldestStart = Math.min(...this.resolve(key, list).jobs.map((job) => Date.parse(job.start_time ?? '')).filter(Number.isFinite));
    if (!Number.isFinite(oldestStart)) {
      list.more = false;
      return this.resolve(key, list);
    }
    const older = await this.page(key, new Date(oldestStart + 1_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    const known = new Set(list.ids);
    const added = older.map((job) => job.job_id).filter((jobId) => !known.has(jobId));
    const next = { ids: [...list.ids, ...added], more: older.length === JOB_PAGE_SIZE && added.length > 0 };
    this.jobs.set(botKeyId(key), next);
    this.store.seenAll(key, older);
    return this.resolve(key, next);
  }

  /**
   * A job of this BOT seen elsewhere (executed, followed): listed at once, newest first, where its
   * BOT's jobs are loaded. True when that list shows it.
   */
  include(key: BotKey, jobId: string): boolean {
    const list = this.jobs.get(botKeyId(key));
    if (!list) return false;
    if (!list.ids.includes(jobId)) list.ids = [jobId, ...list.ids];
    return true;
  }

  /**
   * Forgets what is kept under a key: an account (`session`), a contract (`session/public_id`), a BOT's
   * jobs (`session/public_id/bot_id`), or everything; the next look fetches it afresh.
   */
  forget(prefix?: string): void {
    for (const map of [this.contracts, this.bots, this.jobs, this.failures] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) if (prefix === undefined || key === prefix || key.startsWith(`${prefix}/`)) map.delete(key);
    }
  }

  /**
   * A page of jobs, for the store. The caller lists their IDs first, so that the store's change events
   * for them do not make them look like new jobs to put at the top (include).
   */
  private page(key: BotKey, startedBefore?: string): Promise<Job[]> {
    return this.clientFor(key.sessionId).listJobs(key.publicId, key.botId, { limit: JOB_PAGE_SIZE, sort_order: 'desc', datetime_to: startedBefore });
  }

  private resolve(key: BotKey, list: { ids: string[]; more: boolean }): JobList {
    const jobs = list.ids.flatMap((jobId) => this.store.get(jobRefOf(key, { job_id: jobId }))?.job ?? []);
    return { jobs, more: list.more };
  }

  /** Why the BOT list of a contract could not be fetched, when it could not (until refreshed). */
  botsFailure(sessionId: string, publicId: string): unknown {
    return this.failures.get(`${sessionId}/${publicId}`);
  }

  /** Caches the answer, a failure included: a refresh (forget) is what asks again. */
  private cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = map.get(key);
    if (!value) {
      value = load();
      map.set(key, value);
      value.catch((error: unknown) => map.get(key) === value && this.failures.set(key, error));
    }
    return value;
  }
}

/** A BOT as the explorer keeps it (its name does not matter for that). */
export type BotKey = Omit<BotRef, 'botName'>;

export function botKeyId({ sessionId, publicId, botId }: BotKey): string {
  return `${sessionId}/${publicId}/${botId}`;
}

/** Whether a BOT matches a filter: its name or ID contains the text, ignoring case. */
/** A search by an agent or the command line: the tree's filter, or the description too. */
export function matchesQuery(bot: Bot, query: string): boolean {
  return matchesFilter(bot, query) || (bot.description ?? '').toLowerCase().includes(query.trim().toLowerCase());
}

export function matchesFilter(bot: Bot, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return !needle || bot.id.toLowerCase().includes(needle) || (bot.name ?? '').toLowerCase().includes(needle);
}
