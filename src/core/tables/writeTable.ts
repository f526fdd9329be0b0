// Result files of batch runs: each input row as it was read, then its job's ID, status and message,
// then its output. CSV and .xlsx hold text, so a group (table) output item becomes one column per
// group column, `Item.column`, its rows as the lines of the cell (the way rows are read, rowInput.ts);
// JSON Lines keeps output as it is. Output comes from websites: it is treated as hostile.
import { clippedToDepth } from '../jsonDepth';
import { isPlainObject } from './json';
import { textLibraries, xlsxLibrary } from './libraries';

export interface ResultRow {
  /** The input row as it was read. */
  cells: Record<string, unknown>;
  jobId?: string;
  status?: 'succeeded' | 'failed' | 'running' | 'notStarted' | 'skipped' | string;
  message?: string;
  output?: Record<string, unknown> | null;
}

/** Excel's limit on the text of a cell; more makes it "repair" the file. */
export const MAX_XLSX_CELL_CHARS = 32_767;

type Source =
  | { kind: 'input'; column: string }
  | { kind: 'job'; field: 'jobId' | 'status' | 'message' }
  | { kind: 'output'; item: string }
  | { kind: 'outputGroup'; item: string; column: string };

interface ResultColumn {
  name: string;
  source: Source;
}

const JOB_COLUMNS = [
  { name: 'job_id', field: 'jobId' },
  { name: 'status', field: 'status' },
  { name: 'message', field: 'message' },
] as const;

/** The columns of a result file (CSV, xlsx): input columns, job_id, status, message, then output. */
export function resultColumns(rows: readonly ResultRow[]): string[] {
  return layoutOf(rows, true).map((column) => column.name);
}

/** Rows of a group item: an array of objects, and not empty in at least one row. */
function isGroup(values: unknown[]): boolean {
  const present = values.filter((value) => value !== undefined && value !== null);
  return present.some((value) => Array.isArray(value) && value.length > 0) && present.every((value) => Array.isArray(value) && value.every(isPlainObject));
}

function layoutOf(rows: readonly ResultRow[], flatten: boolean): ResultColumn[] {
  const columns: ResultColumn[] = [];
  const names = new Set<string>();
  // A name already taken (an output item called "status") gets a number, so that no column hides another.
  const add = (name: string, source: Source) => {
    let unique = name;
    for (let number = 2; names.has(unique); number++) unique = `${name}_${number}`;
    names.add(unique);
    columns.push({ name: unique, source });
  };
  for (const column of firstSeen(rows.map((row) => row.cells))) add(column, { kind: 'input', column });
  const isResult = rows.some((row) => row.jobId !== undefined || row.status !== undefined || row.message !== undefined || row.output !== undefined);
  if (isResult) for (const { name, field } of JOB_COLUMNS) add(name, { kind: 'job', field });
  const outputs = rows.map((row) => row.output ?? {});
  for (const item of firstSeen(outputs)) {
    const values = outputs.map((output) => output[item]);
    if (!flatten || !isGroup(values)) {
      add(item, { kind: 'output', item });
      continue;
    }
    const groupRows = values.flatMap((value) => (Array.isArray(value) ? (value as Record<string, unknown>[]) : []));
    for (const column of firstSeen(groupRows)) add(`${item}.${column}`, { kind: 'outputGroup', item, column });
  }
  return columns;
}

function firstSeen(objects: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const object of objects) for (const key of Object.keys(object)) keys.add(key);
  return [...keys];
}

/** A value as it is (JSON Lines), clipped to the depth everything else can take. */
function valueAt(row: ResultRow, source: Source): unknown {
  switch (source.kind) {
    case 'input':
      return row.cells[source.column];
    case 'job':
      return row[source.field];
    case 'output':
      return clippedToDepth(row.output?.[source.item]);
    case 'outputGroup': {
      const group = row.output?.[source.item];
      if (!Array.isArray(group)) return undefined;
      return group.map((groupRow) => textOf((groupRow as Record<string, unknown>)[source.column])).join('\n');
    }
  }
}

