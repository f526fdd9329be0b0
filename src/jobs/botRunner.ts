// What every way of executing a BOT shares: marking bad input in its document (never sending it), and
// executing then following the job to its end.
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { InputProblem } from '../core/jsonInput';
import type { ExecuteRequest, Job } from '../core/types';
import type { CloudBot } from '../services/cloudBot';
import type { BotTarget } from '../views/botNode';
import type { JobFollower } from './jobFollower';

export class BotRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cloudbot');
  private readonly disposables: vscode.Disposable[] = [
    this.diagnostics,
    // A mark on bad input stays only until the text changes.
    vscode.workspace.onDidChangeTextDocument((event) => this.diagnostics.delete(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
  ];

  constructor(
    private readonly cloudBot: CloudBot,
    private readonly follower: JobFollower,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Marks the problem at its place in the document and says that nothing was sent. */
  refuse(document: vscode.TextDocument, problem: InputProblem): undefined {
    const range = new vscode.Range(document.positionAt(problem.offset), document.positionAt(problem.offset + problem.length));
    const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Cloud BOT';
    this.diagnostics.set(document.uri, [diagnostic]);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} Nothing was sent.', problem.message));
    return undefined;
  }

  accept(document: vscode.TextDocument): void {
    this.diagnostics.delete(document.uri);
  }

  /** Executes once (never retried: a second POST would start a second job) and follows the job. */
  async run(target: BotTarget, request: ExecuteRequest, source: string): Promise<Job | undefined> {
    const client = this.cloudBot.clientFor(target.sessionId);
    const botLabel = target.botName ? `${target.botName} (${target.botId})` : target.botId;
    this.log.info(`[${target.publicId}] Executing ${botLabel} with ${source}.`);
    let started;
    try {
      started = await client.executeBot(target.publicId, target.botId, request);
    } catch (error) {
      const message = messageOf(error);
      this.log.error(`[${target.publicId}] ${botLabel}: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not execute {0}: {1}', botLabel, message));
      return undefined;
    }
    this.log.info(`[${target.publicId}] Job ${started.job.job_id} started (HTTP ${started.httpStatus}). Job reference endpoint: ${started.jobReferenceEndpoint}`);
    return this.follower.follow({
      sessionId: target.sessionId,
      client,
      publicId: target.publicId,
      jobId: started.job.job_id,
      initial: started.job,
      title: vscode.l10n.t('Cloud BOT: {0}', botLabel),
    });
  }
}
