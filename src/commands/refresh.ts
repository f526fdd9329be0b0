import * as vscode from 'vscode';
import type { BotTreeProvider } from '../views/botTree';
import type { TreeNode } from '../views/treeNode';

export function registerRefresh(context: vscode.ExtensionContext, tree: BotTreeProvider): void {
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.refresh', (node?: TreeNode) => tree.refresh(node)));
}
