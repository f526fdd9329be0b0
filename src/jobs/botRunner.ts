// What every way of executing a BOT shares: marking bad input in its document (never sending it),
// executing once, then following the job to its end. What was sent is kept in memory for "Re-run".
import * as vscode from 'vscode';
import type { CloudBotClient } from '../core/client';
import { CloudBotError, messageOf } from '../core/errors';
import { describeOptions, executeRequest, type ExecuteOptions } from '../core/executeOptions';
import type { JobHistory } from '../core/jobHistory';
import type { InputProblem } from '../core/jsonInput';
import type { Job } from '../core/types';
import type { CloudBot } from '../services/cloudBot';
import type { BotTarget } from '../views/botNode';
import type { JobFollower, JobRef } from './jobFollower';
import { describeProblem } from '../words';

export interface Execution {
  target: BotTarget;
  input: Record<string, unknown>;
  options: ExecuteOptions;
  /** Where the input came from, for the log: a file name, "the selection in …". */
  source: string;
}

export interface Started extends JobRef {
  job: Job;
}

/** Jobs that started this long before an unanswered execute are not taken for its job (clock skew). */
const LOST_ANSWER_WINDOW_MS = 60_000;

export class BotRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cloudbot');
  private readonly executions = new Map<string, Execution>();
  private readonly startEmitter = new vscode.EventEmitter<Started>();
  /** A job was started (or found after a lost answer) and is being followed. */
  readonly onDidStart = this.startEmitter.event;
  private readonly disposables: vscode.Disposable[] = [
    this.diagnostics,
    this.startEmitter,
    // A mark on bad input stays only until the text changes.
    vscode.workspace.onDidChangeTextDocument((event) => this.diagnostics.delete(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
  ];

  constructor(
    private readonly cloudBot: CloudBot,
    private readonly follower: JobFollower,
    private readonly history: JobHistory,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Marks the problem at its place in the document and says that nothing was sent. */
  refuse(document: vscode.TextDocument, problem: InputProblem): undefined {
    const range = new vscode.Range(document.positionAt(problem.offset), document.positionAt(problem.offset + problem.length));
    const diagnostic = new vscode.Diagnostic(range, describeProblem(problem), vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Cloud BOT';
    this.diagnostics.set(document.uri, [diagnostic]);
    this.log.warn(`Not executed: ${vscode.workspace.asRelativePath(document.uri)} line ${problem.line}, column ${problem.column}: ${describeProblem(problem)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} Nothing was sent.', describeProblem(problem)));
    return undefined;
  }

  accept(document: vscode.TextDocument): void {
    this.diagnostics.delete(document.uri);
  }

  /** What a job of this window was executed with, when it is still known (not after a reload). */
  executionOf(jobId: string): Execution | undefined {
    return this.executions.get(jobId);
  }

  /** Executes once (never retried: a second POST would start a second job) and follows the job. */
  async run(execution: Execution): Promise<Job | undefined> {
    const { target, input, options, source } = execution;
    const client = this.cloudBot.clientFor(target.sessionId);
    const botLabel = target.botName ? `${target.botName} (${target.botId})` : target.botId;
    const described = describeOptions(options);
    this.log.info(`[${target.publicId}] Executing ${botLabel} with ${source}${described ? `; ${described}` : ''}.`);
    const sentAt = Date.now();
    let job: Job;
    try {
      const started = await client.executeBot(target.publicId, target.botId, executeRequest(input, options));
      job = started.job;
      this.log.info(`[${target.publicId}] Job ${job.job_id} started (HTTP ${started.httpStatus}). Job reference endpoint: ${started.jobReferenceEndpoint}`);
    } catch (error) {
      const message = messageOf(error);
      this.log.error(`[${target.publicId}] ${botLabel}: ${message}`);
      const found = error instanceof CloudBotError && error.mayHaveReachedServer ? await this.findUnansweredJob(client, target, sentAt) : undefined;
      if (!found) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not execute {0}: {1}', botLabel, message));
        return undefined;
      }
      job = found;
      this.log.warn(`[${target.publicId}] The execute answer was lost, but job ${job.job_id} of ${botLabel} started at ${job.start_time}: following it.`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Cloud BOT did not answer the execution of {0}, but job {1} started then: following it. It was not executed again.', botLabel, job.job_id));
    }
    this.executions.set(job.job_id, execution);
    await this.history.remember({ sessionId: target.sessionId, publicId: target.publicId, botName: target.botName }, job);
    this.startEmitter.fire({ sessionId: target.sessionId, publicId: target.publicId, jobId: job.job_id, job });
    return this.follower.follow({
      sessionId: target.sessionId,
      client,
      publicId: target.publicId,
      jobId: job.job_id,
      initial: job,
      botName: target.botName,
      title: vscode.l10n.t('Cloud BOT: {0}', botLabel),
    });
  }

  /**
   * After an execute that may have reached Cloud BOT but got no answer: the one job of the BOT that
   * started since then and that this window does not know already. Several, or none: undefined.
   */
  private async findUnansweredJob(client: CloudBotClient, target: BotTarget, sentAt: number): Promise<Job | undefined> {
    try {
      const jobs = await client.listJobs(target.publicId, target.botId, {
        datetime_from: new Date(sentAt - LOST_ANSWER_WINDOW_MS).toISOString().replace(/\.\d+Z$/, 'Z'),
        sort_order: 'desc',
        limit: 10,
      });
      const unknown = jobs.filter((job) => !this.history.get(job.job_id) && !this.executions.has(job.job_id));
      this.log.info(`[${target.publicId}] Looked for the job of the unanswered execution: ${unknown.length} candidate(s).`);
      return unknown.length === 1 ? unknown[0] : undefined;
    } catch (error) {
      this.log.warn(`[${target.publicId}] Could not look for the job of the unanswered execution: ${messageOf(error)}`);
      return undefined;
    }
  }
}
