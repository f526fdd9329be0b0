// The client side of Cloud BOT's OAuth2 authorization code flow (seeds/oauth2-api-reference.txt):
// authorize URL, per-attempt state, the redirect's parameters, token exchange and refresh.
import { randomBytes } from 'node:crypto';
import { fetch } from './http';
import { causeCode } from './errors';

export const OAUTH_SCOPES = ['execute', 'refer', 'suspend', 'modify'] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];
/** What the extension's features need; `modify` only when a feature asks for it. */
export const DEFAULT_SCOPES: OAuthScope[] = ['refer', 'execute', 'suspend'];

export interface OAuthApp {
  oauthBaseUrl: string;
  clientId: number;
  clientSecret: string;
}

export interface TokenSet {
  username: string;
  accessToken: string;
  /** Absent when the server issued none (RFC 6749 §5.1 makes it optional): the session cannot be renewed. */
  refreshToken?: string;
  /** Epoch milliseconds; absent when the server did not say (`expires_in` is optional too). */
  expiresAt?: number;
}

export function buildAuthorizeUrl(oauthBaseUrl: string, request: { clientId: number; redirectUri: string; scopes: readonly string[]; state: string }): string {
  const url = new URL(`${oauthBaseUrl.replace(/\/+$/, '')}/oauth/authorize`);
  // URLSearchParams writes spaces as `+`, as the reference asks for scopes.
  url.search = new URLSearchParams({
    client_id: String(request.clientId),
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scopes.join(' '),
    state: request.state,
  }).toString();
  return url.toString();
}

/** 256 random bits, URL-safe: unguessable, so a forged redirect cannot match a sign-in in progress. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

export type StateCheck = 'valid' | 'unknown' | 'expired';

/** The states of sign-ins in progress: each is good for one callback, within its lifetime. */
export class StateBook {
  private readonly pending = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(lifetimeMs: number): string {
    const state = newState();
    this.pending.set(state, this.now() + lifetimeMs);
    return state;
  }

  /** Checks and forgets a state, so a replayed callback is refused. */
  consume(state: string | undefined): StateCheck {
    if (!state) return 'unknown';
    const expiresAt = this.pending.get(state);
    if (expiresAt === undefined) return 'unknown';
    this.pending.delete(state);
    return expiresAt < this.now() ? 'expired' : 'valid';
  }

  forget(state: string): void {
    this.pending.delete(state);
  }
}

export type Redirect =
  | { kind: 'code'; code: string; state?: string }
  /** A code pasted alone, without the address it came on: there is no state to check. */
  | { kind: 'bareCode'; code: string }
  | { kind: 'error'; error: string; description?: string; state?: string };

/**
 * Reads what the authorization server put on the redirect: from the whole URL the browser ended on, from
 * its query string, or from a bare code pasted by hand.
 */
