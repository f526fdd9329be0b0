// The .vsix as users get it: built by `npm run package` and read back entry by entry.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '..', '..', '..');

/** The names in a zip file's central directory. */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'a central directory entry');
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names.sort();
}

describe('the packaged extension (.vsix)', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'cloudbot-vsix-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the minified bundle, media, manifest, translations and docs, and nothing else', async () => {
    const { packageExtension } = (await import(pathToFileURL(join(root, 'scripts', 'package.mjs')).href)) as {
      packageExtension(out: string): Promise<{ path: string; bytes: number }>;
    };
    const { path } = await packageExtension(join(dir, 'cloudbot-vscode.vsix'));
    const zip = readFileSync(path);
    assert.deepEqual(zipEntries(zip), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/extension.js',
      'extension/dist/webview/result.js',
      'extension/l10n/bundle.l10n.ja.json',
      'extension/media/cloudbot.svg',
      'extension/media/icon.png',
      'extension/media/input-file.schema.json',
      'extension/media/result.css',
      'extension/package.json',
      'extension/package.nls.ja.json',
      'extension/package.nls.json',
      'extension/readme.md',
    ]);
  });
});
