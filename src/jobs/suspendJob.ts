// Suspending a job, after confirmation unless the caller already asked: from the tree, a result panel,
// the progress notification's Cancel, or the palette. A job that already ended is reported as such (410).
import * as vscode from 'vscode';
import { CloudBotError, messageOf } from '../core/errors';
import { jobHeadline } from '../core/jobText';
import type { JobStore } from '../core/jobStore';
import type { JobRef } from '../core/refs';
import { inert } from '../core/serverText';
import type { Job } from '../core/types';
import { describeError } from '../words';

export async function suspendJob(store: JobStore, log: vscode.LogOutputChannel, ref: JobRef, { confirm = true } = {}): Promise<Job | undefined> {
  const { publicId, jobId } = ref;
  if (confirm) {
    const suspend = vscode.l10n.t('Suspend');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Suspend job {0} in {1}?', inert(jobId), inert(publicId)),
      { modal: true, detail: vscode.l10n.t('The BOT stops where it is; its job ends with an error status.') },
      suspend,
    );
    if (choice !== suspend) return undefined;
  }
  try {
    const job = await store.suspend(ref);
    log.info(`[${publicId}] Suspended: ${jobHeadline(job)}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} was suspended.', inert(jobId)));
    return job;
  } catch (error) {
    log.warn(`[${publicId}] ${jobId}: ${messageOf(error)}`);
    const message = describeError(error);
    if (error instanceof CloudBotError && error.status === 410) void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(vscode.l10n.t('Could not suspend job {0}: {1}', inert(jobId), message));
    return undefined;
  }
}
