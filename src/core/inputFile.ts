// Input files: JSON documents (`*.cloudbot.json`) that bind themselves to one BOT and carry its input
// and execute options, so a BOT's input lives in the workspace like any other file. The format is
// described to the editor by media/input-file.schema.json. No `vscode` here.
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { parseJsonObject, problemAt, type InputProblem } from './jsonInput';
import { say } from './text';
import type { BotDetail, ExecuteRequest, Language } from './types';

export const INPUT_FILE_SUFFIX = '.cloudbot.json';
export const MAX_CALLBACK_TRIES = 5;
/** Longest wait the API is asked for, in ms (the largest value seen in a client). */
export const MAX_TIMEOUT_MS = 120_000;

export interface InputFileOptions {
  /** Receives the finished job by POST; must be https. */
  callbackEndpoint?: string;
  /** Number of callback attempts, 0–5. */
  callbackTries?: number;
  /** How long the execute call waits for the BOT to finish, in ms (0: answer at once). */
  timeout?: number;
}

export interface InputFile {
  bot: { contract: string; id: string; name?: string };
  input: Record<string, unknown>;
  options: InputFileOptions;
}

export type InputFileResult = { ok: true; file: InputFile } | { ok: false; problem: InputProblem };

export function isInputFile(fileName: string): boolean {
  return fileName.endsWith(INPUT_FILE_SUFFIX);
}

const ID = /^[A-Za-z0-9_.~-]+$/;

const messages = {
  binding: {
    en: '"bot" must name the BOT this file runs: {"contract": "<public id>", "id": "<BOT id>"}.',
    ja: '"bot" にはこのファイルで実行する BOT を指定してください: {"contract": "<公開 ID>", "id": "<BOT ID>"}。',
  },
  input: { en: '"input" must be a JSON object keyed by the BOT\'s input item names.', ja: '"input" は BOT の入力項目名をキーにした JSON オブジェクトである必要があります。' },
  options: { en: '"options" must be a JSON object.', ja: '"options" は JSON オブジェクトである必要があります。' },
  callbackEndpoint: {
    en: '"callbackEndpoint" must be an https:// URL that receives the finished job.',
    ja: '"callbackEndpoint" は終了したジョブを受け取る https:// の URL である必要があります。',
  },
  callbackTries: { en: '"callbackTries" must be a whole number from 0 to 5.', ja: '"callbackTries" は 0 から 5 の整数である必要があります。' },
  timeout: { en: '"timeout" must be a whole number of milliseconds from 0 to 120000.', ja: '"timeout" は 0 から 120000 のミリ秒の整数である必要があります。' },
  unknown: { en: 'Unknown field "{name}": an input file has "bot", "input" and "options".', ja: '不明なフィールド「{name}」: 入力ファイルの項目は "bot"、"input"、"options" です。' },
};

/** Reads an input file, pointing every problem at the value at fault. */
export function parseInputFile(text: string, language: Language): InputFileResult {
  const parsed = parseJsonObject(text, language);
  if (!parsed.ok) return parsed;
  const root = parsed.input;
  const tree = parseTree(text);
  const fail = (path: JSONPath, message: string): InputFileResult => {
    const node = tree && findNodeAtLocation(tree, path);
    return problemAt(text, node?.offset ?? 0, node?.length ?? 1, message) as InputFileResult;
  };
  for (const name of Object.keys(root)) {
    if (!['bot', 'input', 'options', '$schema'].includes(name)) return fail([name], say(messages.unknown, language, { name }));
  }
  const bot = root.bot as Record<string, unknown> | undefined;
  if (!bot || typeof bot !== 'object' || typeof bot.contract !== 'string' || typeof bot.id !== 'string' || !ID.test(bot.contract) || !ID.test(bot.id)) {
    return fail(root.bot === undefined ? [] : ['bot'], say(messages.binding, language));
  }
  const input = root.input ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail(['input'], say(messages.input, language));
  const options = (root.options ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return fail(['options'], say(messages.options, language));
  const { callbackEndpoint, callbackTries, timeout } = options;
  if (callbackEndpoint !== undefined && callbackEndpoint !== null && !isHttpsUrl(callbackEndpoint)) {
    return fail(['options', 'callbackEndpoint'], say(messages.callbackEndpoint, language));
  }
  if (callbackTries !== undefined && !isWhole(callbackTries, 0, MAX_CALLBACK_TRIES)) return fail(['options', 'callbackTries'], say(messages.callbackTries, language));
  if (timeout !== undefined && !isWhole(timeout, 0, MAX_TIMEOUT_MS)) return fail(['options', 'timeout'], say(messages.timeout, language));
  return {
    ok: true,
    file: {
      bot: { contract: bot.contract, id: bot.id, name: typeof bot.name === 'string' ? bot.name : undefined },
      input: input as Record<string, unknown>,
      options: {
        callbackEndpoint: typeof callbackEndpoint === 'string' ? callbackEndpoint : undefined,
        callbackTries: callbackTries as number | undefined,
        timeout: timeout as number | undefined,
      },
    },
  };
}

/** The execute request an input file stands for. */
export function executeRequestOf(file: InputFile): ExecuteRequest {
  const { callbackEndpoint, callbackTries, timeout } = file.options;
  return {
    input: file.input,
    ...(callbackEndpoint ? { callback_endpoint: callbackEndpoint, callback_tries: callbackTries ?? 1 } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
  };
}

/**
 * A new input file for a BOT, filled from its input definition: each item's default, or an empty value
 * of its kind. The definition's shape is not documented; anything unreadable becomes an empty string.
 */
export function newInputFile(publicId: string, bot: BotDetail): string {
  const input = Object.fromEntries(Object.entries(bot.input ?? {}).map(([name, definition]) => [name, initialValue(definition)]));
  const file = { bot: { contract: publicId, id: bot.id, name: bot.name }, input, options: {} };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function initialValue(definition: unknown): unknown {
  const item = (definition ?? {}) as { type?: unknown; default?: unknown; columns?: Record<string, unknown> };
  if (item.default !== undefined) return item.default;
  switch (item.type) {
    case 'list':
      return [];
    case 'group':
      return [Object.fromEntries(Object.entries(item.columns ?? {}).map(([name, column]) => [name, initialValue(column)]))];
    case 'files':
      return { type: 'files', files: [] };
    default:
      return '';
  }
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
