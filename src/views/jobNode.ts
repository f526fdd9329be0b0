import * as vscode from 'vscode';
import { jobReferenceEndpoint } from '../core/endpoints';
import { elapsedSeconds, progressText, statusText } from '../core/jobText';
import type { BotRef, JobRef } from '../core/refs';
import { codeSpan, inert } from '../core/serverText';
import { JobStatus, type Job } from '../core/types';
import { jobWords } from '../words';
import type { TreeNode } from './treeNode';

export class JobNode implements TreeNode {
  /** What the job's commands act on: the job, and its BOT. */
  readonly target: JobRef & BotRef;

  constructor(
    sessionId: string,
    publicId: string,
    private readonly job: Job,
    private readonly apiBaseUrl: string,
    /** The BOT's usual run time, which a running job is shown against. */
    private readonly usualSeconds?: number,
  ) {
    this.target = { sessionId, publicId, botId: job.bot_id, jobId: job.job_id, botName: job.bot_name };
  }

  getTreeItem(): vscode.TreeItem {
    const { job } = this;
    const running = job.status === JobStatus.Executing;
    const started = job.start_time ? new Date(job.start_time) : undefined;
    const item = new vscode.TreeItem(started && !Number.isNaN(started.getTime()) ? started.toLocaleString() : job.job_id, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.target.sessionId}/${this.target.publicId}/jobs/${job.job_id}`;
    const words = jobWords();
    const progress = progressText(this.usualSeconds, elapsedSeconds(job, Date.now()), words);
    item.description = [statusText(job.status, words), progress].filter(Boolean).join(' · ');
    // Flags, so menus can ask for "a running job" with a regular expression.
    item.contextValue = running ? 'job running' : 'job finished';
    item.iconPath = running
      ? new vscode.ThemeIcon('sync~spin')
      : job.status === JobStatus.Succeeded
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    const tooltip = new vscode.MarkdownString();
    // The message as text that cannot link, the ID and endpoint in code spans they cannot leave.
    tooltip.appendMarkdown(`**${statusText(job.status, words)}** · ${codeSpan(job.job_id)}\n\n`);
    if (running && progress) tooltip.appendText(`${progress}\n\n`);
    if (job.message) tooltip.appendText(`${inert(job.message)}\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('Job reference endpoint')}: ${codeSpan(jobReferenceEndpoint(this.apiBaseUrl, this.target.publicId, job.job_id))}`);
    item.tooltip = tooltip;
    item.command = { command: 'cloudbot.openJobResult', title: vscode.l10n.t('Open Result'), arguments: [this.target] };
    return item;
  }
}
