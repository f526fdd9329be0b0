import * as vscode from 'vscode';
import { describeError } from '../words';
import { CloudBotError, messageOf } from '../core/errors';
import { botKeyId, ExplorerData, type BotKey } from '../core/explorerData';
import type { Disposable as StoreDisposable, JobChange, JobStore } from '../core/jobStore';
import { botRefOf, jobKey, jobRefOf } from '../core/refs';
import type { RecentRunTimes } from '../core/runTimes';
import { isFinished, JobStatus, type Job } from '../core/types';
import { readSettings } from '../config';
import type { CloudBot } from '../services/cloudBot';
import { AccountNode } from './accountNode';
import { errorNode } from './messageNode';
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
  /** The running jobs visible rows show, kept watched while the view is visible. */
  private readonly rowInterests = new Map<string, StoreDisposable>();
  private visible = false;
  /** Accounts already asked to sign in again after a 401: asked once, never in a loop. */
  private readonly prompted = new Set<string>();
  view?: vscode.TreeView<TreeNode>;

  constructor(
    readonly cloudBot: CloudBot,
    private readonly store: JobStore,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    readonly runTimes: RecentRunTimes,
  ) {
    this.data = new ExplorerData((sessionId) => cloudBot.clientFor(sessionId), store);
    this.subscription = store.onDidChange((change) => this.jobChanged(change));
  }

  dispose(): void {
    this.unwatchRows();
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** A job changed anywhere: its BOT's row shows it (listed first when new there) and is redrawn. */
  private jobChanged({ entry, previous }: JobChange): void {
    const bot = botRefOf(entry.ref, entry.job);
    const statusChanged = !previous || previous.status !== entry.job.status || previous.elapsed_time !== entry.job.elapsed_time;
    if (statusChanged && this.data.include(bot, entry.ref.jobId)) this.refresh(this.botRows.get(botKeyId(bot)));
    if (isFinished(entry.job)) this.unwatchRow(jobKey(entry.ref));
  }

  watchRunning(key: BotKey, jobs: readonly Job[]): void {
    if (!this.visible) return;
    for (const job of jobs) {
      const ref = jobRefOf(key, job);
      const id = jobKey(ref);
      if (job.status === JobStatus.Executing && !this.rowInterests.has(id)) this.rowInterests.set(id, this.store.interest(ref, 'row'));
    }
  }

  /** Rows keep their jobs watched only while somebody can see the view; they ask again when drawn. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.unwatchRows();
  }

  /** How many running jobs the visible rows keep watched. */
  get watchedRows(): number {
    return this.rowInterests.size;
  }

  private unwatchRow(id: string): void {
    this.rowInterests.get(id)?.dispose();
    this.rowInterests.delete(id);
  }

  private unwatchRows(): void {
    for (const interest of this.rowInterests.values()) interest.dispose();
    this.rowInterests.clear();
  }

  failed(id: string, sessionId: string, error: unknown): TreeNode {
    if (error instanceof CloudBotError && error.status === 401 && !this.prompted.has(sessionId)) {
      this.prompted.add(sessionId);
      this.log.warn(`Cloud BOT rejected the credentials of an account (401): asking once to sign in again.`);
      void this.askToSignInAgain(describeError(error));
    }
    return errorNode(id, error);
  }

  private async askToSignInAgain(message: string): Promise<void> {
    const signIn = vscode.l10n.t('Sign In');
    if ((await vscode.window.showWarningMessage(message, signIn)) === signIn) await this.cloudBot.signIn();
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

  /**
   * The filter in the view's description and, since a view alone in its container shows no description,
   * as its message too, unless nothing matches: a message would hide the welcome content that says so.
   * And a context key for the Clear Filter button.
   */
  showFilter(nothingMatches = false): void {
    const filter = this.filter();
    if (this.view) {
      this.view.description = filter ? vscode.l10n.t('Filter: {0}', filter) : undefined;
      this.view.message = filter && !nothingMatches
        ? vscode.l10n.t('Showing BOTs whose name or ID contains "{0}". Clear the filter with the button above.', filter)
        : undefined;
    }
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
    if (!node) {
      this.botRows.clear();
      this.prompted.clear();
      this.unwatchRows();
    }
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
    // leaves the view to its welcome content, which explains why (the failure itself in the message).
    let contracts: TreeNode[] = [];
    let failure: LoadFailure | '' = '';
    try {
      contracts = await accounts[0].contracts();
    } catch (error) {
      this.failed(accounts[0].cacheKey, accounts[0].cacheKey, error);
      this.log.warn(`Could not list the contracts: ${messageOf(error)}`);
      failure = loadFailureOf(error);
    }
    void vscode.commands.executeCommand('setContext', 'cloudbot.loadError', failure);
    const nothingMatches = !contracts.length && !failure && Boolean(this.filter());
    this.setContext('cloudbot.noContracts', !contracts.length && !failure && !this.filter());
    this.setContext('cloudbot.noMatches', nothingMatches);
    this.showFilter(nothingMatches);
    return contracts;
  }
}

export function registerBotTree(context: vscode.ExtensionContext, cloudBot: CloudBot, store: JobStore, log: vscode.LogOutputChannel, runTimes: RecentRunTimes): BotTreeProvider {
  const provider = new BotTreeProvider(cloudBot, store, context.workspaceState, log, runTimes);
  const view = vscode.window.createTreeView(BOT_TREE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.view = view;
  provider.showFilter();
  provider.setVisible(view.visible);
  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility(({ visible }) => {
      provider.setVisible(visible);
      // Redrawn from what is kept (no fetch), so the rows of running jobs are watched again.
      if (visible) provider.refresh();
    }),
  );
  return provider;
}

/** Kinds of failure of the top level, each with its own welcome content (a welcome text cannot be dynamic). */
type LoadFailure = 'network' | 'signIn' | 'permission' | 'server' | 'other';

function loadFailureOf(error: unknown): LoadFailure {
  if (!(error instanceof CloudBotError)) return 'other';
  if (error.kind === 'network' || error.kind === 'timeout') return 'network';
  if (error.status === 401) return 'signIn';
  if (error.status === 403) return 'permission';
  if (error.kind === 'invalidResponse' || error.status === 429 || (error.status ?? 0) >= 500) return 'server';
  return 'other';
}
