// A "▶ Execute" CodeLens at the top of every input file, naming the BOT the file runs. It passes its
// own file, so it runs that file whichever editor is active.
import * as vscode from 'vscode';
import { INPUT_FILE_SUFFIX, parseInputFile } from '../core/inputFile';

class InputFileLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = parseInputFile(document.getText());
    const top = new vscode.Range(0, 0, 0, 0);
    // A file with problems still gets its lens: running it marks them.
    const title = parsed.ok
      ? vscode.l10n.t('$(play) Execute {0}', parsed.file.bot.name ?? `${parsed.file.bot.contract}/${parsed.file.bot.id}`)
      : vscode.l10n.t('$(play) Execute (check the file first)');
    return [new vscode.CodeLens(top, { title, command: 'cloudbot.executeBot', arguments: [document.uri], tooltip: vscode.l10n.t('Execute this input file\'s BOT with its input and options') })];
  }
}

export function registerInputFileLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: `**/*${INPUT_FILE_SUFFIX}` }, new InputFileLens()));
}
