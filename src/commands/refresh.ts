import * as vscode from 'vscode';
import type { BotTreeProvider } from '../views/botTree';
import type { TreeNode } from '../views/treeNode';

/** Refresh: the whole view from its title, or one row (and what is under it) from the row's menu. */
export function registerRefresh(context: vscode.ExtensionContext, tree: BotTreeProvider): void {
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.refresh', (node?: TreeNode) => tree.reload(node)));
}
