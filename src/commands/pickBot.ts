import * as vscode from 'vscode';
import { describeError } from '../words';
import type { ExplorerData } from '../core/explorerData';
import type { CloudBot } from '../services/cloudBot';
import { askToSignIn } from './pickAccount';
import type { BotRef } from '../core/refs';
import { inert } from '../core/serverText';

interface BotPick extends vscode.QuickPickItem {
  target?: BotRef;
}

/**
 * A quick pick of every BOT in every contract of every signed-in account, filled as each account's lists
 * arrive (the explorer's: cached, fetched with bounded parallelism). `recent` (`publicId/botId`, most
 * recent first) come first, under their own separator.
 */
export async function pickBot(cloudBot: CloudBot, data: ExplorerData, recent: readonly string[] = []): Promise<BotRef | undefined> {
  const accounts = await cloudBot.accounts();
  if (!accounts.length) return askToSignIn(cloudBot);
  const quickPick = vscode.window.createQuickPick<BotPick>();
  quickPick.placeholder = vscode.l10n.t('BOT to execute');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  let found: BotPick[] = [];
  const rank = (item: BotPick) => {
    const index = item.target ? recent.indexOf(`${item.target.publicId}/${item.target.botId}`) : -1;
    return index === -1 ? recent.length : index;
  };
  const show = () => {
    const sorted = [...found].sort((a, b) => rank(a) - rank(b));
    const recentCount = sorted.filter((item) => rank(item) < recent.length).length;
    quickPick.items = recentCount
      ? [
          { label: vscode.l10n.t('recently executed'), kind: vscode.QuickPickItemKind.Separator },
          ...sorted.slice(0, recentCount),
          { label: vscode.l10n.t('all BOTs'), kind: vscode.QuickPickItemKind.Separator },
          ...sorted.slice(recentCount),
        ]
      : sorted;
  };
  const loading = Promise.all(
    accounts.map(async (account) => {
      // Contracts whose BOTs cannot be listed are left out; the tree says why.
      const items = (await data.listAllBots(account.sessionId)).flatMap(({ contract: { public_id: publicId }, bots }) =>
        (bots.ok ? bots.value : []).map((bot) => ({
          label: inert(bot.name || bot.id),
          description: inert(`${publicId} / ${bot.id}`),
          detail: accounts.length > 1 ? inert(account.label) : undefined,
          target: { sessionId: account.sessionId, publicId, botId: bot.id, botName: bot.name },
        })),
      );
      found = [...found, ...items];
      show();
    }),
  ).catch((error: unknown) => {
    found = [...found, { label: `$(error) ${describeError(error)}` }];
    show();
  }).finally(() => {
    quickPick.busy = false;
  });
  quickPick.show();
  const picked = await new Promise<BotRef | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      const target = quickPick.selectedItems[0]?.target;
      if (target) resolve(target);
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.dispose();
  await loading;
  return picked;
}
