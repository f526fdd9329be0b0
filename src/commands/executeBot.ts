// Executes a BOT with JSON from the active editor: an input file runs its own BOT with its options;
// other JSON (or its selection) is the input of the BOT picked. Bad input is marked, never sent.
import * as vscode from 'vscode';
import type { ExplorerData } from '../core/explorerData';
import { executeRequestOf, isInputFile, parseInputFile, type InputFile } from '../core/inputFile';
import { parseBotInput } from '../core/jsonInput';
import type { ExecuteRequest, Job } from '../core/types';
import type { BotRunner } from '../jobs/botRunner';
import type { CloudBot } from '../services/cloudBot';
import type { BotTarget } from '../views/botNode';
import { targetOf, type TargetArg } from '../views/jobTarget';
import { pickBot } from './pickBot';
import { bindingMismatch, targetOfBinding } from './inputFiles';

export function registerExecuteBot(context: vscode.ExtensionContext, cloudBot: CloudBot, data: ExplorerData, runner: BotRunner): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.executeBot', async (arg?: TargetArg<BotTarget>): Promise<Job | undefined> => {
      const chosen = targetOf(arg);
      const editor = vscode.window.activeTextEditor;
      if (editor && isInputFile(editor.document.fileName)) {
        const file = readInputFile(editor.document, runner, cloudBot);
        if (!file) return undefined;
        const target = chosen ?? (await targetOfBinding(cloudBot, data, file));
        if (!target) return undefined;
        if (chosen && bindingMismatch(file, chosen)) return undefined;
        return runner.run({ ...target, botName: target.botName ?? file.bot.name }, executeRequestOf(file), vscode.workspace.asRelativePath(editor.document.uri));
      }
      const target = chosen ?? (await pickBot(cloudBot, data));
      if (!target) return undefined;
      const input = readEditorInput(cloudBot.language(), runner);
      return input && runner.run(target, input.request, input.source);
    }),
  );
}

function readInputFile(document: vscode.TextDocument, runner: BotRunner, cloudBot: CloudBot): InputFile | undefined {
  const language = cloudBot.language();
  const result = parseInputFile(document.getText(), language);
  if (!result.ok) return runner.refuse(document, result.problem);
  runner.accept(document);
  return result.file;
}

function readEditorInput(language: 'ja' | 'en', runner: BotRunner): { request: ExecuteRequest; source: string } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return { request: { input: {} }, source: vscode.l10n.t('empty input {} (no editor is active)') };
  const { document, selection } = editor;
  const text = selection.isEmpty ? document.getText() : document.getText(selection);
  const baseOffset = selection.isEmpty ? 0 : document.offsetAt(selection.start);
  const result = parseBotInput(text, language, document.getText(), baseOffset);
  if (!result.ok) return runner.refuse(document, result.problem);
  runner.accept(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  return { request: { input: result.input }, source: selection.isEmpty ? name : vscode.l10n.t('the selection in {0}', name) };
}
