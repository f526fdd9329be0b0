// IntelliSense for the "input" of an input file from its BOT's own input items: completion of item
// names (with their defaults), hovers with their descriptions, and marks on unknown names and values of
// the wrong kind. The file format itself is checked by media/input-file.schema.json.
import * as vscode from 'vscode';
import type { ExplorerData } from '../core/explorerData';
import { bindingOf, INPUT_FILE_SUFFIX, isInputFile, type InputFile } from '../core/inputFile';
import { checkInputItems, initialValueOf, inputItemsOf, itemAt, itemsAt, type InputItem } from '../core/inputItems';
import { inert } from '../core/serverText';
import type { CloudBot } from '../services/cloudBot';
import { findBindingTarget } from '../services/bindingTarget';
import { describeProblem, itemKindText } from '../words';

/** A BOT's definition is read once per window; a failure is tried again on the next edit. */
class InputDefinitions {
  private readonly known = new Map<string, Promise<InputItem[] | undefined>>();

  constructor(
    private readonly cloudBot: CloudBot,
    private readonly data: ExplorerData,
  ) {}

  async itemsFor(document: vscode.TextDocument): Promise<{ items: InputItem[]; label: string } | undefined> {
    const bot = bindingOf(document.getText());
    if (!bot) return undefined;
    const key = `${bot.contract}/${bot.id}`;
    let items = this.known.get(key);
    if (!items) {
      items = this.fetch(bot);
      this.known.set(key, items);
      void items.then((found) => found || this.known.delete(key));
    }
    const found = await items;
    return found && { items: found, label: bot.name ?? bot.id };
  }

  forget(): void {
    this.known.clear();
  }

  private async fetch(bot: InputFile['bot']): Promise<InputItem[] | undefined> {
    const target = await findBindingTarget(this.cloudBot, this.data, { bot });
    if (!target) return undefined;
    try {
      return inputItemsOf((await this.cloudBot.clientFor(target.sessionId).getBot(target.publicId, target.botId, ['input'])).input);
    } catch {
      return undefined; // Executing the file reports why the BOT cannot be reached.
    }
  }
}

/** Returns what to tell when the accounts change, so that definitions are read again. */
export function registerInputFileAssist(context: vscode.ExtensionContext, cloudBot: CloudBot, data: ExplorerData): InputDefinitions {
  const definitions = new InputDefinitions(cloudBot, data);
  const diagnostics = vscode.languages.createDiagnosticCollection('cloudbot-input');
  const selector: vscode.DocumentSelector = { pattern: `**/*${INPUT_FILE_SUFFIX}` };
  const timers = new Map<string, NodeJS.Timeout>();

  const check = async (document: vscode.TextDocument) => {
    if (!isInputFile(document.fileName)) return;
    const found = await definitions.itemsFor(document);
    const problems = found ? checkInputItems(document.getText(), found.items, found.label) : [];
    diagnostics.set(
      document.uri,
      problems.map((problem) => {
        const range = new vscode.Range(document.positionAt(problem.offset), document.positionAt(problem.offset + problem.length));
        const diagnostic = new vscode.Diagnostic(range, describeProblem(problem), problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'Cloud BOT';
        return diagnostic;
      }),
    );
  };
  // Typing re-checks after a pause, not at every key.
  const checkSoon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void check(document);
    }, 300));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
    vscode.workspace.onDidOpenTextDocument((document) => void check(document)),
    vscode.workspace.onDidChangeTextDocument((event) => checkSoon(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCompletionItemProvider(selector, {
      async provideCompletionItems(document, position) {
        const found = await definitions.itemsFor(document);
        const text = document.getText();
        const items = found && itemsAt(text, document.offsetAt(position), found.items);
        if (!items) return undefined;
        const word = document.getWordRangeAtPosition(position, /"[^"]*"?/);
        return items.map((item) => {
          const completion = new vscode.CompletionItem(item.name, vscode.CompletionItemKind.Property);
          completion.detail = item.kind && itemKindText(item.kind);
          completion.documentation = item.description;
          completion.insertText = `"${item.name}": ${JSON.stringify(initialValueOf(item))}`;
          completion.filterText = `"${item.name}"`;
          if (word) completion.range = word;
          return completion;
        });
      },
    }, '"'),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(document, position) {
        const found = await definitions.itemsFor(document);
        const item = found && itemAt(document.getText(), document.offsetAt(position), found.items);
        if (!item) return undefined;
        const markdown = new vscode.MarkdownString();
        markdown.appendMarkdown(`**${vscode.l10n.t('Input item')}** `).appendText(inert(item.name));
        if (item.kind) markdown.appendMarkdown('\n\n').appendText(itemKindText(item.kind));
        if (item.description) markdown.appendMarkdown('\n\n').appendText(inert(item.description));
        return new vscode.Hover(markdown);
      },
    }),
  );
  // Input files open before activation are checked once activation is over (it reads their BOTs).
  const initial = setTimeout(() => vscode.workspace.textDocuments.forEach((document) => void check(document)), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(initial) });
  return definitions;
}
