import * as vscode from 'vscode';
import type { CloudBot } from '../services/cloudBot';
import type { BotTarget } from '../views/botNode';

interface BotPick extends vscode.QuickPickItem {
  target?: BotTarget;
}

/** A quick pick of every BOT in every contract of every signed-in account, filled as the lists arrive. */
export async function pickBot(cloudBot: CloudBot): Promise<BotTarget | undefined> {
  const accounts = await cloudBot.accounts();
  if (!accounts.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sign in to Cloud BOT first.'));
    return undefined;
  }
  const quickPick = vscode.window.createQuickPick<BotPick>();
  quickPick.placeholder = vscode.l10n.t('BOT to execute');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const loading = Promise.all(
    accounts.map(async (account) => {
      const client = cloudBot.clientFor(account.sessionId);
      const contracts = await client.listContracts();
      await Promise.all(
        contracts.map(async ({ public_id: publicId }) => {
          const bots = await client.listBots(publicId).catch((): never[] => []);
          const items = bots.map((bot) => ({
            label: bot.name || bot.id,
            description: `${publicId} / ${bot.id}`,
            detail: accounts.length > 1 ? account.label : undefined,
            target: { sessionId: account.sessionId, publicId, botId: bot.id, botName: bot.name },
          }));
          quickPick.items = [...quickPick.items, ...items];
        }),
      );
    }),
  ).catch((error: Error) => {
    quickPick.items = [...quickPick.items, { label: `$(error) ${error.message}` }];
  }).finally(() => {
    quickPick.busy = false;
  });
  quickPick.show();
  const picked = await new Promise<BotTarget | undefined>((resolve) => {
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
