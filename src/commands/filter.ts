import * as vscode from 'vscode';
import type { BotTreeProvider } from '../views/botTree';

export function registerFilter(context: vscode.ExtensionContext, tree: BotTreeProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.filterBots', async (text?: string) => {
      const filter =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Filter BOTs'),
              prompt: vscode.l10n.t('Part of a BOT name or ID; empty shows every BOT'),
              value: tree.filter(),
            });
      if (filter !== undefined) await tree.setFilter(filter);
    }),
    vscode.commands.registerCommand('cloudbot.clearFilter', () => tree.setFilter('')),
  );
}
