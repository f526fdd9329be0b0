// Rows of a spreadsheet for batch runs: CSV/TSV (UTF-8, or Shift_JIS as Japanese Excel writes it), JSON,
// JSON Lines and .xlsx, read into named columns with each row's place in the file. The file is someone
// else's: every size is bounded, and what cannot be read is a structured problem, not a throw.
import { megabytesOf } from '../errors';
import { positionOf } from '../jsonInput';
import { MAX_JSON_DEPTH } from '../jsonDepth';
import { isPlainObject, parseJson } from './json';
import { textLibraries } from './libraries';
import { readWorkbook } from './readXlsx';
import { fail, MAX_CELL_BYTES, MAX_TABLE_BYTES, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, type RawRow, type Table, type TableFormat, type TableProblem, type TableResult, type TableRow } from './table';

const FORMATS = new Map<string, TableFormat>([
  ['csv', 'csv'],
  ['tsv', 'tsv'],
  ['tab', 'tsv'],
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['ndjson', 'jsonl'],
  ['xlsx', 'xlsx'],
]);

function extensionOf(fileName: string): string {
  return /\.([^./\\]+)$/.exec(fileName)?.[1] ?? '';
}

export function tableFormatOf(fileName: string): TableFormat | undefined {
  return FORMATS.get(extensionOf(fileName).toLowerCase());
}

export async function readTable(bytes: Uint8Array, fileName: string): Promise<TableResult> {
  const format = tableFormatOf(fileName);
  if (!format) return fail({ code: 'unsupportedFormat', extension: extensionOf(fileName) });
  if (bytes.byteLength > MAX_TABLE_BYTES) {
    return fail({ code: 'tooLarge', megabytes: megabytesOf(bytes.byteLength), maxMegabytes: megabytesOf(MAX_TABLE_BYTES) });
  }
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(bytes, format);
    case 'json':
    case 'jsonl': {
      const text = utf8(bytes);
      if (text === undefined) return fail({ code: 'notUtf8' });
      return format === 'json' ? readJsonArray(text) : readJsonLines(text);
    }
    case 'xlsx': {
      const read = await readWorkbook(bytes);
      return read.ok ? tableOf('xlsx', read.header, read.rows, undefined, 'row') : read;
    }
  }
}

/** UTF-8 text without its BOM, or undefined when the bytes are not UTF-8. */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Japanese Excel's "CSV": Windows-31J (CP932), Shift_JIS with the NEC and IBM extensions, which is what
 * the platform's 'shift_jis' decodes. Undefined where Node was built without the converter (small ICU).
 */
function shiftJis(bytes: Uint8Array): string | undefined {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('shift_jis');
  } catch {
    return undefined;
  }
  return decoder.decode(bytes);
}

async function readDelimited(bytes: Uint8Array, format: 'csv' | 'tsv'): Promise<TableResult> {
  const { parse } = await textLibraries();
  let text = utf8(bytes);
  let encoding: Table['encoding'] = 'utf-8';
  if (text === undefined) {
    text = shiftJis(bytes);
    if (text === undefined) return fail({ code: 'encodingUnsupported' });
    encoding = 'shift_jis';
  }
  let records: { record: string[]; info: { bytes: number } }[];
  // csv-parse counts the line breaks inside quoted cells twice, so lines are counted here, from where
  // each record ends (in UTF-8 bytes, as csv-parse counts).
  const lines = lineCounter(Buffer.from(text));
  try {
    records = parse(text, {
      delimiter: format === 'tsv' ? '\t' : ',',
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
      relax_column_count: true,
      // A quote inside a cell that does not start with one is text (5" screen), as Excel reads it.
      relax_quotes: true,
      skip_empty_lines: true,
      // One record more than the bound is enough to know there are too many.
      to: MAX_TABLE_ROWS + 2,
    }) as unknown as typeof records;
  } catch (error) {
    const { code, bytes } = error as { code?: string; bytes?: number };
    return fail({ code: 'syntax', error: code ?? 'CSV_INVALID', line: bytes === undefined ? undefined : lines.lineAt(bytes, false) });
  }
  let end = 0;
  const rows: RawRow[] = records.map(({ record, info }) => {
    // A record starts after the previous one and the empty lines skipped since.
    const line = lines.lineAt(end, true);
    end = info.bytes;
    return { line, values: record };
  });
  const [header, ...data] = rows;
  if (!header) return fail({ code: 'noHeader' });
  return tableOf(format, header, data, encoding, 'line');
}

/**
 * The 1-based line of byte offsets met in increasing order, after line breaks (CRLF, LF or CR) when
 * `skipBreaks` (a record starts at the first line that is not empty).
 */
