// The extension as users get it, for the UI tests that install it: its .vsix (built once per test run),
// the test extensions' of fixtures/, and what a person reads in each display language, from the files
// it ships.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '..', '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, string>;

interface Packager {
  packageExtension(out: string): Promise<{ path: string }>;
  vscePackage(folder: string, out: string, flags: string[]): Promise<string>;
}
const packager = () => import(pathToFileURL(join(root, 'scripts', 'package.mjs')).href) as Promise<Packager>;

let packageDir: string | undefined;
const dir = () => (packageDir ??= mkdtempSync(join(tmpdir(), 'cloudbot-e2e-vsix-')));
// Mocha's root hook: the packages go when the whole run is over.
after(() => packageDir && rmSync(packageDir, { recursive: true, force: true }));

let packaged: Promise<string> | undefined;
/** The extension's .vsix, built once for every suite and language. */
export const extensionVsix = () => (packaged ??= packager().then(async ({ packageExtension }) => (await packageExtension(join(dir(), 'cloudbot-vscode.vsix'))).path));

/** A test extension of fixtures/ (see its README.md): language-pack-ja, exports-probe. */
export const fixtureVsix = async (name: string) =>
  (await packager()).vscePackage(join(root, 'test', 'e2e', 'fixtures', name), join(dir(), `${name}.vsix`), ['--allow-missing-repository', '--skip-license']);

/** A file of this run's own in the packages' folder (removed with it). */
export const packageDirFile = (name: string) => join(dir(), name);

export type Language = 'en' | 'ja';

/** The extension's own strings in this language: `tr` for the code's, `nls` for the manifest's. */
export function strings(language: Language) {
  const bundle = language === 'ja' ? readJson('l10n/bundle.l10n.ja.json') : {};
  const nls = readJson(language === 'ja' ? 'package.nls.ja.json' : 'package.nls.json');
  const tr = (english: string, ...values: string[]) => (bundle[english] ?? english).replace(/\{(\d+)\}/g, (_, n: string) => values[Number(n)]);
  /** The text of the `index`th command link of a manifest text. */
  const linkText = (key: string, index: number) => [...nls[key].matchAll(/\[([^\]]+)\]\(command:/g)][index][1];
  return { tr, nls, linkText };
}
