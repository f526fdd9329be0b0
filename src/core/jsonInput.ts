// Reads BOT input from editor text: strict JSON (the API takes nothing else), with errors that name the
// exact line and column so the editor can point at them.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { MAX_REQUEST_BYTES, megabytesOf } from './errors';
import type { WrongOption } from './executeOptions';
import { MAX_JSON_DEPTH, tooDeepAt } from './jsonDepth';

/** What is wrong with some input, with what a sentence about it needs. */
export type InputIssue =
  | { code: 'tooLarge'; megabytes: string }
  /** `error` is jsonc-parser's name for it (CommaExpected…); the place is the problem's line and column. */
  | { code: 'syntax'; error: string }
  /** Nested deeper than `max` levels (the place is the bracket that goes too deep). */
  | { code: 'tooDeep'; max: number }
  | { code: 'notObject'; found: 'null' | 'array' | 'string' | 'number' | 'boolean' }
  // Input files (inputFile.ts):
  | { code: 'unknownField'; name: string }
  | { code: 'binding' }
  | { code: 'inputNotObject' }
  | { code: 'optionsNotObject' }
  | ({ code: 'option' } & WrongOption);

export type InputProblem = InputIssue & {
  /** Zero-based offset and length in the text, for diagnostics. */
  offset: number;
  length: number;
  /** One-based, as editors show them. */
  line: number;
  column: number;
};

export type InputResult = { ok: true; input: Record<string, unknown> } | { ok: false; problem: InputProblem };

/**
 * Parses editor text as BOT input. Empty text means `{}` (a BOT without inputs). `baseOffset` is where
 * `text` starts in the document (a selection), so that positions point into the whole document.
 */
export function parseBotInput(text: string, documentText = text, baseOffset = 0): InputResult {
  if (!text.trim()) return { ok: true, input: {} };
  return parseJsonObject(text, documentText, baseOffset);
}

/** Strict JSON that must be an object, with problems located in the document. */
export function parseJsonObject(text: string, documentText = text, baseOffset = 0): InputResult {
  if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) {
    return problemAt(documentText, baseOffset, text.length, { code: 'tooLarge', megabytes: megabytesOf(Buffer.byteLength(text)) });
  }
  // Checked before parsing: the parser recurses, and would overflow the stack first.
  const deep = tooDeepAt(text);
  if (deep !== -1) return problemAt(documentText, baseOffset + deep, 1, { code: 'tooDeep', max: MAX_JSON_DEPTH });
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) {
    const first = errors[0];
    const offset = baseOffset + first.offset;
    return problemAt(documentText, offset, Math.max(first.length, 1), { code: 'syntax', error: printParseErrorCode(first.error) });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as 'string' | 'number' | 'boolean');
    const start = baseOffset + (text.length - text.trimStart().length);
    return problemAt(documentText, start, text.trim().length, { code: 'notObject', found });
  }
  return { ok: true, input: value as Record<string, unknown> };
}

export function problemAt(documentText: string, offset: number, length: number, issue: InputIssue): InputResult {
  const { line, column } = positionOf(documentText, offset);
  return { ok: false, problem: { ...issue, offset, length, line, column } };
}

/** One-based line and column of an offset, counting columns in UTF-16 units like VS Code does. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
