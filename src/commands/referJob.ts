// Follows any job, including one started elsewhere, from its job reference endpoint.
import * as vscode from 'vscode';
import { parseJobReference, JobReferenceError } from '../core/endpoints';
import { messageOf } from '../core/errors';
import type { Job } from '../core/types';
import type { JobFollower } from '../jobs/jobFollower';
import type { CloudBot } from '../services/cloudBot';
import type { ResultPanels } from '../views/resultPanel';
import { pickAccount } from './pickAccount';

export interface JobReferenceArg {
  sessionId?: string;
  /** A job reference endpoint URL, or `public_id/job_id`. */
  reference: string;
}

export function registerReferJob(context: vscode.ExtensionContext, cloudBot: CloudBot, follower: JobFollower, panels: ResultPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.referJob', async (arg?: JobReferenceArg): Promise<Job | undefined> => {
      const resolved = await resolveJob(cloudBot, arg, vscode.l10n.t('Job to refer to'));
      if (!resolved) return undefined;
      const ref = { sessionId: resolved.sessionId, publicId: resolved.publicId, jobId: resolved.jobId };
      // Following first, so that the panel shows what the follower sees instead of asking again.
      const followed = follower.follow({ ...ref, client: resolved.client, title: vscode.l10n.t('Cloud BOT: job {0}', resolved.jobId) });
      panels.open(ref);
      return followed;
    }),
  );
}

/** Turns a command argument or what the user types into a job and the client for its account. */
export async function resolveJob(cloudBot: CloudBot, arg: JobReferenceArg | undefined, title: string) {
  const account = arg?.sessionId ? { sessionId: arg.sessionId } : await pickAccount(cloudBot, title);
  if (!account) return undefined;
  const client = cloudBot.clientFor(account.sessionId);
  const check = (text: string) => {
    try {
      parseJobReference(text, client.apiBaseUrl);
      return undefined;
    } catch (error) {
      return messageOf(error);
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
    return { client, sessionId: account.sessionId, ...parseJobReference(reference, client.apiBaseUrl) };
  } catch (error) {
    if (!(error instanceof JobReferenceError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
}
