// The first sheet of an .xlsx workbook as rows of values, for readTable. read-excel-file unpacks the
// whole file in memory, and makes a cell of every place from A1 to a sheet's last cell, so the zip is
// checked first, by its own reading: a few MB can unpack to GBs (a zip bomb), and the sizes a zip declares
// may lie, so each part is inflated once with its declared size as the limit; a few bytes can name a
// cell a million rows down, so no part may name cells over a bounded area.
import { inflateRawSync } from 'node:zlib';
import { xlsxLibrary } from './libraries';
import { fail, MAX_TABLE_COLUMNS, MAX_XLSX_PARTS, MAX_XLSX_SHEET_CELLS, MAX_XLSX_UNPACKED_BYTES, type RawRow, type TableProblem } from './table';

export type WorkbookRows = { ok: true; header: RawRow; rows: RawRow[] } | { ok: false; problem: TableProblem };

export async function readWorkbook(bytes: Uint8Array): Promise<WorkbookRows> {
  const checked = checkZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (checked) return fail({ code: 'unreadableWorkbook', reason: checked });
  const { readSheet, SheetNotFoundError } = await xlsxLibrary();
  let sheet: unknown[][];
  try {
    // Its universal entry takes an ArrayBuffer of the file alone (a copy); text as it is, not trimmed.
    sheet = await readSheet(new Uint8Array(bytes).buffer, { trim: false });
  } catch (error) {
    return fail({ code: 'unreadableWorkbook', reason: error instanceof SheetNotFoundError ? 'noSheet' : 'corrupt' });
  }
  // Every row is as long as the longest (padded with nulls).
  if ((sheet[0]?.length ?? 0) > MAX_TABLE_COLUMNS) return fail({ code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
  // Rows without a value are no rows (as in CSV); the header is the first row with one.
  const rows: RawRow[] = [];
  for (const [index, values] of sheet.entries()) {
    if (values.some((value) => value !== null)) rows.push({ line: index + 1, values: values.map(valueOf) });
  }
  const [header, ...data] = rows;
  if (!header) return fail({ code: 'noHeader' });
  return { ok: true, header, rows: data };
}

/** A cell as text, number or boolean (formulas are read as their last result, rich text as its text): dates as ISO text. */
function valueOf(value: unknown): unknown {
  if (value === null) return undefined;
  return value instanceof Date ? isoText(value) : value;
}

/** Excel's dates have no time zone (read-excel-file reads them as UTC): the date, and the time when there is one. */
function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, iso.endsWith('.000Z') ? 19 : 23);
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

type ZipProblem = 'notZip' | 'tooLargeUnpacked' | 'sheetTooLarge' | 'corrupt';

/**
 * Why the zip must not be unpacked, or undefined when its parts unpack to what they declare, within the
 * bound, and name cells within a bounded area.
 */
function checkZip(zip: Buffer): ZipProblem | undefined {
  // The end-of-directory record is in the last 64 KB + 22 bytes (its comment is at most 64 KB).
  const searchFrom = Math.max(0, zip.length - 0xffff - 22);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < searchFrom || end + 22 > zip.length || zip.readUInt32LE(end) !== END_OF_DIRECTORY) return 'notZip';
  const count = zip.readUInt16LE(end + 10);
  if (count > MAX_XLSX_PARTS) return 'tooLargeUnpacked';
  let offset = zip.readUInt32LE(end + 16);
  let total = 0;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== DIRECTORY_ENTRY) return 'notZip';
    const method = zip.readUInt16LE(offset + 10);
    const packed = zip.readUInt32LE(offset + 20);
    const unpacked = zip.readUInt32LE(offset + 24);
    const local = zip.readUInt32LE(offset + 42);
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    // 0xffffffff: the sizes are in a ZIP64 record, which no workbook of a bounded size needs.
    total += unpacked;
    if (unpacked === 0xffffffff || total > MAX_XLSX_UNPACKED_BYTES) return 'tooLargeUnpacked';
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_HEADER) return 'notZip';
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + packed > zip.length) return 'notZip';
    let part = zip.subarray(start, start + packed);
    if (method === 8) {
      try {
        part = inflateRawSync(part, { maxOutputLength: Math.max(unpacked, 1) });
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'tooLargeUnpacked' : 'notZip';
      }
    } else if (method !== 0) {
      return 'notZip';
    }
    const area = cellAreaOf(part.toString('latin1'));
    if (area === undefined) return 'corrupt';
    if (area > MAX_XLSX_SHEET_CELLS) return 'sheetTooLarge';
  }
  return undefined;
}

/** A row or cell element (<row>, <c>, with or without a namespace prefix), up to its first attribute. */
const ROW_OR_CELL = /<(?:[\w.-]+:)?(?:row|c)(?=[\s/>])/g;
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*\/?>/y;
/** A cell's place (A1), or a row's number; anything else in an `r` attribute (1e9, &#65;1, " 9") is refused. */
const REFERENCE = /^([A-Z]{0,3})([1-9][0-9]{0,6})$/;

/**
 * The area from A1 to the farthest row and column that the rows and cells of an XML part name, or
 * undefined when one of them cannot be read as such. Any part is read, as read-excel-file finds the
 * first sheet through the workbook's relationships; comments are read too: it only ever errs on the
 * side of a larger area.
 */
function cellAreaOf(xml: string): number | undefined {
  let rows = 0;
  let columns = 0;
  for (const element of xml.matchAll(ROW_OR_CELL)) {
    let at = element.index + element[0].length;
    for (let attribute; (ATTRIBUTE.lastIndex = at), (attribute = ATTRIBUTE.exec(xml)); at = ATTRIBUTE.lastIndex) {
      if (attribute[1].replace(/^.*:/, '') !== 'r') continue;
      const reference = REFERENCE.exec(attribute[2] ?? attribute[3]);
      if (!reference) return undefined;
      rows = Math.max(rows, Number(reference[2]));
      columns = Math.max(columns, columnNumber(reference[1]));
    }
    TAG_END.lastIndex = at;
    if (!TAG_END.test(xml)) return undefined;
  }
  return rows * Math.max(columns, 1);
}

/** A column's number from its letters (A 1, Z 26, AA 27), 0 for none. */
function columnNumber(letters: string): number {
  let number = 0;
  for (const letter of letters) number = number * 26 + letter.charCodeAt(0) - 64;
  return number;
}
