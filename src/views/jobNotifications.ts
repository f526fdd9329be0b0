// What this window says about the jobs it executed or followed: a line in the output channel for each
// change of status, the message and an output summary at the end, and a notification when a job ends
// (as the user chose in `cloudbot.notifyWhenJobEnds`). A batch's rows are not "mine": the batch tells of them.
import * as vscode from 'vscode';
import type { JobChange, JobStore } from '../core/jobStore';
import { jobHeadline, jobOutcome, outputSummary } from '../core/jobText';
import type { JobRef } from '../core/refs';
import { inert } from '../core/serverText';
import { JobStatus, type Job } from '../core/types';
import { jobWords } from '../words';

type NotifySetting = 'always' | 'failures' | 'never';

export function registerJobNotifications(context: vscode.ExtensionContext, store: JobStore, log: vscode.LogOutputChannel, openResult: (ref: JobRef) => void): void {
  const subscription = store.onDidChange(({ entry, previous, ended }: JobChange) => {
    if (!entry.mine) return;
    const { ref, job } = entry;
    if (!previous || previous.status !== job.status) log.info(`[${ref.publicId}] ${jobHeadline(job)}`);
    if (ended) announceEnd(log, ref, job, entry.redact ?? ((text) => text), openResult);
  });
  context.subscriptions.push({ dispose: () => subscription.dispose() });
}

/** `redact` takes out what the job's run resolved its variables to: a BOT may echo its input. */
function announceEnd(log: vscode.LogOutputChannel, ref: JobRef, job: Job, redact: (text: string) => string, openResult: (ref: JobRef) => void): void {
  if (job.message) log.info(`[${ref.publicId}] ${job.job_id}: ${redact(job.message)}`);
  for (const line of outputSummary(job.output)) log.info(`[${ref.publicId}] ${job.job_id} output ${redact(line)}`);
  const setting = vscode.workspace.getConfiguration('cloudbot').get<NotifySetting>('notifyWhenJobEnds', 'always');
  const failed = job.status !== JobStatus.Succeeded;
  if (setting === 'never' || (setting === 'failures' && !failed)) return;
  // The notification names the BOT and the outcome; the job id is in the log line above.
  const outcome = jobOutcome(job, jobWords());
  const show = vscode.l10n.t('Show Result');
  const message = inert(failed && job.message ? `${outcome}: ${redact(job.message)}` : outcome);
  const shown = failed ? vscode.window.showErrorMessage(message, show) : vscode.window.showInformationMessage(message, show);
  void Promise.resolve(shown).then((choice) => choice === show && openResult(ref));
}
