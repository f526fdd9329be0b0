import type * as vscode from 'vscode';

/** One kind of row in the BOT tree; each kind lives in its own file. */
export interface TreeNode {
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<TreeNode[]>;
  /** Under which key the explorer data keeps what this row shows, for a refresh of just this row. */
  readonly cacheKey?: string;
}
