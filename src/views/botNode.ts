import * as vscode from 'vscode';
import { botExecutionEndpoint } from '../core/endpoints';
import { botKeyId, type BotKey } from '../core/explorerData';
import type { BotRef } from '../core/refs';
import { codeSpan, inert } from '../core/serverText';
import { JobStatus, type Bot, type Job } from '../core/types';
import { JobNode } from './jobNode';
import { LoadMoreNode } from './loadMoreNode';
import { MessageNode } from './messageNode';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

export class BotNode implements TreeNode {
  readonly target: BotRef;
  readonly cacheKey: string;
  private readonly key: BotKey;

  constructor(
    private readonly tree: TreeContext,
    sessionId: string,
    publicId: string,
    private readonly bot: Bot,
  ) {
    this.target = { sessionId, publicId, botId: bot.id, botName: bot.name };
    this.key = { sessionId, publicId, botId: bot.id };
    this.cacheKey = botKeyId(this.key);
    tree.rememberBot(this.key, this);
  }

  getTreeItem(): vscode.TreeItem {
    const { sessionId, publicId, botId } = this.target;
    const item = new vscode.TreeItem(this.bot.name || botId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${sessionId}/${publicId}/bots/${botId}`;
    item.description = botId;
    item.contextValue = 'bot';
    // The API gives icons as data URLs; the workbench draws those like any image URI.
    item.iconPath = this.bot.icon?.startsWith('data:image/') ? vscode.Uri.parse(this.bot.icon) : new vscode.ThemeIcon('robot');
    const tooltip = new vscode.MarkdownString();
    // Names and descriptions as text that cannot link, IDs and endpoints in code spans they cannot leave.
    tooltip.appendMarkdown('**').appendText(inert(this.bot.name || botId)).appendMarkdown('**\n\n');
    tooltip.appendMarkdown(`${vscode.l10n.t('ID')}: ${codeSpan(botId)}\n\n`);
    if (this.bot.description) tooltip.appendText(`${inert(this.bot.description)}\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('Execution endpoint')}: ${codeSpan(botExecutionEndpoint(this.tree.apiBaseUrl(), publicId, botId))}`);
    item.tooltip = tooltip;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const { sessionId, publicId } = this.target;
    try {
      const { jobs, more } = await this.tree.data.listJobs(this.key);
      if (!jobs.length) return [new MessageNode(`${sessionId}/${publicId}/bots/${this.bot.id}/none`, vscode.l10n.t('No jobs yet'), 'info')];
      this.tree.watchRunning(this.key, jobs);
      const usual = (job: Job) => (job.status === JobStatus.Executing ? this.tree.runTimes.of(publicId, job.bot_id) : undefined);
      const nodes: TreeNode[] = jobs.map((job) => new JobNode(sessionId, publicId, job, this.tree.apiBaseUrl(), usual(job)));
      if (more) nodes.push(new LoadMoreNode(this.key, jobs.length));
      return nodes;
    } catch (error) {
      return [this.tree.failed(`${sessionId}/${publicId}/bots/${this.bot.id}`, sessionId, error)];
    }
  }
}
