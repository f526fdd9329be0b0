// Variables inside the string values of BOT input: `${env:NAME}`, `${secret:NAME}`, `${prompt:Label}`
// and `${row:Column}`, resolved just before an execution is sent, so that an input file can be shared
// without the passwords it needs. `$${` is a literal `${`. Resolution is one pass: a value that itself
// holds `${…}` is sent as it is, so an environment variable or a spreadsheet cell cannot inject another
// variable. No `vscode` here.
//
// Places: variables are found in the decoded string (what the BOT receives), and each decoded character
// is mapped back to its place in the raw JSON text, escapes included (`\u0024{env:A}` is a variable whose
// mark covers the six characters of `\u0024` too), so marks are exact whatever the string holds.
import { findNodeAtLocation, getLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import { megabytesOf } from './errors';
import { tooDeepAt } from './jsonDepth';
import { positionOf } from './jsonInput';

export type VariableKind = 'env' | 'secret' | 'prompt' | 'row';

export interface Variable {
  kind: VariableKind;
  name: string;
}

/** A variable as it is written: `${secret:api}`. */
export function variableText({ kind, name }: Variable): string {
  return `\${${kind}:${name}}`;
}

/** Why `${…}` is not a variable: an unknown kind, a name its kind does not allow, or no closing `}`. */
export type BadVariableReason = 'unknownKind' | 'badName' | 'unclosed';

/** More variables than this in one input is refused: nothing real needs that many answers. */
export const MAX_VARIABLES = 1_000;
/** The largest value a variable may resolve to, in UTF-8 bytes. */
export const MAX_VARIABLE_VALUE_BYTES = 1024 * 1024;
/** Longest prompt label or row column name. */
export const MAX_LABEL_LENGTH = 100;
/** A bad `${…}` is quoted in problems up to this many characters. */
const MAX_WRITTEN_LENGTH = 120;

const NAME_PATTERNS: Record<VariableKind, RegExp> = {
  env: /^[A-Za-z_][A-Za-z0-9_]*$/,
  secret: /^[A-Za-z0-9_.-]{1,64}$/,
  prompt: new RegExp(`^[^}]{1,${MAX_LABEL_LENGTH}}$`),
  row: new RegExp(`^[^}]{1,${MAX_LABEL_LENGTH}}$`),
};

export const VARIABLE_KINDS = Object.keys(NAME_PATTERNS) as VariableKind[];

/** Whether `name` can follow `kind:` in a variable (a secret's name, an environment variable's…). */
export function isVariableName(kind: VariableKind, name: string): boolean {
  return NAME_PATTERNS[kind].test(name);
}

/** Labels of `${prompt:…}` that ask for something secret: answered without showing what is typed. */
export const SECRET_LABEL = /password|passcode|secret|token|\bpin\b|パスワード|暗証|秘密/i;

/** A piece of a string value: text as it is sent, a variable, or a `${…}` that is not one. */
type Piece =
  | { text: string }
  | { variable: Variable; start: number; end: number }
  | { bad: BadVariableReason; start: number; end: number };

/** Splits a (decoded) string into text and variables; offsets are in the string. */
function piecesOf(value: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let index = 0;
  const flush = () => {
    if (text) pieces.push({ text });
    text = '';
  };
  while (index < value.length) {
    const next = value.indexOf('$', index);
    if (next === -1) {
      text += value.slice(index);
      break;
    }
    text += value.slice(index, next);
    if (value.startsWith('$${', next)) {
      text += '${';
      index = next + 3;
    } else if (value.startsWith('${', next)) {
      flush();
      const close = value.indexOf('}', next + 2);
      if (close === -1) {
        pieces.push({ bad: 'unclosed', start: next, end: value.length });
        return pieces;
      }
      const body = value.slice(next + 2, close);
      const colon = body.indexOf(':');
      const kind = body.slice(0, colon) as VariableKind;
      const name = body.slice(colon + 1);
      const place = { start: next, end: close + 1 };
      if (colon === -1 || !VARIABLE_KINDS.includes(kind)) pieces.push({ bad: 'unknownKind', ...place });
      else if (!isVariableName(kind, name)) pieces.push({ bad: 'badName', ...place });
      else pieces.push({ variable: { kind, name }, ...place });
      index = close + 1;
    } else {
      text += '$';
      index = next + 1;
    }
  }
  flush();
  return pieces;
}

/** Whether a string holds any `${` (a variable, or a bad one): most strings do not, and are copied as they are. */
function mayHoldVariables(value: string): boolean {
  return value.includes('${');
}

/** A variable (or a bad `${…}`) found in JSON text, with its exact place. */
export type FoundVariable = {
  /** Zero-based offset and length in the text given (escapes included). */
  offset: number;
  length: number;
  /** The JSON path of the string value it is in, from the document's root. */
  path: JSONPath;
  /** As written in the decoded string, bounded: `${secret:api}`. */
  written: string;
} & ({ variable: Variable; bad?: undefined } | { bad: BadVariableReason; variable?: undefined });

/**
 * Every variable in the string values under `rootPath` of JSON text (`["input"]` for an input file), in
 * document order. Property names are never variables. Text too deep to parse safely has none.
 */
export function findVariables(text: string, rootPath: JSONPath = []): FoundVariable[] {
  if (tooDeepAt(text) !== -1) return [];
  const tree = parseTree(text);
  const root = tree && (rootPath.length ? findNodeAtLocation(tree, rootPath) : tree);
  const found: FoundVariable[] = [];
  if (root) collect(text, root, [...rootPath], found);
  return found;
}

/** The variable (or bad `${…}`) at `offset`, for a hover. */
export function variableAt(text: string, offset: number, rootPath: JSONPath = []): FoundVariable | undefined {
  return findVariables(text, rootPath).find((found) => offset >= found.offset && offset <= found.offset + found.length);
}

/** Whether `${` was just typed at `offset` inside a string value under `rootPath`: where a variable's kind is completed. */
export function isVariableStart(text: string, offset: number, rootPath: JSONPath = []): boolean {
  if (text.slice(offset - 2, offset) !== '${' || text[offset - 3] === '$' || tooDeepAt(text) !== -1) return false;
  const location = getLocation(text, offset);
  const node = location.previousNode;
  return (
    !location.isAtPropertyKey &&
    node?.type === 'string' &&
    offset > node.offset &&
    offset < node.offset + node.length + 1 &&
    rootPath.every((key, index) => location.path[index] === key)
  );
}

function collect(text: string, node: Node, path: JSONPath, found: FoundVariable[]): void {
  if (found.length > MAX_VARIABLES) return;
  switch (node.type) {
    case 'string':
      if (typeof node.value === 'string' && mayHoldVariables(node.value)) found.push(...variablesInToken(text, node, path));
      return;
    case 'object':
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) collect(text, value, [...path, String(key.value)], found);
      }
      return;
    case 'array':
      (node.children ?? []).forEach((child, index) => collect(text, child, [...path, index], found));
      return;
  }
}

