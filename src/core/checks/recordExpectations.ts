// "Record Expectations from This Job": an `expect` block made from a finished job, as a snapshot that
// the next runs of its input file are held against. No `vscode` here.
import { applyEdits, modify } from 'jsonc-parser';
import { JobStatus, type Job } from '../types';

/**
 * The job's status and each output item as it came. File references name the job they belong to, so
 * an item that holds files (alone or in a group's rows) is recorded by its number of rows instead.
 */
export function expectationsFromJob(job: Pick<Job, 'status' | 'output'>): Record<string, unknown> {
  const output = Object.fromEntries(Object.entries(job.output ?? {}).map(([item, value]) => [item, holdsFiles(value) ? (Array.isArray(value) ? { rows: value.length } : undefined) : value]).filter(([, value]) => value !== undefined));
  return { status: job.status === JobStatus.Succeeded ? 'succeeded' : 'failed', ...(Object.keys(output).length ? { output } : {}) };
}

/** The input file's text with its `expect` block replaced by `expect`, formatted as the file is. */
export function withExpectations(text: string, expect: Record<string, unknown>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return applyEdits(text, modify(text, ['expect'], expect, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } }));
}

function holdsFiles(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsFiles);
  if (!value || typeof value !== 'object') return false;
  return (value as { type?: unknown }).type === 'files' || Object.values(value).some(holdsFiles);
}
