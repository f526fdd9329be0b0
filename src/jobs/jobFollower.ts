// Follows one job to its end in the window: a cancellable progress notification, a line in the
// "Cloud BOT" output channel for each event, and a notification when it ends.
import * as vscode from 'vscode';
import type { CloudBotClient } from '../core/client';
import { messageOf } from '../core/errors';
import { jobHeadline, jobOutcome, outputSummary, statusText } from '../core/jobText';
import { watchJob } from '../core/jobWatcher';
import { JobStatus, type Job } from '../core/types';

/** Told of every job state a follower or a command sees, so the tree can show it at once. */
export type JobSeen = (sessionId: string, publicId: string, job: Job) => void;

export interface FollowRequest {
  sessionId: string;
  client: CloudBotClient;
  publicId: string;
  jobId: string;
  /** The job as already known (the execute answer), so polling can start from it. */
  initial?: Job;
  title: string;
}

export class JobFollower {
  private readonly following = new Set<string>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly seen: JobSeen,
  ) {}

  isFollowing(jobId: string): boolean {
    return this.following.has(jobId);
  }

  /** Resolves to the final job, or undefined when the user stopped following it. */
  follow(request: FollowRequest): Promise<Job | undefined> {
    const { client, publicId, jobId } = request;
    const language = client.language;
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: request.title, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => controller.abort());
          this.following.add(jobId);
          let lastStatus: number | undefined;
          try {
            const job = await watchJob(client, publicId, jobId, {
              initial: request.initial,
              signal: controller.signal,
              onUpdate: (update) => {
                this.seen(request.sessionId, publicId, update);
                if (update.status !== lastStatus) {
                  lastStatus = update.status;
                  this.log.info(`[${publicId}] ${jobHeadline(update, language)}`);
                }
                progress.report({ message: statusText(update.status, language) });
              },
              onTransientError: (error, delayMs) =>
                this.log.warn(`[${publicId}] ${jobId}: ${error.message} (retrying in ${Math.round(delayMs / 1000)} s)`),
            });
            this.report(publicId, job, language);
            return job;
          } catch (error) {
            if (controller.signal.aborted) {
              this.log.info(`[${publicId}] ${jobId}: stopped following (the job goes on in Cloud BOT).`);
              return undefined;
            }
            const message = messageOf(error);
            this.log.error(`[${publicId}] ${jobId}: ${message}`);
            void vscode.window.showErrorMessage(vscode.l10n.t('Could not follow job {0}: {1}', jobId, message));
            return undefined;
          } finally {
            subscription.dispose();
            this.following.delete(jobId);
          }
        },
      ),
    );
  }

  private report(publicId: string, job: Job, language: CloudBotClient['language']): void {
    if (job.message) this.log.info(`[${publicId}] ${job.job_id}: ${job.message}`);
    for (const line of outputSummary(job.output, language)) this.log.info(`[${publicId}] ${job.job_id} output ${line}`);
    // The notification names the BOT and the outcome; the job id is in the log line above.
    const outcome = jobOutcome(job, language);
    if (job.status === JobStatus.Succeeded) void vscode.window.showInformationMessage(outcome);
    else void vscode.window.showErrorMessage(job.message ? `${outcome}: ${job.message}` : outcome);
  }
}
