import * as vscode from 'vscode';
import type { CloudBot } from '../services/cloudBot';
import { AccountNode } from './accountNode';
import type { TreeNode } from './treeNode';

export const BOT_TREE_VIEW_ID = 'cloudbot.bots';

export class BotTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(private readonly cloudBot: CloudBot) {}

  dispose(): void {
    this.changeEmitter.dispose();
  }

  refresh(node?: TreeNode): void {
    this.changeEmitter.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    const accounts = (await this.cloudBot.accounts()).map((account) => new AccountNode(this.cloudBot, account));
    // With one account its level adds nothing: show its contracts at the top.
    return accounts.length === 1 ? accounts[0].getChildren() : accounts;
  }
}

export function registerBotTree(context: vscode.ExtensionContext, cloudBot: CloudBot): BotTreeProvider {
  const provider = new BotTreeProvider(cloudBot);
  const view = vscode.window.createTreeView(BOT_TREE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(provider, view);
  return provider;
}
