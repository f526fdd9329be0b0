// Executes a BOT with JSON from the editor. An input file runs its own BOT with its own options; other
// JSON (or its selection) is the input of the BOT picked, sent with the options remembered for it.
// With no JSON editor, the BOT's input files are offered, or no input for a BOT that takes none.
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { RememberedOptions } from '../core/executeOptions';
import type { ExplorerData } from '../core/explorerData';
import type { JobHistory } from '../core/jobHistory';
import { bindingOf, isInputFile, parseInputFile, type InputFile } from '../core/inputFile';
import { parseBotInput } from '../core/jsonInput';
import type { Job } from '../core/types';
import type { BotRunner, Execution } from '../jobs/botRunner';
import type { CloudBot } from '../services/cloudBot';
import type { BotTarget } from '../views/botNode';
import { targetOf, type TargetArg } from '../views/jobTarget';
import { boundInputFiles, targetOfBinding } from './inputFiles';
import { pickBot } from './pickBot';

export interface ExecuteServices {
  cloudBot: CloudBot;
  data: ExplorerData;
  runner: BotRunner;
  remembered: RememberedOptions;
  history: JobHistory;
}

export function registerExecuteBot(context: vscode.ExtensionContext, services: ExecuteServices): void {
  const { cloudBot, data, runner, remembered, history } = services;
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.executeBot', async (arg?: TargetArg<BotTarget>): Promise<Job | undefined> => {
      const chosen = targetOf(arg);
      const editor = vscode.window.activeTextEditor;
      // An input file runs its own BOT; a BOT chosen in the tree while another BOT's input file is
      // open gets the same choice of input as with no JSON open.
      const inputFile = editor && isInputFile(editor.document.fileName) ? editor.document : undefined;
      if (inputFile && (!chosen || isBoundTo(inputFile, chosen))) {
        const file = readInputFile(inputFile, runner);
        if (!file) return undefined;
        const target = chosen ?? (await targetOfBinding(cloudBot, data, file));
        if (!target) return undefined;
        return runner.run({ target: { ...target, botName: target.botName ?? file.bot.name }, input: file.input, options: file.options, source: vscode.workspace.asRelativePath(inputFile.uri) });
      }
      const target = chosen ?? (await pickBot(cloudBot, data, history.recentBots()));
      if (!target) return undefined;
      const execution = editor && !inputFile && isJsonEditor(editor) ? readEditorInput(editor, target, runner) : await chooseInput(target, cloudBot);
      if (!execution) return undefined;
      if ('handled' in execution) return execution.handled;
      const options = 'options' in execution ? execution.options : await remembered.get(target.publicId, target.botId);
      return runner.run({ ...execution, options });
    }),
  );
}

/** Whether an input file names this BOT (a file that cannot be read yet counts as its, to be marked). */
function isBoundTo(document: vscode.TextDocument, target: BotTarget): boolean {
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

/** Input to run with (options included when it has its own), or a choice another command carried out. */
type InputChoice = Omit<Execution, 'options'> | Execution | { handled: Promise<Job | undefined> } | undefined;

function readEditorInput(editor: vscode.TextEditor, target: BotTarget, runner: BotRunner): InputChoice {
  const { document, selection } = editor;
  const text = selection.isEmpty ? document.getText() : document.getText(selection);
  const baseOffset = selection.isEmpty ? 0 : document.offsetAt(selection.start);
  const result = parseBotInput(text, document.getText(), baseOffset);
  if (!result.ok) return runner.refuse(document, result.problem);
  runner.accept(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  return { target, input: result.input, source: selection.isEmpty ? name : vscode.l10n.t('the selection in {0}', name) };
}

/**
 * No JSON in the editor: the BOT's input files in the workspace (each runs with its own options), or
 * no input. A BOT that declares no input items runs without asking.
 */
async function chooseInput(target: BotTarget, cloudBot: CloudBot): Promise<InputChoice> {
  const empty = { target, input: {}, source: vscode.l10n.t('no input ({})') };
  const files = await boundInputFiles(target);
  if (!files.length) {
    let declared: number;
    try {
      const bot = await cloudBot.clientFor(target.sessionId).getBot(target.publicId, target.botId, ['input']);
      declared = Object.keys(bot.input ?? {}).length;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the input definition of {0}: {1}', target.botId, messageOf(error)));
      return undefined;
    }
    if (!declared) return empty;
  }
  type Choice = vscode.QuickPickItem & { run: () => InputChoice };
  const items: Choice[] = [
    ...files.map((file) => ({
      label: `$(json) ${file.label}`,
      description: vscode.l10n.t('input file'),
      run: () => ({ handled: Promise.resolve(vscode.commands.executeCommand<Job | undefined>('cloudbot.executeWithInputFile', target, file.uri)) }),
    })),
    { label: `$(circle-slash) ${vscode.l10n.t('Execute without input')}`, description: '{}', run: () => empty },
    {
      label: `$(new-file) ${vscode.l10n.t('Create Input File…')}`,
      description: vscode.l10n.t('from the BOT\'s input items and defaults'),
      run: () => ({ handled: Promise.resolve(vscode.commands.executeCommand('cloudbot.createInputFile', target)).then(() => undefined) }),
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Input for {0}', target.botName ?? target.botId),
    placeHolder: vscode.l10n.t('Open a JSON file to execute with it, or choose'),
  });
  return picked?.run();
}
