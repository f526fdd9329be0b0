// Words for jobs, shared by the output channel, notifications and the tree.
import { say } from './text';
import { JobStatus, type Job, type JobOutput, type Language } from './types';

const statusWords = {
  [JobStatus.Succeeded]: { en: 'succeeded', ja: '成功' },
  [JobStatus.Error]: { en: 'error', ja: 'エラー' },
  [JobStatus.Executing]: { en: 'executing', ja: '実行中' },
};

export function statusText(status: number, language: Language): string {
  const words = statusWords[status as keyof typeof statusWords];
  return words ? words[language] : say({ en: 'status {status}', ja: 'ステータス {status}' }, language, { status });
}

export function elapsedText(seconds: number | undefined, language: Language): string {
  if (seconds === undefined) return '';
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (language === 'ja') return minutes ? `${minutes} 分 ${rest} 秒` : `${rest} 秒`;
  return minutes ? `${minutes} min ${rest} s` : `${rest} s`;
}

/** One line per output item: its name and a short description of its value, never the whole of a large value. */
export function outputSummary(output: JobOutput | null | undefined, language: Language, maxValueLength = 200): string[] {
  if (!output) return [];
  return Object.entries(output).map(([name, value]) => `${name}: ${describeValue(value, language, maxValueLength)}`);
}

function describeValue(value: unknown, language: Language, max: number): string {
  if (typeof value === 'string') return clip(JSON.stringify(value), max);
  if (Array.isArray(value)) {
    const rows = value.length;
    if (value.every((item) => typeof item === 'string')) return clip(JSON.stringify(value), max);
    return language === 'ja' ? `表 (${rows} 行)` : `table (${rows} row${rows === 1 ? '' : 's'})`;
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'files') {
    const files = (value as { files?: { meta?: { name?: string; size?: number } }[] }).files ?? [];
    const names = files.map((file) => `${file.meta?.name ?? '?'}${file.meta?.size !== undefined ? ` (${file.meta.size} B)` : ''}`);
    return (language === 'ja' ? `ファイル ${files.length} 件: ` : `${files.length} file${files.length === 1 ? '' : 's'}: `) + clip(names.join(', '), max);
  }
  return clip(JSON.stringify(value) ?? String(value), max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** The one-line log headline of a job state: "echo (Echo BOT) 0190…: succeeded, 3 s". */
export function jobHeadline(job: Job, language: Language): string {
  const name = job.bot_name ? `${job.bot_id} (${job.bot_name})` : job.bot_id;
  return `${name} ${job.job_id}: ${statusAndElapsed(job, language)}`;
}

/** A short outcome for a notification: "Echo BOT: succeeded, 3 s". */
export function jobOutcome(job: Job, language: Language): string {
  return `${job.bot_name || job.bot_id}: ${statusAndElapsed(job, language)}`;
}

/** "succeeded, 3 s": a job's status, and its elapsed time when known. */
export function statusAndElapsed(job: Pick<Job, 'status' | 'elapsed_time'>, language: Language): string {
  const elapsed = elapsedText(job.elapsed_time, language);
  const status = statusText(job.status, language);
  return elapsed ? `${status}, ${elapsed}` : status;
}
