import * as vscode from 'vscode';
import { botKeyId, ExplorerData, type BotKey } from '../core/explorerData';
import { readSettings } from '../config';
import type { CloudBot } from '../services/cloudBot';
import { AccountNode } from './accountNode';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

export const BOT_TREE_VIEW_ID = 'cloudbot.bots';
const FILTER_KEY = 'cloudbot.filter';

export class BotTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable, TreeContext {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly data: ExplorerData;
  /** The last row shown for each BOT, so a change to its jobs refreshes just that row. */
  private readonly botRows = new Map<string, TreeNode>();
  private readonly subscription: { dispose(): void };
  view?: vscode.TreeView<TreeNode>;

  constructor(
    readonly cloudBot: CloudBot,
    private readonly state: vscode.Memento,
  ) {
    this.data = new ExplorerData((sessionId) => cloudBot.clientFor(sessionId));
    this.subscription = this.data.onDidChangeJobs((key) => this.refresh(this.botRows.get(botKeyId(key))));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  filter(): string {
    return this.state.get<string>(FILTER_KEY, '');
  }

  /** Sets (or, with empty text, clears) the filter over BOT names and IDs; it is remembered per workspace. */
  async setFilter(text: string): Promise<void> {
    await this.state.update(FILTER_KEY, text.trim() || undefined);
    this.showFilter();
    this.refresh();
  }

  /** The filter in the view's description, and a context key for the Clear Filter button. */
  showFilter(): void {
    const filter = this.filter();
    if (this.view) this.view.description = filter ? vscode.l10n.t('Filter: {0}', filter) : undefined;
    void vscode.commands.executeCommand('setContext', 'cloudbot.filtered', Boolean(filter));
  }

  rememberBot(key: BotKey, node: TreeNode): void {
    this.botRows.set(botKeyId(key), node);
  }

  apiBaseUrl(): string {
    return readSettings().apiBaseUrl;
  }

  setContext(key: 'cloudbot.noContracts' | 'cloudbot.noMatches', value: boolean): void {
    void vscode.commands.executeCommand('setContext', key, value);
  }

  refresh(node?: TreeNode): void {
    this.changeEmitter.fire(node);
  }

  /** Fetches afresh what lies under a row (or everything) and redraws it; ids stay, so expanded rows stay expanded. */
  reload(node?: TreeNode): void {
    this.data.forget(node?.cacheKey);
    if (!node) this.botRows.clear();
    this.refresh(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    const accounts = (await this.cloudBot.accounts()).map((account) => new AccountNode(this, account));
    if (accounts.length !== 1) {
      this.setContext('cloudbot.noContracts', false);
      this.setContext('cloudbot.noMatches', false);
      return accounts;
    }
    // With one account its level adds nothing: show its contracts at the top. An empty top level
    // leaves the view to its welcome content, which explains why.
    const contracts = await accounts[0].getChildren();
    this.setContext('cloudbot.noContracts', !contracts.length && !this.filter());
    this.setContext('cloudbot.noMatches', !contracts.length && Boolean(this.filter()));
    return contracts;
  }
}

export function registerBotTree(context: vscode.ExtensionContext, cloudBot: CloudBot): BotTreeProvider {
  const provider = new BotTreeProvider(cloudBot, context.workspaceState);
  const view = vscode.window.createTreeView(BOT_TREE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.view = view;
  provider.showFilter();
  context.subscriptions.push(provider, view);
  return provider;
}
