// Rows from spreadsheets (CSV, TSV, JSON, JSON Lines, .xlsx), their mapping to BOT input, and result files.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import writeExcelFile, { type SheetData } from 'write-excel-file/universal';
import type { InputItem } from '../../src/core/inputItems';
import { CLIPPED, MAX_JSON_DEPTH } from '../../src/core/jsonDepth';
import { readTable } from '../../src/core/tables/readTable';
import { columnMapping, rowInputs } from '../../src/core/tables/rowInput';
import {
  MAX_CELL_BYTES,
  MAX_TABLE_BYTES,
  MAX_TABLE_COLUMNS,
  MAX_TABLE_ROWS,
  MAX_XLSX_PARTS,
  MAX_XLSX_SHEET_CELLS,
  MAX_XLSX_UNPACKED_BYTES,
  type Table,
  type TableResult,
} from '../../src/core/tables/table';
import { MAX_XLSX_CELL_CHARS, resultColumns, tableOutputToRows, toCsv, toJsonLines, toXlsx, type ResultRow } from '../../src/core/tables/writeTable';

const fixtures = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tables');
const fixture = (name: string) => readFileSync(join(fixtures, name));
const utf8 = (text: string) => new TextEncoder().encode(text);

function table(result: TableResult): Table {
  if (!result.ok) assert.fail(`not read: ${JSON.stringify(result.problem)}`);
  return result.table;
}

function problem(result: TableResult) {
  assert.equal(result.ok, false, 'a problem');
  return (result as Extract<TableResult, { ok: false }>).problem;
}

async function workbook(rows: SheetData): Promise<Uint8Array> {
  return new Uint8Array(await (await writeExcelFile(rows, { sheet: 'Orders' }).toBlob()).arrayBuffer());
}

