// A batch's results as a file: one line per input row, with its job ID, status, message and output
// items (group items flattened to `Item.column` columns in CSV and .xlsx). CSV is UTF-8 with a BOM so
// that Excel reads Japanese. Outputs are read from the job store, or asked for (a few at a time).
import * as vscode from 'vscode';
import type { BatchLedger, LedgerRow } from '../core/batch/ledger';
import { mapLimit } from '../core/concurrency';
import { safeFileName } from '../core/fileNames';
import type { JobStore } from '../core/jobStore';
import { jobRefOf } from '../core/refs';
import { inert } from '../core/serverText';
import { tableFiles } from '../core/tables/tableFiles';
import type { ResultRow } from '../core/tables/writeTable';
import type { Batches } from '../jobs/batches';
import type { ExportFormat } from '../webview/batchProtocol';
import { describeError, describeRowReason } from '../words';

/** Outputs asked for at once while exporting. */
const REFERS_AT_ONCE = 4;
const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', jsonl: 'jsonl' };

export function registerExportBatch(context: vscode.ExtensionContext, batches: Batches, store: JobStore): (id: string, format: ExportFormat, target?: vscode.Uri) => Promise<vscode.Uri | undefined> {
  const exportResults = (id: string, format: ExportFormat, target?: vscode.Uri) => exportBatchResults(batches, store, id, format, target);
  // Also for tests and other callers that know where the file goes.
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.exportBatchResults', exportResults));
  return exportResults;
}

async function exportBatchResults(batches: Batches, store: JobStore, id: string, format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const ledger = await batches.get(id);
  if (!ledger || !EXTENSIONS[format]) return undefined;
  const uri = target ?? (await askWhere(ledger, format));
  if (!uri) return undefined;
  const rows = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting the results of {0}…', inert(ledger.bot.botName ?? ledger.bot.botId)), cancellable: true },
    (progress, token) => resultRows(ledger, store, token, () => progress.report({ increment: 100 / ledger.rows.length })),
  );
  if (!rows) return undefined;
  try {
    const { toCsv, toJsonLines, toXlsx } = await tableFiles();
    const bytes = format === 'csv' ? await toCsv(rows) : format === 'xlsx' ? await toXlsx(rows, ledger.bot.botId) : toJsonLines(rows);
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the results: {0}', describeError(error)));
    return undefined;
  }
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}.', rows.length, inert(vscode.workspace.asRelativePath(uri))), open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('vscode.open', uri);
  });
  return uri;
}

async function askWhere(ledger: BatchLedger, format: ExportFormat): Promise<vscode.Uri | undefined> {
  const name = `${safeFileName(ledger.bot.botId, 'bot')}-results.${EXTENSIONS[format]}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the batch results'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [format.toUpperCase()]: [EXTENSIONS[format]] },
  });
}

/** Each row with its job's output; undefined when cancelled. */
async function resultRows(ledger: BatchLedger, store: JobStore, token: vscode.CancellationToken, step: () => void): Promise<ResultRow[] | undefined> {
  const rows = await mapLimit(ledger.rows, REFERS_AT_ONCE, async (row) => {
    if (token.isCancellationRequested) return undefined;
    const result = await resultRow(ledger, store, row);
    step();
    return result;
  });
  return token.isCancellationRequested ? undefined : (rows as ResultRow[]);
}

async function resultRow(ledger: BatchLedger, store: JobStore, row: LedgerRow): Promise<ResultRow> {
  const base = { cells: row.cells, jobId: row.jobId, status: row.state };
  const reason = row.reason && row.reason.code !== 'recovered' ? describeRowReason(row.reason) : undefined;
  if (!row.jobId || row.state === 'running' || row.state === 'sending') return { ...base, message: reason ?? row.message ?? undefined };
  const ref = jobRefOf(ledger.bot, { job_id: row.jobId });
  const known = store.get(ref)?.job;
  try {
    const job = known?.output !== undefined ? known : await store.refer(ref);
    return { ...base, message: job.message ?? reason ?? undefined, output: job.output };
  } catch (error) {
    return { ...base, message: vscode.l10n.t('Could not refer to job {0}: {1}', row.jobId, describeError(error)) };
  }
}
