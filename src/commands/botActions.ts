// Actions on a BOT of the tree: its details as JSON, its execution endpoint, and the Cloud BOT console.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { botExecutionEndpoint } from '../core/endpoints';
import type { BotDetail } from '../core/types';
import type { CloudBot } from '../services/cloudBot';
import { registerJsonDocuments } from '../views/jsonDocuments';
import { targetOf, type BotRef, type TargetArg } from '../core/refs';

const DETAIL_PROPERTIES = ['input', 'output', 'icon', 'created', 'last_modified', 'creator'];
/** Long enough to show the icon's media type and that it is base64. */
const ICON_CHARS_SHOWN = 40;

export function registerBotActions(context: vscode.ExtensionContext, cloudBot: CloudBot): void {
  const documents = registerJsonDocuments(context, 'cloudbot-bot');
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.showBotDetails', async (arg?: TargetArg<BotRef>) => {
      const target = targetOf(arg);
      if (!target) return undefined;
      const { sessionId, publicId, botId } = target;
      return documents.show(
        `/${publicId}/${vscode.l10n.t('{0} (details)', botId)}.json`,
        async () => withShortIcon(await cloudBot.clientFor(sessionId).getBot(publicId, botId, DETAIL_PROPERTIES)),
        (message) => vscode.l10n.t('Could not get the details of BOT {0}: {1}', botId, message),
      );
    }),
    vscode.commands.registerCommand('cloudbot.copyExecutionEndpoint', async (arg?: TargetArg<BotRef>) => {
      const target = targetOf(arg);
      if (!target) return undefined;
      const endpoint = botExecutionEndpoint(readSettings().apiBaseUrl, target.publicId, target.botId);
      return copyAndSay(endpoint, vscode.l10n.t('Copied the BOT execution endpoint: {0}', endpoint));
    }),
    // Run on a contract, a BOT or a job, it opens the same page: no source documents a console URL for a
    // contract, BOT or job, only the For Developers page (`/development`, cloudbot-api.md §1).
    vscode.commands.registerCommand('cloudbot.openInConsole', async () => {
      const url = new URL('/development', readSettings().oauthBaseUrl).toString();
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return url;
    }),
  );
}

/** Puts `text` on the clipboard, says so with `message`, and returns it. */
export async function copyAndSay(text: string, message: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(message);
  return text;
}

/** An icon is a data URL of kilobytes of base64 on one line, which would bury the rest of the document. */
function withShortIcon(bot: BotDetail): BotDetail {
  const { icon } = bot;
  if (typeof icon !== 'string' || icon.length <= ICON_CHARS_SHOWN) return bot;
  return { ...bot, icon: vscode.l10n.t('{0}… ({1} characters)', icon.slice(0, ICON_CHARS_SHOWN), icon.length) };
}
