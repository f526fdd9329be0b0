// Small HTTP helpers shared by the API, OAuth and control handlers. Handlers return a Reply instead of
// writing to the response, so faults can replace or truncate the answer after the handler ran.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalizedText } from './fixture';
import type { Language } from './messages';

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** 4 MB, the documented request limit (§2). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

/** An API answer: every body carries `code` equal to the HTTP status (§2). */
export function apiReply(status: number, fields: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { code: status, ...fields }, headers);
}

export function apiError(status: number, message: LocalizedText, language: Language, headers: Record<string, string> = {}): Reply {
  return apiReply(status, { message: message[language] }, headers);
}

export function htmlReply(status: number, html: string, headers: Record<string, string> = {}): Reply {
  return { status, body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers } };
}

export function redirectReply(location: string): Reply {
  return { status: 302, body: '', headers: { location, 'cache-control': 'no-store' } };
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = Buffer.from(reply.body, 'utf8');
  // A 204 must not carry a body or Content-Length.
  res.writeHead(reply.status, reply.status === 204 ? reply.headers : { ...reply.headers, 'content-length': String(body.length) });
  res.end(reply.status === 204 ? undefined : body);
}

/** The media type without parameters, lower-cased; '' when absent. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** The request body, or null as soon as it exceeds `limit` (the rest is never read). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(null);
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** How much of a refused body is read and thrown away after the answer (nginx's lingering close, bounded likewise). */
export const DISCARD_LIMIT = { bytes: 32 * 1024 * 1024, ms: 5_000 };

/**
 * Reads the rest of the request body into nothing, so that a client still writing it reads the answer
 * instead of the reset that closing a connection with unread bytes causes. The connection stays open
 * meanwhile, also when the client asked to close it (Node would close it right after the answer), and
 * is closed once the body has ended; past either limit it is destroyed. Call before sending the answer.
 */
export function discardBody(req: IncomingMessage, res: ServerResponse, limit = DISCARD_LIMIT): void {
  if (req.complete) return;
  const closeAtEnd = !res.shouldKeepAlive;
  res.shouldKeepAlive = true;
  let size = 0;
  const stop = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > limit.bytes) {
      stop();
      req.socket.destroy();
    }
  };
  const timer = setTimeout(() => {
    stop();
    req.socket.destroy();
  }, limit.ms);
  req.on('data', onData);
  req.once('close', stop);
  req.once('end', () => {
    stop();
    if (!closeAtEnd) return;
    if (res.writableFinished) req.socket.end();
    else res.once('finish', () => req.socket.end());
  });
  req.resume();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
