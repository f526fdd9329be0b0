import * as vscode from 'vscode';
import { matchesFilter } from '../core/explorerData';
import type { Contract } from '../core/types';
import { BotNode } from './botNode';
import { MessageNode } from './messageNode';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

export class ContractNode implements TreeNode {
  constructor(
    private readonly tree: TreeContext,
    private readonly sessionId: string,
    private readonly contract: Contract,
    /** BOTs matching the filter, when one is set (the count shows in the description). */
    private readonly matches?: number,
  ) {}

  get cacheKey(): string {
    return `${this.sessionId}/${this.contract.public_id}`;
  }

  private get id(): string {
    return this.cacheKey;
  }

  getTreeItem(): vscode.TreeItem {
    const { public_id: publicId, name, plan } = this.contract;
    const item = new vscode.TreeItem(publicId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.matches === undefined
      ? [name, plan].filter(Boolean).join(' · ') || undefined
      : vscode.l10n.t('{0} matching', this.matches);
    item.tooltip = [publicId, name, plan].filter(Boolean).join(' · ');
    item.contextValue = 'contract';
    item.iconPath = new vscode.ThemeIcon('organization');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const bots = (await this.tree.data.listBots(this.sessionId, this.contract.public_id)).filter((bot) => matchesFilter(bot, this.tree.filter()));
      if (!bots.length) {
        return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No BOTs published for the API in this contract'), 'info')];
      }
      return bots.map((bot) => new BotNode(this.tree, this.sessionId, this.contract.public_id, bot));
    } catch (error) {
      return [this.tree.failed(this.id, this.sessionId, error)];
    }
  }
}
