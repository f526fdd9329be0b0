// Follows any job, including one started elsewhere, from its job reference endpoint.
import * as vscode from 'vscode';
import { describeError } from '../words';
import { parseJobReference, JobReferenceError } from '../core/endpoints';
import type { JobStore } from '../core/jobStore';
import type { JobRef } from '../core/refs';
import type { Job } from '../core/types';
import { followJob } from '../jobs/followJob';
import type { CloudBot } from '../services/cloudBot';
import type { ResultPanels } from '../views/resultPanel';
import { pickAccount } from './pickAccount';

export interface JobReferenceArg {
  sessionId?: string;
  /** A job reference endpoint URL, or `public_id/job_id`. */
  reference: string;
}

export function registerReferJob(context: vscode.ExtensionContext, cloudBot: CloudBot, store: JobStore, log: vscode.LogOutputChannel, panels: ResultPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.referJob', async (arg?: JobReferenceArg): Promise<Job | undefined> => {
      const ref = await resolveJob(cloudBot, arg, vscode.l10n.t('Job to refer to'));
      if (!ref) return undefined;
      // Asked once here, so the panel and the follow start from the answer instead of asking again.
      try {
        await store.refer(ref);
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not refer to job {0}: {1}', ref.jobId, describeError(error)));
        return undefined;
      }
      panels.open(ref);
      return followJob(store, log, ref, { title: vscode.l10n.t('Cloud BOT: job {0}', ref.jobId) });
    }),
  );
}

/** Turns a command argument or what the user types into a job of a signed-in account. */
export async function resolveJob(cloudBot: CloudBot, arg: Partial<JobReferenceArg> | undefined, title: string): Promise<JobRef | undefined> {
  const account = arg?.sessionId ? { sessionId: arg.sessionId } : await pickAccount(cloudBot, title);
  if (!account) return undefined;
  const client = cloudBot.clientFor(account.sessionId);
  const check = (text: string) => {
    try {
      parseJobReference(text, client.apiBaseUrl);
      return undefined;
    } catch (error) {
      return describeError(error);
    }
  };
  const reference =
    arg?.reference ??
    (await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Job reference endpoint (from the execution result), or <public id>/<job id>'),
      placeHolder: `${client.apiBaseUrl}/<public_id>/jobs/<job_id>`,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? check(text) : undefined),
    }));
  if (reference === undefined) return undefined;
  try {
    const { publicId, jobId } = parseJobReference(reference, client.apiBaseUrl);
    return { sessionId: account.sessionId, publicId, jobId };
  } catch (error) {
    if (!(error instanceof JobReferenceError)) throw error;
    void vscode.window.showErrorMessage(describeError(error));
    return undefined;
  }
}
