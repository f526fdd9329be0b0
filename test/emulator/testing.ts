// Helpers for tests that talk to the emulator over real HTTP.
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { loadFixture, type EmulatorFixture } from './fixture';
import type { AddressInfo } from 'node:net';

export type Credentials = { accessToken: string; secretKey: string } | { bearer: string };

export interface CallOptions {
  credentials?: Credentials;
  /** JSON-encoded unless it is already a string or Buffer. */
  body?: unknown;
  /** Extra or replaced headers; null removes a default one (content-type, content-language). */
  headers?: Record<string, string | null>;
}

export interface CallResult<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: T;
  text: string;
}

/** One API call with the documented headers (§2): content-type application/json and content-language en. */
export async function callApi<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-language': 'en' };
  const credentials = options.credentials;
  if (credentials !== undefined && 'bearer' in credentials) headers.authorization = `Bearer ${credentials.bearer}`;
  else if (credentials !== undefined) Object.assign(headers, { 'access-token': credentials.accessToken, 'secret-key': credentials.secretKey });
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const body = options.body === undefined || typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body as BodyInit | undefined });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * Polls `probe` until it returns a value, for state the emulator reaches right after an HTTP exchange
 * (e.g. a delivery record written once the receiver answered). The bound is a safety net only.
 */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface ReceivedCallback {
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The status the receiver answered with. */
  status: number;
}

export interface CallbackReceiver {
  url: string;
  received: ReceivedCallback[];
  /** Resolves once `count` callbacks arrived; rejects after `timeoutMs` as a safety net. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

/** A loopback server that records POSTed callbacks and answers with `statuses` in turn, then 200. */
export async function startCallbackReceiver(statuses: number[] = []): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const pending = [...statuses];
  const arrivals = new EventEmitter();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = pending.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, status });
      arrivals.emit('callback');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    received,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (received.length < count) return;
          stopWaiting();
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          stopWaiting();
          reject(new Error(`expected ${count} callbacks, got ${received.length}`));
        }, timeoutMs);
        const stopWaiting = (): void => {
          clearTimeout(timer);
          arrivals.off('callback', check);
        };
        arrivals.on('callback', check);
        check();
      });
    },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The default fixture plus an echo BOT `id` of example1 that takes no input and runs for `durationMs`. */
export function fixtureWithEchoBot(id: string, durationMs: number): EmulatorFixture {
  const fixture = loadFixture();
  const example1 = fixture.contracts.find((contract) => contract.publicId === 'example1')!;
  const echo = example1.bots.find((bot) => bot.id === 'echo')!;
  example1.bots.push({ ...echo, id, name: `${id} (${durationMs / 1000} s)`, input: undefined, script: { durationMs, result: 'echo' } });
  return fixture;
}
