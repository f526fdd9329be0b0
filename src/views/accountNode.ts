import * as vscode from 'vscode';
import { matchesFilter } from '../core/explorerData';
import type { Account } from '../services/cloudBot';
import { ContractNode } from './contractNode';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

/** A signed-in account; a level of its own only when several accounts are signed in. */
export class AccountNode implements TreeNode {
  constructor(
    private readonly tree: TreeContext,
    private readonly account: Account,
  ) {}

  get cacheKey(): string {
    return this.account.sessionId;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.account.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.account.sessionId;
    item.contextValue = 'account';
    item.iconPath = new vscode.ThemeIcon('account');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      return await this.contracts();
    } catch (error) {
      return [this.tree.failed(this.account.sessionId, this.account.sessionId, error)];
    }
  }

  /** Its contracts; with a filter, only those with matching BOTs (or a failure to show), all fetched at once with bounded parallelism. */
  async contracts(): Promise<TreeNode[]> {
    const { sessionId } = this.account;
    const filter = this.tree.filter();
    if (!filter) {
      const contracts = await this.tree.data.listContracts(sessionId);
      return contracts.map((contract) => new ContractNode(this.tree, sessionId, contract));
    }
    const all = await this.tree.data.listAllBots(sessionId);
    return all.flatMap(({ contract, bots }) => {
      if (!bots.ok) return [new ContractNode(this.tree, sessionId, contract)];
      const matches = bots.value.filter((bot) => matchesFilter(bot, filter)).length;
      return matches ? [new ContractNode(this.tree, sessionId, contract, matches)] : [];
    });
  }
}
