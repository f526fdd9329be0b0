import * as vscode from 'vscode';
import { CALLBACK_PATH } from '../core/loopbackServer';
import { decodedQueryParams } from '../core/oauth';

/** Receives `<scheme>://cloudbot-tools.cloudbot-vscode/callback?…` and hands it to the sign-in waiting for it. */
export class CallbackUriHandler implements vscode.UriHandler, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<URLSearchParams>();
  readonly onDidReceiveCallback = this.emitter.event;
  /**
   * A desktop window parses the URL the browser hands it, so the query arrives percent-decoded once
   * already; a web host's callback page hands it over still encoded. Either way it is decoded once.
   * Replaceable: integration tests run on a web host and also play a desktop window.
   */
  queryArrivesDecoded = vscode.env.uiKind !== vscode.UIKind.Web;

  handleUri(uri: vscode.Uri): void {
    if (uri.path === CALLBACK_PATH) this.emitter.fire(this.queryArrivesDecoded ? decodedQueryParams(uri.query) : new URLSearchParams(uri.query));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
