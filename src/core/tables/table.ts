// What a table read from a file is, its bounds, and the problems that keep a file from being read.

export const MAX_TABLE_BYTES = 20 * 1024 * 1024;
export const MAX_TABLE_ROWS = 10_000;
export const MAX_TABLE_COLUMNS = 200;
export const MAX_CELL_BYTES = 1024 * 1024;
/** What all the parts of an .xlsx workbook (a zip) may unpack to together. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
/**
 * The area (rows × columns, from A1) that a sheet of an .xlsx workbook may span: it is read as that many
 * cells, empty ones included. A dense sheet within MAX_XLSX_UNPACKED_BYTES spans less.
 */
export const MAX_XLSX_SHEET_CELLS = 4_000_000;
/** Parts in an .xlsx workbook (a real one has a few dozen). */
export const MAX_XLSX_PARTS = 1_000;

export type TableFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'xlsx';

export interface TableRow {
  /** The 1-based line (CSV, TSV, JSON Lines), item (JSON array) or sheet row (xlsx) it comes from. */
  line: number;
  cells: Record<string, unknown>;
}

export interface Table {
  format: TableFormat;
  encoding?: 'utf-8' | 'shift_jis';
  columns: string[];
  rows: TableRow[];
}

/**
 * What keeps a file from being read. `line` is a line of a text file; `item` the 1-based place in a JSON
 * array; `row` a sheet row of a workbook; `column` a header name; `position` a 1-based column number.
 */
export type TableProblem = (
  | { code: 'unsupportedFormat'; extension: string }
  | { code: 'tooLarge'; megabytes: string; maxMegabytes: string }
  | { code: 'tooManyRows'; max: number }
  | { code: 'tooManyColumns'; max: number }
  | { code: 'cellTooLarge'; column: string; maxMegabytes: string }
  | { code: 'noHeader' }
  | { code: 'duplicateColumn'; column: string }
  | { code: 'emptyColumnName'; position: number }
  /** More cells than the header has names. */
  | { code: 'extraCells'; cells: number; columns: number }
  /** `error` is the parser's name for it (CSV_QUOTE_NOT_CLOSED, CommaExpected…). */
  | { code: 'syntax'; error: string }
  | { code: 'notArray' }
  | { code: 'notObjectRow' }
  | { code: 'tooDeep'; max: number }
  | { code: 'notUtf8' }
  /** CSV or TSV that is not UTF-8, on a host whose Node cannot decode Shift_JIS (built without the converter). */
  | { code: 'encodingUnsupported' }
  /** A workbook that cannot be opened, has no sheet, would unpack to more than its bound, or names cells over a larger area than its bound. */
  | { code: 'unreadableWorkbook'; reason: 'notZip' | 'noSheet' | 'tooLargeUnpacked' | 'sheetTooLarge' | 'corrupt' }
) & { line?: number; item?: number; row?: number };

export type TableResult = { ok: true; table: Table } | { ok: false; problem: TableProblem };

/** Cells of one row in file order, before they are named by the header. */
export interface RawRow {
  line: number;
  values: unknown[];
}

export function fail(problem: TableProblem): { ok: false; problem: TableProblem } {
  return { ok: false, problem };
}
