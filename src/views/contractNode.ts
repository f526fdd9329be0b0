import * as vscode from 'vscode';
import { describeError } from '../words';
import { CloudBotError } from '../core/errors';
import { matchesFilter } from '../core/explorerData';
import type { Contract } from '../core/types';
import { BotNode } from './botNode';
import { MessageNode } from './messageNode';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

export class ContractNode implements TreeNode {
  /** Whether the row was last drawn with its failure mark (then it needs no redraw for it). */
  private drawnFailed = false;

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
    const failure = this.tree.data.botsFailure(this.sessionId, publicId);
    this.drawnFailed = Boolean(failure);
    item.description = failure
      ? failureSummary(failure)
      : this.matches === undefined
        ? [name, plan].filter(Boolean).join(' · ') || undefined
        : vscode.l10n.t('{0} matching', this.matches);
    item.tooltip = failure ? describeError(failure) : [publicId, name, plan].filter(Boolean).join(' · ');
    item.contextValue = failure ? 'contract failed' : 'contract';
    item.iconPath = failure ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('organization');
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
      // The row itself shows the failure from now on (kept until refreshed, so the redraw asks nothing).
      if (!this.drawnFailed) this.tree.refresh(this);
      return [this.tree.failed(this.id, this.sessionId, error)];
    }
  }
}

/** A few words for the row; the whole sentence is in its tooltip and its child row. */
function failureSummary(failure: unknown): string {
  const status = failure instanceof CloudBotError ? failure.status : undefined;
  if (status === 403) return vscode.l10n.t('No access (403)');
  if (status === 401) return vscode.l10n.t('Sign in again (401)');
  return status ? vscode.l10n.t('Could not load ({0})', status) : vscode.l10n.t('Could not load');
}
