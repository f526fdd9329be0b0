// `npm run package`: the .vsix users install. The extension and its result page are bundled minified into a staging folder
// with only what .vscodeignore lets through, so the working tree's development build stays as it is.
//   node scripts/package.mjs [--out file.vsix]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extensionBundle, webviewBundle } from './bundle-options.mjs';
import { exec, MINUTE, root } from './tools.mjs';

/** What goes into the package besides the bundles (the .vscodeignore allow-list says the same). */
const SHIPPED = ['package.json', 'package.nls.json', 'package.nls.ja.json', 'l10n', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'];

export async function packageExtension(out = join(root, `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name}.vsix`)) {
  const staging = mkdtempSync(join(tmpdir(), 'cloudbot-package-'));
  try {
    for (const entry of SHIPPED) if (existsSync(join(root, entry))) cpSync(join(root, entry), join(staging, entry), { recursive: true });
    for (const bundle of [extensionBundle, webviewBundle]) await buildMinified(bundle, join(staging, bundle.outfile));
    // The bundles hold the dependencies, so vsce need not look for node_modules.
    await vscePackage(staging, out);
    return { path: resolve(out), bytes: statSync(out).size, bundleBytes: statSync(join(staging, extensionBundle.outfile)).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A bundle (of ./bundle-options.mjs) built as it ships: one minified file, at `outfile`. */
export function buildMinified(bundle, outfile) {
  return esbuild.build({ ...bundle, absWorkingDir: root, outfile, minify: true, logLevel: 'error' });
}

/** Packages the extension folder `folder` into `out` with vsce; extra flags for test fixtures. */
export async function vscePackage(folder, out, flags = []) {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const { reason } = await exec(process.execPath, [vsce, 'package', '--no-dependencies', ...flags, '--out', resolve(out)], { cwd: folder, timeoutMs: 5 * MINUTE, onLine: (line) => console.log(line) });
  if (reason) throw new Error(`vsce failed: ${reason}`);
  return resolve(out);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const { path, bytes, bundleBytes } = await packageExtension(values.out);
  console.log(`${path}: ${(bytes / 1024).toFixed(0)} KB (bundle ${(bundleBytes / 1024).toFixed(0)} KB minified)`);
}
