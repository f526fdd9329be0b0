// The input files a command names: files, folders (every `*.cloudbot.json` under them) and glob
// patterns, expanded here so that they work the same in every shell and on Windows. No `vscode` here.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { MAX_REQUEST_BYTES } from '../core/errors';
import { INPUT_FILE_SUFFIX } from '../core/inputFile';
import type { SuiteFile } from '../core/checks/suite';

/** More files than this in one run is a mistake (a pattern that matched a whole disk), not a suite. */
export const MAX_FILES = 2_000;
/** A file larger than this is not read: an input file is at most Cloud BOT's 4 MB request and its expect block. */
const MAX_FILE_BYTES = 2 * MAX_REQUEST_BYTES;
/** Folders never searched: dependencies and version control. */
const IGNORED = ['**/node_modules/**', '**/.git/**'];

export type FilesResult = { ok: true; files: SuiteFile[] } | { ok: false; problems: string[] };

/** The files of `args` in the order given (a folder's or a pattern's sorted), each once, read. */
export async function readInputFiles(args: readonly string[], cwd: string): Promise<FilesResult> {
  const problems: string[] = [];
  const paths: string[] = [];
  for (const arg of args) {
    const found = await pathsOf(arg, cwd);
    if (typeof found === 'string') problems.push(found);
    else paths.push(...found);
  }
  // Each file once, however it was named (`a.cloudbot.json`, `./a.cloudbot.json`, a pattern).
  const unique = [...new Map(paths.map((path) => [resolve(cwd, path), path])).values()];
  if (unique.length > MAX_FILES) problems.push(`${unique.length} files: more than ${MAX_FILES} in one run.`);
  if (!problems.length && !unique.length) problems.push('No input files were given.');
  if (problems.length) return { ok: false, problems };
  const files: SuiteFile[] = [];
  for (const path of unique) {
    try {
      const { size } = await stat(resolve(cwd, path));
      if (size > MAX_FILE_BYTES) problems.push(`${path}: ${size} bytes, too large for an input file.`);
      else files.push({ path, text: await readFile(resolve(cwd, path), 'utf8') });
    } catch (error) {
      problems.push(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, files };
}

/** The files one argument names, relative to `cwd` as given; a sentence when it names none. */
async function pathsOf(arg: string, cwd: string): Promise<string[] | string> {
  const found = await stat(resolve(cwd, arg)).catch(() => undefined);
  if (found?.isDirectory()) {
    const inside = await glob(`**/*${INPUT_FILE_SUFFIX}`, { cwd: resolve(cwd, arg), ignore: IGNORED, onlyFiles: true, expandDirectories: false });
    return inside.length ? inside.sort().map((path) => join(arg, path)) : `${arg}: no *${INPUT_FILE_SUFFIX} file in this folder.`;
  }
  if (found) return [arg];
  if (!isDynamicPattern(arg)) return `${arg}: no such file or folder.`;
  const matched = await glob(arg, { cwd, ignore: IGNORED, onlyFiles: true, expandDirectories: false });
  return matched.length ? matched.sort() : `${arg}: matches no file.`;
}
