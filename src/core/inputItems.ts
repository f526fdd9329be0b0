// A BOT's input items (from its definition, `GET …/bots/{id}?properties=input`) applied to an input
// file: the names to complete inside "input", their descriptions, and values of the wrong kind. The
// definition's shape is not documented (type, description, default, columns are what was seen), so
// anything unreadable is skipped rather than reported. No `vscode` here.
import { findNodeAtLocation, getLocation, parseTree, type Node } from 'jsonc-parser';
import { tooDeepAt } from './jsonDepth';

export type ItemKind = 'text' | 'list' | 'group' | 'files';

export interface InputItem {
  name: string;
  kind?: ItemKind;
  description?: string;
  default?: unknown;
  columns: InputItem[];
}

/** What is wrong with a value of "input", with what a sentence about it needs. */
export type ItemIssue =
  /** `owner` is the BOT's label, or `"group"` for a row of a group; `names` are its items. */
  | { code: 'unknownItem'; owner: string; name: string; names: string[] }
  | { code: 'wrongKind'; name: string; kind: ItemKind };

export type ItemProblem = ItemIssue & {
  offset: number;
  length: number;
  /** Unknown names are warnings (Cloud BOT may ignore them); values of the wrong kind are errors. */
  severity: 'error' | 'warning';
};

const KINDS: readonly string[] = ['text', 'list', 'group', 'files'];

export function inputItemsOf(definition: unknown): InputItem[] {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return [];
  return Object.entries(definition as Record<string, unknown>).map(([name, value]) => {
    const item = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    return {
      name,
      kind: typeof item.type === 'string' && KINDS.includes(item.type) ? (item.type as ItemKind) : undefined,
      description: typeof item.description === 'string' ? item.description : undefined,
      default: item.default,
      columns: inputItemsOf(item.columns),
    };
  });
}

function hasKind(node: Node, kind: ItemKind): boolean {
  switch (kind) {
    case 'text':
      return node.type === 'string';
    case 'list':
      return node.type === 'array' && (node.children ?? []).every((child) => child.type === 'string');
    case 'group':
      return node.type === 'array' && (node.children ?? []).every((child) => child.type === 'object');
    case 'files': {
      const type = findNodeAtLocation(node, ['type']);
      const files = findNodeAtLocation(node, ['files']);
      return node.type === 'object' && type?.value === 'files' && files?.type === 'array';
    }
  }
}

/** Problems of an input file's "input" (and of group rows' columns) against the BOT's items. */
export function checkInputItems(text: string, items: readonly InputItem[], botLabel: string): ItemProblem[] {
  // Too deep to parse safely: running the file says so (parseInputFile); nothing to check here.
  if (tooDeepAt(text) !== -1) return [];
  const root = parseTree(text);
  const input = root && findNodeAtLocation(root, ['input']);
  if (!input || input.type !== 'object' || !items.length) return [];
  return checkObject(input, items, botLabel);
}

function checkObject(object: Node, items: readonly InputItem[], owner: string): ItemProblem[] {
  const problems: ItemProblem[] = [];
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value) continue;
    const name = String(key.value);
    const item = items.find((candidate) => candidate.name === name);
    if (!item) {
      problems.push({
        code: 'unknownItem',
        owner,
        name,
        names: items.map((i) => i.name),
        offset: key.offset,
        length: key.length,
        severity: 'warning',
      });
      continue;
    }
    if (item.kind && !hasKind(value, item.kind)) {
      problems.push({
        code: 'wrongKind',
        name,
        kind: item.kind,
        offset: value.offset,
        length: value.length,
        severity: 'error',
      });
      continue;
    }
    if (item.kind === 'group' && item.columns.length) {
      for (const row of value.children ?? []) problems.push(...checkObject(row, item.columns, `"${name}"`));
    }
  }
  return problems;
}

/**
 * The items to suggest at `offset`: inside "input" (or inside a row of a group), at a property name,
 * leaving out the names already there. Undefined when the place is not one for an item name.
 */
export function itemsAt(text: string, offset: number, items: readonly InputItem[]): InputItem[] | undefined {
  if (tooDeepAt(text) !== -1) return undefined;
  const location = getLocation(text, offset);
  if (!location.isAtPropertyKey || location.path[0] !== 'input') return undefined;
  const path = location.path.slice(1, -1);
  let candidates: readonly InputItem[] = items;
  // ["Orders", 0] is a row of the group "Orders".
  if (path.length === 2 && typeof path[0] === 'string' && typeof path[1] === 'number') {
    candidates = items.find((item) => item.name === path[0])?.columns ?? [];
  } else if (path.length) {
    return undefined;
  }
  const root = parseTree(text);
  const here = root && findNodeAtLocation(root, location.path.slice(0, -1));
  const present = new Set((here?.children ?? []).map((property) => String(property.children?.[0]?.value)));
  const current = location.path.at(-1);
  return candidates.filter((item) => !present.has(item.name) || item.name === current);
}

/** The item whose name or value is at `offset`, for a hover. */
export function itemAt(text: string, offset: number, items: readonly InputItem[]): InputItem | undefined {
  if (tooDeepAt(text) !== -1) return undefined;
  const { path } = getLocation(text, offset);
  if (path[0] !== 'input' || typeof path[1] !== 'string') return undefined;
  const item = items.find((candidate) => candidate.name === path[1]);
  if (item && path.length >= 4 && typeof path[2] === 'number' && typeof path[3] === 'string') {
    return item.columns.find((column) => column.name === path[3]) ?? item;
  }
  return item;
}

/** The value an item name completes to: its default, or an empty value of its kind. */
export function initialValueOf(item: InputItem): unknown {
  if (item.default !== undefined) return item.default;
  switch (item.kind) {
    case 'list':
      return [];
    case 'group':
      return [Object.fromEntries(item.columns.map((column) => [column.name, initialValueOf(column)]))];
    case 'files':
      return { type: 'files', files: [] };
    default:
      return '';
  }
}
