// "Execute Options…": the callback endpoint, callback attempts and timeout a BOT runs with when its
// input carries no options of its own (editor JSON, a selection, no input). Remembered per BOT.
import * as vscode from 'vscode';
import { checkExecuteOptions, describeOptions, MAX_CALLBACK_TRIES, MAX_TIMEOUT_MS, type ExecuteOptions, type RememberedOptions } from '../core/executeOptions';
import type { ExplorerData } from '../core/explorerData';
import type { CloudBot } from '../services/cloudBot';
import { pickBot } from './pickBot';
import { targetOf, type BotRef, type TargetArg } from '../core/refs';
import { describeWrongOption, optionWords } from '../words';

export function registerExecuteOptions(context: vscode.ExtensionContext, cloudBot: CloudBot, data: ExplorerData, remembered: RememberedOptions): void {
  context.subscriptions.push(
    /** With `options`, sets them without asking (tests, other extensions); they are checked all the same. */
    vscode.commands.registerCommand('cloudbot.setExecuteOptions', async (arg?: TargetArg<BotRef>, options?: ExecuteOptions): Promise<ExecuteOptions | undefined> => {
      const target = targetOf(arg) ?? (await pickBot(cloudBot, data));
      if (!target) return undefined;
      const chosen = options ?? (await askOptions(target, await remembered.get(target.publicId, target.botId)));
      if (!chosen) return undefined;
      const wrong = checkExecuteOptions({ ...chosen });
      if (wrong) {
        void vscode.window.showErrorMessage(describeWrongOption(wrong));
        return undefined;
      }
      await remembered.set(target.publicId, target.botId, chosen);
      const saved = await remembered.get(target.publicId, target.botId);
      const described = describeOptions(saved, optionWords());
      void vscode.window.showInformationMessage(
        described
          ? vscode.l10n.t('{0} runs with: {1}.', target.botName ?? target.botId, described)
          : vscode.l10n.t('{0} runs with the default options (no callback, answer at once).', target.botName ?? target.botId),
      );
      return saved;
    }),
  );
}

/** Three input boxes, each starting from the current value; Escape at any step changes nothing. */
async function askOptions(target: BotRef, current: ExecuteOptions): Promise<ExecuteOptions | undefined> {
  const title = (step: number) => vscode.l10n.t('Execute options for {0} ({1}/3)', target.botName ?? target.botId, step);
  const check = (options: Record<string, unknown>) => {
    const wrong = checkExecuteOptions(options);
    return wrong && describeWrongOption(wrong);
  };
  /** A whole number for option `name`, checked as it is typed; undefined on Escape. */
  const askNumber = async (name: 'callbackTries' | 'timeout', step: number, prompt: string, value: number) => {
    const text = await vscode.window.showInputBox({
      title: title(step),
      prompt,
      value: String(value),
      ignoreFocusOut: true,
      validateInput: (typed) => check({ [name]: Number(typed.trim() || NaN) }),
    });
    return text === undefined ? undefined : Number(text.trim());
  };
  const endpoint = await vscode.window.showInputBox({
    title: title(1),
    prompt: vscode.l10n.t('Callback endpoint: an https:// URL that receives the finished job. Leave empty for none.'),
    value: current.callbackEndpoint ?? '',
    placeHolder: 'https://example.com/cloudbot/callback',
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? check({ callbackEndpoint: text.trim() }) : undefined),
  });
  if (endpoint === undefined) return undefined;
  let callbackTries: number | undefined;
  if (endpoint.trim()) {
    callbackTries = await askNumber('callbackTries', 2, vscode.l10n.t('Number of callback attempts (0–{0}).', MAX_CALLBACK_TRIES), current.callbackTries ?? 1);
    if (callbackTries === undefined) return undefined;
  }
  const timeout = await askNumber(
    'timeout',
    3,
    vscode.l10n.t('Timeout: how many milliseconds the execution waits for the BOT to finish (0–{0}; 0 answers at once).', MAX_TIMEOUT_MS),
    current.timeout ?? 0,
  );
  if (timeout === undefined) return undefined;
  return { callbackEndpoint: endpoint.trim() || undefined, callbackTries, timeout };
}
