// A status-bar item while jobs are followed: how many, their BOTs and states in the tooltip; a click
// lists them (and the recent ones) to open a result.
import * as vscode from 'vscode';
import { statusAndElapsed } from '../core/jobText';
import type { JobFollower } from '../jobs/jobFollower';
import { jobWords } from '../words';

export function registerJobStatusBar(context: vscode.ExtensionContext, follower: JobFollower): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('cloudbot.runningJobs', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Cloud BOT Running Jobs');
  item.command = 'cloudbot.showJobs';
  const update = () => {
    const jobs = follower.following();
    if (!jobs.length) {
      item.hide();
      return;
    }
    const words = jobWords();
    item.text = `$(sync~spin) ${vscode.l10n.t('Cloud BOT: {0} running', jobs.length)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(`**${vscode.l10n.t('Jobs followed in this window')}**\n\n`);
    for (const { ref, title, latest } of jobs) {
      const state = latest ? statusAndElapsed(latest, words) : '…';
      tooltip.appendMarkdown('- ');
      tooltip.appendText(`${latest?.bot_name || latest?.bot_id || title} · ${ref.jobId} · ${state}`);
      tooltip.appendMarkdown('\n');
    }
    item.tooltip = tooltip;
    item.show();
  };
  context.subscriptions.push(item, follower.onDidChangeFollowing(update), follower.onDidUpdate(update));
  update();
  return item;
}