function lineCounter(bytes: Buffer): { lineAt(offset: number, skipBreaks: boolean): number } {
  const CR = 0x0d;
  const LF = 0x0a;
  let position = 0;
  let line = 1;
  const step = () => {
    if (bytes[position] === LF || (bytes[position] === CR && bytes[position + 1] !== LF)) line++;
    position++;
  };
  return {
    lineAt(offset, skipBreaks) {
      while (position < offset && position < bytes.length) step();
      while (skipBreaks && (bytes[position] === CR || bytes[position] === LF)) step();
      return line;
    },
  };
}

function readJsonArray(text: string): TableResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(jsonProblem(parsed, text));
  if (!Array.isArray(parsed.value)) return fail({ code: 'notArray' });
  return objectRows('json', parsed.value.map((value, index) => ({ line: index + 1, value })), 'item');
}

function readJsonLines(text: string): TableResult {
  const values: { line: number; value: unknown }[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].trim()) continue;
    const parsed = parseJson(lines[index]);
    if (!parsed.ok) return fail({ ...jsonProblem(parsed, lines[index]), line: index + 1 });
    values.push({ line: index + 1, value: parsed.value });
    if (values.length > MAX_TABLE_ROWS) return fail({ code: 'tooManyRows', max: MAX_TABLE_ROWS });
  }
  return objectRows('jsonl', values, 'line');
}

function jsonProblem(failed: { error: string; offset: number }, text: string): TableProblem {
  const { line } = positionOf(text, failed.offset);
  return failed.error === 'tooDeep' ? { code: 'tooDeep', max: MAX_JSON_DEPTH, line } : { code: 'syntax', error: failed.error, line };
}

/** Rows that are JSON objects: their keys, in first-seen order, are the columns. */
function objectRows(format: 'json' | 'jsonl', values: { line: number; value: unknown }[], place: 'line' | 'item'): TableResult {
  if (values.length > MAX_TABLE_ROWS) return fail({ code: 'tooManyRows', max: MAX_TABLE_ROWS });
  const columns = new Set<string>();
  const rows: TableRow[] = [];
  for (const { line, value } of values) {
    if (!isPlainObject(value)) return fail({ code: 'notObjectRow', [place]: line });
    for (const [column, cell] of Object.entries(value)) {
      columns.add(column);
      if (columns.size > MAX_TABLE_COLUMNS) return fail({ code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
      if (sizeOf(cell) > MAX_CELL_BYTES) return fail({ code: 'cellTooLarge', column, maxMegabytes: megabytesOf(MAX_CELL_BYTES), [place]: line });
    }
    rows.push({ line, cells: value });
  }
  return { ok: true, table: { format, columns: [...columns], rows } };
}

function sizeOf(cell: unknown): number {
  if (cell === undefined || cell === null) return 0;
  return Buffer.byteLength(typeof cell === 'string' ? cell : JSON.stringify(cell));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * A table from a header row and data rows (CSV, TSV, xlsx). Header names are trimmed; a column without
 * a name is left out when it holds nothing (Excel keeps stray empty columns), and is a problem otherwise.
 * Rows are counted before empty ones are left out: the bound is on what is read.
 */
export function tableOf(format: TableFormat, header: RawRow, data: RawRow[], encoding: Table['encoding'], place: 'line' | 'row'): TableResult {
  if (data.length > MAX_TABLE_ROWS) return fail({ code: 'tooManyRows', max: MAX_TABLE_ROWS });
  const names = header.values.map((value) => (isEmpty(value) ? '' : String(value).trim()));
  if (names.every((name) => !name)) return fail({ code: 'noHeader', [place]: header.line });
  const kept: { index: number; name: string }[] = [];
  for (const [index, name] of names.entries()) {
    if (!name) {
      if (data.some((row) => !isEmpty(row.values[index]))) return fail({ code: 'emptyColumnName', position: index + 1, [place]: header.line });
      continue;
    }
    if (kept.some((column) => column.name === name)) return fail({ code: 'duplicateColumn', column: name, [place]: header.line });
    kept.push({ index, name });
  }
  if (kept.length > MAX_TABLE_COLUMNS) return fail({ code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
  const rows: TableRow[] = [];
  for (const { line, values } of data) {
    // Rows of empty cells (",,," or formatted but empty in a sheet) are no rows.
    if (values.every(isEmpty)) continue;
    let cellCount = values.length;
    while (cellCount > 0 && isEmpty(values[cellCount - 1])) cellCount--;
    if (cellCount > names.length) return fail({ code: 'extraCells', cells: cellCount, columns: names.length, [place]: line });
    const cells: Record<string, unknown> = {};
    for (const { index, name } of kept) {
      const value = values[index];
      if (value === undefined) continue;
      if (sizeOf(value) > MAX_CELL_BYTES) return fail({ code: 'cellTooLarge', column: name, maxMegabytes: megabytesOf(MAX_CELL_BYTES), [place]: line });
      cells[name] = value;
    }
    rows.push({ line, cells });
  }
  return { ok: true, table: { format, encoding, columns: kept.map((column) => column.name), rows } };
}
