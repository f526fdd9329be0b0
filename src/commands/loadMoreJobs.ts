import * as vscode from 'vscode';
import { describeError } from '../words';
import type { BotKey } from '../core/explorerData';
import type { BotTreeProvider } from '../views/botTree';

/** Appends the next older page of a BOT's jobs to the tree (the row's own command). */
export function registerLoadMoreJobs(context: vscode.ExtensionContext, tree: BotTreeProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.loadMoreJobs', async (key: BotKey) => {
      try {
        return (await tree.data.loadMoreJobs(key)).jobs.length;
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not load more jobs: {0}', describeError(error)));
        return undefined;
      }
    }),
  );
}
