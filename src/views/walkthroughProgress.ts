// The context keys that complete the "Get started with Cloud BOT" walkthrough's steps (package.json,
// contributes.walkthroughs) where VS Code has no event of its own for them: each is set from the real
// event (a file created or saved, a job started, a panel showing a job, a check or a batch run), never
// from a command that was merely started. VS Code keeps a completed step completed, so a key is only
// ever set to true, once per window.
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

type WalkthroughContextKey = (typeof WALKTHROUGH_CONTEXT_KEYS)[keyof typeof WALKTHROUGH_CONTEXT_KEYS];

export class WalkthroughProgress implements vscode.Disposable {
  private readonly reached = new Set<WalkthroughContextKey>();
  private readonly disposables: vscode.Disposable[];

  constructor(store: JobStore, batches: Batches) {
    const keys = WALKTHROUGH_CONTEXT_KEYS;
    // Created by the Create Input File command (written to disk) or in any other way; an untitled one once saved.
    const inputFiles = vscode.workspace.createFileSystemWatcher(`**/*${INPUT_FILE_SUFFIX}`, false, true, true);
    this.disposables = [
      inputFiles,
      inputFiles.onDidCreate(() => this.reach(keys.inputFileCreated)),
      vscode.workspace.onDidSaveTextDocument((document) => document.fileName.endsWith(INPUT_FILE_SUFFIX) && this.reach(keys.inputFileCreated)),
      store.onDidChange(({ entry, started }) => {
        // A person's job (a batch's rows and checks are not "mine").
        if (started && entry.mine) this.reach(keys.jobExecuted);
        // A panel showing the job (its result panel, or Watch Live's) holds it as an interest.
        if (entry.interests.panel > 0) this.reach(keys.resultShown);
        // A check (Testing view or task) follows its job as an interest of its own.
        if (entry.interests.check > 0) this.reach(keys.checkOrBatchRun);
      }),
      batches.onDidChange(({ ledger }) => ledger.phase === 'running' && this.reach(keys.checkOrBatchRun)),
    ];
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private reach(key: WalkthroughContextKey): void {
    if (this.reached.has(key)) return;
    this.reached.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }
}
