// "Show Jobs": the jobs followed now, then this window's recent jobs (kept across reloads); the one
// picked opens in its result panel.
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

export function registerShowJobs(context: vscode.ExtensionContext, store: JobStore, history: JobHistory, panels: ResultPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.showJobs', async (): Promise<JobRef | undefined> => {
      type JobPick = vscode.QuickPickItem & { ref?: JobRef };
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
      });
      const followed = new Set(followedJobs(store).map((entry) => jobKey(entry.ref)));
      const running = records.filter((record) => followed.has(jobKey(record)));
      const rest = records.filter((record) => !followed.has(jobKey(record)));
      const items: JobPick[] = [
        ...(running.length ? [{ label: vscode.l10n.t('running'), kind: vscode.QuickPickItemKind.Separator }, ...running.map(item)] : []),
        ...(rest.length ? [{ label: vscode.l10n.t('recent'), kind: vscode.QuickPickItemKind.Separator }, ...rest.map(item)] : []),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Cloud BOT Jobs'), matchOnDescription: true, matchOnDetail: true });
      if (!picked?.ref) return undefined;
      panels.open(picked.ref, false);
      return picked.ref;
    }),
  );
}
