// Follows jobs to their end in the window: one poller per job however many places show it, a
// cancellable progress notification, a line in the "Cloud BOT" output channel for each event, the job
// history kept across reloads, and a notification when a job ends (as the user chose).
import * as vscode from 'vscode';
import type { CloudBotClient } from '../core/client';
import { messageOf } from '../core/errors';
import type { JobHistory } from '../core/jobHistory';
import { jobHeadline, jobOutcome, outputSummary, statusText } from '../core/jobText';
import { watchJob } from '../core/jobWatcher';
import { isFinished, JobStatus, type Job } from '../core/types';
import { jobWords } from '../words';

/** Told of every job state a follower or a command sees, so the tree can show it at once. */
export type JobSeen = (sessionId: string, publicId: string, job: Job) => void;

export interface JobRef {
  sessionId: string;
  publicId: string;
  jobId: string;
}

export interface FollowRequest extends JobRef {
  client: CloudBotClient;
  /** The job as already known (the execute answer), so polling can start from it. */
  initial?: Job;
  botName?: string;
  title: string;
  /** False when following in the background (a job resumed after a reload, or one a panel shows). */
  progress?: boolean;
}

export interface JobUpdate extends JobRef {
  job: Job;
}

type NotifySetting = 'always' | 'failures' | 'never';

interface Watch {
  ref: JobRef;
  title: string;
  latest?: Job;
  /** The job's end, when something else saw it first (a suspension): polling stops without waiting. */
  ended?: Job;
  controller: AbortController;
  done: Promise<Job | undefined>;
}

