// Shapes of Cloud BOT API data as ../shared/cloudbot-api.md describes them. Fields the API may
// omit are optional; the client never relies on more than the documented minimum.

export type Language = 'ja' | 'en';

/** Job status: 0 succeeded, 1 error, 2 executing. */
export const JobStatus = { Succeeded: 0, Error: 1, Executing: 2 } as const;
export type JobStatusValue = (typeof JobStatus)[keyof typeof JobStatus];

export interface Contract {
  public_id: string;
  public_path: string;
  plan?: string | null;
  owner?: string | null;
  timezone?: string | null;
  location?: string | null;
  name?: string | null;
  organization?: string | null;
  [property: string]: unknown;
}

export interface Bot {
  id: string;
  name: string;
  description?: string | null;
  icon?: string | null;
  created?: string | null;
  last_modified?: string | null;
  creator?: string | null;
}

export interface BotDetail extends Bot {
  input?: Record<string, unknown> | null;
  output?: Record<string, unknown> | null;
}

/** BOT output (`datalist_output`): keyed by output item name. */
export type JobOutput = Record<string, unknown>;

export interface Job {
  code?: number;
  job_id: string;
  bot_id: string;
  bot_name?: string;
  status: number;
  start_time?: string;
  elapsed_time?: number;
  output?: JobOutput | null;
  message?: string | null;
  cast_url?: string | null;
  callback?: boolean;
}

export interface ExecuteRequest {
  input?: Record<string, unknown>;
  callback_endpoint?: string | null;
  callback_tries?: number;
  /** Milliseconds the call waits for the BOT to finish before answering (0: answer at once). */
  timeout?: number;
}

export interface ExecuteResult {
  job: Job;
  /** The job reference endpoint: from a `Location` header when the API sends one, else built from the IDs. */
  jobReferenceEndpoint: string;
  httpStatus: number;
}

export interface JobListQuery {
  limit?: number;
  sort_order?: 'asc' | 'desc';
  statuses?: number[];
  datetime_from?: string;
  datetime_to?: string;
  id_from?: string;
  id_to?: string;
  properties?: string[];
}

export interface SubscriptionRequest {
  event: string;
  callback_type?: 'webhook' | 'mailhook';
  callback_endpoint: string;
  callback_emails?: unknown;
}

export interface Subscription {
  subscribe_id: number | string;
  event: string;
  callback_type?: string;
  callback_endpoint?: string;
  callback_emails?: unknown;
  language?: string;
  disabled?: boolean;
  unsubscribe_endpoint?: string;
}

export interface CreatedSubscription {
  subscribe_id: number | string;
  unsubscribe_endpoint?: string;
}

export interface WsTokenRequest {
  scopes: string[];
  keys: string[];
  expire?: number;
}

export function isFinished(job: Pick<Job, 'status'>): boolean {
  return job.status === JobStatus.Succeeded || job.status === JobStatus.Error;
}
