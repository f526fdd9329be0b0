import * as vscode from 'vscode';
import { botExecutionEndpoint } from '../core/endpoints';
import type { Bot } from '../core/types';
import type { TreeNode } from './treeNode';

/** What identifies a BOT for the commands that act on one. */
export interface BotTarget {
  sessionId: string;
  publicId: string;
  botId: string;
  botName?: string;
}

export class BotNode implements TreeNode {
  readonly target: BotTarget;

  constructor(
    sessionId: string,
    publicId: string,
    private readonly bot: Bot,
    private readonly apiBaseUrl: string,
  ) {
    this.target = { sessionId, publicId, botId: bot.id, botName: bot.name };
  }

  getTreeItem(): vscode.TreeItem {
    const { sessionId, publicId, botId } = this.target;
    const item = new vscode.TreeItem(this.bot.name || botId, vscode.TreeItemCollapsibleState.None);
    item.id = `${sessionId}/${publicId}/bots/${botId}`;
    item.description = botId;
    item.contextValue = 'bot';
    item.iconPath = new vscode.ThemeIcon('robot');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escape(this.bot.name || botId)}**\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('ID')}: \`${botId}\`\n\n`);
    if (this.bot.description) tooltip.appendText(`${this.bot.description}\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('Execution endpoint')}: \`${botExecutionEndpoint(this.apiBaseUrl, publicId, botId)}\``);
    item.tooltip = tooltip;
    return item;
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