/** A zip of deflated parts, each part's unpacked size as declared (`declared`) or true. */
function zipOf(parts: Record<string, string | Buffer>, declared?: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const content = Buffer.from(text);
    const packed = deflateRawSync(content);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declared ?? content.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declared ?? content.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a zip as text, by name. */
function partsOf(zip: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(zip);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const parts = new Map<string, string>();
  let offset = bytes.readUInt32LE(end + 16);
  for (let index = 0; index < bytes.readUInt16LE(end + 10); index++) {
    const name = bytes.toString('utf8', offset + 46, offset + 46 + bytes.readUInt16LE(offset + 28));
    const local = bytes.readUInt32LE(offset + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const packed = bytes.subarray(start, start + bytes.readUInt32LE(offset + 20));
    parts.set(name, (bytes.readUInt16LE(offset + 10) === 8 ? inflateRawSync(packed) : packed).toString('utf8'));
    offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return parts;
}

const SPREADSHEET = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A workbook as Excel writes it, of the sheets given as their <sheetData> and shared strings as their
 * <si>: styles 1 and 2 are a date and a date with a time.
 */
function excelWorkbook(sheets: string[], sharedStrings: string[] = []): Buffer {
  const sheetParts = Object.fromEntries(
    sheets.map((sheetData, index) => [`xl/worksheets/sheet${index + 1}.xml`, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SPREADSHEET}">${sheetData}</worksheet>`]),
  );
  const relationship = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${RELATIONSHIPS}/${type}" Target="${target}"/>`;
  return zipOf({
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${SPREADSHEET}" xmlns:r="${RELATIONSHIPS}"><sheets>${sheets
      .map((_, index) => `<sheet name="Sheet${index + 1}" sheetId="${index + 1}" r:id="rId${index + 3}"/>`)
      .join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${[
      relationship('rId1', 'styles', 'styles.xml'),
      relationship('rId2', 'sharedStrings', 'sharedStrings.xml'),
      ...sheets.map((_, index) => relationship(`rId${index + 3}`, 'worksheet', `worksheets/sheet${index + 1}.xml`)),
    ].join('')}</Relationships>`,
    'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${SPREADSHEET}"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${SPREADSHEET}" count="${sharedStrings.length}">${sharedStrings.map((si) => `<si>${si}</si>`).join('')}</sst>`,
    ...sheetParts,
  });
}

describe('reading rows from files', () => {
  it('reads Japanese Excel CSV in Shift_JIS (CP932), NEC and IBM extensions included', async () => {
    const bytes = iconv.encode('顧客名,注文番号\r\n山田太郎,A-1\r\n①～髙,B-2\r\n', 'cp932');
    const read = table(await readTable(bytes, 'orders.csv'));
    assert.equal(read.encoding, 'shift_jis');
    assert.deepEqual(read.columns, ['顧客名', '注文番号']);
    assert.deepEqual(read.rows, [
      { line: 2, cells: { 顧客名: '山田太郎', 注文番号: 'A-1' } },
      { line: 3, cells: { 顧客名: '①～髙', 注文番号: 'B-2' } },
    ]);
  });

  it('names Shift_JIS it cannot decode, where Node has no converter for it, instead of throwing', async () => {
    const platformDecoder = globalThis.TextDecoder;
    // Node built with small ICU: only UTF-8 and UTF-16 decode.
    globalThis.TextDecoder = class extends platformDecoder {
      constructor(label?: string, options?: TextDecoderOptions) {
        if (label && !/^utf-?8$/i.test(label)) throw new RangeError(`The "${label}" encoding is not supported`);
        super(label, options);
      }
    };
    try {
      assert.deepEqual(problem(await readTable(iconv.encode('名前\r\n山田\r\n', 'cp932'), 'x.csv')), { code: 'encodingUnsupported' });
      assert.equal(table(await readTable(utf8('名前\n山田\n'), 'x.csv')).encoding, 'utf-8');
    } finally {
      globalThis.TextDecoder = platformDecoder;
    }
  });

  it('reads UTF-8 CSV with a BOM: cells over several lines, rows numbered by the line they start on', async () => {
    const read = table(await readTable(fixture('orders-bom.csv'), 'orders.CSV'));
    assert.equal(read.format, 'csv');
    assert.equal(read.encoding, 'utf-8');
    assert.deepEqual(read.columns, ['顧客名', '注文番号', 'Orders.sku', 'Orders.qty']);
    assert.deepEqual(read.rows, [
      { line: 2, cells: { 顧客名: '山田太郎', 注文番号: 'A-1', 'Orders.sku': 'A\r\nB', 'Orders.qty': '1\r\n2' } },
      { line: 6, cells: { 顧客名: '佐藤花子', 注文番号: 'A-2', 'Orders.sku': 'C', 'Orders.qty': '3' } },
    ]);
  });

  it('reads TSV; a row with fewer cells leaves the rest out', async () => {
    const read = table(await readTable(fixture('people.tsv'), 'people.tab'));
    assert.equal(read.format, 'tsv');
    assert.deepEqual(read.rows, [
      { line: 2, cells: { name: 'Alice', city: 'Tokyo', note: 'two\nlines' } },
      { line: 4, cells: { name: 'Bob', city: 'Osaka' } },
    ]);
  });

  it('takes any line ends, quotes inside unquoted cells as text, and leaves out rows of empty cells', async () => {
    const read = table(await readTable(utf8('a,b\r1,5" screen\n,\r\n2,x\r\n'), 'x.csv'));
    assert.deepEqual(read.rows, [
      { line: 2, cells: { a: '1', b: '5" screen' } },
      { line: 4, cells: { a: '2', b: 'x' } },
    ]);
  });

  it('trims header names, and leaves out a nameless column that holds nothing', async () => {
    const read = table(await readTable(utf8(' a , b ,,\n1,2,,\n'), 'x.csv'));
    assert.deepEqual(read.columns, ['a', 'b']);
    assert.deepEqual(read.rows, [{ line: 2, cells: { a: '1', b: '2' } }]);
  });

  it('reads a JSON array of objects: columns in first-seen order, values kept as they are', async () => {
    const read = table(await readTable(fixture('orders.json'), 'orders.json'));
    assert.deepEqual(read.columns, ['顧客名', 'Orders', 'count', 'vip', 'Tags']);
    assert.deepEqual(read.rows[0], { line: 1, cells: { 顧客名: '山田太郎', Orders: [{ sku: 'A', qty: '1' }], count: 2, vip: true } });
    assert.deepEqual(read.rows[1], { line: 2, cells: { 顧客名: '佐藤花子', Tags: ['x', 'y'] } });
  });

  it('reads JSON with a BOM', async () => {
    assert.deepEqual(table(await readTable(utf8('\ufeff[{"a": "b"}]'), 'x.json')).rows, [{ line: 1, cells: { a: 'b' } }]);
  });

  it('reads JSON Lines, skipping blank lines, and names the line that is not JSON', async () => {
    assert.deepEqual(problem(await readTable(fixture('bad-line.jsonl'), 'people.jsonl')), { code: 'syntax', error: 'PropertyNameExpected', line: 4 });
    const read = table(await readTable(utf8('{"name": "Alice"}\r\n\r\n{"name": "Bob", "age": 30}\n'), 'people.ndjson'));
    assert.deepEqual(read.rows, [
      { line: 1, cells: { name: 'Alice' } },
      { line: 3, cells: { name: 'Bob', age: 30 } },
    ]);
  });

  it('reads the first sheet of a workbook: values, dates as ISO text, formulas as their result, rich text as text', async () => {
    const strings = ['<t>name</t>', '<t>qty</t>', '<t>paid</t>', '<t>due</t>', '<t>at</t>', '<t>total</t>', '<t>note</t>', '<t>link</t>'];
    const header = strings.map((_, index) => `<c r="${String.fromCharCode(65 + index)}1" t="s"><v>${index}</v></c>`).join('');
    strings.push('<t>山田</t>', '<r><rPr><b/></rPr><t xml:space="preserve">bold </t></r><r><t>plain</t></r>', '<t>site</t>', '<t>佐藤</t>', '<t>other</t>');
    const bytes = excelWorkbook(
      [
        `<sheetData><row r="1">${header}</row><row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2"><v>3</v></c><c r="C2" t="b"><v>1</v></c>` +
          '<c r="D2" s="1"><v>46027</v></c><c r="E2" s="2"><v>46027.395833333336</v></c><c r="F2"><f>B2*2</f><v>6</v></c>' +
          '<c r="G2" t="s"><v>9</v></c><c r="H2" t="s"><v>10</v></c></row><row r="3"><c r="A3" s="1"/></row><row r="4"><c r="A4" t="s"><v>11</v></c></row></sheetData>' +
          '<hyperlinks><hyperlink ref="H2" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></hyperlinks>',
        '<sheetData><row r="1"><c r="A1" t="s"><v>12</v></c></row></sheetData>',
      ],
      strings,
    );
    const read = table(await readTable(bytes, 'orders.xlsx'));
    assert.equal(read.format, 'xlsx');
    assert.deepEqual(read.columns, ['name', 'qty', 'paid', 'due', 'at', 'total', 'note', 'link']);
    assert.deepEqual(read.rows, [
      { line: 2, cells: { name: '山田', qty: 3, paid: true, due: '2026-01-05', at: '2026-01-05T09:30:00', total: 6, note: 'bold plain', link: 'site' } },
      { line: 4, cells: { name: '佐藤' } },
    ]);
  });

  it('takes the header from the first row with a value, and keeps spaces in text', async () => {
    const bytes = excelWorkbook(['<sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>a</t></is></c></row><row r="4"><c r="B4" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row></sheetData>']);
    assert.deepEqual(table(await readTable(bytes, 'x.xlsx')).rows, [{ line: 4, cells: { a: ' x ' } }]);
  });

  it('names what is wrong with the header: none, a name twice, a column of values without a name', async () => {
    assert.equal(problem(await readTable(utf8(''), 'x.csv')).code, 'noHeader');
    assert.deepEqual(problem(await readTable(utf8('a, b,a\n'), 'x.csv')), { code: 'duplicateColumn', column: 'a', line: 1 });
    assert.deepEqual(problem(await readTable(utf8('a,,c\n1,2,3\n'), 'x.csv')), { code: 'emptyColumnName', position: 2, line: 1 });
    assert.deepEqual(problem(await readTable(await workbook([['a', 'a']]), 'x.xlsx')), { code: 'duplicateColumn', column: 'a', row: 1 });
  });

  it('names the line of a row with more cells than the header, and where a quote is left open', async () => {
    assert.deepEqual(problem(await readTable(utf8('a,b\n1,2\n\n1,2,3\n'), 'x.csv')), { code: 'extraCells', cells: 3, columns: 2, line: 4 });
    assert.deepEqual(problem(await readTable(utf8('a,b\n1,"2\n3,4\n'), 'x.csv')), { code: 'syntax', error: 'CSV_QUOTE_NOT_CLOSED', line: 2 });
  });

  it('takes JSON rows that are objects only, from UTF-8 only', async () => {
    assert.deepEqual(problem(await readTable(utf8('{"a": 1}'), 'x.json')), { code: 'notArray' });
    assert.deepEqual(problem(await readTable(utf8('[{"a": 1}, 2]'), 'x.json')), { code: 'notObjectRow', item: 2 });
    assert.deepEqual(problem(await readTable(utf8('{"a": 1}\n[1]\n'), 'x.jsonl')), { code: 'notObjectRow', line: 2 });
    assert.deepEqual(problem(await readTable(iconv.encode('[{"名前": "山田"}]', 'cp932'), 'x.json')), { code: 'notUtf8' });
  });

  it('names a workbook without a sheet', async () => {
    assert.deepEqual(problem(await readTable(excelWorkbook([]), 'x.xlsx')), { code: 'unreadableWorkbook', reason: 'noSheet' });
  });

  it('refuses unknown formats and workbooks that are not zip files', async () => {
    assert.deepEqual(problem(await readTable(utf8('a'), 'rows.xls')), { code: 'unsupportedFormat', extension: 'xls' });
    assert.deepEqual(problem(await readTable(utf8('a'), 'rows')), { code: 'unsupportedFormat', extension: '' });
    assert.deepEqual(problem(await readTable(utf8('a'), 'rows.constructor')), { code: 'unsupportedFormat', extension: 'constructor' });
    assert.deepEqual(problem(await readTable(utf8('a,b\n'), 'rows.xlsx')), { code: 'unreadableWorkbook', reason: 'notZip' });
  });

  describe('bounds', () => {
    it('file size', async () => {
      assert.equal(problem(await readTable(new Uint8Array(MAX_TABLE_BYTES + 1), 'x.csv')).code, 'tooLarge');
    });

    it('rows, in every format', async () => {
      const csv = `a\n${'1\n'.repeat(MAX_TABLE_ROWS + 1)}`;
      assert.equal(table(await readTable(utf8(`a\n${'1\n'.repeat(MAX_TABLE_ROWS)}`), 'x.csv')).rows.length, MAX_TABLE_ROWS);
      assert.deepEqual(problem(await readTable(utf8(csv), 'x.csv')), { code: 'tooManyRows', max: MAX_TABLE_ROWS });
      assert.equal(problem(await readTable(utf8('{"a":1}\n'.repeat(MAX_TABLE_ROWS + 1)), 'x.jsonl')).code, 'tooManyRows');
      assert.equal(problem(await readTable(utf8(`[${Array(MAX_TABLE_ROWS + 1).fill('{"a":1}').join(',')}]`), 'x.json')).code, 'tooManyRows');
      assert.equal(problem(await readTable(await workbook([['a'], ...Array.from({ length: MAX_TABLE_ROWS + 1 }, () => [1])]), 'x.xlsx')).code, 'tooManyRows');
    });

    it('columns, in every format', async () => {
      const names = Array.from({ length: MAX_TABLE_COLUMNS + 1 }, (_, index) => `c${index}`);
      assert.deepEqual(problem(await readTable(utf8(`${names.join(',')}\n`), 'x.csv')), { code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
      assert.equal(problem(await readTable(utf8(JSON.stringify([Object.fromEntries(names.map((name) => [name, 1]))])), 'x.json')).code, 'tooManyColumns');
      assert.equal(problem(await readTable(await workbook([names]), 'x.xlsx')).code, 'tooManyColumns');
    });

    it("a cell's size", async () => {
      const big = 'x'.repeat(MAX_CELL_BYTES + 1);
      assert.deepEqual(problem(await readTable(utf8(`a,b\n1,2\n1,${big}\n`), 'x.csv')), { code: 'cellTooLarge', column: 'b', maxMegabytes: '1.0', line: 3 });
      assert.deepEqual(problem(await readTable(utf8(JSON.stringify([{ a: [big] }])), 'x.json')), { code: 'cellTooLarge', column: 'a', maxMegabytes: '1.0', item: 1 });
    });

    it('JSON depth', async () => {
      const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
      assert.deepEqual(problem(await readTable(utf8(`{"a":1}\n{"a":${deep}}\n`), 'x.jsonl')), { code: 'tooDeep', max: MAX_JSON_DEPTH, line: 2 });
      assert.equal(problem(await readTable(utf8(deep), 'x.json')).code, 'tooDeep');
    });

    it('what a workbook unpacks to, whatever sizes it declares (zip bombs)', async () => {
      const zeros = Buffer.alloc(MAX_XLSX_UNPACKED_BYTES + 1);
      assert.deepEqual(problem(await readTable(zipOf({ 'xl/worksheets/sheet1.xml': zeros }), 'bomb.xlsx')), { code: 'unreadableWorkbook', reason: 'tooLargeUnpacked' });
      assert.deepEqual(problem(await readTable(zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(1024 * 1024) }, 100), 'liar.xlsx')), {
        code: 'unreadableWorkbook',
        reason: 'tooLargeUnpacked',
      });
      const manyParts = zipOf({ a: Buffer.alloc(1) });
      manyParts.writeUInt16LE(MAX_XLSX_PARTS + 1, manyParts.length - 12);
      assert.deepEqual(problem(await readTable(manyParts, 'parts.xlsx')), { code: 'unreadableWorkbook', reason: 'tooLargeUnpacked' });
      // The same zip telling the truth gets past the check, to the library (which finds no workbook in it).
      assert.deepEqual(problem(await readTable(zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(1024 * 1024) }), 'honest.xlsx')), { code: 'unreadableWorkbook', reason: 'corrupt' });
    });

    it('the area a sheet spans, from A1 to its farthest row and column, in any sheet and however written', async () => {
      const sheet = (rows: string) => excelWorkbook([`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>${rows}</sheetData>`]);
      const spanning = (reference: string) => sheet(`<row r="${reference.replace(/^[A-Z]+/, '')}"><c r="${reference}"><v>1</v></c></row>`);
      // 2,000 × 2,000 = 4,000,000 cells: the bound, read (and refused for its columns); one row more is not read.
      assert.equal(MAX_XLSX_SHEET_CELLS, 4_000_000);
      assert.deepEqual(problem(await readTable(spanning('BXX2000'), 'x.xlsx')), { code: 'tooManyColumns', max: MAX_TABLE_COLUMNS });
      const tooLarge = { code: 'unreadableWorkbook', reason: 'sheetTooLarge' };
      assert.deepEqual(problem(await readTable(spanning('BXX2001'), 'x.xlsx')), tooLarge);
      assert.deepEqual(problem(await readTable(spanning('XFD1048576'), 'x.xlsx')), tooLarge);
      assert.deepEqual(problem(await readTable(sheet('<row r="4000001"/>'), 'x.xlsx')), tooLarge);
      assert.deepEqual(problem(await readTable(sheet('<x:row spans=">" r="4000001"/>'), 'x.xlsx')), tooLarge);
      assert.deepEqual(problem(await readTable(excelWorkbook(['<sheetData/>', '<sheetData><row r="4000001"/></sheetData>']), 'x.xlsx')), tooLarge);
      // References the library would read as numbers far away, or that this check cannot read.
      for (const row of ['<row r="1e9"/>', '<row r=" 9"/>', '<row r="&#49;0000000"/>', '<row r="0x3fffff"/>', '<c r="a1"/>', '<c r="A1" oops/>']) {
        assert.deepEqual(problem(await readTable(sheet(row), 'x.xlsx')), { code: 'unreadableWorkbook', reason: 'corrupt' }, row);
      }
    });
  });
});

const items: InputItem[] = [
  { name: '顧客名', kind: 'text', columns: [] },
  { name: 'Orders', kind: 'group', columns: [{ name: 'sku', kind: 'text', columns: [] }, { name: 'qty', kind: 'text', columns: [] }] },
  { name: 'Tags', kind: 'list', columns: [] },
  { name: 'Attachments', kind: 'files', columns: [] },
];

function tableOf(columns: string[], ...rows: Record<string, unknown>[]): Table {
  return { format: 'csv', columns, rows: rows.map((cells, index) => ({ line: index + 2, cells })) };
}

describe('rows as BOT input', () => {
  it('maps columns to items, group columns, ${row:…} variables, or nothing', () => {
    const columns = ['顧客名', 'Orders.sku', 'Orders.qty', 'Orders.color', 'Region', 'Notes'];
    assert.deepEqual(columnMapping(columns, items, new Set(['Region'])), [
      { column: '顧客名', target: { kind: 'item', item: '顧客名' } },
      { column: 'Orders.sku', target: { kind: 'groupColumn', item: 'Orders', column: 'sku' } },
      { column: 'Orders.qty', target: { kind: 'groupColumn', item: 'Orders', column: 'qty' } },
      { column: 'Orders.color', target: { kind: 'unknown' } },
      { column: 'Region', target: { kind: 'rowVariable' } },
      { column: 'Notes', target: { kind: 'unknown' } },
    ]);
  });

  it('fills a group from `Item.column` cells, one group row per line', async () => {
    const read = table(await readTable(fixture('orders-bom.csv'), 'orders.csv'));
    assert.deepEqual(
      rowInputs(read, items, new Set()).map(({ line, input, problems }) => ({ line, input, problems })),
      [
        { line: 2, input: { 顧客名: '山田太郎', Orders: [{ sku: 'A', qty: '1' }, { sku: 'B', qty: '2' }] }, problems: [] },
        { line: 6, input: { 顧客名: '佐藤花子', Orders: [{ sku: 'C', qty: '3' }] }, problems: [] },
      ],
    );
  });

  it('takes JSON cells for groups, lists and files, a list one value per line, and text from numbers', () => {
    const rows = rowInputs(
      tableOf(
        ['顧客名', 'Orders', 'Tags', 'Attachments'],
        { 顧客名: 42, Orders: ' [{"sku": "A", "qty": "1"}] ', Tags: '["a", "b"]', Attachments: '{"type": "files", "files": []}' },
        { 顧客名: true, Tags: 'a\nb\n' },
        { Orders: [{ sku: 'B' }], Tags: ['c'] },
      ),
      items,
      new Set(),
    );
    assert.deepEqual(
      rows.map((row) => row.input),
      [
        { 顧客名: '42', Orders: [{ sku: 'A', qty: '1' }], Tags: ['a', 'b'], Attachments: { type: 'files', files: [] } },
        { 顧客名: 'true', Tags: ['a', 'b'] },
        { Orders: [{ sku: 'B' }], Tags: ['c'] },
      ],
    );
    assert.ok(rows.every((row) => !row.problems.length));
  });

  it('takes a list cell that only looks like JSON as lines, and an item of unknown kind as text', () => {
    const loose: InputItem[] = [...items, { name: 'Free', columns: [] }, { name: 'Lines', kind: 'group', columns: [] }];
    const [row] = rowInputs(tableOf(['Tags', 'Free', 'Lines.any'], { Tags: '[draft] report', Free: 7, 'Lines.any': 'x\ny' }), loose, new Set());
    assert.deepEqual(row, { line: 2, input: { Tags: ['[draft] report'], Free: '7', Lines: [{ any: 'x' }, { any: 'y' }] }, problems: [] });
  });

  it('leaves an item out when its cell is empty, so that a default applies', () => {
    const [row] = rowInputs(tableOf(['顧客名', 'Orders.sku', 'Tags'], { 顧客名: '', 'Orders.sku': '' }), items, new Set());
    assert.deepEqual(row.input, {});
  });

  it('fails a row alone for a value of the wrong kind, bad JSON, ragged group columns or a group given twice', () => {
    const rows = rowInputs(
      tableOf(
        ['顧客名', 'Orders', 'Orders.sku', 'Orders.qty', 'Tags', 'Attachments'],
        { 顧客名: 'ok' },
        { Tags: '[1, 2]', Attachments: 'report.pdf', 顧客名: ['x'] },
        { Orders: '[{"sku": }]' },
        { 'Orders.sku': 'A\nB', 'Orders.qty': '1' },
        { Orders: '[{"sku": "A"}]', 'Orders.sku': 'B' },
      ),
      items,
      new Set(),
    );
    assert.deepEqual(rows[0], { line: 2, input: { 顧客名: 'ok' }, problems: [] });
    assert.deepEqual(rows[1].problems, [
      { code: 'wrongKind', kind: 'text', line: 3, item: '顧客名', column: '顧客名' },
      { code: 'wrongKind', kind: 'list', line: 3, item: 'Tags', column: 'Tags' },
      { code: 'wrongKind', kind: 'files', line: 3, item: 'Attachments', column: 'Attachments' },
    ]);
    assert.deepEqual(rows[2].problems, [{ code: 'badJsonCell', error: 'ValueExpected', line: 4, item: 'Orders', column: 'Orders' }]);
    assert.deepEqual(rows[3].problems, [
      { code: 'raggedGroup', line: 5, item: 'Orders', lines: [{ column: 'Orders.sku', count: 2 }, { column: 'Orders.qty', count: 1 }] },
    ]);
    assert.deepEqual(rows[4].problems, [{ code: 'groupTwice', line: 6, item: 'Orders', column: 'Orders' }]);
  });

  it('without an input definition, maps every column by name as text and flags nothing', () => {
    const read = tableOf(['a', 'b.c'], { a: 1, 'b.c': 'x' });
    assert.deepEqual(columnMapping(read.columns, [], new Set()), [
      { column: 'a', target: { kind: 'item', item: 'a' } },
      { column: 'b.c', target: { kind: 'item', item: 'b.c' } },
    ]);
    assert.deepEqual(rowInputs(read, [], new Set()), [{ line: 2, input: { a: '1', 'b.c': 'x' }, problems: [] }]);
  });
});

const results: ResultRow[] = [
  {
    cells: { 顧客名: '山田太郎', 注文番号: 'A-1' },
    jobId: 'job-1',
    status: 'succeeded',
    message: '',
    output: { 合計: 1200, Items: [{ sku: 'A', price: '=1+1' }, { sku: 'B', price: 300 }], Links: ['https://a', 'https://b'], Meta: { k: 1 } },
  },
  { cells: { 顧客名: '佐藤花子', 注文番号: '-2', status: 'x' }, jobId: 'job-2', status: 'failed', message: '@SUM(A1)', output: null },
];

describe('result files', () => {
  it('has the input columns, job_id, status, message, then output with groups one column per group column', () => {
    assert.deepEqual(resultColumns(results), ['顧客名', '注文番号', 'status', 'job_id', 'status_2', 'message', '合計', 'Items.sku', 'Items.price', 'Links', 'Meta']);
  });

  it('writes CSV for Excel: UTF-8 with a BOM, CRLF, group rows as lines, formula-like text made inert', async () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await toCsv(results));
    assert.equal(
      text,
      '\ufeff顧客名,注文番号,status,job_id,status_2,message,合計,Items.sku,Items.price,Links,Meta\r\n' +
        '山田太郎,A-1,,job-1,succeeded,,1200,"A\nB","\'=1+1\n300","https://a\nhttps://b","{""k"":1}"\r\n' +
        "佐藤花子,'-2,x,job-2,failed,'@SUM(A1),,,,,\r\n",
    );
  });

  it('reads back the Japanese CSV it writes', async () => {
    const rows: ResultRow[] = [{ cells: { 顧客名: '山田太郎', 備考: '①～\n二行目', 数量: '3' } }];
    const read = table(await readTable(await toCsv(rows), 'back.csv'));
    assert.equal(read.encoding, 'utf-8');
    assert.deepEqual(
      read.rows.map((row) => row.cells),
      rows.map((row) => row.cells),
    );
  });

  it('writes JSON Lines with output as it is', () => {
    const lines = new TextDecoder().decode(toJsonLines(results)).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[0]), {
      顧客名: '山田太郎',
      注文番号: 'A-1',
      job_id: 'job-1',
      status_2: 'succeeded',
      message: '',
      ...results[0].output,
    });
  });

  it('writes a workbook that reads back the same: bold frozen header, text never a formula, multi-line cells wrapped', async () => {
    const bytes = await toXlsx(results, 'Results: 2026/1/5');
    const read = table(await readTable(bytes, 'back.xlsx'));
    assert.deepEqual(read.columns, resultColumns(results));
    assert.deepEqual(read.rows[0].cells, {
      顧客名: '山田太郎',
      注文番号: 'A-1',
      job_id: 'job-1',
      status_2: 'succeeded',
      合計: 1200,
      'Items.sku': 'A\nB',
      'Items.price': '=1+1\n300',
      Links: 'https://a\nhttps://b',
      Meta: '{"k":1}',
    });
    assert.deepEqual(read.rows[1].cells, { 顧客名: '佐藤花子', 注文番号: '-2', status: 'x', job_id: 'job-2', status_2: 'failed', message: '@SUM(A1)' });
    const parts = partsOf(bytes);
    assert.match(parts.get('xl/workbook.xml') ?? '', /<sheet [^>]*name="Results {2}2026 1 5"/);
    const sheet = parts.get('xl/worksheets/sheet1.xml') ?? '';
    assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    const styles = parts.get('xl/styles.xml') ?? '';
    const formats = [...styles.replace(/^[^]*<cellXfs[^>]*>/, '').matchAll(/<xf\b[^>]*>(?:(?!<\/xf>|<xf\b)[^])*(?:<\/xf>)?/g)].map((match) => match[0]);
    const fonts = [...styles.matchAll(/<font>[^]*?<\/font>/g)].map((match) => match[0]);
    const cell = (reference: string) => new RegExp(`<c r="${reference}"([^>]*)>([^]*?)</c>`).exec(sheet) ?? assert.fail(`no cell ${reference}`);
    const formatOf = (reference: string) => formats[Number(/s="(\d+)"/.exec(cell(reference)[1])?.[1] ?? 0)];
    const fontId = Number(/fontId="(\d+)"/.exec(formatOf('A1'))?.[1] ?? 0);
    assert.match(fonts[fontId], /<b\/>/, 'the header is bold');
    assert.match(cell('I2')[1], /t="(s|inlineStr|str)"/, 'text, not a formula');
    assert.doesNotMatch(cell('I2')[2], /<f>/);
    assert.match(formatOf('I2'), /wrapText="1"/);
    assert.doesNotMatch(formatOf('A2'), /wrapText/);
  });

  it('keeps hostile output within what the files can hold: depth, characters XML cannot hold, Excel\'s cell size', async () => {
    const deep = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 10)}${']'.repeat(MAX_JSON_DEPTH + 10)}`) as unknown;
    const rows: ResultRow[] = [{ cells: {}, status: 'succeeded', output: { deep, odd: 'a\u0000b\u001fc', long: 'x'.repeat(MAX_XLSX_CELL_CHARS + 5) } }];
    assert.ok(new TextDecoder().decode(toJsonLines(rows)).includes(JSON.stringify(CLIPPED)));
    const read = table(await readTable(await toXlsx(rows, 'x'), 'x.xlsx'));
    assert.equal(read.rows[0].cells.odd, 'a?b?c');
    assert.equal((read.rows[0].cells.long as string).length, MAX_XLSX_CELL_CHARS);
    assert.ok((read.rows[0].cells.deep as string).includes(CLIPPED));
  });

  it('exports one table output item of a job as rows of its own columns', async () => {
    const rows = tableOutputToRows(results[0].output, 'Items');
    assert.deepEqual(resultColumns(rows), ['sku', 'price']);
    assert.equal(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await toCsv(rows)), "\ufeffsku,price\r\nA,'=1+1\r\nB,300\r\n");
    assert.deepEqual(tableOutputToRows(results[0].output, 'Links'), []);
  });
});
