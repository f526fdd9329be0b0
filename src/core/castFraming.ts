// Whether a job's cast (its BOT's live screen, `cast_url`) can be shown inside VS Code. The URL is
// server text: only http(s) is framed, under a CSP naming its origin alone. And a page may forbid
// frames of other sites (X-Frame-Options, CSP frame-ancestors), which a webview always is: its answer
// headers are read once, in a bounded request, before it is framed. No `vscode` here.
import { causeCode, messageOf } from './errors';
import { fetch } from './http';

/** A cast that may be framed: its URL, and the origin the frame's CSP lets in. */
export interface CastTarget {
  url: string;
  origin: string;
}

/**
 * The cast URL as something to frame, or undefined when it is not an http(s) URL. The origin goes into
 * a CSP, so one with characters a URL's host allows but a CSP does not (quotes, semicolons) is refused.
 */
export function castTarget(url: unknown): CastTarget | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d+)?$/.test(parsed.origin) ? { url: parsed.href, origin: parsed.origin } : undefined;
}

/** What forbids the frame. */
export type FrameRefusal = 'X-Frame-Options' | 'frame-ancestors';

/**
 * What in a page's answer headers forbids showing it in a frame of a webview, or undefined when nothing
 * does. Browsers' rules: CSP frame-ancestors, where a policy has it, decides and X-Frame-Options is
 * ignored; its only source that can take in a webview is `*`, and only in a browser's VS Code (the
 * desktop app's webviews are of a scheme `*` does not match). X-Frame-Options DENY and SAMEORIGIN
 * forbid (the webview is never the cast's origin), and so do several values that disagree.
 */
export function frameRefusal(headers: { get(name: string): string | null }, onWeb: boolean): FrameRefusal | undefined {
  const ancestors = (headers.get('content-security-policy') ?? '')
    .split(',')
    .map((policy) => policy.split(';').map((directive) => directive.trim().toLowerCase().split(/\s+/)).find(([name]) => name === 'frame-ancestors'))
    .filter((directive) => directive !== undefined);
  if (ancestors.length) return onWeb && ancestors.every((sources) => sources.includes('*')) ? undefined : 'frame-ancestors';
  const options = new Set((headers.get('x-frame-options') ?? '').split(',').map((value) => value.trim().toLowerCase()).filter(Boolean));
  const known = [...options].filter((value) => ['deny', 'sameorigin', 'allowall'].includes(value));
  const refused = options.size > 1 ? known.length > 0 : known[0] === 'deny' || known[0] === 'sameorigin';
  return refused ? 'X-Frame-Options' : undefined;
}

/** How long the check waits for the cast page's headers. */
export const CAST_CHECK_TIMEOUT_MS = 5_000;
/** Redirects the check follows; the frame can show only the cast's own origin in the end. */
const MAX_REDIRECTS = 3;

export type CastCheck =
  | { kind: 'frame' }
  | { kind: 'refused'; by: FrameRefusal }
  /** The page leads to another site, which the frame's CSP does not let in. */
  | { kind: 'elsewhere'; origin: string }
  | { kind: 'failed'; status?: number; timedOut?: boolean; error?: string };

/** Asks the cast page once (its headers only) whether it can be framed, within `timeoutMs`. */
export async function checkCast(target: CastTarget, onWeb: boolean, timeoutMs = CAST_CHECK_TIMEOUT_MS): Promise<CastCheck> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const answer = await fetch(target.url, { headers: { accept: 'text/html' }, signal: controller.signal, follow: MAX_REDIRECTS });
    // Only the headers matter: the body is let go unread (which closes the connection).
    (answer.body as unknown as { destroy(): void } | null)?.destroy();
    const origin = new URL(answer.url || target.url).origin;
    if (origin !== target.origin) return { kind: 'elsewhere', origin };
    if (!answer.ok) return { kind: 'failed', status: answer.status };
    const by = frameRefusal(answer.headers, onWeb);
    return by ? { kind: 'refused', by } : { kind: 'frame' };
  } catch (error) {
    return controller.signal.aborted ? { kind: 'failed', timedOut: true } : { kind: 'failed', error: causeCode(error) ?? messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}
