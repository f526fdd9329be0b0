// A run of BOT checks from the Testing view: each input file executed once through the job store, a
// few at a time (cloudbot.batch.concurrency), and each failed expectation reported at its line with
// what was expected and what came, as a diff. Cancelling stops waiting and offers to suspend the jobs
// still running. Values the file's variables resolved to never reach the messages.
import * as vscode from 'vscode';
import { pickAccount } from '../commands/pickAccount';
import type { CheckRunResult } from '../core/checks/checkRun';
import { checksLibrary } from '../core/checks/library';
import type { Place } from '../core/checks/expectations';
import { boundedConcurrency, mapLimit } from '../core/concurrency';
import { bindingOf } from '../core/inputFile';
import type { JobStore, Started } from '../core/jobStore';
import { isFinished } from '../core/types';
import { redactingResolver } from '../core/variables';
import type { RunConsent } from '../jobs/runConsent';
import { suspendJob } from '../jobs/suspendJob';
import type { CloudBot } from '../services/cloudBot';
import type { InputSecrets } from '../services/inputSecrets';
import { variableResolver } from '../services/inputVariables';
import { checkWords, describeError, describeExpectationIssue, describeProblem } from '../words';
import { readText } from '../services/inputFileText';

export interface CheckTestRunDeps {
  cloudBot: CloudBot;
  store: JobStore;
  consent: RunConsent;
  secrets: InputSecrets;
  log: vscode.LogOutputChannel;
}

/** How a run is reported: VS Code's (controller.createTestRun), or a recording one in the tests. */
export type TestRunFactory = (request: vscode.TestRunRequest) => vscode.TestRun;

export async function runCheckTests(createRun: TestRunFactory, all: vscode.TestItemCollection, request: vscode.TestRunRequest, token: vscode.CancellationToken, deps: CheckTestRunDeps): Promise<void> {
  const run = createRun(request);
  const files = filesOf(request.include ?? itemsOf(all), new Set(request.exclude?.map((item) => item.id)));
  files.forEach((item) => run.enqueued(item));
  const stop = new AbortController();
  const cancelled = token.onCancellationRequested(() => stop.abort());
  const started: Started[] = [];
  try {
    const account = await pickAccount(deps.cloudBot, vscode.l10n.t('Which account should run the Cloud BOT checks?'));
    if (!account) {
      files.forEach((item) => run.skipped(item));
      return;
    }
    // One resolver for the run: each secret and prompt is asked for once, and echoes of them are taken out.
    const { resolve, redact } = redactingResolver(variableResolver(deps.secrets));
    const concurrency = vscode.workspace.getConfiguration('cloudbot').get<number>('batch.concurrency', 3);
    await mapLimit(files, boundedConcurrency(concurrency), async (item) => {
      const uri = item.uri!;
      const text = await readText(uri);
      if (stop.signal.aborted) return run.skipped(item);
      if (text === undefined) return run.errored(item, new vscode.TestMessage(vscode.l10n.t('The file could not be read, or is over 4 MB.')));
      const binding = bindingOf(text);
      const path = vscode.workspace.asRelativePath(uri);
      if (binding && !(await deps.consent.allowInputFile(binding.name ? `${binding.name} (${binding.id})` : binding.id, path))) return run.skipped(item);
      run.started(item);
      const { runCheck } = await checksLibrary();
      const result = await runCheck(text, { store: deps.store, sessionId: account.sessionId, resolve, signal: stop.signal, onStarted: (job) => started.push(job), words: checkWords() });
      report(run, item, await vscode.workspace.openTextDocument(uri), result, redact);
    });
  } finally {
    cancelled.dispose();
    run.end();
  }
  if (stop.signal.aborted) await offerToSuspend(started, deps);
}

function report(run: vscode.TestRun, item: vscode.TestItem, document: vscode.TextDocument, result: CheckRunResult, redact: (text: string) => string): void {
  const at = (place: { offset: number; length: number }) => new vscode.Location(document.uri, new vscode.Range(document.positionAt(place.offset), document.positionAt(place.offset + place.length)));
  switch (result.kind) {
    case 'invalid': {
      const { problem } = result;
      const place: Pick<Place, 'offset' | 'length'> | undefined = 'expectation' in problem ? problem.at : 'input' in problem ? problem.input : problem.variable.offset !== undefined ? { offset: problem.variable.offset, length: problem.variable.length ?? 1 } : undefined;
      const text = 'expectation' in problem ? describeExpectationIssue(problem.expectation) : describeProblem('input' in problem ? problem.input : problem.variable);
      const message = new vscode.TestMessage(vscode.l10n.t('{0} Nothing was sent.', text));
      if (place) message.location = at(place);
      return run.errored(item, message);
    }
    case 'error': {
      return run.errored(item, new vscode.TestMessage(redact(describeError(result.error))));
    }
    case 'stopped':
      return run.skipped(item);
    case 'done': {
      const { job, outcomes, durationSeconds } = result;
      run.appendOutput(`${vscode.workspace.asRelativePath(document.uri)}: ${job.bot_name ?? job.bot_id} ${job.job_id} ${result.passed ? '✔' : '✘'}\r\n`, undefined, item);
      if (result.passed) return run.passed(item, durationSeconds * 1000);
      const messages = outcomes
        .filter((outcome) => !outcome.passed)
        .map((outcome) => {
          const message = vscode.TestMessage.diff(redact(outcome.message), redact(outcome.expected), redact(outcome.actual));
          message.location = at(outcome.expectation.at);
          return message;
        });
      return run.failed(item, messages, durationSeconds * 1000);
    }
  }
}

/** After a cancelled run: the jobs it started that still run may be suspended, if the user says so. */
async function offerToSuspend(started: Started[], { store, log }: CheckTestRunDeps): Promise<void> {
  const running = started.filter(({ ref }) => !isFinished(store.get(ref)?.job ?? { status: 2 }));
  if (!running.length) return;
  const suspend = vscode.l10n.t('Suspend');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The checks were cancelled, but {0} of their jobs still run in Cloud BOT. Suspend them?', running.length),
    { modal: true },
    suspend,
  );
  if (choice === suspend) await Promise.all(running.map(({ ref }) => suspendJob(store, log, ref, { confirm: false })));
}

function itemsOf(collection: vscode.TestItemCollection): vscode.TestItem[] {
  const items: vscode.TestItem[] = [];
  collection.forEach((item) => items.push(item));
  return items;
}

/** The file items among `items` and under the folders among them, each once. */
function filesOf(items: readonly vscode.TestItem[], excluded: ReadonlySet<string>): vscode.TestItem[] {
  const files = new Map<string, vscode.TestItem>();
  for (const item of items) {
    if (excluded.has(item.id)) continue;
    if (item.children.size) for (const file of filesOf(itemsOf(item.children), excluded)) files.set(file.id, file);
    else files.set(item.id, item);
  }
  return [...files.values()];
}
