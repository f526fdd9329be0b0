// `npm run package`: the .vsix users install, made the way a plain `vsce package` makes it.
//   node scripts/package.mjs [--out file.vsix]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extensionBundle } from './bundle-options.mjs';
import { exec, MINUTE, root } from './tools.mjs';

/**
 * The .vsix, built as a plain `vsce package` would build it: its `vscode:prepublish` script makes the
 * minified bundles, and .vscodeignore alone decides what ships. It runs in a staging copy of the project
 * (the files git tracks, and new ones it does not ignore), so the working tree's development build stays
 * as it is.
 */
export async function packageExtension(out = join(root, `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name}.vsix`)) {
  const staging = mkdtempSync(join(tmpdir(), 'cloudbot-package-'));
  try {
    for (const file of projectFiles()) {
      mkdirSync(dirname(join(staging, file)), { recursive: true });
      copyFileSync(join(root, file), join(staging, file));
    }
    // The prepublish build needs the build tools; the bundles hold the dependencies, so nothing of it ships.
    symlinkSync(join(root, 'node_modules'), join(staging, 'node_modules'), 'dir');
    await vscePackage(staging, out);
    return { path: resolve(out), bytes: statSync(out).size, bundleBytes: statSync(join(staging, extensionBundle.outfile)).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The project's own files: tracked by git, or new and not ignored (deleted ones left out). */
function projectFiles() {
  const list = (args) => execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const deleted = new Set(list(['--deleted']));
  return list(['--cached', '--others', '--exclude-standard']).filter((file) => !deleted.has(file) && existsSync(join(root, file)));
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
