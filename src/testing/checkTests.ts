// BOT checks in VS Code's Testing view: every input file with an `expect` block is a test, grouped by
// its folder, found in the workspace and kept up to date as files are saved, created and deleted.
// Running them is checkTestRun.ts.
import * as vscode from 'vscode';
import { hasExpectations, INPUT_FILE_SUFFIX } from '../core/inputFile';
import { readText } from '../services/inputFileText';
import { runCheckTests, type CheckTestRunDeps, type TestRunFactory } from './checkTestRun';

export const CHECKS_CONTROLLER_ID = 'cloudbot.checks';
/** Input files looked at, at most. */
const MAX_INPUT_FILES = 5_000;
const PATTERN = `**/*${INPUT_FILE_SUFFIX}`;
const EXCLUDED = '**/node_modules/**';

export interface CheckTestsApi {
  controller: vscode.TestController;
  /** Runs as the Run profile does, reporting to `createRun` (the tests record what a run reports). */
  run(request: vscode.TestRunRequest, token: vscode.CancellationToken, createRun?: TestRunFactory): Promise<void>;
}

export function registerCheckTests(context: vscode.ExtensionContext, deps: CheckTestRunDeps): CheckTestsApi {
  const controller = vscode.tests.createTestController(CHECKS_CONTROLLER_ID, vscode.l10n.t('Cloud BOT checks'));
  const run: CheckTestsApi['run'] = (request, token, createRun = (r) => controller.createTestRun(r)) => runCheckTests(createRun, controller.items, request, token, deps);
  const tests = new CheckTests(controller);
  controller.resolveHandler = async (item) => {
    if (!item) await tests.discover();
  };
  controller.refreshHandler = () => tests.discover();
  controller.createRunProfile(vscode.l10n.t('Run Checks'), vscode.TestRunProfileKind.Run, (request, token) => run(request, token), true);
  const watcher = vscode.workspace.createFileSystemWatcher(PATTERN);
  context.subscriptions.push(
    controller,
    watcher,
    watcher.onDidCreate((uri) => void tests.update(uri)),
    watcher.onDidChange((uri) => void tests.update(uri)),
    watcher.onDidDelete((uri) => tests.remove(uri)),
    // An open file's unsaved text is what a run sends, so it decides too.
    vscode.workspace.onDidChangeTextDocument(({ document }) => document.uri.path.endsWith(INPUT_FILE_SUFFIX) && tests.updateFrom(document.uri, document.getText())),
  );
  return { controller, run };
}

class CheckTests {
  constructor(private readonly controller: vscode.TestController) {}

  async discover(): Promise<void> {
    const found = await vscode.workspace.findFiles(PATTERN, EXCLUDED, MAX_INPUT_FILES);
    const seen = new Set(found.map((uri) => uri.toString()));
    for (const folder of [...this.folders()]) folder.children.forEach((file) => !seen.has(file.id) && this.remove(file.uri!));
    await Promise.all(found.map((uri) => this.update(uri)));
  }

  async update(uri: vscode.Uri): Promise<void> {
    if (EXCLUDED_PATH.test(uri.path)) return;
    this.updateFrom(uri, await readText(uri));
  }

  updateFrom(uri: vscode.Uri, text: string | undefined): void {
    if (text === undefined || !hasExpectations(text)) return this.remove(uri);
    const folder = this.folderOf(uri);
    let item = folder.children.get(uri.toString());
    if (!item) {
      item = this.controller.createTestItem(uri.toString(), uri.path.slice(uri.path.lastIndexOf('/') + 1).slice(0, -INPUT_FILE_SUFFIX.length), uri);
      folder.children.add(item);
    }
    item.range = expectRange(text);
  }

  remove(uri: vscode.Uri): void {
    for (const folder of this.folders()) {
      folder.children.delete(uri.toString());
      if (!folder.children.size) this.controller.items.delete(folder.id);
    }
  }

  private folders(): vscode.TestItem[] {
    const folders: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => folders.push(item));
    return folders;
  }

  /** The folder's item: its path in the workspace ("checks/smoke"), or the workspace folder's name. */
  private folderOf(uri: vscode.Uri): vscode.TestItem {
    const folderUri = vscode.Uri.joinPath(uri, '..');
    const id = folderUri.toString();
    let folder = this.controller.items.get(id);
    if (!folder) {
      // The workspace folder's name leads only where there are several.
      const relative = vscode.workspace.asRelativePath(folderUri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      const label = relative === folderUri.fsPath ? (vscode.workspace.getWorkspaceFolder(uri)?.name ?? folderUri.fsPath) : relative;
      folder = this.controller.createTestItem(id, label, folderUri);
      this.controller.items.add(folder);
    }
    return folder;
  }
}

const EXCLUDED_PATH = /\/node_modules\//;

/** Where the `expect` block starts, for the test's gutter icon. */
function expectRange(text: string): vscode.Range {
  const offset = Math.max(0, text.search(/"expect"\s*:/));
  const line = text.slice(0, offset).split('\n').length - 1;
  return new vscode.Range(line, 0, line, 0);
}
