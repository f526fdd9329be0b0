// What each job of this workspace was executed with, for "Re-run" and "Re-run with Edits…": the input as
// written (its variables unresolved, so a re-run asks for them again and no resolved value is ever
// kept), the options, the BOT and the account. Kept in the workspace's own storage (an input without
// variables may still hold a password typed into it), bounded in count and size; with keeping turned
// off, only this window remembers them. No `vscode` here.
import { readStoredOptions, type ExecuteOptions } from './executeOptions';
import type { KeyValueStore } from './jobHistory';
import { jobKey, type JobRef } from './refs';

export interface InputTemplate {
  sessionId: string;
  publicId: string;
  botId: string;
  botName?: string;
  jobId: string;
  /** As written: `${…}` variables unresolved. */
  input: Record<string, unknown>;
  options: ExecuteOptions;
  /** Where the input came from, for the log: a file name, "the selection in …". */
  source: string;
  /** The input file's URI when one chose the BOT and options: re-running it asks again in an untrusted folder. */
  inputFile?: string;
}

const KEY = 'cloudbot.inputTemplates';
/** Jobs whose templates are kept, newest first. */
export const MAX_TEMPLATES = 200;
/** A template larger than this (as JSON) is not kept in storage: the workspace state is read at every start. */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;
/** All kept templates together stay under this; the oldest go first. */
export const MAX_KEPT_BYTES = 16 * 1024 * 1024;

export class InputTemplates {
  /** This window's templates, newest first: Re-run works here even when nothing is kept in storage. */
  private readonly recent = new Map<string, InputTemplate>();

  constructor(
    private readonly store: KeyValueStore,
    /** Whether templates are kept in the workspace's storage (the `cloudbot.rememberInputs` setting). */
    private readonly keep: () => boolean,
  ) {}

  get(ref: JobRef): InputTemplate | undefined {
    const key = jobKey(ref);
    return this.recent.get(key) ?? (this.keep() ? this.kept().find((template) => jobKey(template) === key) : undefined);
  }

  /** Every template known here, newest first: this window's, then those kept in storage. */
  all(): InputTemplate[] {
    const recent = [...this.recent.values()].reverse();
    const keys = new Set(recent.map((template) => jobKey(template)));
    return [...recent, ...(this.keep() ? this.kept().filter((template) => !keys.has(jobKey(template))) : [])];
  }

  async remember(template: InputTemplate): Promise<void> {
    const key = jobKey(template);
    this.recent.delete(key);
    this.recent.set(key, template);
    if (this.recent.size > MAX_TEMPLATES) this.recent.delete(this.recent.keys().next().value!);
    if (!this.keep()) return;
    const bytes = Buffer.byteLength(JSON.stringify(template));
    if (bytes > MAX_TEMPLATE_BYTES) return;
    let total = bytes;
    const kept = [template, ...this.kept().filter((other) => jobKey(other) !== key)]
      .slice(0, MAX_TEMPLATES)
      .filter((other, index) => index === 0 || (total += Buffer.byteLength(JSON.stringify(other))) <= MAX_KEPT_BYTES);
    await this.store.update(KEY, kept);
  }

  /** Drops what storage holds (keeping was turned off); this window's templates stay for its own Re-run. */
  async forgetKept(): Promise<void> {
    if (this.store.get(KEY) !== undefined) await this.store.update(KEY, undefined);
  }

  /** Storage's templates, checked like any outside data: anything unreadable is left out. */
  private kept(): InputTemplate[] {
    const value = this.store.get<unknown>(KEY);
    return (Array.isArray(value) ? value : []).flatMap((item) => {
      const template = readTemplate(item);
      return template ? [template] : [];
    });
  }
}

function readTemplate(value: unknown): InputTemplate | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const t = value as Record<string, unknown>;
  const strings = ['sessionId', 'publicId', 'botId', 'jobId', 'source'].every((name) => typeof t[name] === 'string');
  const optional = ['botName', 'inputFile'].every((name) => t[name] === undefined || typeof t[name] === 'string');
  const input = t.input;
  if (!strings || !optional || !input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  return {
    sessionId: t.sessionId as string,
    publicId: t.publicId as string,
    botId: t.botId as string,
    botName: t.botName as string | undefined,
    jobId: t.jobId as string,
    input: input as Record<string, unknown>,
    options: readStoredOptions(t.options),
    source: t.source as string,
    inputFile: t.inputFile as string | undefined,
  };
}
