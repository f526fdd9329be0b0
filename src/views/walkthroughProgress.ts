// The context keys that complete the "Get started with Cloud BOT" walkthrough's steps (package.json,
// contributes.walkthroughs) where VS Code has no event of its own for them: each is set from the real
// event (a file created or saved, a job started, a panel showing a job, a check or a batch run), never
// from a command that was merely started. VS Code keeps a completed step completed, so a key is only
// ever set to true, once.
import * as vscode from 'vscode';
import { INPUT_FILE_SUFFIX } from '../core/inputFile';
import type { JobStore } from '../core/jobStore';
import type { Batches } from '../jobs/batches';

export const WALKTHROUGH_CONTEXT_KEYS = {
  inputFileCreated: 'cloudbot.walkthrough.inputFileCreated',
  jobExecuted: 'cloudbot.walkthrough.jobExecuted',
  resultShown: 'cloudbot.walkthrough.resultShown',
  checkOrBatchRun: 'cloudbot.walkthrough.checkOrBatchRun',
} as const;

/** Follows the events until disposed. */
export function followWalkthroughProgress(store: JobStore, batches: Batches): vscode.Disposable {
  const keys = WALKTHROUGH_CONTEXT_KEYS;
  const reached = new Set<string>();
  const reach = (key: string) => {
    if (reached.has(key)) return;
    reached.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  };
  // Created by Create Input File (written to disk) or in any other way; an untitled one once saved.
  const inputFiles = vscode.workspace.createFileSystemWatcher(`**/*${INPUT_FILE_SUFFIX}`, false, true, true);
  return vscode.Disposable.from(
    inputFiles,
    inputFiles.onDidCreate(() => reach(keys.inputFileCreated)),
    vscode.workspace.onDidSaveTextDocument((document) => document.fileName.endsWith(INPUT_FILE_SUFFIX) && reach(keys.inputFileCreated)),
    store.onDidChange(({ entry, started }) => {
      // A person's job (a batch's rows and checks are not "mine").
      if (started && entry.mine) reach(keys.jobExecuted);
      // A panel showing the job (its result panel, or Watch Live's) holds it as an interest.
      if (entry.interests.panel) reach(keys.resultShown);
      // A check (Testing view or task) follows its job as an interest of its own.
      if (entry.interests.check) reach(keys.checkOrBatchRun);
    }),
    batches.onDidChange(({ ledger }) => ledger.phase === 'running' && reach(keys.checkOrBatchRun)),
  );
}
