// Following a job in the window: a follow interest in the store while someone waits for the end, with a
// cancellable progress notification. Cancel asks whether to suspend the job or stop following it;
// dismissing that question keeps following in the background (the status bar shows it).
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { JobHistory } from '../core/jobHistory';
import { StoppedWaiting, type JobStore } from '../core/jobStore';
import { statusText } from '../core/jobText';
import { inert } from '../core/serverText';
import { sameJob, type JobRef } from '../core/refs';
import { isFinished, type Job } from '../core/types';
import { describeError, jobWords } from '../words';
import { suspendJob } from './suspendJob';

export interface FollowOptions {
  title: string;
  /** False when following in the background (a job resumed after a reload). */
  progress?: boolean;
}

/** Resolves to the job's end, or undefined when the user stopped following it or it cannot be followed (said). */
export async function followJob(store: JobStore, log: vscode.LogOutputChannel, ref: JobRef, { title, progress = true }: FollowOptions): Promise<Job | undefined> {
  const following = new AbortController();
  const end = store.waitForEnd(ref, { signal: following.signal });
  if (progress) showProgress(store, log, ref, title, end, following);
  try {
    return await end;
  } catch (error) {
    if (error instanceof StoppedWaiting) {
      log.info(`[${ref.publicId}] ${ref.jobId}: stopped following (the job goes on in Cloud BOT).`);
      return undefined;
    }
    log.error(`[${ref.publicId}] ${ref.jobId}: ${messageOf(error)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not follow job {0}: {1}', inert(ref.jobId), describeError(error)));
    return undefined;
  }
}

/** Follows again, in the background, the jobs that were running when the window closed. */
export function resumeJobs(store: JobStore, log: vscode.LogOutputChannel, history: JobHistory, sessionIds: readonly string[]): void {
  for (const record of history.running()) {
    if (!sessionIds.includes(record.sessionId) || store.get(record)?.watching) continue;
    log.info(`[${record.publicId}] Following job ${record.jobId} (${record.botName ?? record.botId}) again after the window reloaded.`);
    store.seen(record, { job_id: record.jobId, bot_id: record.botId, bot_name: record.botName, status: record.status, start_time: record.startTime, elapsed_time: record.elapsedTime, message: record.message });
    void followJob(store, log, record, { title: vscode.l10n.t('Cloud BOT: {0}', record.botName ?? record.botId), progress: false });
  }
}

function showProgress(store: JobStore, log: vscode.LogOutputChannel, ref: JobRef, title: string, end: Promise<Job>, following: AbortController): void {
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: inert(title), cancellable: true }, async (progress, token) => {
    const report = (job: Job | undefined) => job && progress.report({ message: statusText(job.status, jobWords()) });
    report(store.get(ref)?.job);
    const subscription = store.onDidChange(({ entry }) => sameJob(entry.ref, ref) && report(entry.job));
    const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
    try {
      if ((await Promise.race([end.catch(() => undefined), cancelled])) === 'cancelled') void askAfterCancel(store, log, ref, following);
    } finally {
      subscription.dispose();
    }
  });
}

async function askAfterCancel(store: JobStore, log: vscode.LogOutputChannel, ref: JobRef, following: AbortController): Promise<void> {
  const known = store.get(ref)?.job;
  if (known && isFinished(known)) return;
  const suspend = vscode.l10n.t('Suspend Job');
  const stop = vscode.l10n.t('Stop Following');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Job {0} is still running in Cloud BOT and is followed in the background.', inert(ref.jobId)),
    suspend,
    stop,
  );
  if (choice === suspend) await suspendJob(store, log, ref, { confirm: false });
  else if (choice === stop) following.abort();
}
