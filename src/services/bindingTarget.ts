// Which signed-in account runs an input file: the one that has the contract its binding names.
import type { ExplorerData } from '../core/explorerData';
import type { InputFile } from '../core/inputFile';
import type { BotRef } from '../core/refs';
import type { CloudBot } from './cloudBot';

/** The BOT an input file names, under the signed-in account that has its contract (the explorer's cached list). */
export async function findBindingTarget(cloudBot: CloudBot, data: ExplorerData, file: Pick<InputFile, 'bot'>): Promise<BotRef | undefined> {
  for (const account of await cloudBot.accounts()) {
    const contracts = await data.listContracts(account.sessionId).catch(() => []);
    if (contracts.some((contract) => contract.public_id === file.bot.contract)) {
      return { sessionId: account.sessionId, publicId: file.bot.contract, botId: file.bot.id, botName: file.bot.name };
    }
  }
  return undefined;
}
