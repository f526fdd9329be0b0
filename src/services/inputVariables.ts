// Where the values of input variables come from in VS Code: `${env:…}` from the extension host's
// environment, `${secret:…}` from SecretStorage (asked for once when missing), `${prompt:…}` asked at
// each run. `${row:…}` has values only in a batch run, which adds them with core's `withRow`.
import * as vscode from 'vscode';
import { resolveOnce, SECRET_LABEL, type VariableResolver } from '../core/variables';
import type { InputSecrets } from './inputSecrets';

/**
 * A resolver for one run (or one batch: each prompt and secret is asked for once, whatever the number of
 * rows). Escape on any question leaves the variable without a value, so nothing is sent.
 */
export function variableResolver(secrets: InputSecrets): VariableResolver {
  return resolveOnce(async ({ kind, name }) => {
    switch (kind) {
      case 'env':
        return Object.prototype.hasOwnProperty.call(process.env, name) ? process.env[name] : undefined;
      case 'secret':
        return secrets.getOrAsk(name);
      case 'prompt':
        return vscode.window.showInputBox({
          title: vscode.l10n.t('Cloud BOT input'),
          prompt: name,
          password: SECRET_LABEL.test(name),
          ignoreFocusOut: true,
        });
      case 'row':
        return undefined;
    }
  });
}
