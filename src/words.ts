// The one place where the extension's own words are made: everything a person reads goes through
// vscode.l10n here, so the tree, status bar, notifications and result panels speak one language.
import * as vscode from 'vscode';
import type { JobWords } from './core/jobText';

/** Job words in VS Code's display language; `{0}`, `{1}` are kept for the caller to fill. */
export function jobWords(): JobWords {
  return {
    succeeded: vscode.l10n.t('Succeeded'),
    error: vscode.l10n.t('Error'),
    executing: vscode.l10n.t('Executing'),
    otherStatus: vscode.l10n.t('Status {0}', '{0}'),
    minutesSeconds: vscode.l10n.t('{0} min {1} s', '{0}', '{1}'),
    seconds: vscode.l10n.t('{0} s', '{0}'),
  };
}
