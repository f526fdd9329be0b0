// The first sheet of an .xlsx workbook as rows of values, for readTable. exceljs unpacks the whole file
// in memory, so the zip is checked first: a few MB can unpack to GBs (a zip bomb), and the sizes a zip
// declares may lie, so each part is inflated once with its declared size as the limit.
import { inflateRawSync } from 'node:zlib';
import { xlsxLibrary } from './libraries';
import { fail, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, MAX_XLSX_PARTS, MAX_XLSX_UNPACKED_BYTES, type RawRow, type TableProblem } from './table';

export type WorkbookRows = { ok: true; header: RawRow; rows: RawRow[] } | { ok: false; problem: TableProblem };

export async function readWorkbook(bytes: Uint8Array): Promise<WorkbookRows> {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checked = checkZip(zip);
  if (checked) return fail({ code: 'unreadableWorkbook', reason: checked });
  const { Workbook } = await xlsxLibrary();
  const workbook = new Workbook();
  try {
    // exceljs declares its own Buffer type; it reads Node's.
    await workbook.xlsx.load(zip as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    return fail({ code: 'unreadableWorkbook', reason: 'corrupt' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fail({ code: 'unreadableWorkbook', reason: 'noSheet' });
  const rows: RawRow[] = [];
  let tooWide = false;
  sheet.eachRow((row, rowNumber) => {
    if (rows.length > MAX_TABLE_ROWS + 1 || tooWide) return;
    const values: unknown[] = [];
    row.eachCell((cell, columnNumber) => {
      if (columnNumber > MAX_TABLE_COLUMNS) tooWide = true;
      else values[columnNumber - 1] = valueOf(cell.value);
    });
    rows.push({ line: rowNumber, values });
  });
  if (tooWide) return fail({ code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
  const [header, ...data] = rows;
  if (!header) return fail({ code: 'noHeader' });
  return { ok: true, header, rows: data };
}

/** A cell as text, number or boolean: dates as ISO text, formulas as their last result, rich text as plain text. */
function valueOf(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return isoText(value);
  if (typeof value !== 'object') return value;
  const cell = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string; formula?: string; sharedFormula?: string };
  if (cell.richText) return cell.richText.map((run) => run.text).join('');
  if ('formula' in cell || 'sharedFormula' in cell) return valueOf(cell.result);
  // A hyperlink: its text (itself rich text at times), not its address.
  if ('text' in cell) return valueOf(cell.text);
  if (cell.error) return cell.error;
  return undefined;
}

/** Excel's dates have no time zone (exceljs reads them as UTC): the date, and the time when there is one. */
function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, iso.endsWith('.000Z') ? 19 : 23);
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** Why the zip must not be unpacked, or undefined when its parts unpack to what they declare, within the bound. */
function checkZip(zip: Buffer): 'notZip' | 'tooLargeUnpacked' | undefined {
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
    if (method === 8) {
      try {
        inflateRawSync(zip.subarray(start, start + packed), { maxOutputLength: Math.max(unpacked, 1) });
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'tooLargeUnpacked' : 'notZip';
      }
    } else if (method !== 0) {
      return 'notZip';
    }
  }
  return undefined;
}
