// What identifies a BOT or a job: the account (session) that sees it, its contract and its ID. Commands,
// tree rows, panels and the job store all pass these; none is ever turned into a string to be parsed back.
import type { Job } from './types';

/** A BOT of a contract, as one signed-in account sees it. */
export interface BotRef {
  sessionId: string;
  publicId: string;
  botId: string;
  /** Its name, when known: for titles and log lines only. */
  botName?: string;
}

/** A job of a contract, as one signed-in account sees it. */
export interface JobRef {
  sessionId: string;
  publicId: string;
  jobId: string;
}

/** Where a job was seen: the account and the contract of the answer that carried it. */
export type ContractRef = Pick<JobRef, 'sessionId' | 'publicId'>;

export function jobRefOf({ sessionId, publicId }: ContractRef, job: Pick<Job, 'job_id'>): JobRef {
  return { sessionId, publicId, jobId: job.job_id };
}

/** The BOT a job belongs to. */
export function botRefOf({ sessionId, publicId }: ContractRef, job: Pick<Job, 'bot_id' | 'bot_name'>): BotRef {
  return { sessionId, publicId, botId: job.bot_id, botName: job.bot_name || undefined };
}

export function sameJob(a: JobRef, b: JobRef): boolean {
  return a.jobId === b.jobId && a.publicId === b.publicId && a.sessionId === b.sessionId;
}

export function sameBot(a: Omit<BotRef, 'botName'>, b: Omit<BotRef, 'botName'>): boolean {
  return a.botId === b.botId && a.publicId === b.publicId && a.sessionId === b.sessionId;
}

/** A key for maps of jobs; never parsed back (the parts are joined by a character no ID contains). */
export function jobKey({ sessionId, publicId, jobId }: JobRef): string {
  return `${sessionId}\n${publicId}\n${jobId}`;
}

/** A key for maps of BOTs; never parsed back. */
export function botKey({ sessionId, publicId, botId }: Omit<BotRef, 'botName'>): string {
  return `${sessionId}\n${publicId}\n${botId}`;
}

/** Only the identifying fields of a job ref (a tree node's target carries more). */
export function jobRefFrom({ sessionId, publicId, jobId }: JobRef): JobRef {
  return { sessionId, publicId, jobId };
}

/** Whether a value from outside (a restored panel's state, another extension's argument) is a job ref. */
export function isJobRef(value: unknown): value is JobRef {
  const ref = value as Partial<JobRef> | null;
  return !!ref && typeof ref === 'object' && [ref.sessionId, ref.publicId, ref.jobId].every((part) => typeof part === 'string' && part.length > 0);
}

/** A command's argument: a tree row, which carries its ref as `.target`, or the ref itself. */
export type TargetArg<T extends object> = T | { target: T };

export function targetOf<T extends object>(arg: TargetArg<T> | undefined): T | undefined {
  return arg && 'target' in arg ? (arg as { target: T }).target : (arg as T | undefined);
}
