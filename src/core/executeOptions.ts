// Execute options (callback endpoint, callback attempts, timeout): checked the same way wherever they
// come from (an input file, the options a user set for a BOT), and turned into the execute request.
import { fill } from './jobText';
import type { ExecuteRequest } from './types';
import { carriesCredentials, isLoopbackHost } from './urls';

export const MAX_CALLBACK_TRIES = 5;
/** Longest wait the API is asked for, in ms (the largest value seen in a client). */
export const MAX_TIMEOUT_MS = 120_000;

export interface ExecuteOptions {
  /** Receives the finished job by POST; https (http only on this machine). */
  callbackEndpoint?: string;
  /** Number of callback attempts, 0–5. */
  callbackTries?: number;
  /** How long the execute call waits for the BOT to finish, in ms (0: answer at once). */
  timeout?: number;
}

export type OptionName = 'callbackEndpoint' | 'callbackTries' | 'timeout';

/** An option that cannot be used: out of its range or shape, or a callback URL with a user name or password in it. */
export interface WrongOption {
  name: OptionName;
  reason: 'invalid' | 'credentials';
}

/** The first option that is wrong, or undefined when all are usable. */
export function checkExecuteOptions(options: Record<string, unknown>): WrongOption | undefined {
  const { callbackEndpoint, callbackTries, timeout } = options;
  if (callbackEndpoint !== undefined && callbackEndpoint !== null) {
    if (!isCallbackUrl(callbackEndpoint)) return { name: 'callbackEndpoint', reason: 'invalid' };
    if (carriesCredentials(new URL(callbackEndpoint))) return { name: 'callbackEndpoint', reason: 'credentials' };
  }
  if (callbackTries !== undefined && !isWhole(callbackTries, 0, MAX_CALLBACK_TRIES)) return { name: 'callbackTries', reason: 'invalid' };
  if (timeout !== undefined && !isWhole(timeout, 0, MAX_TIMEOUT_MS)) return { name: 'timeout', reason: 'invalid' };
  return undefined;
}

/** https, or http to this machine (a receiver under test, or the emulator's own callbacks). */
export function isCallbackUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Only the options set, so that unset ones take the API's defaults. */
export function cleanOptions(options: ExecuteOptions): ExecuteOptions {
  return {
    ...(options.callbackEndpoint ? { callbackEndpoint: options.callbackEndpoint, callbackTries: options.callbackTries ?? 1 } : {}),
    ...(options.timeout ? { timeout: options.timeout } : {}),
  };
}

export function executeRequest(input: Record<string, unknown>, options: ExecuteOptions): ExecuteRequest {
  const { callbackEndpoint, callbackTries, timeout } = cleanOptions(options);
  return {
    input,
    ...(callbackEndpoint ? { callback_endpoint: callbackEndpoint, callback_tries: callbackTries } : {}),
    ...(timeout ? { timeout } : {}),
  };
}

/** The words options are described with; `{0}`, `{1}` are filled in. */
export interface OptionWords {
  /** `{0}` the callback endpoint's origin, `{1}` the number of attempts. */
  callback: string;
  /** `{0}` milliseconds. */
  timeout: string;
}

/** The output channel's words: logs are English. */
export const LOG_OPTION_WORDS: OptionWords = {
  callback: 'callback to {0} ({1} attempts)',
  timeout: 'waits up to {0} ms',
};

/**
 * The options set, in `words`: a callback endpoint shows only its origin, since its path or query may
 * carry the receiver's own secret.
 */
export function describeOptions(options: ExecuteOptions, words: OptionWords = LOG_OPTION_WORDS): string {
  const { callbackEndpoint, callbackTries, timeout } = cleanOptions(options);
  const parts: string[] = [];
  if (callbackEndpoint) parts.push(fill(words.callback, new URL(callbackEndpoint).origin, callbackTries ?? 1));
  if (timeout) parts.push(fill(words.timeout, timeout));
  return parts.join(', ');
}

/** Options as they come back from a store, dropping anything no longer valid. */
export function readStoredOptions(value: unknown): ExecuteOptions {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const options = value as Record<string, unknown>;
  return checkExecuteOptions(options) ? {} : cleanOptions(options as ExecuteOptions);
}

/** The part of VS Code's SecretStorage the remembered options need. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
}

const REMEMBERED_KEY = 'cloudbot.executeOptions';

/**
 * The options a user set for each BOT (`publicId/botId`), used whenever the BOT runs with input that
 * carries no options of its own. Kept as a secret: a callback URL may hold its receiver's token.
 */
export class RememberedOptions {
  private loaded: Promise<Record<string, ExecuteOptions>> | undefined;

  constructor(private readonly secrets: SecretStore) {}

  async get(publicId: string, botId: string): Promise<ExecuteOptions> {
    return (await this.load())[`${publicId}/${botId}`] ?? {};
  }

  async set(publicId: string, botId: string, options: ExecuteOptions): Promise<void> {
    const all = { ...(await this.load()) };
    const cleaned = cleanOptions(options);
    if (Object.keys(cleaned).length) all[`${publicId}/${botId}`] = cleaned;
    else delete all[`${publicId}/${botId}`];
    this.loaded = Promise.resolve(all);
    await this.secrets.store(REMEMBERED_KEY, JSON.stringify(all));
  }

  private load(): Promise<Record<string, ExecuteOptions>> {
    this.loaded ??= Promise.resolve(this.secrets.get(REMEMBERED_KEY)).then((text) => {
      try {
        const value = JSON.parse(text ?? '{}') as Record<string, unknown>;
        return Object.fromEntries(Object.entries(value).map(([key, options]) => [key, readStoredOptions(options)]));
      } catch {
        return {};
      }
    });
    return this.loaded;
  }
}
