// "Suspend Job": a job row of the tree, a job ref, a job reference endpoint, or what the user types.
import * as vscode from 'vscode';
import type { JobStore } from '../core/jobStore';
import { targetOf, type JobRef, type TargetArg } from '../core/refs';
import type { Job } from '../core/types';
import { suspendJob } from '../jobs/suspendJob';
import type { CloudBot } from '../services/cloudBot';
import { resolveJob, type JobReferenceArg } from './referJob';

/** Callers that already asked the user (or a program acting for them) pass `confirm: false`. */
type SuspendArg = TargetArg<JobRef> | ((JobRef | JobReferenceArg) & { confirm?: boolean });

export function registerSuspendJob(context: vscode.ExtensionContext, cloudBot: CloudBot, store: JobStore, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.suspendJob', async (arg?: SuspendArg): Promise<Job | undefined> => {
      const given = targetOf<(JobRef | JobReferenceArg) & { confirm?: boolean }>(arg);
      const ref = given && 'jobId' in given ? given : await resolveJob(cloudBot, given, vscode.l10n.t('Job to suspend'));
      return ref && suspendJob(store, log, ref, { confirm: given?.confirm !== false });
    }),
  );
}
