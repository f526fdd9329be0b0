// What a batch needs before its rows can be sent, asked when it starts or resumes: the user's yes where
// an execution needs one (an input file of an untrusted folder, a new callback host), the BOT's input
// definition (read once per batch), and the template's variables resolved for each row.
import * as vscode from 'vscode';
import { batchInputs, rowTemplate, type BatchInputs, type TemplateResolver, type TemplateVariables } from '../core/batch/batchInput';
import type { BatchLedger } from '../core/batch/ledger';
import { inputItemsOf, type InputItem } from '../core/inputItems';
import { inert } from '../core/serverText';
import type { CloudBot } from '../services/cloudBot';
import { describeError } from '../words';
import type { JobRef } from '../core/refs';
import type { Batches, RowPreparer } from './batches';
import type { Execution } from './botRunner';
import type { RunConsent } from './runConsent';

/** The BOT's input items; undefined (having said why) when they cannot be read. */
async function inputItemsFor(cloudBot: CloudBot, ledger: BatchLedger): Promise<InputItem[] | undefined> {
  const { sessionId, publicId, botId } = ledger.bot;
  try {
    return inputItemsOf((await cloudBot.clientFor(sessionId).getBot(publicId, botId, ['input'])).input);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the input definition of {0}: {1}', inert(botId), describeError(error)));
    return undefined;
  }
}

/** The inputs of a batch's rows with `resolve` for the template's variables; undefined (having said why) when the BOT's definition cannot be read. */
export async function batchInputsFor(cloudBot: CloudBot, ledger: BatchLedger, referenced: ReadonlySet<string>, resolve: TemplateResolver): Promise<BatchInputs | undefined> {
  const items = await inputItemsFor(cloudBot, ledger);
  return items && batchInputs(ledger, items, referenced, resolve);
}

/** What a batch row's job was executed with, as written, for Re-run; undefined when the job is no batch row's. */
export async function batchRowExecution(cloudBot: CloudBot, batches: Batches, variables: TemplateVariables, ref: JobRef): Promise<Execution | undefined> {
  const found = await batches.rowOfJob(ref);
  if (!found) return undefined;
  const { ledger, row } = found;
  const items = await inputItemsFor(cloudBot, ledger);
  const input = items && (await rowTemplate(ledger, row, items, variables.referenced(ledger)));
  if (!input) return undefined;
  return { target: ledger.bot, input, options: ledger.template.options, source: vscode.l10n.t('{0}, line {1}', ledger.rowsSource, row.line) };
}

export function batchRowPreparer(cloudBot: CloudBot, consent: RunConsent, variables: TemplateVariables): RowPreparer {
  return async (ledger) => {
    const { bot, template } = ledger;
    const botLabel = bot.botName ? `${bot.botName} (${bot.botId})` : bot.botId;
    const allowed =
      (!template.source || (await consent.allowInputFile(botLabel, template.source))) && (await consent.allowCallback(botLabel, template.options.callbackEndpoint));
    if (!allowed) return undefined;
    const resolver = await variables.resolverFor(ledger);
    if (!resolver) return undefined;
    const inputs = await batchInputsFor(cloudBot, ledger, variables.referenced(ledger), resolver.resolve);
    return inputs && { prepare: inputs.prepare, redact: resolver.redact };
  };
}
