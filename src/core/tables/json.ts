// Strict JSON for tables (a .json file, a .jsonl line, a JSON cell): the value of any kind, or where and
// why it cannot be read. Depth is checked first, as the parser recurses.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { MAX_JSON_DEPTH, tooDeepAt } from '../jsonDepth';

export type JsonResult =
  | { ok: true; value: unknown }
  /** `error` is jsonc-parser's name for it (CommaExpected…), or `tooDeep`; `offset` is where in the text. */
  | { ok: false; error: string; offset: number };

export function parseJson(text: string): JsonResult {
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep !== -1) return { ok: false, error: 'tooDeep', offset: deep };
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) return { ok: false, error: printParseErrorCode(errors[0].error), offset: errors[0].offset };
  return { ok: true, value };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
