// "Re-run" and "Re-run with Edits…" for any job executed from this workspace, also after a reload: the
// input as written (variables unresolved) and the options come from the kept templates. Re-run goes
// through the runner like any execution (consent, variables asked again, following); with edits, the
// template opens as a new input file to change and execute.
import * as vscode from 'vscode';
import { safeFileName } from '../core/fileNames';
import { INPUT_FILE_SUFFIX, inputFileText } from '../core/inputFile';
import type { InputTemplates } from '../core/inputTemplates';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import type { Job } from '../core/types';
import type { BotRunner, Execution } from '../jobs/botRunner';

/** Numbered untitled names tried for an edited copy. */
const MAX_UNTITLED = 99;

/** Returns Re-run, for Show Jobs' buttons. */
export function registerRerunJob(
  context: vscode.ExtensionContext,
  runner: BotRunner,
  templates: InputTemplates,
  /** A batch row's execution, from its batch's ledger (batch rows are not kept as templates one by one). */
  batchRow: (ref: JobRef) => Promise<Execution | undefined>,
): (ref: JobRef) => Promise<Job | undefined> {
  const executionFor = (arg: TargetArg<JobRef> | undefined) => knownExecution(runner, templates, batchRow, arg);
  const rerun = async (arg?: TargetArg<JobRef>): Promise<Job | undefined> => {
    const execution = await executionFor(arg);
    return execution && runner.run(execution);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.rerunJob', rerun),
    vscode.commands.registerCommand('cloudbot.rerunWithEdits', async (arg?: TargetArg<JobRef>): Promise<vscode.TextDocument | undefined> => {
      const execution = await executionFor(arg);
      return execution && openEditableCopy(execution);
    }),
    // Turned off: what storage holds goes at once.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('cloudbot.rememberInputs') && !rememberInputs()) void templates.forgetKept();
    }),
  );
  return rerun;
}

export function rememberInputs(): boolean {
  return vscode.workspace.getConfiguration('cloudbot').get<boolean>('rememberInputs', true);
}

/** The job's execution as written: the job given, or one the user picks among those known here. */
async function knownExecution(runner: BotRunner, templates: InputTemplates, batchRow: (ref: JobRef) => Promise<Execution | undefined>, arg: TargetArg<JobRef> | undefined): Promise<Execution | undefined> {
  let ref = targetOf(arg);
  if (!ref) {
    const items = templates.all().map((template) => ({
      label: inert(template.botName ?? template.botId),
      description: inert(template.source),
      detail: `${template.publicId} / ${template.jobId}`,
      ref: jobRefFrom(template),
    }));
    if (!items.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No job executed from this workspace can be re-run yet.'));
      return undefined;
    }
    ref = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Re-run a Cloud BOT job'), matchOnDescription: true, matchOnDetail: true }))?.ref;
    if (!ref) return undefined;
  }
  const execution = runner.executionOf(jobRefFrom(ref)) ?? (await batchRow(jobRefFrom(ref)));
  if (!execution) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The input of job {0} is not known: only jobs executed from this workspace can be re-run (while "cloudbot.rememberInputs" is on, also after a reload).', inert(ref.jobId)),
    );
  }
  return execution;
}

/** The template as a new untitled input file, bound to its BOT, for the user to edit and execute. */
async function openEditableCopy({ target, input, options }: Execution): Promise<vscode.TextDocument> {
  const text = inputFileText({ bot: { contract: target.publicId, id: target.botId, name: target.botName }, input, options });
  const name = safeFileName(target.botId, 'bot');
  const open = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
  let uri = vscode.Uri.from({ scheme: 'untitled', path: `${name}${INPUT_FILE_SUFFIX}` });
  for (let n = 2; open.has(uri.toString()) && n <= MAX_UNTITLED; n++) uri = vscode.Uri.from({ scheme: 'untitled', path: `${name}-${n}${INPUT_FILE_SUFFIX}` });
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((edit) => edit.replace(new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end), text));
  return document;
}