function variablesInToken(text: string, node: Node, path: JSONPath): FoundVariable[] {
  const rawStart = node.offset + 1;
  const { decoded, rawOffsets } = decodeJsonString(text.slice(rawStart, node.offset + node.length - 1));
  return piecesOf(decoded).flatMap((piece): FoundVariable[] => {
    if ('text' in piece) return [];
    const offset = rawStart + rawOffsets[piece.start];
    const place = { offset, length: rawStart + rawOffsets[piece.end] - offset, path, written: writtenOf(decoded, piece) };
    return ['variable' in piece ? { ...place, variable: piece.variable } : { ...place, bad: piece.bad }];
  });
}

function writtenOf(value: string, { start, end }: { start: number; end: number }): string {
  return end - start > MAX_WRITTEN_LENGTH ? `${value.slice(start, start + MAX_WRITTEN_LENGTH)}…` : value.slice(start, end);
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The value of a JSON string's raw content (between its quotes), and for each UTF-16 unit of the value
 * the offset in the raw content where it starts (one more entry: the raw length, for ends).
 */
export function decodeJsonString(raw: string): { decoded: string; rawOffsets: number[] } {
  let decoded = '';
  const rawOffsets: number[] = [];
  for (let index = 0; index < raw.length; ) {
    rawOffsets.push(index);
    if (raw[index] !== '\\') {
      decoded += raw[index++];
      continue;
    }
    const escaped = raw[index + 1];
    if (escaped === 'u') {
      decoded += String.fromCharCode(parseInt(raw.slice(index + 2, index + 6), 16) || 0);
      index += 6;
    } else {
      decoded += SIMPLE_ESCAPES[escaped] ?? escaped ?? '';
      index += 2;
    }
  }
  rawOffsets.push(raw.length);
  return { decoded, rawOffsets };
}

/** What stops an input's variables from being resolved, with what a sentence about it needs. */
export type VariableIssue =
  | { code: 'unresolvedVariable'; variable: Variable }
  | { code: 'badVariable'; reason: BadVariableReason; written: string }
  | { code: 'tooManyVariables'; max: number }
  | { code: 'variableValueTooLarge'; variable: Variable; megabytes: string; maxMegabytes: string };

export type VariableProblem = VariableIssue & {
  /** The JSON path of the string at fault (empty for tooManyVariables). */
  path: JSONPath;
  /** Where it is in the document, when the document was given: zero-based offset and length, one-based line and column. */
  offset?: number;
  length?: number;
  line?: number;
  column?: number;
};

export type ResolveResult = { ok: true; input: Record<string, unknown> } | { ok: false; problem: VariableProblem };

/** Gives a variable's value, or undefined when it has none (not set, or the user cancelled). */
export type VariableResolver = (variable: Variable) => Promise<string | undefined>;

/** Where the input was read from, so that problems point into the document. */
export interface InputSource {
  /** The JSON text the input was parsed from (a whole document, or a selection of it). */
  text: string;
  /** Where the input is in that text: `["input"]` in an input file, `[]` for editor JSON. */
  rootPath?: JSONPath;
  /** The whole document, when `text` is a part of it starting at `baseOffset`. */
  documentText?: string;
  baseOffset?: number;
}

/** The variables and bad `${…}` of a parsed input, each with its path and its index in its string. */
interface InputVariable {
  path: JSONPath;
  /** Index among the variables (and bad ones) of its string, to find its place in the document. */
  index: number;
  piece: Exclude<Piece, { text: string }>;
}

function variablesOfValue(value: unknown, path: JSONPath, found: InputVariable[]): void {
  if (found.length > MAX_VARIABLES) return;
  if (typeof value === 'string') {
    if (!mayHoldVariables(value)) return;
    let index = 0;
    for (const piece of piecesOf(value)) if (!('text' in piece)) found.push({ path, index: index++, piece });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => variablesOfValue(item, [...path, index], found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) variablesOfValue(item, [...path, key], found);
  }
}

/** The variables of an input (bad ones left out), for a batch to know what each run needs. */
export function variablesOf(input: Record<string, unknown>): Variable[] {
  const found: InputVariable[] = [];
  variablesOfValue(input, [], found);
  return found.flatMap(({ piece }) => ('variable' in piece ? [piece.variable] : []));
}

/**
 * A copy of a value whose strings read as text only: each `${` becomes `$${`, so that text from outside
 * (a server's output or defaults written into a new input file) never turns into a variable.
 */
export function escapeVariables<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$\{/g, '$$$${') as T;
  if (Array.isArray(value)) return value.map(escapeVariables) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeVariables(item)])) as T;
  return value;
}

