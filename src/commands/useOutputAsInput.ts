// "Use Output as Input…" (chaining BOTs): a new input file for another BOT, its input items filled from
// a finished job's output items of the same name (inputFromOutput), the rest left at their defaults.
import * as vscode from 'vscode';
import type { ExplorerData } from '../core/explorerData';
import { inputItemsOf } from '../core/inputItems';
import type { JobStore } from '../core/jobStore';
import { inputFromOutput, type InputFromOutput } from '../core/outputToInput';
import { jobRefFrom, targetOf, type BotRef, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { finishedJob } from './compareJobs';
import { createInputFile, type InputFileServices } from './inputFiles';
import { pickBot } from './pickBot';

/** Returns the result panel's "Use Output as Input…". */
export function registerUseOutputAsInput(context: vscode.ExtensionContext, store: JobStore, data: ExplorerData, services: InputFileServices): (ref: JobRef) => Promise<vscode.Uri | undefined> {
  context.subscriptions.push(
    // `bot` is the BOT to make the file for; without it, the user picks one.
    vscode.commands.registerCommand('cloudbot.useOutputAsInput', async (arg?: TargetArg<JobRef>, bot?: BotRef) => {
      const ref = targetOf(arg);
      return ref && useOutputAsInput(store, data, services, jobRefFrom(ref), bot);
    }),
  );
  return (ref) => useOutputAsInput(store, data, services, ref);
}

async function useOutputAsInput(store: JobStore, data: ExplorerData, services: InputFileServices, ref: JobRef, bot?: BotRef): Promise<vscode.Uri | undefined> {
  const job = await finishedJob(store, ref);
  if (!job) return undefined;
  const target = bot ?? (await pickBot(services.cloudBot, data));
  if (!target) return undefined;
  let filled: InputFromOutput | undefined;
  const uri = await createInputFile(services, target, (detail) => (filled = inputFromOutput(job.output, inputItemsOf(detail.input))).input);
  if (!uri || !filled) return uri;
  const names = (list: string[]) => list.map((name) => `"${inert(name)}"`).join(', ');
  if (!filled.matched.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No input item of {0} matches an output item of job {1} by name and kind: the file has the defaults.', inert(target.botName ?? target.botId), inert(ref.jobId)));
  } else if (filled.unmatched.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Filled {0} from the output; left at their defaults (no output item of the same name and kind): {1}.', names(filled.matched), names(filled.unmatched)));
  }
  return uri;
}
