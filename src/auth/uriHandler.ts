import * as vscode from 'vscode';
import { CALLBACK_PATH } from '../core/loopbackServer';

/** Receives `<scheme>://cloudbot-tools.cloudbot-vscode/callback?…` and hands it to the sign-in waiting for it. */
export class CallbackUriHandler implements vscode.UriHandler, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<URLSearchParams>();
  readonly onDidReceiveCallback = this.emitter.event;

  handleUri(uri: vscode.Uri): void {
    if (uri.path === CALLBACK_PATH) this.emitter.fire(new URLSearchParams(uri.query));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
