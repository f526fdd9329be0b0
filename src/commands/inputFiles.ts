// Input files in the workspace: created for a BOT from its input definition (picked when none is given), and executed from the tree
// ("Execute with an Input File…"). An input file names its BOT; running it elsewhere is refused.
import * as vscode from 'vscode';
import { describeError } from '../words';
import type { ExplorerData } from '../core/explorerData';
import type { RememberedOptions } from '../core/executeOptions';
import { safeFileName } from '../core/fileNames';
import { INPUT_FILE_SUFFIX, newInputFile, parseInputFile, type InputFile } from '../core/inputFile';
import { inert } from '../core/serverText';
import type { BotDetail, Job } from '../core/types';
import { inputFilePlace, type BotRunner } from '../jobs/botRunner';
import { findBindingTarget } from '../services/bindingTarget';
import type { CloudBot } from '../services/cloudBot';
import { targetOf, type BotRef, type TargetArg } from '../core/refs';
import { pickBot } from './pickBot';

export interface InputFileServices {
  cloudBot: CloudBot;
  runner: BotRunner;
  remembered: RememberedOptions;
}

export function registerInputFiles(context: vscode.ExtensionContext, services: InputFileServices, data: ExplorerData): void {
  context.subscriptions.push(
    // From the palette or the walkthrough, without a BOT: the BOT is picked.
    vscode.commands.registerCommand('cloudbot.createInputFile', async (arg?: TargetArg<BotRef>) => {
      const target = targetOf(arg) ?? (await pickBot(services.cloudBot, data));
      return target && createInputFile(services, target);
    }),
    vscode.commands.registerCommand('cloudbot.executeWithInputFile', async (arg?: TargetArg<BotRef>, file?: vscode.Uri) => {
      const target = targetOf(arg);
      return target && executeWithInputFile(services, target, file);
    }),
  );
}

/**
 * A new input file for the BOT, from its input items and defaults (or what `inputOf` makes of its
 * definition) and the options remembered for it.
 */
export async function createInputFile(
  { cloudBot, remembered }: InputFileServices,
  target: BotRef,
  inputOf?: (bot: BotDetail) => Record<string, unknown>,
): Promise<vscode.Uri | undefined> {
  let text: string;
  try {
    const bot = await cloudBot.clientFor(target.sessionId).getBot(target.publicId, target.botId, ['input']);
    text = newInputFile(target.publicId, bot, await remembered.get(target.publicId, target.botId), inputOf?.(bot));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the input definition of {0}: {1}', inert(target.botId), describeError(error)));
    return undefined;
  }
  const uri = await newFileUri(target.botId);
  if (uri.scheme === 'untitled') {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), text));
  } else {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await vscode.window.showTextDocument(uri);
  }
  return uri;
}

/** Executes the BOT with one of its input files (the one given, or the one the user picks). */
export async function executeWithInputFile(services: InputFileServices, target: BotRef, file?: vscode.Uri): Promise<Job | undefined> {
  const { runner } = services;
  const uri = file ?? (await pickInputFile(services, target));
  if (!uri) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  const result = parseInputFile(document.getText());
  if (!result.ok) {
    await vscode.window.showTextDocument(document);
    return runner.refuse(document, result.problem);
  }
  runner.accept(document);
  if (bindingMismatch(result.file, target)) return undefined;
  return runner.run({ target, input: result.file.input, options: result.file.options, source: vscode.workspace.asRelativePath(uri), inputFile: uri, place: inputFilePlace(document) });
}

/** Numbered names tried before an untitled file is used instead. */
const MAX_NUMBERED_FILES = 999;

/**
 * `<bot id>.cloudbot.json` in the first workspace folder, numbered when taken; untitled without a folder.
 * The BOT ID comes from the server, so it is made a safe name that stays in the folder.
 */
async function newFileUri(botId: string): Promise<vscode.Uri> {
  const name = safeFileName(botId, 'bot');
  const untitled = vscode.Uri.from({ scheme: 'untitled', path: `${name}${INPUT_FILE_SUFFIX}` });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) return untitled;
  for (let n = 1; n <= MAX_NUMBERED_FILES; n++) {
    const uri = vscode.Uri.joinPath(folder, `${name}${n === 1 ? '' : `-${n}`}${INPUT_FILE_SUFFIX}`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
  return untitled;
}

/** The workspace's input files bound to the BOT (read from disk, or from the editor when open). */
export async function boundInputFiles(target: BotRef): Promise<{ label: string; uri: vscode.Uri }[]> {
  const uris = await vscode.workspace.findFiles(`**/*${INPUT_FILE_SUFFIX}`, '**/node_modules/**', 500);
  const files = await Promise.all(
    uris.map(async (uri) => {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      const text = open?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      const parsed = parseInputFile(text);
      const bound = parsed.ok && parsed.file.bot.contract === target.publicId && parsed.file.bot.id === target.botId;
      return { label: vscode.workspace.asRelativePath(uri), uri, bound };
    }),
  );
  return files.filter((file) => file.bound).sort((a, b) => a.label.localeCompare(b.label));
}

async function pickInputFile(services: InputFileServices, target: BotRef): Promise<vscode.Uri | undefined> {
  const items = await boundInputFiles(target);
  if (!items.length) {
    const create = vscode.l10n.t('Create Input File');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No input file in this workspace runs {0}.', inert(target.botId)), create);
    if (choice === create) await createInputFile(services, target);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Input file for {0}', inert(target.botName ?? target.botId)) });
  return picked?.uri;
}

/** As findBindingTarget, saying what to do when no account reaches the BOT. */
export async function targetOfBinding(cloudBot: CloudBot, data: ExplorerData, file: InputFile): Promise<BotRef | undefined> {
  const target = await findBindingTarget(cloudBot, data, file);
  if (target) return target;
  void vscode.window.showErrorMessage(
    vscode.l10n.t('This input file runs BOT {0} of contract {1}, which no signed-in account can reach. Sign in with an account of {1}, or fix "bot" in the file.', inert(file.bot.id), inert(file.bot.contract)),
  );
  return undefined;
}

/** True (and says so) when an input file names another BOT than the one it is run on. */
export function bindingMismatch(file: InputFile, target: BotRef): boolean {
  if (file.bot.contract === target.publicId && file.bot.id === target.botId) return false;
  void vscode.window.showErrorMessage(
    vscode.l10n.t('This input file runs {0}/{1}, not {2}/{3}. Open an input file of {3}, or create one.', inert(file.bot.contract), inert(file.bot.id), inert(target.publicId), inert(target.botId)),
  );
  return true;
}
