// The .vsix as users get it: built by `npm run package` and read back entry by entry.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '..', '..', '..');

interface ZipEntry {
  name: string;
  /** What the entry takes in the zip file: its data, local header and central directory entry. */
  zipBytes: number;
  /** The file's own size. */
  size: number;
}

/** The entries of a zip file's central directory, by name. */
function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'a central directory entry');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const entryLength = 46 + nameLength + extraLength + zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const localLength = 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({ name: zip.toString('utf8', offset + 46, offset + 46 + nameLength), zipBytes: zip.readUInt32LE(offset + 20) + localLength + entryLength, size: zip.readUInt32LE(offset + 24) });
    offset += entryLength;
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

describe('the packaged extension (.vsix)', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'cloudbot-vsix-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the minified bundles, media, manifest, translations and docs, and nothing else, in 300 KB at most besides 100 KB of walkthrough images', async () => {
    const { packageExtension } = (await import(pathToFileURL(join(root, 'scripts', 'package.mjs')).href)) as {
      packageExtension(out: string): Promise<{ path: string; bytes: number }>;
    };
    const { path, bytes } = await packageExtension(join(dir, 'cloudbot-vscode.vsix'));
    const entries = zipEntries(readFileSync(path));
    // The README's budget (Performance), for the code and what it needs; the walkthrough's pictures have
    // a budget of their own, so that they cannot crowd out code nor grow unseen.
    const images = entries.filter((entry) => entry.name.startsWith('extension/media/walkthrough/'));
    const withoutImages = bytes - images.reduce((sum, entry) => sum + entry.zipBytes, 0);
    assert.ok(withoutImages <= 300 * 1024, `the .vsix without the walkthrough images is ${(withoutImages / 1024).toFixed(0)} KB, over 300 KB`);
    const imageBytes = images.reduce((sum, entry) => sum + entry.size, 0);
    assert.ok(imageBytes <= 100 * 1024, `the walkthrough images are ${(imageBytes / 1024).toFixed(0)} KB, over 100 KB`);
    const walkthroughImages = readdirSync(join(root, 'media', 'walkthrough')).sort().map((file) => `extension/media/walkthrough/${file}`);
    assert.ok(walkthroughImages.length > 0);
    assert.deepEqual(entries.map((entry) => entry.name), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/agent.js',
      'extension/dist/batch.js',
      'extension/dist/checks.js',
      'extension/dist/extension.js',
      'extension/dist/fetch.js',
      'extension/dist/mcp.js',
      'extension/dist/schema.js',
      'extension/dist/tablefiles.js',
      'extension/dist/tables.js',
      'extension/dist/webview/batch.js',
      'extension/dist/webview/live.js',
      'extension/dist/webview/result.js',
      'extension/dist/xlsx.js',
      'extension/l10n/bundle.l10n.ja.json',
      'extension/media/cloudbot.svg',
      'extension/media/icon.png',
      'extension/media/input-file.schema.json',
      'extension/media/result.css',
      ...walkthroughImages,
      'extension/package.json',
      'extension/package.nls.ja.json',
      'extension/package.nls.json',
      'extension/readme.md',
    ]);
  });

  // Text each library's code holds, and no other code of ours does.
  const markers = {
    csvParse: 'Invalid Closing Quote',
    readExcelFile: 'Out-of-place <row/> number',
    writeExcelFile: 'officedocument.spreadsheetml.sheet.main+xml',
  };
  const bundleOptions = () =>
    import(pathToFileURL(join(root, 'scripts', 'bundle-options.mjs')).href) as Promise<{ extensionBundle: object; nodeBundle: object }>;

  const buildMinified = async (bundle: object, outfile: string) => {
    const scripts = (await import(pathToFileURL(join(root, 'scripts', 'package.mjs')).href)) as { buildMinified(bundle: object, outfile: string): Promise<unknown> };
    await scripts.buildMinified(bundle, outfile);
  };

  it('keeps csv-parse, read-excel-file and write-excel-file out of the extension bundle', async () => {
    const outfile = join(dir, 'extension.js');
    await buildMinified((await bundleOptions()).extensionBundle, outfile);
    const bundle = readFileSync(outfile, 'utf8');
    for (const [library, marker] of Object.entries(markers)) assert.ok(!bundle.includes(marker), `${library} is in dist/extension.js`);
    // …and each marker is what its library's bundle holds.
    const lazyBundles = readFileSync(join(root, 'dist', 'tables.js'), 'utf8') + readFileSync(join(root, 'dist', 'xlsx.js'), 'utf8');
    for (const [library, marker] of Object.entries(markers)) assert.ok(lazyBundles.includes(marker), `${library} is not marked by "${marker}"`);
  });

  it('keeps the MCP SDK out of the extension bundle: the MCP server is a bundle of its own', async () => {
    const outfile = join(dir, 'extension.js');
    await buildMinified((await bundleOptions()).extensionBundle, outfile);
    const marker = 'Server does not support tools';
    assert.ok(!readFileSync(outfile, 'utf8').includes(marker), 'the MCP SDK is in dist/extension.js');
    assert.ok(readFileSync(join(root, 'dist', 'mcp.js'), 'utf8').includes(marker), `the MCP SDK is not marked by "${marker}"`);
  });

  it('keeps the main bundle within its 200 KB budget, with the agent tools in a bundle of their own', async () => {
    const outfile = join(dir, 'extension.js');
    await buildMinified((await bundleOptions()).extensionBundle, outfile);
    const bundle = readFileSync(outfile, 'utf8');
    assert.ok(bundle.length <= 200 * 1024, `dist/extension.js is ${Math.round(bundle.length / 1024)} KB minified`);
    const marker = 'Call cloudbot_describe_bot for its input schema.';
    assert.ok(!bundle.includes(marker), 'the agent tools are in dist/extension.js');
    assert.ok(readFileSync(join(root, 'dist', 'agent.js'), 'utf8').includes(marker), `the agent tools are not marked by "${marker}"`);
  });

  it('gives code that reads and writes tables the libraries from their own bundles, on first use', async () => {
    // A bundle of core's tables, as a command-line bundle in dist/ would be; it lives elsewhere here, so
    // the require of the lazy bundles must find them relative to where it is.
    const { nodeBundle } = await bundleOptions();
    const outfile = join(dir, 'cli', 'tables-user.js');
    mkdirSync(join(dir, 'cli'));
    const contents = "export * from './src/core/tables/readTable'; export * from './src/core/tables/writeTable';";
    await buildMinified({ ...nodeBundle, stdin: { contents, resolveDir: root, loader: 'ts' } }, outfile);
    const bundle = readFileSync(outfile, 'utf8');
    for (const [library, marker] of Object.entries(markers)) assert.ok(!bundle.includes(marker), `${library} is in the bundle of core's tables`);
    assert.ok(bundle.includes('dist/tables.js') && bundle.includes('dist/xlsx.js'), 'the lazy bundles are required by path');

    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just built, loaded as Node would
    const tables = require(outfile) as typeof import('../../src/core/tables/readTable') & typeof import('../../src/core/tables/writeTable');
    const rows = [{ cells: { 名前: '山田' } }];
    const csv = await tables.readTable(await tables.toCsv(rows), 'rows.csv');
    assert.ok(csv.ok && csv.table.rows[0].cells['名前'] === '山田');
    const xlsx = await tables.readTable(await tables.toXlsx(rows, 'Rows'), 'rows.xlsx');
    assert.ok(xlsx.ok && xlsx.table.rows[0].cells['名前'] === '山田');
  });
});
