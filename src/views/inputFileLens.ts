// "▶ Execute" and "Execute for Each Row…" CodeLenses at the top of every input file, the first naming
// the BOT the file runs. They pass their own file, so they run that file whichever editor is active.
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
    return [
      new vscode.CodeLens(top, { title, command: 'cloudbot.executeBot', arguments: [document.uri], tooltip: vscode.l10n.t('Execute this input file\'s BOT with its input and options') }),
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('$(run-all) Execute for Each Row…'),
        command: 'cloudbot.executeForEachRow',
        arguments: [document.uri],
        tooltip: vscode.l10n.t('Execute the BOT once per row of a spreadsheet, with this file as the template (its {0} variables take each row\'s cells)', '${row:Column}'),
      }),
    ];
  }
}

export function registerInputFileLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: `**/*${INPUT_FILE_SUFFIX}` }, new InputFileLens()));
}
