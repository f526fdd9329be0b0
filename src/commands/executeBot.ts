// Executes a BOT with JSON from the editor. An input file runs its own BOT with its own options; other
// JSON (or its selection) is the input of the BOT picked, sent with the options remembered for it.
// With no JSON editor, the BOT's input files are offered, or no input for a BOT that takes none.
import * as vscode from 'vscode';
import { describeError } from '../words';
import type { ExplorerData } from '../core/explorerData';
import type { JobHistory } from '../core/jobHistory';
import { bindingOf, isInputFile, parseInputFile, type InputFile } from '../core/inputFile';
import { parseBotInput } from '../core/jsonInput';
import { inert } from '../core/serverText';
import type { Job } from '../core/types';
import { inputFilePlace, type BotRunner, type Execution } from '../jobs/botRunner';
import { boundInputFiles, createInputFile, executeWithInputFile, targetOfBinding, type InputFileServices } from './inputFiles';
import { pickBot } from './pickBot';
import { targetOf, type BotRef, type TargetArg } from '../core/refs';

export interface ExecuteServices extends InputFileServices {
  data: ExplorerData;
  history: JobHistory;
}

export function registerExecuteBot(context: vscode.ExtensionContext, services: ExecuteServices): void {
  context.subscriptions.push(
    // A BOT (a tree row, a ref), or an input file (its CodeLens passes the file, whichever editor is active).
    vscode.commands.registerCommand('cloudbot.executeBot', async (arg?: TargetArg<BotRef> | vscode.Uri): Promise<Job | undefined> => {
      if (arg instanceof vscode.Uri) return executeInputFile(services, await vscode.workspace.openTextDocument(arg));
      return executeBot(services, targetOf(arg));
    }),
  );
}

async function executeBot(services: ExecuteServices, chosen: BotRef | undefined): Promise<Job | undefined> {
  const { cloudBot, data, runner, remembered, history } = services;
  const editor = vscode.window.activeTextEditor;
  // An input file runs its own BOT; a BOT chosen in the tree while another BOT's input file is
  // open gets the same choice of input as with no JSON open.
  const inputFile = editor && isInputFile(editor.document.fileName) ? editor.document : undefined;
  if (inputFile && (!chosen || isBoundTo(inputFile, chosen))) return executeInputFile(services, inputFile, chosen);
  const target = chosen ?? (await pickBot(cloudBot, data, history.recentBots()));
  if (!target) return undefined;
  if (editor && !inputFile && isJsonEditor(editor)) {
    const execution = readEditorInput(editor, target, runner);
    return execution && runner.run({ ...execution, options: await remembered.get(target.publicId, target.botId) });
  }
  return chooseInput(services, target);
}

/** An input file runs its own BOT (under the account that reaches it) with its own input and options. */
async function executeInputFile(services: ExecuteServices, document: vscode.TextDocument, chosen?: BotRef): Promise<Job | undefined> {
  const { cloudBot, data, runner } = services;
  const file = readInputFile(document, runner);
  if (!file) return undefined;
  const target = chosen ?? (await targetOfBinding(cloudBot, data, file));
  if (!target) return undefined;
  return runner.run({
    target: { ...target, botName: target.botName ?? file.bot.name },
    input: file.input,
    options: file.options,
    source: vscode.workspace.asRelativePath(document.uri),
    inputFile: document.uri,
    place: inputFilePlace(document),
  });
}

/** Whether an input file names this BOT (a file that cannot be read yet counts as its, to be marked). */
function isBoundTo(document: vscode.TextDocument, target: BotRef): boolean {
  const bot = bindingOf(document.getText());
  return !bot || (bot.contract === target.publicId && bot.id === target.botId);
}

/** JSON or JSON with a selection: the user means this text as the input. */
function isJsonEditor(editor: vscode.TextEditor): boolean {
  return ['json', 'jsonc'].includes(editor.document.languageId) || !editor.selection.isEmpty;
}

function readInputFile(document: vscode.TextDocument, runner: BotRunner): InputFile | undefined {
  const result = parseInputFile(document.getText());
  if (!result.ok) return runner.refuse(document, result.problem);
  runner.accept(document);
  return result.file;
}

function readEditorInput(editor: vscode.TextEditor, target: BotRef, runner: BotRunner): Omit<Execution, 'options'> | undefined {
  const { document, selection } = editor;
  const text = selection.isEmpty ? document.getText() : document.getText(selection);
  const baseOffset = selection.isEmpty ? 0 : document.offsetAt(selection.start);
  const result = parseBotInput(text, document.getText(), baseOffset);
  if (!result.ok) return runner.refuse(document, result.problem);
  runner.accept(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  return {
    target,
    input: result.input,
    source: selection.isEmpty ? name : vscode.l10n.t('the selection in {0}', name),
    place: { document, version: document.version, source: { text, documentText: document.getText(), baseOffset } },
  };
}

/**
 * No JSON in the editor: the BOT's input files in the workspace (each runs with its own options), or
 * no input. A BOT that declares no input items runs without asking.
 */
async function chooseInput(services: ExecuteServices, target: BotRef): Promise<Job | undefined> {
  const { cloudBot, runner, remembered } = services;
  const withoutInput = async () => runner.run({ target, input: {}, source: vscode.l10n.t('no input ({})'), options: await remembered.get(target.publicId, target.botId) });
  const files = await boundInputFiles(target);
  if (!files.length) {
    let declared: number;
    try {
      const bot = await cloudBot.clientFor(target.sessionId).getBot(target.publicId, target.botId, ['input']);
      declared = Object.keys(bot.input ?? {}).length;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the input definition of {0}: {1}', inert(target.botId), describeError(error)));
      return undefined;
    }
    if (!declared) return withoutInput();
  }
  type Choice = vscode.QuickPickItem & { run: () => Promise<Job | undefined> };
  const items: Choice[] = [
    ...files.map((file) => ({ label: `$(json) ${file.label}`, description: vscode.l10n.t('input file'), run: () => executeWithInputFile(services, target, file.uri) })),
    { label: `$(circle-slash) ${vscode.l10n.t('Execute without input')}`, description: '{}', run: withoutInput },
    {
      label: `$(new-file) ${vscode.l10n.t('Create Input File…')}`,
      description: vscode.l10n.t('from the BOT\'s input items and defaults'),
      run: () => createInputFile(services, target).then(() => undefined),
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Input for {0}', inert(target.botName ?? target.botId)),
    placeHolder: vscode.l10n.t('Open a JSON file to execute with it, or choose'),
  });
  return picked?.run();
}
