// Input files: JSON documents (`*.cloudbot.json`) that bind themselves to one BOT and carry its input
// and execute options, so a BOT's input lives in the workspace like any other file. The format is
// described to the editor by media/input-file.schema.json. No `vscode` here.
import { findNodeAtLocation, parse, parseTree, type JSONPath } from 'jsonc-parser';
import { checkExecuteOptions, cleanOptions, type ExecuteOptions } from './executeOptions';
import { initialValueOf, inputItemsOf } from './inputItems';
import { tooDeepAt } from './jsonDepth';
import { parseJsonObject, problemAt, type InputIssue, type InputProblem } from './jsonInput';
import type { BotDetail } from './types';
import { escapeVariables } from './variables';

export const INPUT_FILE_SUFFIX = '.cloudbot.json';

export interface InputFile {
  bot: { contract: string; id: string; name?: string };
  input: Record<string, unknown>;
  options: ExecuteOptions;
}

export type InputFileResult = { ok: true; file: InputFile } | { ok: false; problem: InputProblem };

export function isInputFile(fileName: string): boolean {
  return fileName.endsWith(INPUT_FILE_SUFFIX);
}

const ID = /^[A-Za-z0-9_.~-]+$/;

/**
 * The BOT an input file names, read tolerantly: while the file is being typed, the rest of it may not
 * be JSON yet.
 */
export function bindingOf(text: string): InputFile['bot'] | undefined {
  if (tooDeepAt(text) !== -1) return undefined;
  const root = parse(text, [], { allowTrailingComma: true }) as { bot?: Record<string, unknown> } | undefined;
  const bot = root?.bot;
  if (!bot || typeof bot.contract !== 'string' || typeof bot.id !== 'string' || !ID.test(bot.contract) || !ID.test(bot.id)) return undefined;
  return { contract: bot.contract, id: bot.id, name: typeof bot.name === 'string' ? bot.name : undefined };
}

/** Whether an input file has an `expect` block (read tolerantly: the Testing view finds checks so). */
export function hasExpectations(text: string): boolean {
  if (tooDeepAt(text) !== -1) return false;
  const tree = parseTree(text);
  return !!tree && findNodeAtLocation(tree, ['expect'])?.type === 'object';
}

/** Reads an input file, pointing every problem at the value at fault. */
export function parseInputFile(text: string): InputFileResult {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const root = parsed.input;
  const tree = parseTree(text);
  const fail = (path: JSONPath, issue: InputIssue): InputFileResult => {
    const node = tree && findNodeAtLocation(tree, path);
    return problemAt(text, node?.offset ?? 0, node?.length ?? 1, issue) as InputFileResult;
  };
  for (const name of Object.keys(root)) {
    if (!['bot', 'input', 'options', 'expect', '$schema'].includes(name)) return fail([name], { code: 'unknownField', name });
  }
  const bot = root.bot as Record<string, unknown> | undefined;
  if (!bot || typeof bot !== 'object' || typeof bot.contract !== 'string' || typeof bot.id !== 'string' || !ID.test(bot.contract) || !ID.test(bot.id)) {
    return fail(root.bot === undefined ? [] : ['bot'], { code: 'binding' });
  }
  const input = root.input ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail(['input'], { code: 'inputNotObject' });
  const options = (root.options ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return fail(['options'], { code: 'optionsNotObject' });
  const wrong = checkExecuteOptions(options);
  if (wrong) return fail(['options', wrong.name], { code: 'option', ...wrong });
  const { callbackEndpoint, callbackTries, timeout } = options;
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

/**
 * A new input file for a BOT, filled from its input definition: each item's default, or an empty value
 * of its kind (unless `input` is given). The definition's shape is not documented; anything unreadable
 * becomes an empty string.
 */
export function newInputFile(publicId: string, bot: BotDetail, options: ExecuteOptions = {}, input = defaultInput(bot)): string {
  // Defaults and outputs come from the server: a "${" in them is text, not a variable to resolve.
  return inputFileText({ bot: { contract: publicId, id: bot.id, name: bot.name }, input: escapeVariables(input), options });
}

/** An input file's text, with only the options that are set. */
export function inputFileText({ bot, input, options }: InputFile): string {
  return `${JSON.stringify({ bot, input, options: cleanOptions(options) }, null, 2)}\n`;
}

function defaultInput(bot: BotDetail): Record<string, unknown> {
  return Object.fromEntries(inputItemsOf(bot.input).map((item) => [item.name, initialValueOf(item)]));
}
