import * as vscode from 'vscode';
import type { BotKey } from '../core/explorerData';
import type { TreeNode } from './treeNode';

/** The last row of a job list with older jobs left: loads the next page, never a silent cut-off. */
export class LoadMoreNode implements TreeNode {
  constructor(
    private readonly key: BotKey,
    private readonly shown: number,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = `${this.key.sessionId}/${this.key.publicId}/bots/${this.key.botId}/more`;
    item.description = vscode.l10n.t('{0} shown', this.shown);
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'cloudbot.loadMoreJobs', title: vscode.l10n.t('Load more…'), arguments: [this.key] };
    return item;
  }
}
