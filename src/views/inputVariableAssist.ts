// IntelliSense for input variables in input files: after "${" inside a string of "input", the kinds
// (and the names of the input secrets set); a hover saying where a variable's value comes from (never
// the value); marks on a "${…}" that is not a variable, before it is run.
import * as vscode from 'vscode';
import { INPUT_FILE_SUFFIX, isInputFile } from '../core/inputFile';
import { findVariables, isVariableStart, variableAt, type Variable } from '../core/variables';
import type { InputSecrets } from '../services/inputSecrets';
import { describeProblem } from '../words';

const INPUT: ['input'] = ['input'];

export function registerInputVariableAssist(context: vscode.ExtensionContext, secrets: InputSecrets): void {
  const selector: vscode.DocumentSelector = { pattern: `**/*${INPUT_FILE_SUFFIX}` };
  const diagnostics = vscode.languages.createDiagnosticCollection('cloudbot-variables');
  const timers = new Map<string, NodeJS.Timeout>();
  const check = (document: vscode.TextDocument) => {
    if (!isInputFile(document.fileName)) return;
    const text = document.getText();
    diagnostics.set(
      document.uri,
      findVariables(text, INPUT).flatMap((found) => {
        if (!found.bad) return [];
        const range = new vscode.Range(document.positionAt(found.offset), document.positionAt(found.offset + found.length));
        const diagnostic = new vscode.Diagnostic(range, describeProblem({ code: 'badVariable', reason: found.bad, written: found.written, path: found.path }), vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'Cloud BOT';
        return [diagnostic];
      }),
    );
  };
  // Typing re-checks after a pause, not at every key.
  const checkSoon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      check(document);
    }, 300));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => checkSoon(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCompletionItemProvider(selector, {
      async provideCompletionItems(document, position) {
        if (!isVariableStart(document.getText(), document.offsetAt(position), INPUT)) return undefined;
        const kind = (label: string, detail: string, snippet: string) => {
          const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Variable);
          item.detail = detail;
          item.insertText = new vscode.SnippetString(snippet);
          return item;
        };
        const names = await secrets.names();
        return [
          kind('env:', vscode.l10n.t('An environment variable of VS Code'), 'env:${1:NAME}}'),
          kind('secret:', vscode.l10n.t('An input secret, kept in VS Code\'s secret storage'), 'secret:${1:NAME}}'),
          ...names.map((name) => kind(`secret:${name}`, vscode.l10n.t('An input secret, kept in VS Code\'s secret storage'), `secret:${name}}`)),
          kind('prompt:', vscode.l10n.t('Asked at each run'), 'prompt:${1:Label}}'),
          kind('row:', vscode.l10n.t('A column of the spreadsheet, in batch runs'), 'row:${1:Column}}'),
        ];
      },
    }, '{'),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(document, position) {
        const found = variableAt(document.getText(), document.offsetAt(position), INPUT);
        if (!found?.variable) return undefined;
        const range = new vscode.Range(document.positionAt(found.offset), document.positionAt(found.offset + found.length));
        return new vscode.Hover(new vscode.MarkdownString().appendText(whereFrom(found.variable)), range);
      },
    }),
  );
  const initial = setTimeout(() => vscode.workspace.textDocuments.forEach(check), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(initial) });
}

/** Where a variable's value comes from, in a sentence (never the value itself). */
function whereFrom({ kind, name }: Variable): string {
  switch (kind) {
    case 'env':
      return vscode.l10n.t('Replaced at each run by the environment variable {0} of VS Code.', name);
    case 'secret':
      return vscode.l10n.t('Replaced at each run by the input secret "{0}" from VS Code\'s secret storage (asked for once when not set; Cloud BOT: Manage Input Secrets).', name);
    case 'prompt':
      return vscode.l10n.t('Asked at each run: "{0}".', name);
    case 'row':
      return vscode.l10n.t('Replaced in batch runs by the column "{0}" of each row.', name);
  }
}
