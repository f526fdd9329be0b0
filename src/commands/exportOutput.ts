// Saving a finished job's output to a file: the whole of it as JSON (normalisedJson: keys sorted, so two
// exports compare cleanly), or one table item as CSV (UTF-8 with BOM, for Excel) or .xlsx.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { safeFileName } from '../core/fileNames';
import type { JobStore } from '../core/jobStore';
import { normalisedJson } from '../core/normalisedJson';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { isPlainObject } from '../core/tables/json';
import { tableFiles } from '../core/tables/tableFiles';
import type { Job } from '../core/types';
import { describeError } from '../words';
import { finishedJob } from './compareJobs';

/** What to save: the whole output as JSON, or one table (group) item as CSV or Excel. */
export type OutputExport = { format: 'json' } | { format: 'csv' | 'xlsx'; item: string };
const TABLE_FORMATS: readonly string[] = ['csv', 'xlsx'];

/** Returns the result panel's "Export…": a pick of what to save, then where. */
export function registerExportOutput(context: vscode.ExtensionContext, store: JobStore): (ref: JobRef) => Promise<vscode.Uri | undefined> {
  context.subscriptions.push(
    // `file` is where to save; without it, a save dialog asks. `item` names the table of a CSV or Excel export.
    vscode.commands.registerCommand('cloudbot.exportJobOutput', async (arg?: TargetArg<JobRef>, format = 'json', file?: vscode.Uri, item?: string) => {
      const ref = targetOf(arg);
      // The format comes from a menu or another caller: only a known one makes a file name.
      const what: OutputExport | undefined = format === 'json' ? { format } : TABLE_FORMATS.includes(format) && typeof item === 'string' ? { format: format as 'csv' | 'xlsx', item } : undefined;
      if (!ref || !what) return undefined;
      return exportOutput(store, jobRefFrom(ref), what, file);
    }),
  );
  return async (ref) => {
    const job = await finishedJob(store, ref);
    const what = job && (await pickExport(job.output));
    return what && exportOutput(store, ref, what);
  };
}

/** The whole output as JSON, and each table item as CSV or Excel. */
async function pickExport(output: Job['output']): Promise<OutputExport | undefined> {
  type Choice = vscode.QuickPickItem & { what: OutputExport };
  const tables = Object.entries(output ?? {}).filter(([, value]) => Array.isArray(value) && value.length > 0 && value.every(isPlainObject)).map(([name]) => name);
  const choices: Choice[] = [
    { label: `$(json) ${vscode.l10n.t('The whole output as JSON')}`, what: { format: 'json' } },
    ...tables.flatMap((item): Choice[] => [
      { label: `$(table) ${vscode.l10n.t('{0} as CSV', inert(item))}`, description: vscode.l10n.t('UTF-8 with BOM, opens in Excel'), what: { format: 'csv', item } },
      { label: `$(table) ${vscode.l10n.t('{0} as Excel', inert(item))}`, description: '.xlsx', what: { format: 'xlsx', item } },
    ]),
  ];
  return (await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Export the output') }))?.what;
}

async function exportOutput(store: JobStore, ref: JobRef, what: OutputExport, file?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const job = await finishedJob(store, ref);
  if (!job) return undefined;
  const { format } = what;
  // The IDs and item names come from the server: made safe names that stay in the folder.
  const table = what.format === 'json' ? '' : `-${safeFileName(what.item, 'table')}`;
  const name = `${safeFileName(job.bot_id, 'bot')}-${safeFileName(ref.jobId, 'job')}${table}.${format}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    file ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.joinPath(vscode.Uri.file(homedir()), name),
      filters: { [format.toUpperCase()]: [format] },
      title: vscode.l10n.t('Save the output of job {0}', inert(ref.jobId)),
    }));
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, await bytesOf(job, what));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the output of job {0}: {1}', inert(ref.jobId), describeError(error)));
    return undefined;
  }
  vscode.window.setStatusBarMessage(vscode.l10n.t('Saved the output of job {0}.', inert(ref.jobId)), 5000);
  return uri;
}

async function bytesOf(job: Job, what: OutputExport): Promise<Uint8Array> {
  if (what.format === 'json') return Buffer.from(normalisedJson(job.output ?? null), 'utf8');
  const { tableOutputToRows, toCsv, toXlsx } = await tableFiles();
  const rows = tableOutputToRows(job.output, what.item);
  return what.format === 'csv' ? toCsv(rows) : toXlsx(rows, what.item);
}
