// A `cloudbot` task type: input files run as checks in a terminal, the same run and the same exit codes
// as `cloudbot test` (or `run`), so that checks can be bound to keys, chained with dependsOn and run on
// save. Files are relative to the task's workspace folder, or glob patterns there.
import * as vscode from 'vscode';
import { pickAccount } from '../commands/pickAccount';
import { checksLibrary } from '../core/checks/library';
import type { SuiteFile } from '../core/checks/suite';
import { hasExpectations } from '../core/inputFile';
import type { JobStore, Started } from '../core/jobStore';
import { isFinished } from '../core/types';
import { redactingResolver } from '../core/variables';
import { suspendJob } from '../jobs/suspendJob';
import type { CloudBot } from '../services/cloudBot';
import type { InputSecrets } from '../services/inputSecrets';
import { variableResolver } from '../services/inputVariables';
import { readText } from '../services/inputFileText';
import { checkWords } from '../words';

export const TASK_TYPE = 'cloudbot';

export interface CloudBotTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  file?: string;
  files?: string[];
  mode?: 'test' | 'run';
  onInterrupt?: 'leave' | 'suspend';
}

export interface CloudBotTaskDeps {
  cloudBot: CloudBot;
  store: JobStore;
  secrets: InputSecrets;
  log: vscode.LogOutputChannel;
}

/** The exit codes the task shares with the command line (src/core/checks/suite.ts) that it can end with before a run. */
const USAGE_EXIT_CODE = 2;
const NO_ACCOUNT_EXIT_CODE = 3;
const MAX_FILES = 5_000;
const ALL_INPUT_FILES = '**/*.cloudbot.json';

export function registerCloudBotTasks(context: vscode.ExtensionContext, deps: CloudBotTaskDeps): void {
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      // One task per folder for the checks it has now: its files with an `expect` block, named, since a
      // pattern would also run (and execute the BOTs of) input files that are no checks.
      provideTasks: async () => {
        const tasks: vscode.Task[] = [];
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          const checks: string[] = [];
          for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ALL_INPUT_FILES), '**/node_modules/**', MAX_FILES)) {
            if (hasExpectations((await readText(uri)) ?? '')) checks.push(vscode.workspace.asRelativePath(uri, false));
          }
          if (checks.length) tasks.push(cloudBotTask({ type: TASK_TYPE, files: checks.sort(), mode: 'test' }, folder, vscode.l10n.t('Run all checks'), deps));
        }
        return tasks;
      },
      resolveTask: (task) => {
        const definition = task.definition as CloudBotTaskDefinition;
        return cloudBotTask(definition, task.scope ?? vscode.TaskScope.Workspace, task.name, deps);
      },
    }),
  );
}

function cloudBotTask(definition: CloudBotTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, name: string, deps: CloudBotTaskDeps): vscode.Task {
  const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
  const task = new vscode.Task(definition, scope, name, TASK_TYPE, new vscode.CustomExecution(async () => new CheckTerminal(definition, folder, deps)));
  task.group = definition.mode === 'run' ? undefined : vscode.TaskGroup.Test;
  return task;
}

/** The task's terminal: a line per job as it starts and per file as it ends, then the summary; closes with the run's exit code. */
class CheckTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly stop = new AbortController();

  constructor(
    private readonly definition: CloudBotTaskDefinition,
    private readonly folder: vscode.WorkspaceFolder | undefined,
    private readonly deps: CloudBotTaskDeps,
  ) {}

  open(): void {
    void this.run().then(
      (code) => this.closeEmitter.fire(code),
      (error: unknown) => {
        this.line(error instanceof Error ? error.message : String(error));
        this.closeEmitter.fire(1);
      },
    );
  }

  close(): void {
    this.stop.abort();
  }

  private line(text: string): void {
    this.writeEmitter.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  }

  private async run(): Promise<number> {
    const patterns = [...(this.definition.file ? [this.definition.file] : []), ...(this.definition.files ?? [])];
    if (!this.folder || !patterns.length || !patterns.every((pattern) => typeof pattern === 'string' && pattern)) {
      this.line(vscode.l10n.t('A "cloudbot" task needs "file" or "files": input files of its workspace folder, or glob patterns there.'));
      return USAGE_EXIT_CODE;
    }
    const { files, unreadable } = await this.inputFiles(this.folder, patterns);
    if (!files.length && !unreadable) {
      this.line(vscode.l10n.t('No input file matches {0}.', patterns.join(', ')));
      return USAGE_EXIT_CODE;
    }
    const account = await pickAccount(this.deps.cloudBot, vscode.l10n.t('Which account should run the Cloud BOT checks?'));
    if (!account) {
      this.line(vscode.l10n.t('Not run: nobody is signed in to Cloud BOT, or no account was picked.'));
      return NO_ACCOUNT_EXIT_CODE;
    }
    const { runSuite, exitCodeOf, entryLines, startedLine, summaryLine } = await checksLibrary();
    const { resolve, redact } = redactingResolver(variableResolver(this.deps.secrets));
    const mode = this.definition.mode === 'run' ? 'run' : 'test';
    const started: Started[] = [];
    const concurrency = vscode.workspace.getConfiguration('cloudbot').get<number>('batch.concurrency', 3);
    const report = await runSuite(files, {
      store: this.deps.store,
      sessionId: account.sessionId,
      resolve,
      concurrency,
      mode,
      signal: this.stop.signal,
      words: checkWords(),
      onEvent: (event) => {
        if (event.kind === 'started') {
          started.push(event.started);
          this.line(startedLine(event));
        } else {
          for (const text of entryLines(event.entry, mode, { redact })) this.line(text);
        }
      },
    });
    this.line(summaryLine(report));
    if (report.interrupted && this.definition.onInterrupt === 'suspend') {
      const running = started.filter(({ ref }) => !isFinished(this.deps.store.get(ref)?.job ?? { status: 2 }));
      await Promise.all(running.map(({ ref }) => suspendJob(this.deps.store, this.deps.log, ref, { confirm: false })));
    }
    return Math.max(exitCodeOf(report), unreadable ? USAGE_EXIT_CODE : 0);
  }

  /** The files named, and those the glob patterns match, each once, in the order given. */
  private async inputFiles(folder: vscode.WorkspaceFolder, patterns: string[]): Promise<{ files: SuiteFile[]; unreadable: number }> {
    const uris = new Map<string, vscode.Uri>();
    for (const pattern of patterns) {
      const found = /[*?{[]/.test(pattern) ? await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), '**/node_modules/**', MAX_FILES) : [vscode.Uri.joinPath(folder.uri, pattern)];
      for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) uris.set(uri.toString(), uri);
    }
    const files: SuiteFile[] = [];
    let unreadable = 0;
    for (const uri of uris.values()) {
      const text = await readText(uri);
      const path = vscode.workspace.asRelativePath(uri, false);
      if (text !== undefined) files.push({ path, text });
      else {
        unreadable++;
        this.line(vscode.l10n.t('{0}: could not be read, or is over 4 MB.', path));
      }
    }
    return { files, unreadable };
  }
}
