// "Manage Input Secrets": the names of the `${secret:…}` values kept in SecretStorage (never the values),
// to set or change one, delete one, or add a new one.
import * as vscode from 'vscode';
import { isVariableName } from '../core/variables';
import { askSecretValue, type InputSecrets } from '../services/inputSecrets';

export function registerManageInputSecrets(context: vscode.ExtensionContext, secrets: InputSecrets): void {
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.manageInputSecrets', () => manageInputSecrets(secrets)));
}

async function manageInputSecrets(secrets: InputSecrets): Promise<void> {
  type Pick = vscode.QuickPickItem & { name?: string };
  const items: Pick[] = [
    ...(await secrets.names()).map((name) => ({ label: `$(key) ${name}`, description: `\${secret:${name}}`, name })),
    { label: `$(add) ${vscode.l10n.t('Add New Secret…')}` },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Cloud BOT Input Secrets'),
    placeHolder: vscode.l10n.t('Values kept in VS Code\'s secret storage for {0} in inputs', '${secret:NAME}'),
  });
  if (!picked) return;
  const name = picked.name ?? (await askName());
  if (!name) return;
  if (picked.name) {
    const change = vscode.l10n.t('Set or Change Value…');
    const remove = vscode.l10n.t('Delete');
    const action = await vscode.window.showQuickPick([change, remove], { title: vscode.l10n.t('Input secret "{0}"', name) });
    if (action === remove) {
      await secrets.delete(name);
      void vscode.window.showInformationMessage(vscode.l10n.t('Deleted the input secret "{0}".', name));
      return;
    }
    if (action !== change) return;
  }
  const value = await askSecretValue(name, vscode.l10n.t('The value sent in place of {0}. It is kept in VS Code\'s secret storage.', `\${secret:${name}}`));
  if (value === undefined) return;
  await secrets.set(name, value);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the input secret "{0}".', name));
}

function askName(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('New input secret'),
    prompt: vscode.l10n.t('Its name, used as {0} in inputs: 1 to 64 letters, digits, _ . -', '${secret:NAME}'),
    ignoreFocusOut: true,
    validateInput: (name) => (isVariableName('secret', name) ? undefined : vscode.l10n.t('1 to 64 letters, digits, _ . -')),
  });
}
