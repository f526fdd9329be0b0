// What every way of executing a BOT from the editor shares: marking bad input in its document (never
// sending it), resolving its variables just before sending, executing once through the job store, then
// following the job to its end. What was executed is kept as written (variables unresolved) for
// "Re-run", which resolves it again: no resolved value is kept anywhere.
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import { describeOptions, executeRequest, type ExecuteOptions } from '../core/executeOptions';
import type { InputTemplates } from '../core/inputTemplates';
import { ExecutionUnanswered, type JobStore, type Started } from '../core/jobStore';
import type { InputProblem } from '../core/jsonInput';
import type { BotRef, JobRef } from '../core/refs';
import { inert } from '../core/serverText';
import type { Job } from '../core/types';
import { redactingResolver, resolveInput, type InputSource, type VariableProblem, type VariableResolver } from '../core/variables';
import type { InputSecrets } from '../services/inputSecrets';
import { variableResolver } from '../services/inputVariables';
import { describeError, describeProblem } from '../words';
import { followJob } from './followJob';
import type { RunConsent } from './runConsent';

export interface Execution {
  target: BotRef;
  /** As written: its `${…}` variables are resolved at each run. */
  input: Record<string, unknown>;
  options: ExecuteOptions;
  /** Where the input came from, for the log: a file name, "the selection in …". */
  source: string;
  /** Set when an input file chose the BOT and options: such a file from an untrusted folder runs only once the user confirms. */
  inputFile?: vscode.Uri;
  /** The document the input was just read from, so that a variable without a value is marked at its place. */
  place?: { document: vscode.TextDocument; version: number; source: InputSource };
}

/** The place of an input file's "input", read now. */
export function inputFilePlace(document: vscode.TextDocument): Execution['place'] {
  return { document, version: document.version, source: { text: document.getText(), rootPath: ['input'] } };
}

export class BotRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cloudbot');
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
    private readonly templates: InputTemplates,
    private readonly secrets: InputSecrets,
  ) {}

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Marks the problem at its place in the document and says that nothing was sent. */
  refuse(document: vscode.TextDocument, problem: InputProblem | (VariableProblem & { offset: number; length: number; line: number; column: number })): undefined {
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

  /** What a job of this workspace was executed with, as written, when it is still known (also after a reload). */
  executionOf(ref: JobRef): Execution | undefined {
    const template = this.templates.get(ref);
    if (!template) return undefined;
    const { sessionId, publicId, botId, botName, input, options, source, inputFile } = template;
    return { target: { sessionId, publicId, botId, botName }, input, options, source, inputFile: inputFile === undefined ? undefined : vscode.Uri.parse(inputFile) };
  }

  /** A resolver for one run: each prompt and secret asked for once. A batch keeps one for all its rows. */
  resolver(): VariableResolver {
    return variableResolver(this.secrets);
  }

  /** Executes once (never retried: a second POST would start a second job) and follows the job. */
  async run(execution: Execution, resolve: VariableResolver = this.resolver()): Promise<Job | undefined> {
    const { target, input, options, source, inputFile, place } = execution;
    const botLabel = target.botName ? `${target.botName} (${target.botId})` : target.botId;
    const allowed =
      (!inputFile || (await this.consent.allowInputFile(botLabel, vscode.workspace.asRelativePath(inputFile)))) &&
      (await this.consent.allowCallback(botLabel, options.callbackEndpoint));
    if (!allowed) {
      this.log.info(`[${target.publicId}] Not executed: ${botLabel} with ${source} was not confirmed.`);
      return undefined;
    }
    const { resolve: resolveKept, redact } = redactingResolver(resolve);
    const resolved = await resolveInput(input, resolveKept, place?.source);
    if (!resolved.ok) return this.unresolved(execution, botLabel, resolved.problem);
    const described = describeOptions(options);
    this.log.info(`[${target.publicId}] Executing ${botLabel} with ${source}${described ? `; ${described}` : ''}.`);
    let started: Started;
    try {
      // The job keeps (in memory) how to take what was resolved out of what is said of it.
      started = await this.store.execute(target, executeRequest(resolved.input, options), undefined, { redact });
    } catch (error) {
      this.log.error(`[${target.publicId}] ${botLabel}: ${messageOf(error)}`);
      if (error instanceof ExecutionUnanswered) this.log.warn(`[${target.publicId}] ${error.candidates} unknown job(s) of ${botLabel} started since: not following any.`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not execute {0}: {1}', inert(botLabel), describeError(error)));
      return undefined;
    }
    if (started.recovered) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cloud BOT did not answer the execution of {0}, but job {1} started then: following it. It was not executed again.', inert(botLabel), inert(started.ref.jobId)));
    }
    const { sessionId, publicId, botId, botName } = target;
    void this.templates
      .remember({ sessionId, publicId, botId, botName, jobId: started.ref.jobId, input, options, source, inputFile: inputFile?.toString() })
      .then(undefined, (error: unknown) => this.log.warn(`Could not keep the input of job ${started.ref.jobId} for Re-run: ${messageOf(error)}`));
    this.onStarted(started);
    return followJob(this.store, this.log, started.ref, { title: vscode.l10n.t('Cloud BOT: {0}', botLabel) });
  }

  /** A variable without a value: marked at its place while the document is as it was read, else told. */
  private unresolved({ place, source, target }: Execution, botLabel: string, problem: VariableProblem): undefined {
    const { offset, length, line, column } = problem;
    if (place && place.document.version === place.version && offset !== undefined && length !== undefined && line !== undefined && column !== undefined) {
      return this.refuse(place.document, { ...problem, offset, length, line, column });
    }
    this.log.warn(`[${target.publicId}] Not executed: ${botLabel} with ${source}: ${describeProblem(problem)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} Nothing was sent.', describeProblem(problem)));
    return undefined;
  }
}
