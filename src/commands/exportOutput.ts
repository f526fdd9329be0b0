// Saving a finished job's output to a file. JSON now (normalisedJson: keys sorted, so two exports
// compare cleanly); `format` leaves room for table formats.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { safeFileName } from '../core/fileNames';
import type { JobStore } from '../core/jobStore';
import { normalisedJson } from '../core/normalisedJson';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import type { ExportFormat } from '../webview/protocol';
import { describeError } from '../words';
import { finishedJob } from './compareJobs';

const EXPORT_FORMATS: readonly string[] = ['json'] satisfies ExportFormat[];

export function registerExportOutput(context: vscode.ExtensionContext, store: JobStore): void {
  context.subscriptions.push(
    // `file` is where to save; without it, a save dialog asks.
    vscode.commands.registerCommand('cloudbot.exportJobOutput', async (arg?: TargetArg<JobRef>, format: ExportFormat = 'json', file?: vscode.Uri) => {
      const ref = targetOf(arg);
      // The format comes from a page message or another caller: only a known one makes a file name.
      if (!ref || !EXPORT_FORMATS.includes(format)) return undefined;
      return exportOutput(store, jobRefFrom(ref), format, file);
    }),
  );
}

async function exportOutput(store: JobStore, ref: JobRef, format: ExportFormat, file?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const job = await finishedJob(store, ref);
  if (!job) return undefined;
  // The IDs come from the server: made safe names that stay in the folder.
  const name = `${safeFileName(job.bot_id, 'bot')}-${safeFileName(ref.jobId, 'job')}.${format}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    file ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.joinPath(vscode.Uri.file(homedir()), name),
      filters: { JSON: ['json'] },
      title: vscode.l10n.t('Save the output of job {0}', inert(ref.jobId)),
    }));
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(normalisedJson(job.output ?? null), 'utf8'));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the output of job {0}: {1}', inert(ref.jobId), describeError(error)));
    return undefined;
  }
  vscode.window.setStatusBarMessage(vscode.l10n.t('Saved the output of job {0}.', inert(ref.jobId)), 5000);
  return uri;
}
