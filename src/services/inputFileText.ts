// An input file's text as a run would send it: the open document's (unsaved edits included), else the
// file's, within a size bound.
import * as vscode from 'vscode';

export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;

/** The text to run: the open document's (unsaved edits included), else the file's; undefined when unreadable or too large. */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_INPUT_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
