// The loopback sign-in flow's one-shot server: listens on 127.0.0.1 only, answers the browser's
// redirect with a "you can close this tab" page, and closes right after (or when time runs out).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { say, type Bilingual } from '../core/text';
import type { Language } from '../core/types';

export const CALLBACK_PATH = '/callback';

export interface LoopbackCallback {
  redirectUri: string;
  /** The redirect's query parameters, once the browser arrives. */
  received: Promise<URLSearchParams>;
  close(): Promise<void>;
}

const page: Record<'title' | 'body', Bilingual> = {
  title: { en: 'Cloud BOT sign-in', ja: 'Cloud BOT サインイン' },
  body: {
    en: 'The answer reached VS Code. You can close this tab and go back to VS Code.',
    ja: '応答を VS Code が受け取りました。このタブを閉じて VS Code に戻ってください。',
  },
};

const portInUse: Bilingual = {
  en: 'Port {port} on 127.0.0.1 is in use, so the browser cannot come back through it. Close what uses it, or set "cloudbot.oauth.loopbackPort" to a free port and register http://127.0.0.1:<port>/callback in My Apps.',
  ja: '127.0.0.1 のポート {port} は使用中のため、ブラウザーから戻れません。使用中のものを閉じるか、「cloudbot.oauth.loopbackPort」を空いているポートにして http://127.0.0.1:<ポート>/callback を My Apps に登録してください。',
};

const notBack: Bilingual = {
  en: 'The browser did not come back to {uri} in time.',
  ja: 'ブラウザーが時間内に {uri} へ戻りませんでした。',
};

export class LoopbackPortError extends Error {}

/** Starts listening; `timeoutMs` bounds how long the server stays up if no browser comes. */
export async function startLoopback(port: number, timeoutMs: number, language: Language): Promise<LoopbackCallback> {
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
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${say(page.title, language)}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;margin:3em"><h1>${say(page.title, language)}</h1><p>${say(page.body, language)}</p></body></html>`,
    );
    resolveReceived(url.searchParams);
    void close();
  });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      clearTimeout(timer);
      rejectReceived(new Error(say(notBack, language, { uri: redirectUri })));
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LoopbackPortError(
          error.code === 'EADDRINUSE'
            ? say(portInUse, language, { port })
            : error.message,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const timer = setTimeout(() => void close(), timeoutMs);
  return { redirectUri, received, close };
}
