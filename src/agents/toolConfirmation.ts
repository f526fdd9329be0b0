// What the user reads before an agent's tool starts or stops work in Cloud BOT: the account, the
// contract, the BOT and the exact input. Names come from the server, so they go in as text, never as
// markdown that could link or run a command.
import * as vscode from 'vscode';
import type { Confirmation } from '../core/agent/agentTools';
import { inert } from '../core/serverText';
import type { PreparedToolInvocation } from './newerApi';

/** Inputs longer than this are shown cut, saying how much more there is (the model sent them all). */
const MAX_SHOWN_INPUT_CHARS = 20_000;

export function confirmationOf(confirmation: Confirmation): PreparedToolInvocation {
  const message = new vscode.MarkdownString();
  const line = (label: string, value: string) => message.appendText(`${label}: ${inert(value)}`).appendMarkdown('  \n');
  line(vscode.l10n.t('Account'), confirmation.account);
  line(vscode.l10n.t('Contract'), confirmation.contract);
  if (confirmation.kind === 'suspend') {
    line(vscode.l10n.t('Job'), confirmation.jobId);
    if (confirmation.botName) line(vscode.l10n.t('BOT'), confirmation.botName);
    return {
      invocationMessage: vscode.l10n.t('Suspending job {0}', confirmation.jobId),
      confirmationMessages: { title: vscode.l10n.t('Suspend job {0} in Cloud BOT?', confirmation.jobId), message },
    };
  }
  line(vscode.l10n.t('BOT'), confirmation.botName ? `${confirmation.botName} (${confirmation.botId})` : confirmation.botId);
  const count = confirmation.inputs.length;
  message.appendMarkdown('\n').appendText(confirmation.batch ? vscode.l10n.t('Inputs ({0}, one job each):', count) : vscode.l10n.t('Input:'));
  const json = JSON.stringify(confirmation.batch ? confirmation.inputs : confirmation.inputs[0], null, 2);
  const shown = json.length > MAX_SHOWN_INPUT_CHARS ? `${json.slice(0, MAX_SHOWN_INPUT_CHARS)}\n… ${vscode.l10n.t('{0} more characters', json.length - MAX_SHOWN_INPUT_CHARS)}` : json;
  message.appendCodeblock(shown, 'json');
  const name = inert(confirmation.botName || confirmation.botId);
  return {
    invocationMessage: confirmation.batch ? vscode.l10n.t('Executing {0} for {1} inputs', name, count) : vscode.l10n.t('Executing {0}', name),
    confirmationMessages: {
      title: confirmation.batch ? vscode.l10n.t('Execute {0} {1} times in Cloud BOT?', name, count) : vscode.l10n.t('Execute {0} in Cloud BOT?', name),
      message,
    },
  };
}
