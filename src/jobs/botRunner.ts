// What every way of executing a BOT from the editor shares: marking bad input in its document (never
// sending it), executing once through the job store, then following the job to its end. What was sent
// is kept in memory for "Re-run".
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import { describeOptions, executeRequest, type ExecuteOptions } from '../core/executeOptions';
import { ExecutionUnanswered, type JobStore, type Started } from '../core/jobStore';
import type { InputProblem } from '../core/jsonInput';
import { jobKey, type BotRef, type JobRef } from '../core/refs';
import { inert } from '../core/serverText';
import type { Job } from '../core/types';
import { describeError, describeProblem } from '../words';
import { followJob } from './followJob';
import type { RunConsent } from './runConsent';

export interface Execution {
  target: BotRef;
  input: Record<string, unknown>;
  options: ExecuteOptions;
  /** Where the input came from, for the log: a file name, "the selection in …". */
  source: string;
  /** Set when an input file chose the BOT and options: such a file from an untrusted folder runs only once the user confirms. */
  inputFile?: vscode.Uri;
}

export class BotRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cloudbot');
  private readonly executions = new Map<string, Execution>();
  private readonly disposables: vscode.Disposable[] = [
    this.diagnostics,
    // A mark on bad input stays only until the text changes.
    vscode.workspace.onDidChangeTextDocument((event) => this.diagnostics.delete(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
  ];

  constructor(
    private readonly store: JobStore,
    private readonly log: vscode.LogOutputChannel,
    /** Told of each job as soon as it exists (the result panel opens then). */
    private readonly onStarted: (started: Started) => void,
    private readonly consent: RunConsent,
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
  executionOf(ref: JobRef): Execution | undefined {
    return this.executions.get(jobKey(ref));
  }

  /** Executes once (never retried: a second POST would start a second job) and follows the job. */
  async run(execution: Execution): Promise<Job | undefined> {
    const { target, input, options, source, inputFile } = execution;
    const botLabel = target.botName ? `${target.botName} (${target.botId})` : target.botId;
    const allowed =
      (!inputFile || (await this.consent.allowInputFile(botLabel, vscode.workspace.asRelativePath(inputFile)))) &&
      (await this.consent.allowCallback(botLabel, options.callbackEndpoint));
    if (!allowed) {
      this.log.info(`[${target.publicId}] Not executed: ${botLabel} with ${source} was not confirmed.`);
      return undefined;
    }
    const described = describeOptions(options);
    this.log.info(`[${target.publicId}] Executing ${botLabel} with ${source}${described ? `; ${described}` : ''}.`);
    let started: Started;
    try {
      started = await this.store.execute(target, executeRequest(input, options));
    } catch (error) {
      this.log.error(`[${target.publicId}] ${botLabel}: ${messageOf(error)}`);
      if (error instanceof ExecutionUnanswered) this.log.warn(`[${target.publicId}] ${error.candidates} unknown job(s) of ${botLabel} started since: not following any.`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not execute {0}: {1}', inert(botLabel), describeError(error)));
      return undefined;
    }
    if (started.recovered) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cloud BOT did not answer the execution of {0}, but job {1} started then: following it. It was not executed again.', inert(botLabel), inert(started.ref.jobId)));
    }
    this.executions.set(jobKey(started.ref), execution);
    this.onStarted(started);
    return followJob(this.store, this.log, started.ref, { title: vscode.l10n.t('Cloud BOT: {0}', botLabel) });
  }
}