/** A value as the text or number of a cell: lists one entry per line, other structures as JSON. */
function cellOf(value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value.join('\n');
  return JSON.stringify(clippedToDepth(value));
}

function textOf(value: unknown): string {
  return String(cellOf(value) ?? '');
}

/** Text that Excel would take for a formula (=, +, -, @, tab, CR first) starts with ' instead. */
export function inertForSpreadsheet(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function flatRows(rows: readonly ResultRow[]): { columns: ResultColumn[]; cells: (string | number | boolean | undefined)[][] } {
  const columns = layoutOf(rows, true);
  return { columns, cells: rows.map((row) => columns.map((column) => cellOf(valueAt(row, column.source)))) };
}

/** CSV for Excel: UTF-8 with a BOM (else it reads Japanese as Shift_JIS), CRLF, cells of several lines quoted, none read as a formula. */
export async function toCsv(rows: readonly ResultRow[]): Promise<Uint8Array> {
  const { stringify } = await textLibraries();
  const { columns, cells } = flatRows(rows);
  const records = [columns.map((column) => column.name), ...cells].map((record) =>
    record.map((cell) => (typeof cell === 'string' ? inertForSpreadsheet(cell) : cell === undefined ? '' : String(cell))),
  );
  return new TextEncoder().encode(stringify(records, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
}

/** One JSON object a line, with the CSV's columns but output items as they are (groups not flattened). */
export function toJsonLines(rows: readonly ResultRow[]): Uint8Array {
  const columns = layoutOf(rows, false);
  const lines = rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((column) => [column.name, valueAt(row, column.source)]))));
  return new TextEncoder().encode(lines.map((line) => `${line}\n`).join(''));
}

/** Characters XML 1.0 cannot hold, which would make Excel refuse the file. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** An .xlsx workbook of one sheet: a bold, frozen header row; text always as text, multi-line cells wrapped. */
export async function toXlsx(rows: readonly ResultRow[], sheetName: string): Promise<Uint8Array> {
  const { writeExcelFile } = await xlsxLibrary();
  const { columns, cells } = flatRows(rows);
  const header = columns.map((column) => ({ value: xlsxText(column.name), type: String, fontWeight: 'bold' as const }));
  const data = cells.map((record) =>
    record.map((cell) => {
      if (cell === undefined || cell === '') return null;
      if (typeof cell !== 'string') return cell;
      // type String: never a formula, whatever the text starts with.
      const value = xlsxText(cell);
      return value.includes('\n') ? { value, type: String, wrap: true, alignVertical: 'top' as const } : { value, type: String };
    }),
  );
  const blob = await writeExcelFile([header, ...data], { sheet: sheetNameOf(sheetName), stickyRowsCount: 1 }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/** Text a cell can hold: characters XML cannot hold shown as "?" (write-excel-file would drop them, and U+FFFD too). */
function xlsxText(text: string): string {
  const clean = text.replace(NOT_XML, '?');
  return clean.length > MAX_XLSX_CELL_CHARS ? `${clean.slice(0, MAX_XLSX_CELL_CHARS - 1)}…` : clean;
}

/** A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\, not starting or ending with '. */
function sheetNameOf(name: string): string {
  const clean = name.replace(/[[\]:*?/\\]/g, ' ').replace(NOT_XML, '').slice(0, 31).replace(/^'+|'+$/g, '').trim();
  return clean || 'Sheet1';
}

/** The rows of one table (group) output item of a job, for exporting it alone: its columns, no job columns. */
export function tableOutputToRows(output: Record<string, unknown> | null | undefined, itemName: string): ResultRow[] {
  const group = output?.[itemName];
  if (!Array.isArray(group)) return [];
  return group.filter(isPlainObject).map((cells) => ({ cells }));
}
