// "Execute for Each Row…": the same BOT once per row of a spreadsheet (CSV, TSV, JSON, JSON Lines,
// .xlsx). Started on a BOT (no template), on an input file (the file is the template: its input, with
// `${row:Column}` variables, and its options), or from the palette. The batch is kept, then opened in
// its panel with a preview; it runs when the user presses Start.
import * as vscode from 'vscode';
import type { BatchLedger } from '../core/batch/ledger';
import type { ExecuteOptions, RememberedOptions } from '../core/executeOptions';
import type { ExplorerData } from '../core/explorerData';
import type { JobHistory } from '../core/jobHistory';
import { isInputFile, parseInputFile } from '../core/inputFile';
import { targetOf, type BotRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { tableFiles } from '../core/tables/tableFiles';
import { MAX_TABLE_BYTES } from '../core/tables/table';
import { megabytesOf } from '../core/errors';
import type { Batches } from '../jobs/batches';
import type { BotRunner } from '../jobs/botRunner';
import type { CloudBot } from '../services/cloudBot';
import type { BatchPanels } from '../views/batchPanel';
import { describeTableProblem } from '../words';
import { targetOfBinding } from './inputFiles';
import { pickBot } from './pickBot';

export interface BatchCommandServices {
  cloudBot: CloudBot;
  data: ExplorerData;
  history: JobHistory;
  remembered: RememberedOptions;
  runner: BotRunner;
  batches: Batches;
  panels: BatchPanels;
}

/** The file types rows are read from, for the open dialog. */
const ROW_FILE_EXTENSIONS = ['csv', 'tsv', 'tab', 'json', 'jsonl', 'ndjson', 'xlsx'];

interface Template {
  target: BotRef;
  input: Record<string, unknown>;
  options: ExecuteOptions;
  source?: string;
}

export function registerExecuteForEachRow(context: vscode.ExtensionContext, services: BatchCommandServices): void {
  context.subscriptions.push(
    // A BOT (a tree row, a ref) or an input file (its Uri); a rows file may be given too (tests, links).
    vscode.commands.registerCommand('cloudbot.executeForEachRow', async (arg?: TargetArg<BotRef> | vscode.Uri, rows?: vscode.Uri): Promise<BatchLedger | undefined> => {
      const template = await templateOf(services, arg);
      return template && createBatch(services, template, rows);
    }),
  );
}

async function templateOf(services: BatchCommandServices, arg: TargetArg<BotRef> | vscode.Uri | undefined): Promise<Template | undefined> {
  const { cloudBot, data, history, remembered, runner } = services;
  const document = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : !arg ? activeInputFile() : undefined;
  if (document) {
    const result = parseInputFile(document.getText());
    if (!result.ok) return runner.refuse(document, result.problem);
    runner.accept(document);
    const target = await targetOfBinding(cloudBot, data, result.file);
    if (!target) return undefined;
    return { target: { ...target, botName: target.botName ?? result.file.bot.name }, input: result.file.input, options: result.file.options, source: vscode.workspace.asRelativePath(document.uri) };
  }
  const target = targetOf(arg as TargetArg<BotRef> | undefined) ?? (await pickBot(cloudBot, data, history.recentBots()));
  return target && { target, input: {}, options: await remembered.get(target.publicId, target.botId) };
}

function activeInputFile(): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && isInputFile(document.fileName) ? document : undefined;
}

async function createBatch(services: BatchCommandServices, template: Template, given?: vscode.Uri): Promise<BatchLedger | undefined> {
  const label = inert(template.target.botName ?? template.target.botId);
  const uri =
    given ??
    (
      await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Rows for {0}: one execution per row', label),
        openLabel: vscode.l10n.t('Use These Rows'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Spreadsheets and JSON')]: ROW_FILE_EXTENSIONS },
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      })
    )?.[0];
  if (!uri) return undefined;
  const name = vscode.workspace.asRelativePath(uri);
  let bytes: Uint8Array;
  try {
    // Checked before reading, so that a huge file is not read into memory only to be refused.
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_TABLE_BYTES) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is {1} MB; rows are read from files of up to {2} MB.', inert(name), megabytesOf(size), megabytesOf(MAX_TABLE_BYTES)));
      return undefined;
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', inert(name), error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  const read = await (await tableFiles()).readTable(bytes, uri.path);
  if (!read.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1} Nothing was sent.', inert(name), inert(describeTableProblem(read.problem))));
    return undefined;
  }
  if (!read.table.rows.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no rows: nothing to execute.', inert(name)));
    return undefined;
  }
  const ledger = await services.batches.create({
    bot: template.target,
    template: { input: template.input, options: template.options, source: template.source },
    rowsSource: name,
    columns: read.table.columns,
    rows: read.table.rows,
  });
  services.panels.open(ledger);
  return ledger;
}
