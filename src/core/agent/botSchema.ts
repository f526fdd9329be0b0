// A BOT's input items as a JSON Schema for agents, and an input value checked against them before
// anything is sent. It reads the definition as the input-file IntelliSense does (inputItems.ts), but is
// stricter: an agent that names an item the BOT lacks has guessed, so that is an error here, not a
// warning. No `vscode` here.
import type { InputItem, ItemKind } from '../inputItems';
import { isPlainObject } from '../tables/json';

export type JsonSchema = { [keyword: string]: unknown };

/** One thing wrong with an input, at `item` (`Orders[0].Item`; empty for the input as a whole). */
export interface InputValueProblem {
  item: string;
  message: string;
}

const FILES_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'files'],
  properties: {
    type: { const: 'files' },
    files: { type: 'array', items: { type: 'object', required: ['ref'], properties: { ref: { type: 'string', description: 'Reference of a file uploaded to Cloud BOT beforehand.' } } } },
  },
};

const KIND_TEXT: Record<ItemKind, string> = {
  text: 'text (a string)',
  list: 'a list (an array of strings)',
  group: 'a group (an array of row objects)',
  files: 'files ({"type": "files", "files": [{"ref": "…"}]})',
};

/**
 * The schema of a BOT's `input`. `known` is false when the BOT's definition could not be read: then any
 * object is accepted, since Cloud BOT itself is the judge.
 */
export function inputSchemaOf(items: readonly InputItem[], known = true): JsonSchema {
  if (!known) return { type: 'object', description: 'The BOT did not say which input items it takes.' };
  return objectSchema(items);
}

function objectSchema(items: readonly InputItem[]): JsonSchema {
  return { type: 'object', properties: Object.fromEntries(items.map((item) => [item.name, itemSchema(item)])), additionalProperties: false };
}

function itemSchema(item: InputItem): JsonSchema {
  const schema: JsonSchema = kindSchema(item);
  if (item.description) schema.description = item.description;
  if (item.default !== undefined) schema.default = item.default;
  return schema;
}

function kindSchema(item: InputItem): JsonSchema {
  switch (item.kind) {
    case 'text':
      return { type: 'string' };
    case 'list':
      return { type: 'array', items: { type: 'string' } };
    case 'group':
      return { type: 'array', items: item.columns.length ? objectSchema(item.columns) : { type: 'object' } };
    case 'files':
      return { ...FILES_SCHEMA };
    default:
      return {};
  }
}

/** Problems of `input` against the BOT's items; none when it may be sent. */
export function checkInputValue(input: unknown, items: readonly InputItem[], known = true, at = ''): InputValueProblem[] {
  if (!isPlainObject(input)) return [{ item: at, message: `${at ? `"${at}"` : 'The input'} must be a JSON object keyed by input item names.` }];
  if (!known) return [];
  const problems: InputValueProblem[] = [];
  for (const [name, value] of Object.entries(input)) {
    const path = at ? `${at}.${name}` : name;
    const item = items.find((candidate) => candidate.name === name);
    if (!item) {
      problems.push({ item: path, message: `"${name}" is not an input item of this BOT. Its items are: ${items.map((i) => `"${i.name}"`).join(', ') || 'none'}.` });
    } else if (item.kind && !hasKind(value, item.kind)) {
      problems.push({ item: path, message: `"${path}" must be ${KIND_TEXT[item.kind]}.` });
    } else if (item.kind === 'group' && item.columns.length) {
      (value as unknown[]).forEach((row, index) => problems.push(...checkInputValue(row, item.columns, true, `${path}[${index}]`)));
    }
  }
  return problems;
}

function hasKind(value: unknown, kind: ItemKind): boolean {
  switch (kind) {
    case 'text':
      return typeof value === 'string';
    case 'list':
      return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
    case 'group':
      return Array.isArray(value) && value.every(isPlainObject);
    case 'files':
      return isPlainObject(value) && value.type === 'files' && Array.isArray(value.files);
  }
}