export class JobFollower implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly updateEmitter = new vscode.EventEmitter<JobUpdate>();
  private readonly runningEmitter = new vscode.EventEmitter<void>();
  /** Every job state seen while following. */
  readonly onDidUpdate = this.updateEmitter.event;
  /** The set of followed jobs changed. */
  readonly onDidChangeFollowing = this.runningEmitter.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly seen: JobSeen,
    private readonly history: JobHistory,
  ) {}

  dispose(): void {
    for (const watch of this.watches.values()) watch.controller.abort();
    this.updateEmitter.dispose();
    this.runningEmitter.dispose();
  }

  isFollowing(jobId: string): boolean {
    return this.watches.has(jobId);
  }

  /** The jobs followed now, with their latest state. */
  following(): { ref: JobRef; title: string; latest?: Job }[] {
    return [...this.watches.values()].map(({ ref, title, latest }) => ({ ref, title, latest }));
  }

  /** Resolves to the final job, or undefined when the user stopped following it. */
  follow(request: FollowRequest): Promise<Job | undefined> {
    const watch = this.watches.get(request.jobId) ?? this.start(request);
    if (request.progress !== false) this.showProgress(watch);
    return watch.done;
  }

  /** A job state seen elsewhere (the answer to a suspension): a followed job that ended ends here too. */
  observe(jobId: string, job: Job): void {
    const watch = this.watches.get(jobId);
    if (!watch || !isFinished(job)) return;
    watch.ended = job;
    watch.controller.abort();
  }

  /** Stops polling a job; it goes on in Cloud BOT. */
  stop(jobId: string): void {
    this.watches.get(jobId)?.controller.abort();
  }

  /** Follows again, in the background, the jobs that were running when the window closed. */
  resume(clientFor: (sessionId: string) => CloudBotClient, sessionIds: readonly string[]): void {
    for (const record of this.history.running()) {
      if (!sessionIds.includes(record.sessionId) || this.watches.has(record.jobId)) continue;
      this.log.info(`[${record.publicId}] Following job ${record.jobId} (${record.botName ?? record.botId}) again after the window reloaded.`);
      void this.follow({
        ...record,
        client: clientFor(record.sessionId),
        title: vscode.l10n.t('Cloud BOT: {0}', record.botName ?? record.botId),
        progress: false,
      });
    }
  }

  private start(request: FollowRequest): Watch {
    const { client, publicId, jobId, sessionId } = request;
    const ref: JobRef = { sessionId, publicId, jobId };
    const controller = new AbortController();
    const watch: Watch = { ref, title: request.title, controller, latest: request.initial, done: Promise.resolve(undefined) };
    const record = this.history.get(jobId);
    let lastStatus: number | undefined;
    watch.done = watchJob(client, publicId, jobId, {
      initial: request.initial,
      signal: controller.signal,
      startedAt: record ? Date.parse(record.startTime) : undefined,
      onUpdate: (job) => {
        watch.latest = job;
        this.seen(sessionId, publicId, job);
        void this.history.remember({ sessionId, publicId, botName: request.botName }, job);
        this.updateEmitter.fire({ ...ref, job });
        if (job.status !== lastStatus) {
          lastStatus = job.status;
          this.log.info(`[${publicId}] ${jobHeadline(job)}`);
        }
      },
      onTransientError: (error, delayMs) => this.log.warn(`[${publicId}] ${jobId}: ${error.message} (retrying in ${Math.round(delayMs / 1000)} s)`),
    }).then(
      (job) => {
        this.report(ref, job);
        return job;
      },
      (error: unknown) => {
        if (watch.ended) {
          void this.history.remember({ sessionId, publicId, botName: request.botName }, watch.ended);
          this.updateEmitter.fire({ ...ref, job: watch.ended });
          this.report(ref, watch.ended);
          return watch.ended;
        }
        if (controller.signal.aborted) {
          this.log.info(`[${publicId}] ${jobId}: stopped following (the job goes on in Cloud BOT).`);
          return undefined;
        }
        const message = messageOf(error);
        this.log.error(`[${publicId}] ${jobId}: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not follow job {0}: {1}', jobId, message));
        return undefined;
      },
    ).finally(() => {
      this.watches.delete(jobId);
      this.runningEmitter.fire();
    });
    this.watches.set(jobId, watch);
    this.runningEmitter.fire();
    return watch;
  }

  /**
   * A notification while the job runs. Cancel closes it and asks whether to suspend the job or stop
   * following it; dismissing that keeps following in the background (the status bar shows it).
   */
  private showProgress(watch: Watch): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: watch.title, cancellable: true },
      async (progress, token) => {
        const report = (job: Job | undefined) => job && progress.report({ message: statusText(job.status, jobWords()) });
        report(watch.latest);
        const subscription = this.onDidUpdate((update) => update.jobId === watch.ref.jobId && report(update.job));
        const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
        try {
          if ((await Promise.race([watch.done, cancelled])) === 'cancelled') void this.askAfterCancel(watch);
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  private async askAfterCancel(watch: Watch): Promise<void> {
    const { jobId } = watch.ref;
    if (!this.watches.has(jobId)) return;
    const suspend = vscode.l10n.t('Suspend Job');
    const stop = vscode.l10n.t('Stop Following');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Job {0} is still running in Cloud BOT and is followed in the background.', jobId),
      suspend,
      stop,
    );
    if (choice === suspend) await vscode.commands.executeCommand('cloudbot.suspendJob', { sessionId: watch.ref.sessionId, reference: `${watch.ref.publicId}/${jobId}`, confirm: false });
    else if (choice === stop) this.stop(jobId);
  }

  private report(ref: JobRef, job: Job): void {
    const { publicId } = ref;
    if (job.message) this.log.info(`[${publicId}] ${job.job_id}: ${job.message}`);
    for (const line of outputSummary(job.output)) this.log.info(`[${publicId}] ${job.job_id} output ${line}`);
    const setting = vscode.workspace.getConfiguration('cloudbot').get<NotifySetting>('notifyWhenJobEnds', 'always');
    const failed = job.status !== JobStatus.Succeeded;
    if (setting === 'never' || (setting === 'failures' && !failed) || !isFinished(job)) return;
    // The notification names the BOT and the outcome; the job id is in the log line above.
    const outcome = jobOutcome(job, jobWords());
    const show = vscode.l10n.t('Show Result');
    const shown = failed
      ? vscode.window.showErrorMessage(job.message ? `${outcome}: ${job.message}` : outcome, show)
      : vscode.window.showInformationMessage(outcome, show);
    void Promise.resolve(shown).then((choice) => choice === show && vscode.commands.executeCommand('cloudbot.openJobResult', ref));
  }
}
