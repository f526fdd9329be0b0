// Reads BOT input from editor text: strict JSON (the API takes nothing else), with errors that name the
// exact line and column so the editor can point at them.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { MAX_REQUEST_BYTES } from './errors';
import { say } from './text';
import type { Language } from './types';

export interface InputProblem {
  message: string;
  /** Zero-based offset and length in the text, for diagnostics. */
  offset: number;
  length: number;
  /** One-based, as editors show them. */
  line: number;
  column: number;
}

export type InputResult = { ok: true; input: Record<string, unknown> } | { ok: false; problem: InputProblem };

const describeCode: Record<string, { en: string; ja: string }> = {
  InvalidSymbol: { en: 'unexpected character', ja: '予期しない文字があります' },
  InvalidNumberFormat: { en: 'invalid number', ja: '数値の形式が正しくありません' },
  PropertyNameExpected: { en: 'property name expected', ja: 'プロパティ名が必要です' },
  ValueExpected: { en: 'value expected', ja: '値が必要です' },
  ColonExpected: { en: 'colon expected', ja: 'コロンが必要です' },
  CommaExpected: { en: 'comma expected', ja: 'カンマが必要です' },
  CloseBraceExpected: { en: 'closing brace "}" expected', ja: '閉じかっこ「}」が必要です' },
  CloseBracketExpected: { en: 'closing bracket "]" expected', ja: '閉じかっこ「]」が必要です' },
  EndOfFileExpected: { en: 'end of input expected', ja: 'ここで入力が終わる必要があります' },
  InvalidCommentToken: { en: 'comments are not allowed in JSON', ja: 'JSON にコメントは使えません' },
  UnexpectedEndOfComment: { en: 'unterminated comment', ja: 'コメントが閉じられていません' },
  UnexpectedEndOfString: { en: 'unterminated string', ja: '文字列が閉じられていません' },
  UnexpectedEndOfNumber: { en: 'unterminated number', ja: '数値が途中で終わっています' },
  InvalidUnicode: { en: 'invalid unicode escape', ja: 'Unicode エスケープが正しくありません' },
  InvalidEscapeCharacter: { en: 'invalid escape character', ja: 'エスケープ文字が正しくありません' },
  InvalidCharacter: { en: 'invalid character', ja: '使えない文字があります' },
};

const messages = {
  syntax: { en: 'Invalid JSON at line {line}, column {column}: {what}.', ja: 'JSON が正しくありません (行 {line}、列 {column}): {what}。' },
  notObject: {
    en: 'BOT input must be a JSON object such as {"item name": "value"}, not {kind}.',
    ja: 'BOT の入力は {"項目名": "値"} のような JSON オブジェクトである必要があります ({kind} は使えません)。',
  },
  tooLarge: {
    en: 'The input is {size} MB, over Cloud BOT\'s 4 MB limit. Make it smaller.',
    ja: '入力が {size} MB で、Cloud BOT の上限 4 MB を超えています。小さくしてください。',
  },
};

/**
 * Parses editor text as BOT input. Empty text means `{}` (a BOT without inputs). `baseOffset` is where
 * `text` starts in the document (a selection), so that positions point into the whole document.
 */
export function parseBotInput(text: string, language: Language, documentText = text, baseOffset = 0): InputResult {
  if (!text.trim()) return { ok: true, input: {} };
  return parseJsonObject(text, language, documentText, baseOffset);
}

/** Strict JSON that must be an object, with problems located in the document. */
export function parseJsonObject(text: string, language: Language, documentText = text, baseOffset = 0): InputResult {
  if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) {
    return problemAt(documentText, baseOffset, text.length, say(messages.tooLarge, language, { size: (Buffer.byteLength(text) / 1048576).toFixed(1) }));
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) {
    const first = errors[0];
    const offset = baseOffset + first.offset;
    const { line, column } = positionOf(documentText, offset);
    const code = printParseErrorCode(first.error);
    const what = describeCode[code]?.[language] ?? code;
    return problemAt(documentText, offset, Math.max(first.length, 1), say(messages.syntax, language, { line, column, what }));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    const start = baseOffset + (text.length - text.trimStart().length);
    return problemAt(documentText, start, text.trim().length, say(messages.notObject, language, { kind }));
  }
  return { ok: true, input: value as Record<string, unknown> };
}

export function problemAt(documentText: string, offset: number, length: number, message: string): InputResult {
  const { line, column } = positionOf(documentText, offset);
  return { ok: false, problem: { message, offset, length, line, column } };
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
