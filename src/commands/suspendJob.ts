// Suspends a running job after confirmation; a job that already ended is reported as such (410).
import * as vscode from 'vscode';
import { CloudBotError, messageOf } from '../core/errors';
import { jobHeadline } from '../core/jobText';
import type { Job } from '../core/types';
import type { JobSeen } from '../jobs/jobFollower';
import type { CloudBot } from '../services/cloudBot';
import { targetOf, type JobTarget } from '../views/jobTarget';
import { resolveJob, type JobReferenceArg } from './referJob';

export interface SuspendTarget extends JobReferenceArg {
  /** Callers that already asked the user (or a program acting for them) pass false. */
  confirm?: boolean;
}

/** A job row of the tree (or its target) becomes a reference; anything else is taken as it is. */
function referenceOf(arg: SuspendTarget | JobTarget | { target: JobTarget } | undefined): SuspendTarget | undefined {
  const target = targetOf<SuspendTarget | JobTarget>(arg);
  if (target && 'jobId' in target) return { sessionId: target.sessionId, reference: `${target.publicId}/${target.jobId}` };
  return target;
}

export function registerSuspendJob(context: vscode.ExtensionContext, cloudBot: CloudBot, log: vscode.LogOutputChannel, seen: JobSeen): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.suspendJob', async (arg?: SuspendTarget | JobTarget | { target: JobTarget }): Promise<Job | undefined> => {
      const request = referenceOf(arg);
      const resolved = await resolveJob(cloudBot, request, vscode.l10n.t('Job to suspend'));
      if (!resolved) return undefined;
      const { client, publicId, jobId } = resolved;
      if (request?.confirm !== false) {
        const suspend = vscode.l10n.t('Suspend');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Suspend job {0} in {1}?', jobId, publicId),
          { modal: true, detail: vscode.l10n.t('The BOT stops where it is; its job ends with an error status.') },
          suspend,
        );
        if (choice !== suspend) return undefined;
      }
      try {
        const job = await client.suspendJob(publicId, jobId);
        seen(resolved.sessionId, publicId, job);
        log.info(`[${publicId}] Suspended: ${jobHeadline(job)}`);
        void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} was suspended.', jobId));
        return job;
      } catch (error) {
        const message = messageOf(error);
        log.warn(`[${publicId}] ${jobId}: ${message}`);
        if (error instanceof CloudBotError && error.status === 410) void vscode.window.showInformationMessage(message);
        else void vscode.window.showErrorMessage(vscode.l10n.t('Could not suspend job {0}: {1}', jobId, message));
        return undefined;
      }
    }),
  );
}
