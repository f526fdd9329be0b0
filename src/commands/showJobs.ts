// "Show Jobs": the jobs followed now, then this window's recent jobs (kept across reloads); the one
// picked opens in its result panel, and a finished one's buttons compare it (with its previous run, or
// select it for compare, or compare it with the selected job) or run it again.
import * as vscode from 'vscode';
import type { JobHistory, JobRecord } from '../core/jobHistory';
import { jobKey, type JobRef } from '../core/refs';
import type { JobStore } from '../core/jobStore';
import { statusAndElapsed } from '../core/jobText';
import { inert } from '../core/serverText';
import { isFinished } from '../core/types';
import { followedJobs } from '../views/jobStatusBar';
import type { ResultPanels } from '../views/resultPanel';
import { jobWords } from '../words';

export interface ShowJobsActions {
  /** The three ways to compare, in one pick, as in the result panel. */
  compare(ref: JobRef): Promise<unknown>;
  rerun(ref: JobRef): Promise<unknown>;
}

type JobButton = vscode.QuickInputButton & { run(ref: JobRef): Promise<unknown> };

export function registerShowJobs(context: vscode.ExtensionContext, store: JobStore, history: JobHistory, panels: ResultPanels, actions: ShowJobsActions): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.showJobs', async (): Promise<JobRef | undefined> => {
      type JobPick = vscode.QuickPickItem & { ref?: JobRef; buttons?: JobButton[] };
      const finishedButtons: JobButton[] = [
        { iconPath: new vscode.ThemeIcon('diff'), tooltip: vscode.l10n.t('Compare…'), run: actions.compare },
        { iconPath: new vscode.ThemeIcon('debug-rerun'), tooltip: vscode.l10n.t('Re-run Job'), run: actions.rerun },
      ];
      const records = history.all();
      if (!records.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No jobs were executed or followed in this window yet.'));
        return undefined;
      }
      const words = jobWords();
      const item = (record: JobRecord): JobPick => ({
        label: `${isFinished(record) ? (record.status === 0 ? '$(pass)' : '$(error)') : '$(sync~spin)'} ${inert(record.botName ?? record.botId)}`,
        description: `${statusAndElapsed({ status: record.status, elapsed_time: record.elapsedTime }, words)} · ${new Date(record.startTime).toLocaleString(vscode.env.language)}`,
        detail: inert(`${record.publicId} / ${record.jobId}${record.message ? ` · ${record.message}` : ''}`),
        ref: { sessionId: record.sessionId, publicId: record.publicId, jobId: record.jobId },
        buttons: isFinished(record) ? finishedButtons : [],
      });
      const followed = new Set(followedJobs(store).map((entry) => jobKey(entry.ref)));
      const running = records.filter((record) => followed.has(jobKey(record)));
      const rest = records.filter((record) => !followed.has(jobKey(record)));
      const items: JobPick[] = [
        ...(running.length ? [{ label: vscode.l10n.t('running'), kind: vscode.QuickPickItemKind.Separator }, ...running.map(item)] : []),
        ...(rest.length ? [{ label: vscode.l10n.t('recent'), kind: vscode.QuickPickItemKind.Separator }, ...rest.map(item)] : []),
      ];
      const picked = await pickJob(items, (button, ref) => void (button as JobButton).run(ref));
      if (!picked) return undefined;
      panels.open(picked, false);
      return picked;
    }),
  );
}

/** The job picked (or undefined); an item's button runs at once and closes the list. */
function pickJob(items: (vscode.QuickPickItem & { ref?: JobRef })[], onButton: (button: vscode.QuickInputButton, ref: JobRef) => void): Promise<JobRef | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { ref?: JobRef }>();
  quickPick.title = vscode.l10n.t('Cloud BOT Jobs');
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = items;
  return new Promise((resolve) => {
    let picked: JobRef | undefined;
    quickPick.onDidAccept(() => {
      picked = quickPick.selectedItems[0]?.ref;
      quickPick.hide();
    });
    quickPick.onDidTriggerItemButton(({ item, button }) => {
      quickPick.hide();
      if (item.ref) onButton(button, item.ref);
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(picked);
    });
    quickPick.show();
  });
}
