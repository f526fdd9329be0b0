// Read-only JSON documents of Cloud BOT answers (a BOT's details, a job's response JSON): served from
// memory under a scheme of their own, so they open like files but cannot be edited or saved.
import * as vscode from 'vscode';
import type { JobStore } from '../core/jobStore';
import type { JobRef } from '../core/refs';
import { describeError } from '../words';

export class JsonDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly closeListener: vscode.Disposable;

  constructor(readonly scheme: string) {
    // A job's answer can be megabytes: keep a text only while its document is open.
    this.closeListener = vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === scheme) this.texts.delete(document.uri.toString());
    });
  }

  dispose(): void {
    this.closeListener.dispose();
    this.changeEmitter.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /**
   * Shows what `fetch` answers as JSON at `path` (ending in `.json`, which gives the document its
   * language), refreshing the document when it is already open, and returns the text. When `fetch`
   * fails, says why with `failure` and shows nothing.
   */
  async show(path: string, fetch: () => Promise<unknown>, failure: (message: string) => string): Promise<string | undefined> {
    let value: unknown;
    try {
      value = await fetch();
    } catch (error) {
      void vscode.window.showErrorMessage(failure(describeError(error)));
      return undefined;
    }
    const text = `${JSON.stringify(value, null, 2)}\n`;
    await vscode.window.showTextDocument(this.set(path, text));
    return text;
  }

  /** Puts `text` at `path` (refreshing the document when it is open) without showing it; returns its URI. */
  set(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path });
    this.texts.set(uri.toString(), text);
    this.changeEmitter.fire(uri);
    return uri;
  }
}

export function registerJsonDocuments(context: vscode.ExtensionContext, scheme: string): JsonDocuments {
  const documents = new JsonDocuments(scheme);
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(scheme, documents));
  return documents;
}

/** A job's response JSON (E7) as a document, asked afresh so an open document shows the job's latest state. */
export function showJobJson(documents: JsonDocuments, store: JobStore, ref: JobRef): Promise<string | undefined> {
  return documents.show(`/${ref.publicId}/${ref.jobId}.json`, () => store.refer(ref), (message) => vscode.l10n.t('Could not refer to job {0}: {1}', ref.jobId, message));
}
