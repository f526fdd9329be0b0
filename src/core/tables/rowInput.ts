// A table's rows as BOT input: each column goes to the input item of its name, `Item.column` columns
// fill the rows of a group item line by line (as Excel shows several lines in a cell), and a cell may
// hold JSON for a list, group or files item. A row that cannot be input fails alone.
import type { InputItem, ItemKind } from '../inputItems';
import { isPlainObject, parseJson } from './json';
import type { Table } from './table';

export type ColumnTarget =
  | { kind: 'item'; item: string }
  /** A column of the rows of a group item, from a header `Item.column`. */
  | { kind: 'groupColumn'; item: string; column: string }
  /** Used by the batch's template as `${row:Column}` only. */
  | { kind: 'rowVariable' }
  /** Used by nothing: a warning, shown once for the column. */
  | { kind: 'unknown' };

export interface ColumnMapping {
  column: string;
  target: ColumnTarget;
}

/** Why one row cannot be input; the row fails, the others go on. `line` is the row's (TableRow.line). */
export type RowProblem = { line: number; item: string } & (
  | { code: 'wrongKind'; column: string; kind: ItemKind }
  /** `error` is jsonc-parser's name for it (CommaExpected…), or `tooDeep`. */
  | { code: 'badJsonCell'; column: string; error: string }
  /** The `Item.column` cells of the row have different numbers of lines. */
  | { code: 'raggedGroup'; lines: { column: string; count: number }[] }
  /** Both the group's own column (JSON) and its `Item.column` columns have values. */
  | { code: 'groupTwice'; column: string }
);

export interface RowInput {
  line: number;
  input: Record<string, unknown>;
  problems: RowProblem[];
}

/** How each column maps: to an item, a group's column, a `${row:…}` variable, or nothing. */
export function columnMapping(columns: readonly string[], items: readonly InputItem[], referenced: ReadonlySet<string>): ColumnMapping[] {
  return columns.map((column) => ({ column, target: targetOf(column, items, referenced) }));
}

function targetOf(column: string, items: readonly InputItem[], referenced: ReadonlySet<string>): ColumnTarget {
  // Without an input definition every column is an item of its name.
  if (!items.length || items.some((item) => item.name === column)) return { kind: 'item', item: column };
  for (const item of items) {
    if (item.kind !== 'group' || !column.startsWith(`${item.name}.`)) continue;
    const name = column.slice(item.name.length + 1);
    if (!item.columns.length || item.columns.some((candidate) => candidate.name === name)) return { kind: 'groupColumn', item: item.name, column: name };
  }
  return referenced.has(column) ? { kind: 'rowVariable' } : { kind: 'unknown' };
}

/** Each row's input; cells left empty leave their item out, so that a default applies. */
export function rowInputs(table: Table, items: readonly InputItem[], referenced: ReadonlySet<string>): RowInput[] {
  const mapping = columnMapping(table.columns, items, referenced);
  const kinds = new Map(items.map((item) => [item.name, item.kind]));
  return table.rows.map(({ line, cells }) => {
    const input: Record<string, unknown> = {};
    const problems: RowProblem[] = [];
    const groupCells = new Map<string, { column: string; name: string; value: unknown }[]>();
    for (const { column, target } of mapping) {
      const value = cells[column];
      if (isEmptyCell(value)) continue;
      if (target.kind === 'groupColumn') {
        groupCells.set(target.item, [...(groupCells.get(target.item) ?? []), { column, name: target.column, value }]);
      } else if (target.kind === 'item') {
        const converted = valueFor(value, kinds.get(target.item));
        if ('problem' in converted) problems.push({ ...converted.problem, line, item: target.item, column });
        else input[target.item] = converted.value;
      }
    }
    for (const [item, columns] of groupCells) {
      if (item in input) problems.push({ code: 'groupTwice', line, item, column: item });
      else if (!problems.some((problem) => problem.item === item)) {
        const rows = groupRows(columns);
        if (Array.isArray(rows)) input[item] = rows;
        else problems.push({ code: 'raggedGroup', line, item, lines: rows.lines });
      }
    }
    return { line, input, problems };
  });
}

function isEmptyCell(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A cell's lines: "A\nB" is two, and a line break at its very end makes no line of its own. */
function linesOf(value: unknown): string[] {
  return textOf(value).replace(/\r?\n$/, '').split(/\r?\n/);
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function groupRows(cells: { column: string; name: string; value: unknown }[]): Record<string, string>[] | { lines: { column: string; count: number }[] } {
  const split = cells.map((cell) => ({ ...cell, lines: linesOf(cell.value) }));
  const count = split[0].lines.length;
  if (split.some((cell) => cell.lines.length !== count)) return { lines: split.map((cell) => ({ column: cell.column, count: cell.lines.length })) };
  return Array.from({ length: count }, (_, index) => Object.fromEntries(split.map((cell) => [cell.name, cell.lines[index]])));
}

type Converted = { value: unknown } | { problem: { code: 'wrongKind'; kind: ItemKind } | { code: 'badJsonCell'; error: string } };

/** A cell as the value of an item of `kind`; an item of unknown kind takes numbers and booleans as text, JSON values as they are. */
function valueFor(cell: unknown, kind: ItemKind | undefined): Converted {
  const wrong = (): Converted => ({ problem: { code: 'wrongKind', kind: kind! } });
  const scalar = typeof cell !== 'object';
  switch (kind) {
    case undefined:
      return { value: scalar ? textOf(cell) : cell };
    case 'text':
      return scalar ? { value: textOf(cell) } : wrong();
    case 'list': {
      const value = structured(cell, '[', ']');
      if (value === undefined) return { value: linesOf(cell) };
      if ('problem' in value) return value;
      return Array.isArray(value.value) && value.value.every((entry) => typeof entry === 'string') ? value : wrong();
    }
    case 'group': {
      const value = structured(cell, '[', ']');
      if (value === undefined || 'problem' in value) return value ?? wrong();
      return Array.isArray(value.value) && value.value.every(isPlainObject) ? value : wrong();
    }
    case 'files': {
      const value = structured(cell, '{', '}');
      if (value === undefined || 'problem' in value) return value ?? wrong();
      const files = value.value as { type?: unknown; files?: unknown };
      return isPlainObject(files) && files.type === 'files' && Array.isArray(files.files) ? value : wrong();
    }
  }
}

/**
 * A cell that is JSON for a list, group or files item: already structured (from a JSON table), or text
 * that opens and closes with the brackets. Undefined when it is plain text.
 */
function structured(cell: unknown, open: string, close: string): Converted | undefined {
  if (typeof cell === 'object') return { value: cell };
  const text = textOf(cell).trim();
  if (!text.startsWith(open) || !text.endsWith(close)) return undefined;
  const parsed = parseJson(text);
  return parsed.ok ? { value: parsed.value } : { problem: { code: 'badJsonCell', error: parsed.error } };
}
