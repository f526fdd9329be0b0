// The HTML of our webview pages: one script of dist/webview/ and the shared stylesheet, under a CSP
// that lets in nothing but them (a nonce for the script) and, for a page that frames a cast, that
// cast's origin; with the page's initial data as JSON.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** What every page's webview may do: run its script, and load only our media and page scripts. */
export function pageOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/** `frameOrigin`: the one origin the page may frame (an origin castTarget made, which a CSP can hold as it is). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, initialData: unknown, frameOrigin?: string): string {
  const nonce = randomBytes(16).toString('base64');
  const resource = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  // Inside <script>, "<" is escaped so that no text can close the element.
  const json = JSON.stringify(initialData).replace(/</g, '\\u003c');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(frameOrigin ? [`frame-src ${frameOrigin}`] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resource('media', 'result.css')}">
<title>Cloud BOT</title>
</head>
<body>
<script nonce="${nonce}" id="initial-data" type="application/json">${json}</script>
<main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${resource('dist', 'webview', script)}"></script>
</body>
</html>`;
}

/** Adds `item`, letting the oldest go beyond `max` (a page reports at every render). */
export function keepLatest<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
