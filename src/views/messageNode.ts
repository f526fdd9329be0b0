import * as vscode from 'vscode';
import { describeError } from '../words';
import type { TreeNode } from './treeNode';

/** A row that explains an empty or failed level, with Retry where that can help. */
export class MessageNode implements TreeNode {
  constructor(
    private readonly id: string,
    private readonly text: string,
    private readonly kind: 'error' | 'info',
    private readonly detail?: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.tooltip = this.detail ?? this.text;
    item.contextValue = this.kind === 'error' ? 'message error' : 'message';
    item.iconPath = new vscode.ThemeIcon(this.kind === 'error' ? 'error' : 'info');
    if (this.kind === 'error') {
      item.description = vscode.l10n.t('Retry');
      item.command = { command: 'cloudbot.refresh', title: vscode.l10n.t('Retry') };
    }
    return item;
  }
}

export function errorNode(id: string, error: unknown): MessageNode {
  const message = describeError(error);
  return new MessageNode(`${id}/error`, message, 'error', message);
}
