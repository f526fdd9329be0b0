// The loopback sign-in flow's one-shot server: listens on 127.0.0.1 only, answers the browser's
// redirect with a "you can close this tab" page, and closes right after (or when time runs out).
// Only the redirect of this attempt counts: anything else (a favicon, a probe, another attempt's state,
// a page reaching it under another host name through DNS rebinding) is refused and the wait goes on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

export interface LoopbackCallback {
  redirectUri: string;
  /** The redirect's query parameters, once the browser arrives. */
  received: Promise<URLSearchParams>;
  close(): Promise<void>;
}

/** The page the browser shows once it is back: words from the VS Code layer (src/words.ts). */
export interface LoopbackPage {
  /** A BCP 47 tag for the page's `lang`. */
  language: string;
  title: string;
  body: string;
}

export class LoopbackPortError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is in use`);
    this.name = 'LoopbackPortError';
  }
}

export class LoopbackTimeoutError extends Error {
  constructor(readonly redirectUri: string) {
    super(`the browser did not come back to ${redirectUri} in time`);
    this.name = 'LoopbackTimeoutError';
  }
}

/** Starts listening for the redirect that carries `state`; `timeoutMs` bounds how long the server stays up if no browser comes. */
export async function startLoopback(port: number, timeoutMs: number, page: LoopbackPage, state: string): Promise<LoopbackCallback> {
  let resolveReceived!: (query: URLSearchParams) => void;
  let rejectReceived!: (error: Error) => void;
  const received = new Promise<URLSearchParams>((resolve, reject) => {
    resolveReceived = resolve;
    rejectReceived = reject;
  });
  // Callers may stop waiting (cancel) before anything arrives; that is not an unhandled rejection.
  received.catch(() => undefined);

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // Only this attempt's redirect, to this server by its own name, ends the wait; anything else (a
    // favicon, a probe, another attempt's state, a rebound DNS name) is refused and the wait goes on.
    const isThisRedirect =
      isOwnHost(request.headers.host, (server.address() as AddressInfo).port) &&
      request.method === 'GET' &&
      url.pathname === CALLBACK_PATH &&
      url.searchParams.get('state') === state;
    if (!isThisRedirect) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Bad request');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html lang="${escapeHtml(page.language)}"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;margin:3em"><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.body)}</p></body></html>`,
    );
    resolveReceived(url.searchParams);
    void close();
  });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      clearTimeout(timer);
      rejectReceived(new LoopbackTimeoutError(redirectUri));
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new LoopbackPortError(port) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const timer = setTimeout(() => void close(), timeoutMs);
  return { redirectUri, received, close };
}

/** The names a browser on this machine uses for the server; any other came through a name that merely resolves here. */
function isOwnHost(host: string | undefined, port: number): boolean {
  const name = host?.toLowerCase();
  return name === `127.0.0.1:${port}` || name === `localhost:${port}`;
}

/** Text for HTML: the page's words are the extension's own, but a translation must not become markup. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
