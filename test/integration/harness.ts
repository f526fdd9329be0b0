// What the integration suites start from: an emulator in this extension host, the settings pointing at
// it, the extension activated, and (when asked) its all-permission token signed in.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CloudBotTestApi } from '../../src/extension';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';

export const EXTENSION_ID = 'cloudbot-tools.cloudbot-vscode';

export interface Suite {
  emulator: RunningEmulator;
  api: CloudBotTestApi;
  /** The signed-in session, or '' when the suite signs in itself. */
  sessionId: string;
}

export async function setUpSuite(options: EmulatorOptions = {}, { signIn = true } = {}): Promise<Suite> {
  const emulator = await startEmulator({ port: 0, ...options });
  await pointAt(emulator);
  const api = (await vscode.extensions.getExtension<CloudBotTestApi>(EXTENSION_ID)!.activate())!;
  const sessionId = signIn ? await signInWithEveryPermission(api, emulator) : '';
  return { emulator, api, sessionId };
}

export async function tearDownSuite({ emulator, api }: Suite): Promise<void> {
  for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
  const config = vscode.workspace.getConfiguration('cloudbot');
  await config.update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
  await config.update('oauthBaseUrl', undefined, vscode.ConfigurationTarget.Global);
  await closeEditors();
  await emulator.close();
}

/** Signs in with the emulator's access token that has every permission; returns the session's id. */
export async function signInWithEveryPermission(api: CloudBotTestApi, emulator: Pick<RunningEmulator, 'tokens'>): Promise<string> {
  const token = emulator.tokens.find((t) => ['refer', 'execute', 'suspend'].every((p) => t.permissions.includes(p)));
  if (!token) throw new Error('the fixture has no token with every permission');
  return (await api.auth.signInWithAccessToken(token.accessToken, token.secretKey)).id;
}

/** Points the extension's API and OAuth base URLs at an emulator. */
export async function pointAt(emulator: Pick<RunningEmulator, 'apiBaseUrl' | 'oauthBaseUrl'>): Promise<void> {
  const config = vscode.workspace.getConfiguration('cloudbot');
  await config.update('apiBaseUrl', emulator.apiBaseUrl, vscode.ConfigurationTarget.Global);
  await config.update('oauthBaseUrl', emulator.oauthBaseUrl, vscode.ConfigurationTarget.Global);
}

/** Opens JSON in an editor, and waits until the extension host sees it as the active one. */
export async function openJson(content: string): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'json', content }));
  // Right after closeEditors, VS Code can hand back the closed untitled document under its reused name
  // (Untitled-1), with the old text: it is written over.
  if (editor.document.getText() !== content) {
    const { document } = editor;
    await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), content));
  }
  return eventually(() => (vscode.window.activeTextEditor?.document === editor.document ? editor : undefined));
}

/**
 * Closes every editor and panel; untitled editors would ask to be saved, so they are reverted as they
 * close. Through the tab API, which resolves once the tabs are gone (closeAllEditors can still be
 * closing when the next test opens its editor).
 */
export async function closeEditors(): Promise<void> {
  while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((group) => group.tabs));
}

/** The Cloud BOT output channel as written to disk in this window's logs. */
export async function outputLog(): Promise<string> {
  const api = (await vscode.extensions.getExtension<CloudBotTestApi>(EXTENSION_ID)!.activate())!;
  const windowLogs = vscode.Uri.joinPath(api.logUri, '..', '..');
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(windowLogs, '**/*Cloud BOT*.log'));
  const texts = await Promise.all(found.map(async (uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')));
  return texts.join('\n');
}

type Shown = 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'showQuickPick' | 'createQuickPick';

/**
 * Records what the extension hands VS Code's notifications and quick picks, answering as if dismissed,
 * or a showQuickPick with its item labelled `pick`. The extension and these tests share one `vscode`
 * API object (one per extension), so replacing its functions here replaces them for the extension's
 * calls too, until `restore`.
 */
export function recordShown({ pick }: { pick?: string } = {}): { messages: string[]; picks: vscode.QuickPickItem[][]; restore(): void } {
  const window = vscode.window as Record<Shown, unknown>;
  const names: Shown[] = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showQuickPick', 'createQuickPick'];
  const originals = names.map((name) => [name, window[name]] as const);
  const messages: string[] = [];
  const picks: vscode.QuickPickItem[][] = [];
  for (const name of names.slice(0, 3)) {
    window[name] = (message: string) => {
      messages.push(message);
      return Promise.resolve(undefined);
    };
  }
  window.showQuickPick = async (items: vscode.QuickPickItem[] | Thenable<vscode.QuickPickItem[]>) => {
    const offered = await items;
    picks.push(offered);
    return pick === undefined ? undefined : offered.find((item) => item.label === pick);
  };
  const createQuickPick = vscode.window.createQuickPick;
  // A real quick pick, whose items are recorded when it shows; it is dismissed at once.
  window.createQuickPick = () => {
    const quickPick = createQuickPick<vscode.QuickPickItem>();
    const show = quickPick.show.bind(quickPick);
    quickPick.show = () => {
      picks.push([...quickPick.items]);
      show();
      quickPick.hide();
    };
    return quickPick;
  };
  return { messages, picks, restore: () => originals.forEach(([name, original]) => (window[name] = original)) };
}

/**
 * Every file a secret must never reach: this window's logs (the output channel's included), user and
 * workspace settings, and the global and workspace storage folders (state databases, batch ledgers).
 */
export function storedFiles(api: CloudBotTestApi): string[] {
  // <logs>/<window>/exthost/<extension id> → every log of this window.
  const windowLogs = vscode.Uri.joinPath(api.logUri, '..', '..').fsPath;
  // <user data>/User/globalStorage/<extension id> → settings.json and the global state database.
  const userDir = vscode.Uri.joinPath(api.globalStorageUri, '..', '..').fsPath;
  const workspaceStorage = api.storageUri && vscode.Uri.joinPath(api.storageUri, '..').fsPath;
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return [
    ...filesUnder(windowLogs),
    join(userDir, 'settings.json'),
    ...(workspaceFolder ? [join(workspaceFolder, '.vscode', 'settings.json')] : []),
    ...filesUnder(join(userDir, 'globalStorage')),
    ...(workspaceStorage ? filesUnder(workspaceStorage) : []),
  ].filter(isFile);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    } catch {
      return [];
    }
  });
}
