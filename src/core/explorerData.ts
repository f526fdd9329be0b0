// What the BOT explorer shows, fetched once and kept until refreshed: contracts per account, BOTs per
// contract, and pages of jobs per BOT (newest first, older pages by keyset on the job ID, since the API
// has no cursor). Running jobs are patched in as their watchers see them. No `vscode` here.
import type { CloudBotClient } from './client';
import { mapLimit } from './concurrency';
import type { Bot, Contract, Job } from './types';

export const JOB_PAGE_SIZE = 20;
/** How many contracts' BOT lists are fetched at once when all are needed (a filter). */
export const CONTRACT_PARALLELISM = 4;

export interface JobList {
  jobs: Job[];
  /** False once a page came back shorter than asked: nothing older is left. */
  more: boolean;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class ExplorerData {
  private readonly contracts = new Map<string, Promise<Contract[]>>();
  private readonly bots = new Map<string, Promise<Bot[]>>();
  private readonly jobs = new Map<string, JobList>();
  /** Failures, kept like results until refreshed, so that a row can show what went wrong without asking again. */
  private readonly failures = new Map<string, unknown>();
  private readonly listeners = new Set<(key: BotKey) => void>();

  constructor(private readonly clientFor: (sessionId: string) => CloudBotClient) {}

  /** Called with the BOT whose jobs changed (a job patched in or a page added). */
  onDidChangeJobs(listener: (key: BotKey) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

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

  /** The jobs loaded so far for a BOT, loading the first page when none is. */
  async listJobs(key: BotKey): Promise<JobList> {
    const id = botKeyId(key);
    const loaded = this.jobs.get(id);
    if (loaded) return loaded;
    const jobs = await this.page(key);
    const list = { jobs, more: jobs.length === JOB_PAGE_SIZE };
    this.jobs.set(id, list);
    return list;
  }

  /** Appends the next older page (keyset: job IDs below the oldest shown). */
  async loadMoreJobs(key: BotKey): Promise<JobList> {
    const list = await this.listJobs(key);
    if (!list.more) return list;
    const older = await this.page(key, list.jobs.at(-1)?.job_id);
    const known = new Set(list.jobs.map((job) => job.job_id));
    const next = { jobs: [...list.jobs, ...older.filter((job) => !known.has(job.job_id))], more: older.length === JOB_PAGE_SIZE };
    this.jobs.set(botKeyId(key), next);
    this.fire(key);
    return next;
  }

  /** A job seen elsewhere (executed, followed): shown at once where its BOT's jobs are loaded. */
  patchJob(key: BotKey, job: Job): void {
    const id = botKeyId(key);
    const list = this.jobs.get(id);
    if (!list) return;
    const index = list.jobs.findIndex((known) => known.job_id === job.job_id);
    const jobs = index === -1 ? [job, ...list.jobs] : list.jobs.map((known, i) => (i === index ? { ...known, ...job } : known));
    this.jobs.set(id, { ...list, jobs });
    this.fire(key);
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

  private page(key: BotKey, olderThan?: string): Promise<Job[]> {
    return this.clientFor(key.sessionId).listJobs(key.publicId, key.botId, { limit: JOB_PAGE_SIZE, sort_order: 'desc', id_to: olderThan });
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

  private fire(key: BotKey): void {
    for (const listener of this.listeners) listener(key);
  }
}

export interface BotKey {
  sessionId: string;
  publicId: string;
  botId: string;
}

export function botKeyId({ sessionId, publicId, botId }: BotKey): string {
  return `${sessionId}/${publicId}/${botId}`;
}

/** Whether a BOT matches a filter: its name or ID contains the text, ignoring case. */
export function matchesFilter(bot: Bot, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return !needle || bot.id.toLowerCase().includes(needle) || (bot.name ?? '').toLowerCase().includes(needle);
}