export function parseRedirect(text: string): Redirect | undefined {
  const input = text.trim();
  if (!input) return undefined;
  let query: URLSearchParams;
  if (/^[a-z][a-z0-9+.-]*:/i.test(input)) {
    try {
      query = new URL(input).searchParams;
    } catch {
      return undefined;
    }
  } else if (input.includes('=')) {
    query = new URLSearchParams(input.replace(/^[?#]/, ''));
  } else {
    return /^[A-Za-z0-9._~+/=-]+$/.test(input) ? { kind: 'bareCode', code: input } : undefined;
  }
  const state = query.get('state') ?? undefined;
  const error = query.get('error');
  if (error) return { kind: 'error', error, description: query.get('error_description') ?? undefined, state };
  const code = query.get('code');
  return code ? { kind: 'code', code, state } : undefined;
}

/**
 * The parameters of a query that VS Code already percent-decoded once (a desktop window parses the URL
 * it is handed): split only, so a `+`, `%2B` or `%26` in a value stays what the server sent.
 */
export function decodedQueryParams(query: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    params.append(at < 0 ? pair : pair.slice(0, at), at < 0 ? '' : pair.slice(at + 1));
  }
  return params;
}

export type OAuthErrorKind = 'rejected' | 'network' | 'invalidResponse';

/** Why a token request failed, with what a sentence about it needs. */
export type OAuthProblem =
  | { code: 'invalidClient'; clientId: number }
  | { code: 'invalidGrant'; error: string; description?: string }
  | { code: 'unreachable'; host: string; networkCode?: string }
  | { code: 'unexpectedAnswer'; host: string; status: number }
  /** RFC 6749 §7.1: a token of a type the client does not understand must not be used; absent when the answer named none. */
  | { code: 'unsupportedTokenType'; host: string; tokenType?: string };

/**
 * A failed token request. `rejected` means the server refused the grant or the client (the session
 * cannot be saved by retrying); `network` and `invalidResponse` are worth retrying later.
 */
export class OAuthError extends Error {
  constructor(
    readonly problem: OAuthProblem,
    readonly kind: OAuthErrorKind,
    readonly error?: string,
    readonly status?: number,
  ) {
    super(technicalMessage(problem));
    this.name = 'OAuthError';
  }
}

function technicalMessage(problem: OAuthProblem): string {
  switch (problem.code) {
    case 'invalidClient':
      return `token request: client ${problem.clientId} or its secret refused`;
    case 'invalidGrant':
      return `token request: ${problem.error}${problem.description ? `: ${problem.description}` : ''}`;
    case 'unreachable':
      return `token request: no connection (${problem.host})${problem.networkCode ? `: ${problem.networkCode}` : ''}`;
    case 'unexpectedAnswer':
      return `token request: unexpected answer (${problem.host}), HTTP ${problem.status}`;
    case 'unsupportedTokenType':
      return `token request: token type ${problem.tokenType === undefined ? 'missing' : `"${problem.tokenType}"`}, not Bearer (${problem.host})`;
  }
}

const TOKEN_TIMEOUT_MS = 30_000;
/** A server's odd token type is shown to the user; this much of it is enough. */
const MAX_TOKEN_TYPE_LENGTH = 40;

export function exchangeCode(app: OAuthApp, code: string, redirectUri: string, signal?: AbortSignal): Promise<TokenSet> {
  return requestToken(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, undefined, signal);
}

/** Refreshes; when the answer carries no new refresh token, the old one stays in use. */
export function refreshTokens(app: OAuthApp, refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
  return requestToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken, signal);
}

async function requestToken(app: OAuthApp, grant: Record<string, string>, previousRefreshToken: string | undefined, signal?: AbortSignal): Promise<TokenSet> {
  const url = `${app.oauthBaseUrl.replace(/\/+$/, '')}/oauth/token`;
  const host = new URL(url).host;
  const timeout = AbortSignal.timeout(TOKEN_TIMEOUT_MS);
  let status = 0;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...grant, client_id: String(app.clientId), client_secret: app.clientSecret }).toString(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new OAuthError({ code: 'unreachable', host, networkCode: causeCode(cause) }, 'network');
  }
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300 && body && typeof body.access_token === 'string') {
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
      const tokenType = typeof body.token_type === 'string' ? body.token_type.slice(0, MAX_TOKEN_TYPE_LENGTH) : undefined;
      throw new OAuthError({ code: 'unsupportedTokenType', host, tokenType }, 'invalidResponse', undefined, status);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : typeof body.expires_in === 'string' && body.expires_in.trim() ? Number(body.expires_in) : NaN;
    return {
      username: typeof body.username === 'string' ? body.username : '',
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : previousRefreshToken,
      expiresAt: Number.isFinite(expiresIn) ? Date.now() + expiresIn * 1000 : undefined,
    };
  }
  const error = typeof body?.error === 'string' ? body.error : undefined;
  // RFC 6749 §5.2: these say the grant or the client is no good; anything else may pass.
  if (error === 'invalid_client' || status === 401) {
    throw new OAuthError({ code: 'invalidClient', clientId: app.clientId }, 'rejected', error ?? 'invalid_client', status);
  }
  if (error === 'invalid_grant' || error === 'unauthorized_client' || error === 'invalid_request' || error === 'unsupported_grant_type') {
    const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
    throw new OAuthError({ code: 'invalidGrant', error, description }, 'rejected', error, status);
  }
  throw new OAuthError({ code: 'unexpectedAnswer', host, status }, status >= 500 || status === 429 ? 'network' : 'invalidResponse', error, status);
}

/** One run of `task` per key at a time: callers that arrive while it runs share its result. */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const started = task().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
