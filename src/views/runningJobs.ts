// Keeps the running jobs the tree shows up to date, polling only while the view is visible, and never a
// job that a follower (an execution in this window) already polls.
import type * as vscode from 'vscode';
import { botKeyId, type BotKey, type ExplorerData } from '../core/explorerData';
import { watchJob } from '../core/jobWatcher';
import { JobStatus, type Job } from '../core/types';
import type { CloudBot } from '../services/cloudBot';

export class RunningJobsPoller implements vscode.Disposable {
  private readonly polls = new Map<string, AbortController>();
  private visible = false;

  constructor(
    private readonly cloudBot: CloudBot,
    private readonly data: ExplorerData,
    private readonly isFollowed: (jobId: string) => boolean,
  ) {}

  /** Called with the jobs a BOT row shows: starts polling those still running. */
  track(key: BotKey, jobs: readonly Job[]): void {
    if (!this.visible) return;
    for (const job of jobs) {
      const id = `${botKeyId(key)}/${job.job_id}`;
      if (job.status !== JobStatus.Executing || this.polls.has(id) || this.isFollowed(job.job_id)) continue;
      const controller = new AbortController();
      this.polls.set(id, controller);
      void watchJob(this.cloudBot.clientFor(key.sessionId), key.publicId, job.job_id, {
        initial: job,
        signal: controller.signal,
        onUpdate: (update) => {
          // A follower may have started meanwhile: it reports the job itself.
          if (update !== job && !this.isFollowed(job.job_id)) this.data.patchJob(key, update);
        },
      })
        .catch(() => undefined) // Cancelled, or an error the row shows when it is next refreshed.
        .finally(() => this.polls.get(id) === controller && this.polls.delete(id));
    }
  }

  /** Polling stops while nobody can see the view; its rows restart it when they are drawn again. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.stopAll();
  }

  stopAll(): void {
    for (const controller of this.polls.values()) controller.abort();
    this.polls.clear();
  }

  /** How many jobs are being polled (for tests and the status of the view). */
  get size(): number {
    return this.polls.size;
  }

  dispose(): void {
    this.stopAll();
  }
}
