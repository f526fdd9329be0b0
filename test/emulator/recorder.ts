// Records every request the emulator receives, with secrets replaced, so tests can check what a client sent.
import type { IncomingMessage } from 'node:http';
import { mediaType } from './http';

export type Origin = 'api' | 'oauth' | 'control';

export interface RecordedRequest {
  /** Arrival time, ISO 8601 with milliseconds. */
  time: string;
  origin: Origin;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Which credentials were presented (not whether they were valid). */
  auth: 'accessToken' | 'bearer' | 'none';
  contentType?: string;
  contentLanguage?: string;
  /** Parsed JSON or form body with secret fields redacted; a note when it could not be parsed. */
  body?: unknown;
  /** HTTP status sent; 0 while pending or when a fault dropped the connection. */
  status: number;
}

const REDACTED = '[redacted]';
const SECRET_FIELDS = new Set([
  'access_token', 'refresh_token', 'client_secret', 'code', 'secret_key', 'secret-key', 'access-token',
  'authorization', 'ws_token', 'request_id', 'password',
]);

/** A deep copy of `value` with every secret-named field replaced by REDACTED. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : redact(v)]));
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(contentType);
  try {
    if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    if (type === 'application/json') return JSON.parse(raw.toString('utf8'));
  } catch {
    // fall through: describe the body instead of storing text that might hold anything
  }
  return `[unparsed body, ${raw.length} bytes]`;
}

export class Recorder {
  readonly requests: RecordedRequest[] = [];

  /** Creates the record of an arriving request; add() puts it in the list. */
  start(origin: Origin, req: IncomingMessage, url: URL): RecordedRequest {
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const record: RecordedRequest = {
      time: new Date().toISOString(),
      origin,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: redact(Object.fromEntries(url.searchParams)) as Record<string, string>,
      auth: header('authorization') !== undefined ? 'bearer' : header('access-token') !== undefined ? 'accessToken' : 'none',
      status: 0,
    };
    const contentType = header('content-type');
    const contentLanguage = header('content-language');
    if (contentType !== undefined) record.contentType = contentType;
    if (contentLanguage !== undefined) record.contentLanguage = contentLanguage;
    return record;
  }

  add(record: RecordedRequest): void {
    this.requests.push(record);
  }

  setBody(record: RecordedRequest, raw: Buffer): void {
    const body = redact(parseBody(raw, record.contentType));
    if (body !== undefined) record.body = body;
  }

  clear(): void {
    this.requests.length = 0;
  }
}
