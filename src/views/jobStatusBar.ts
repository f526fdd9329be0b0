// A status-bar item while jobs are followed: how many, their BOTs, states and times against their
// BOTs' usual ones in the tooltip; a click lists them (and the recent ones) to open a result.
import * as vscode from 'vscode';
import type { JobEntry, JobStore } from '../core/jobStore';
import { elapsedSeconds, progressText, statusText } from '../core/jobText';
import { jobKey } from '../core/refs';
import type { RecentRunTimes } from '../core/runTimes';
import { inert } from '../core/serverText';
import { isFinished } from '../core/types';
import { jobWords } from '../words';

/** The jobs followed now: running, and somebody waits for their end. */
export function followedJobs(store: JobStore): JobEntry[] {
  return store.entries().filter((entry) => entry.interests.follow > 0 && !isFinished(entry.job));
}

export function registerJobStatusBar(context: vscode.ExtensionContext, store: JobStore, runTimes: RecentRunTimes): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('cloudbot.runningJobs', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Cloud BOT Running Jobs');
  item.command = 'cloudbot.showJobs';
  // The followed running jobs, kept up to date change by change: the store may hold thousands of a
  // batch's jobs, and changes to those need no look at the others.
  const followed = new Map(followedJobs(store).map((entry) => [jobKey(entry.ref), entry.ref]));
  const update = () => {
    const jobs = [...followed.values()].flatMap((ref) => store.get(ref) ?? []);
    if (!jobs.length) {
      item.hide();
      return;
    }
    const words = jobWords();
    item.text = `$(sync~spin) ${vscode.l10n.t('Cloud BOT: {0} running', jobs.length)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(`**${vscode.l10n.t('Jobs followed in this window')}**\n\n`);
    for (const { ref, job } of jobs) {
      const progress = progressText(runTimes.of(ref.publicId, job.bot_id), elapsedSeconds(job, Date.now()), words);
      tooltip.appendMarkdown('- ');
      tooltip.appendText(inert([job.bot_name || job.bot_id, ref.jobId, statusText(job.status, words), progress].filter(Boolean).join(' · ')));
      tooltip.appendMarkdown('\n');
    }
    item.tooltip = tooltip;
    item.show();
  };
  const subscription = store.onDidChange(({ entry }) => {
    const key = jobKey(entry.ref);
    const isFollowed = entry.interests.follow > 0 && !isFinished(entry.job);
    if (!isFollowed && !followed.has(key)) return;
    if (isFollowed) followed.set(key, entry.ref);
    else followed.delete(key);
    update();
  });
  context.subscriptions.push(item, { dispose: () => subscription.dispose() });
  update();
  return item;
}
