import * as vscode from 'vscode';
import type { CloudBot } from '../services/cloudBot';
import type { Contract } from '../core/types';
import { BotNode } from './botNode';
import { MessageNode, errorNode } from './messageNode';
import type { TreeNode } from './treeNode';

export class ContractNode implements TreeNode {
  constructor(
    private readonly cloudBot: CloudBot,
    private readonly sessionId: string,
    private readonly contract: Contract,
  ) {}

  private get id(): string {
    return `${this.sessionId}/${this.contract.public_id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { public_id: publicId, name, plan } = this.contract;
    const item = new vscode.TreeItem(publicId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [name, plan].filter(Boolean).join(' · ') || undefined;
    item.contextValue = 'contract';
    item.iconPath = new vscode.ThemeIcon('organization');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const client = this.cloudBot.clientFor(this.sessionId);
      const bots = await client.listBots(this.contract.public_id);
      if (!bots.length) {
        return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No BOTs published for the API in this contract'), 'info')];
      }
      return bots.map((bot) => new BotNode(this.sessionId, this.contract.public_id, bot, client.apiBaseUrl));
    } catch (error) {
      return [errorNode(this.id, error)];
    }
  }
}
