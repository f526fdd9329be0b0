// What an execution needs the user's yes for, in a modal dialog: an input file from a folder the user
// has not trusted (it chooses the BOT, the input and where results go), and a callback host the user
// has not confirmed before (it receives the job's output; asked once per host).
import * as vscode from 'vscode';
import { callbackHostToConfirm, type ConfirmedHosts } from '../core/callbackHosts';

/** What the questions need from VS Code; integration tests pass a small fake (modal dialogs cannot be answered there). */
export interface ConsentUi {
  /** VS Code's Workspace Trust for this window. */
  isTrusted(): boolean;
  /** A modal question; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
}

export const vscodeConsentUi: ConsentUi = {
  isTrusted: () => vscode.workspace.isTrusted,
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
};

export class RunConsent {
  constructor(
    private readonly hosts: ConfirmedHosts,
    /** Replaceable: integration tests stand in for the dialog and the trust state. */
    public ui: ConsentUi = vscodeConsentUi,
  ) {}

  /** True at once in a trusted workspace; else when the user confirms running the file. */
  async allowInputFile(botLabel: string, fileName: string): Promise<boolean> {
    if (this.ui.isTrusted()) return true;
    return this.ui.confirm(
      vscode.l10n.t('Execute {0} with the input file {1}?', botLabel, fileName),
      vscode.l10n.t('This input file is in a folder you have not trusted (Restricted Mode). It chooses the BOT, its input, and where its result is sent.'),
      vscode.l10n.t('Execute'),
    );
  }

  /** True for no callback, a loopback one or a host confirmed before; else when the user confirms the host, which is then remembered. */
  async allowCallback(botLabel: string, endpoint: string | undefined): Promise<boolean> {
    const host = callbackHostToConfirm(endpoint);
    if (!host || this.hosts.has(host)) return true;
    const confirmed = await this.ui.confirm(
      vscode.l10n.t('Send the results of {0} to {1}?', botLabel, host),
      vscode.l10n.t('When the job ends, Cloud BOT sends it, with its output, to {0}. You have not sent results there before; your answer is remembered for this host.', host),
      vscode.l10n.t('Send to {0}', host),
    );
    if (confirmed) await this.hosts.add(host);
    return confirmed;
  }
}
