// Words for jobs. The words themselves come from the caller (the extension's translations, or the
// English of the log), so the tree, the status bar, notifications and the result page say the same
// thing in the same language. No `vscode` and no Node here: the result page imports this too.
import { JobStatus, type Job, type JobOutput } from './types';

/** The words a job is described with; `{0}`, `{1}` are filled in. */
export interface JobWords {
  succeeded: string;
  error: string;
  executing: string;
  /** A status the API has not documented: `{0}` is its number. */
  otherStatus: string;
  /** `{0}` minutes and `{1}` seconds. */
  minutesSeconds: string;
  /** `{0}` seconds. */
  seconds: string;
  /** A running job against its BOT's usual run time: `{0}` the usual time, `{1}` the time so far. */
  usually: string;
}

/** The output channel's words: logs are English, like VS Code's own. */
export const LOG_WORDS: JobWords = {
  succeeded: 'succeeded',
  error: 'error',
  executing: 'executing',
  otherStatus: 'unknown status {0}',
  minutesSeconds: '{0} min {1} s',
  seconds: '{0} s',
  usually: 'usually {0}, {1} so far',
};

/** Replaces `{0}`, `{1}`… by the values; a placeholder without a value stays as it is. */
export function fill(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < values.length ? String(values[Number(index)]) : whole));
}

export function statusText(status: number, words: JobWords): string {
  switch (status) {
    case JobStatus.Succeeded:
      return words.succeeded;
    case JobStatus.Error:
      return words.error;
    case JobStatus.Executing:
      return words.executing;
    default:
      return fill(words.otherStatus, status);
  }
}

/** "1 min 5 s"; empty when unknown. */
export function elapsedText(seconds: number | undefined, words: JobWords): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes ? fill(words.minutesSeconds, minutes, whole % 60) : fill(words.seconds, whole);
}

/** The start of a running job in ms since the epoch, when a clock can tick from it. */
export function runningSince(job: Pick<Job, 'status' | 'start_time'>): number | undefined {
  if (job.status !== JobStatus.Executing || typeof job.start_time !== 'string') return undefined;
  const ms = Date.parse(job.start_time);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A job's whole seconds at `now`: counted from its start while it runs, else as Cloud BOT gave them. */
export function elapsedSeconds(job: Pick<Job, 'status' | 'start_time' | 'elapsed_time'>, now: number): number | undefined {
  const start = runningSince(job);
  // Clamped: the local clock may be a little behind the server's.
  if (start !== undefined) return Math.max(0, Math.floor((now - start) / 1000));
  const seconds = job.elapsed_time;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : undefined;
}

/** "usually 40 s, 25 s so far" against the BOT's usual run time, or only "25 s" when there is none. */
export function progressText(usualSeconds: number | undefined, seconds: number | undefined, words: JobWords): string {
  const soFar = elapsedText(seconds, words);
  return usualSeconds === undefined || !soFar ? soFar : fill(words.usually, elapsedText(usualSeconds, words), soFar);
}

/** "succeeded, 3 s": a job's status, and its elapsed time when known. */
export function statusAndElapsed(job: Pick<Job, 'status' | 'elapsed_time'>, words: JobWords): string {
  const elapsed = elapsedText(job.elapsed_time, words);
  const status = statusText(job.status, words);
  return elapsed ? `${status}, ${elapsed}` : status;
}

/** A short outcome for a notification: "Echo BOT: succeeded, 3 s". */
export function jobOutcome(job: Job, words: JobWords): string {
  return `${job.bot_name || job.bot_id}: ${statusAndElapsed(job, words)}`;
}

/** The one-line log headline of a job state: "echo (Echo BOT) 0190…: succeeded, 3 s". */
export function jobHeadline(job: Job): string {
  const name = job.bot_name ? `${job.bot_id} (${job.bot_name})` : job.bot_id;
  return `${name} ${job.job_id}: ${statusAndElapsed(job, LOG_WORDS)}`;
}

/** Log lines, one per output item: its name and a short description of its value, never the whole of a large value. */
export function outputSummary(output: JobOutput | null | undefined, maxValueLength = 200): string[] {
  if (!output) return [];
  return Object.entries(output).map(([name, value]) => `${name}: ${describeValue(value, maxValueLength)}`);
}

function describeValue(value: unknown, max: number): string {
  if (typeof value === 'string') return clipped(JSON.stringify(value), max);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return clipped(JSON.stringify(value), max);
    return `table (${value.length} row${value.length === 1 ? '' : 's'})`;
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'files') {
    const files = (value as { files?: { meta?: { name?: string; size?: number } }[] }).files ?? [];
    const names = files.map((file) => `${file.meta?.name ?? '?'}${file.meta?.size !== undefined ? ` (${file.meta.size} B)` : ''}`);
    return `${files.length} file${files.length === 1 ? '' : 's'}: ${clipped(names.join(', '), max)}`;
  }
  return clipped(JSON.stringify(value) ?? String(value), max);
}

/** The text, or its first `max` characters and how long it was. */
export function clipped(text: string, max: number): string {
  return text.length > max ? `${firstChars(text, max)}… (${text.length} characters)` : text;
}

/** The first `limit` characters, not splitting a surrogate pair. */
export function firstChars(text: string, limit: number): string {
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}
