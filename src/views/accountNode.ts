import * as vscode from 'vscode';
import type { Account, CloudBot } from '../services/cloudBot';
import { ContractNode } from './contractNode';
import { MessageNode, errorNode } from './messageNode';
import type { TreeNode } from './treeNode';

/** A signed-in account; a level of its own only when several accounts are signed in. */
export class AccountNode implements TreeNode {
  constructor(
    private readonly cloudBot: CloudBot,
    private readonly account: Account,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.account.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.account.sessionId;
    item.contextValue = 'account';
    item.iconPath = new vscode.ThemeIcon('account');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const { sessionId } = this.account;
    try {
      const contracts = await this.cloudBot.clientFor(sessionId).listContracts(['name', 'plan']);
      if (!contracts.length) {
        return [new MessageNode(`${sessionId}/empty`, vscode.l10n.t('No contracts with the API enabled'), 'info')];
      }
      return contracts.map((contract) => new ContractNode(this.cloudBot, sessionId, contract));
    } catch (error) {
      return [errorNode(sessionId, error)];
    }
  }
}
