// "Record Expectations from This Job": writes an `expect` block into an input file of the job's BOT,
// a snapshot of how the job ended and what it gave, for the Testing view to hold later runs against.
// The file is the one the job was executed from when that is known, else one the user picks; the edit
// is left unsaved, to review (and undo) like any other.
import * as vscode from 'vscode';
import { checksLibrary } from '../core/checks/library';
import { bindingOf, INPUT_FILE_SUFFIX } from '../core/inputFile';
import type { InputTemplates } from '../core/inputTemplates';
import type { JobStore } from '../core/jobStore';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { isFinished } from '../core/types';
import { readText } from '../services/inputFileText';
import { describeError } from '../words';

const MAX_PICKED_FILES = 200;

export function registerRecordExpectations(context: vscode.ExtensionContext, store: JobStore, templates: InputTemplates): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.recordExpectations', async (arg?: TargetArg<JobRef>): Promise<vscode.TextDocument | undefined> => {
      const target = targetOf(arg);
      if (!target) return undefined;
      const ref = jobRefFrom(target);
      let job;
      try {
        job = store.get(ref)?.job ?? (await store.refer(ref));
      } catch (error) {
        void vscode.window.showErrorMessage(describeError(error));
        return undefined;
      }
      if (!isFinished(job)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} is still running: record its expectations once it has ended.', inert(ref.jobId)));
        return undefined;
      }
      const uri = await inputFileOf(ref, job.bot_id, templates);
      if (!uri) return undefined;
      const document = await vscode.workspace.openTextDocument(uri);
      const { expectationsFromJob, withExpectations } = await checksLibrary();
      const text = withExpectations(document.getText(), expectationsFromJob(job));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
      await vscode.workspace.applyEdit(edit);
      const editor = await vscode.window.showTextDocument(document);
      const expect = document.positionAt(Math.max(0, document.getText().search(/"expect"\s*:/)));
      editor.revealRange(new vscode.Range(expect, expect), vscode.TextEditorRevealType.InCenter);
      editor.selection = new vscode.Selection(expect, expect);
      return document;
    }),
  );
}

/** The input file the job was executed from, else one of the workspace's files bound to its BOT, picked. */
async function inputFileOf(ref: JobRef, botId: string, templates: InputTemplates): Promise<vscode.Uri | undefined> {
  const source = templates.get(ref)?.inputFile;
  if (source) return vscode.Uri.parse(source);
  const found = await vscode.workspace.findFiles(`**/*${INPUT_FILE_SUFFIX}`, '**/node_modules/**', MAX_PICKED_FILES);
  const bound: vscode.Uri[] = [];
  for (const uri of found) {
    const binding = bindingOf((await readText(uri)) ?? '');
    if (binding?.contract === ref.publicId && binding.id === botId) bound.push(uri);
  }
  if (!bound.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No input file of BOT {0} is in the workspace. Create one with "Create Input File", then record again.', inert(botId)));
    return undefined;
  }
  if (bound.length === 1) return bound[0];
  const picked = await vscode.window.showQuickPick(
    bound.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Record expectations into which input file?') },
  );
  return picked?.uri;
}