/** The column names `${row:…}` refers to: the columns a batch's rows must have. */
export function referencedRows(input: Record<string, unknown>): Set<string> {
  return new Set(variablesOf(input).filter((variable) => variable.kind === 'row').map((variable) => variable.name));
}

/**
 * A copy of `input` with every variable replaced by its value; the template is never changed. Every
 * variable is checked before any is resolved (so that nothing is asked for an input that cannot be
 * sent), then resolved in order, stopping at the first without a value. Values are not scanned again.
 */
export async function resolveInput(input: Record<string, unknown>, resolve: VariableResolver, source?: InputSource): Promise<ResolveResult> {
  const found: InputVariable[] = [];
  variablesOfValue(input, [], found);
  const fail = (issue: VariableIssue, at?: InputVariable): ResolveResult => ({ ok: false, problem: locate(issue, at, source) });
  if (found.length > MAX_VARIABLES) return fail({ code: 'tooManyVariables', max: MAX_VARIABLES });
  const bad = found.find(({ piece }) => 'bad' in piece);
  if (bad && 'bad' in bad.piece) return fail({ code: 'badVariable', reason: bad.piece.bad, written: writtenOf(String(valueAt(input, bad.path)), bad.piece) }, bad);
  const values = new Map<InputVariable, string>();
  for (const at of found) {
    if (!('variable' in at.piece)) continue;
    const { variable } = at.piece;
    const value = await resolve(variable);
    if (value === undefined) return fail({ code: 'unresolvedVariable', variable }, at);
    const bytes = Buffer.byteLength(value);
    if (bytes > MAX_VARIABLE_VALUE_BYTES) {
      return fail({ code: 'variableValueTooLarge', variable, megabytes: megabytesOf(bytes), maxMegabytes: megabytesOf(MAX_VARIABLE_VALUE_BYTES) }, at);
    }
    values.set(at, value);
  }
  return { ok: true, input: substitute(input, [], found, values) as Record<string, unknown> };
}

function substitute(value: unknown, path: JSONPath, found: InputVariable[], values: Map<InputVariable, string>): unknown {
  if (typeof value === 'string') {
    if (!mayHoldVariables(value)) return value;
    const mine = found.filter((at) => samePath(at.path, path));
    let index = 0;
    return piecesOf(value)
      .map((piece) => ('text' in piece ? piece.text : values.get(mine[index++]) ?? ''))
      .join('');
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, [...path, index], found, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, [...path, key], found, values)]));
  }
  return value;
}

function valueAt(input: unknown, path: JSONPath): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], input);
}

function samePath(a: JSONPath, b: JSONPath): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/** The problem at the place of its variable in the document, when the document is known. */
function locate(issue: VariableIssue, at: InputVariable | undefined, source: InputSource | undefined): VariableProblem {
  const path = at?.path ?? [];
  if (!source || !at) return { ...issue, path };
  const rootPath = source.rootPath ?? [];
  const inString = findVariables(source.text, rootPath).filter((found) => samePath(found.path, [...rootPath, ...path]));
  const found = inString[at.index];
  if (!found) return { ...issue, path };
  const documentText = source.documentText ?? source.text;
  const offset = (source.baseOffset ?? 0) + found.offset;
  return { ...issue, path, offset, length: found.length, ...positionOf(documentText, offset) };
}

/**
 * Asks for each variable once per run: a prompt or a secret used twice (or in every row of a batch) is
 * asked for once. `${row:…}` is never cached, since each row has its own; a missing answer is not kept,
 * so that a cancelled question is asked again next time.
 */
export function resolveOnce(resolve: VariableResolver): VariableResolver {
  const known = new Map<string, Promise<string | undefined>>();
  return (variable) => {
    if (variable.kind === 'row') return resolve(variable);
    const key = `${variable.kind}:${variable.name}`;
    let value = known.get(key);
    if (!value) {
      value = resolve(variable);
      known.set(key, value);
      void value.then((found) => found === undefined && known.get(key) === value && known.delete(key), () => known.delete(key));
    }
    return value;
  };
}

/** `${row:Column}` from one row of a batch (its own columns only), everything else from `resolve`. */
export function withRow(resolve: VariableResolver, row: Readonly<Record<string, string>>): VariableResolver {
  return async (variable) => {
    if (variable.kind !== 'row') return resolve(variable);
    return Object.prototype.hasOwnProperty.call(row, variable.name) ? row[variable.name] : undefined;
  };
}

/** What stands in for a resolved value in text that may echo it (a message, an output). */
export const REDACTED = '••••';

/**
 * A resolver that keeps every value it gave (a row's cells aside: they are the user's data, not
 * secrets), with `redact`, which takes those values out of a text the server sent back.
 */
export function redactingResolver(resolve: VariableResolver): { resolve: VariableResolver; redact(text: string): string } {
  const values = new Set<string>();
  return {
    resolve: async (variable) => {
      const value = await resolve(variable);
      if (value && variable.kind !== 'row') values.add(value);
      return value;
    },
    redact: (text) => [...values].reduce((redacted, value) => redacted.split(value).join(REDACTED), text),
  };
}
