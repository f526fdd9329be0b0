// The OAuth 2.0 authorization server (§4, seeds/oauth2-api-reference.txt): authorization-code grant with
// a consent page, and refresh. Where the docs stop, RFC 6749 decides.
import type { IncomingHttpHeaders } from 'node:http';
import type { FixtureOAuthClient, LocalizedText, Permission } from './fixture';
import { PERMISSIONS } from './fixture';
import { escapeHtml, htmlReply, jsonReply, mediaType, redirectReply, type Reply } from './http';
import { newOpaqueToken, newSecretKey } from './ids';
import { permissionName } from './messages';
import type { World } from './world';

/** The token answer's fields that a test may have left out. */
export const TOKEN_ANSWER_FIELDS = ['token_type', 'refresh_token', 'expires_in'] as const;
export type TokenAnswerField = (typeof TOKEN_ANSWER_FIELDS)[number];

export interface OAuthOptions {
  autoApprove: boolean;
  accessTokenLifetimeSeconds: number;
  authorizationCodeLifetimeSeconds: number;
  reservedCharactersInCodes: boolean;
  tokenType: string;
  tokenAnswerOmits: readonly TokenAnswerField[];
}

export interface OAuthRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Client {
  clientId: number;
  name: string;
  clientSecret: string;
  redirectUris: string[];
}

/** What the user is asked to approve; pending until the consent form comes back (once). */
interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  scopes: Permission[];
  state: string | null;
  expiresAt: number;
}

/** An authorization code; `grantId` marks every token descended from it, so reuse can revoke them (RFC 6749 §4.1.2). */
interface CodeGrant {
  clientId: number;
  redirectUri: string;
  scopes: Permission[];
  username: string;
  expiresAt: number;
  used: boolean;
  grantId: string;
}

type RefreshGrant = Omit<CodeGrant, 'redirectUri' | 'expiresAt' | 'used'>;

const scopeWords: Record<Permission, LocalizedText> = {
  execute: { en: 'Execute your BOTs', ja: 'BOTの実行' },
  refer: { en: 'See your contracts, BOTs and jobs', ja: '契約・BOT・ジョブの参照' },
  suspend: { en: 'Suspend running jobs', ja: '実行中のジョブの中断' },
  modify: { en: 'Modify your BOTs', ja: 'BOTの変更' },
};

/** Appends query parameters whether or not the URI already has a query. */
function appendQuery(uri: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  if (!uri.includes('?')) return `${uri}?${query}`;
  return /[?&]$/.test(uri) ? `${uri}${query}` : `${uri}&${query}`;
}

function page(title: LocalizedText, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title.en)} – Cloud BOT (emulator)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;line-height:1.5}button{margin-right:1em;padding:.4em 1.2em}</style></head>
<body>
<h1>${escapeHtml(title.en)} / <span lang="ja">${escapeHtml(title.ja)}</span></h1>
${body}
</body>
</html>
`;
}

/** For a bad client or redirect URI: RFC 6749 §4.1.2.1 forbids redirecting, so the user sees this. */
function errorPage(status: number, problem: LocalizedText): Reply {
  return htmlReply(status, page({ en: 'Authorization error', ja: '認可エラー' },
    `<p id="error">${escapeHtml(problem.en)}</p>\n<p lang="ja">${escapeHtml(problem.ja)}</p>`));
}

/** Back to the client with `params` and the request's `state` (RFC 6749 §4.1.2). */
function redirectBack(redirectUri: string, state: string | null, params: Record<string, string>): Reply {
  return redirectReply(appendQuery(redirectUri, { ...params, ...(state === null ? {} : { state }) }));
}

/** RFC 6749 §5.2 error body; 401 for invalid_client, else 400. */
function tokenError(error: string, description: string): Reply {
  return jsonReply(error === 'invalid_client' ? 401 : 400, { error, error_description: description }, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

export class OAuthServer {
  readonly clients: Client[];
  private readonly requests = new Map<string, AuthorizationRequest>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly world: World,
    clients: FixtureOAuthClient[],
    private readonly options: OAuthOptions,
  ) {
    this.clients = clients.map((client) => ({
      clientId: client.clientId,
      name: client.name,
      clientSecret: client.clientSecret ?? newSecretKey(),
      redirectUris: [...client.redirectUris],
    }));
  }

  handle(req: OAuthRequest): Reply {
    const route = `${req.method} ${req.url.pathname}`;
    if (route === 'GET /oauth/authorize') return this.authorize(req.url.searchParams);
    if (route === 'POST /oauth/authorize/decision') return this.decide(req);
    if (route === 'POST /oauth/token') return this.token(req);
    return errorPage(404, { en: 'There is no such page.', ja: 'ページが見つかりません。' });
  }

  addRedirectUri(clientId: number, uri: string): void {
    const client = this.clients.find((c) => c.clientId === clientId);
    if (client === undefined) throw new Error(`unknown OAuth client ${clientId}`);
    // RFC 6749 §3.1.2: an absolute URI without a fragment.
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.includes('#')) throw new Error('a redirect URI must be absolute and have no fragment');
    if (!client.redirectUris.includes(uri)) client.redirectUris.push(uri);
  }

  /** Refresh tokens of `username` (or everyone) stop working, as after a sign-out. */
  revokeRefreshTokens(username?: string): void {
    for (const [token, grant] of this.refreshTokens) if (username === undefined || grant.username === username) this.refreshTokens.delete(token);
  }

  /** `client_id` is an integer (§4.1). */
  private client(clientId: string | null): Client | undefined {
    return clientId !== null && /^\d+$/.test(clientId) ? this.clients.find((c) => c.clientId === Number(clientId)) : undefined;
  }

  private authorize(query: URLSearchParams): Reply {
    const client = this.client(query.get('client_id'));
    if (client === undefined) return errorPage(400, { en: 'The client_id is missing or not a registered app.', ja: 'client_id が指定されていないか、登録されたアプリではありません。' });
    const redirectUri = query.get('redirect_uri');
    if (redirectUri === null || !client.redirectUris.includes(redirectUri)) {
      return errorPage(400, { en: 'The redirect_uri does not exactly match one registered for this app.', ja: 'redirect_uri がこのアプリに登録された URL と完全には一致しません。' });
    }
    const state = query.get('state');
    const redirect = (params: Record<string, string>): Reply => redirectBack(redirectUri, state, params);

    const responseType = query.get('response_type');
    if (responseType !== 'code') return redirect({ error: responseType === null ? 'invalid_request' : 'unsupported_response_type' });
    // Space separated (`+` in the URL, which URLSearchParams decodes); RFC 6749 §3.3: none or unknown is invalid_scope.
    const scopes = [...new Set((query.get('scope') ?? '').split(' ').filter((s) => s !== ''))];
    if (scopes.length === 0 || !scopes.every((s) => (PERMISSIONS as readonly string[]).includes(s))) return redirect({ error: 'invalid_scope' });

    const request: AuthorizationRequest = { client, redirectUri, scopes: scopes as Permission[], state, expiresAt: this.codeExpiry() };
    if (this.options.autoApprove) return redirect({ code: this.issueCode(request, this.world.users[0].username) });
    const requestId = newOpaqueToken();
    this.requests.set(requestId, request);
    return this.consentPage(request, requestId);
  }

  private codeExpiry(): number {
    return Date.now() + this.options.authorizationCodeLifetimeSeconds * 1000;
  }

  private consentPage(request: AuthorizationRequest, requestId: string): Reply {
    const app = escapeHtml(request.client.name);
    const users = this.world.users.map((u) => escapeHtml(u.username));
    const scopes = request.scopes.map((scope) => {
      const name = permissionName(scope);
      return `<li data-scope="${scope}">${escapeHtml(scopeWords[scope].en)} (${name.en}) / <span lang="ja">${escapeHtml(scopeWords[scope].ja)}（${name.ja}）</span></li>`;
    });
    // Several users: the emulator lets the tester pick who signs in; one user: just say who it is.
    const who = users.length > 1
      ? `<p><label>Sign in as / <span lang="ja">ログインするユーザー</span>: <select name="username" id="username">${users.map((u) => `<option value="${u}">${u}</option>`).join('')}</select></label></p>`
      : `<p>Signed in as / <span lang="ja">ログイン中のユーザー</span>: <strong>${users[0]}</strong></p><input type="hidden" name="username" value="${users[0]}">`;
    return htmlReply(200, page({ en: 'Authorize application', ja: 'アプリケーションの認可' }, `<p><strong id="app-name">${app}</strong> wants to access your Cloud BOT account.<br>
<span lang="ja"><strong>${app}</strong> が Cloud BOT アカウントへのアクセスを求めています。</span></p>
<p>It will be able to: / <span lang="ja">許可される操作:</span></p>
<ul id="scopes">${scopes.join('')}</ul>
<!-- Relative, so the form still works when the page is served under a path prefix (code-server's /proxy/<port>/). -->
<form method="post" action="authorize/decision">
<input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
${who}
<button type="submit" id="allow" name="decision" value="allow">Allow / 許可する</button>
<button type="submit" id="deny" name="decision" value="deny">Deny / 拒否する</button>
</form>
<p>You will then return to / <span lang="ja">選択後の移動先:</span> <code>${escapeHtml(request.redirectUri)}</code></p>`), { 'x-frame-options': 'DENY' });
  }

  private decide(req: OAuthRequest): Reply {
    if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') return errorPage(400, { en: 'Unexpected form submission.', ja: 'フォームの送信形式が正しくありません。' });
    const form = new URLSearchParams(req.body.toString('utf8'));
    const requestId = form.get('request_id') ?? '';
    const request = this.requests.get(requestId);
    this.requests.delete(requestId);
    if (request === undefined || Date.now() >= request.expiresAt) {
      return errorPage(400, { en: 'This authorization request has expired or was already answered. Start signing in again.', ja: 'この認可リクエストは期限切れか、既に回答済みです。もう一度サインインしてください。' });
    }
    const redirect = (params: Record<string, string>): Reply => redirectBack(request.redirectUri, request.state, params);
    const decision = form.get('decision');
    if (decision === 'deny') return redirect({ error: 'access_denied' });
    const username = form.get('username') ?? this.world.users[0].username;
    if (decision !== 'allow' || !this.world.users.some((u) => u.username === username)) {
      return errorPage(400, { en: 'Unexpected form values.', ja: 'フォームの値が正しくありません。' });
    }
    return redirect({ code: this.issueCode(request, username) });
  }

  private issueCode(request: AuthorizationRequest, username: string): string {
    const code = this.options.reservedCharactersInCodes ? `${newOpaqueToken()}+%2B%26` : newOpaqueToken();
    this.codes.set(code, {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      username,
      expiresAt: this.codeExpiry(),
      used: false,
      grantId: newOpaqueToken(),
    });
    return code;
  }

  private token(req: OAuthRequest): Reply {
    if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      return tokenError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (grantType === null) return tokenError('invalid_request', 'grant_type is required.');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return tokenError('unsupported_grant_type', 'Use authorization_code or refresh_token.');
    // Choice: client credentials only in the body, as the docs describe (no HTTP Basic).
    const client = this.client(form.get('client_id'));
    if (client === undefined || client.clientSecret !== form.get('client_secret')) return tokenError('invalid_client', 'Unknown client or wrong client_secret.');
    return grantType === 'authorization_code' ? this.exchangeCode(form, client) : this.refresh(form, client);
  }

  private exchangeCode(form: URLSearchParams, client: Client): Reply {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (code === null || redirectUri === null) return tokenError('invalid_request', 'code and redirect_uri are required.');
    const grant = this.codes.get(code);
    if (grant === undefined) return tokenError('invalid_grant', 'Unknown authorization code.');
    if (grant.used) {
      // RFC 6749 §4.1.2: a reused code may have been stolen, so the tokens issued from it are revoked.
      this.revokeGrant(grant.grantId);
      return tokenError('invalid_grant', 'The authorization code was already used.');
    }
    if (Date.now() >= grant.expiresAt) return tokenError('invalid_grant', 'The authorization code has expired.');
    if (grant.clientId !== client.clientId) return tokenError('invalid_grant', 'The authorization code was issued to another client.');
    if (grant.redirectUri !== redirectUri) return tokenError('invalid_grant', 'redirect_uri differs from the one used in the authorization request.');
    grant.used = true;
    return this.issueTokens(grant);
  }

  /**
   * Rotation is [UNK] (§4.2); choice: every refresh returns a new refresh token and the old one stops
   * working. Access tokens issued before stay valid until they expire.
   */
  private refresh(form: URLSearchParams, client: Client): Reply {
    const token = form.get('refresh_token');
    if (token === null) return tokenError('invalid_request', 'refresh_token is required.');
    const grant = this.refreshTokens.get(token);
    if (grant === undefined || grant.clientId !== client.clientId) return tokenError('invalid_grant', 'Unknown, revoked or already rotated refresh token.');
    this.refreshTokens.delete(token);
    return this.issueTokens(grant);
  }

  private issueTokens(grant: RefreshGrant): Reply {
    const accessToken = newOpaqueToken();
    const refreshToken = newOpaqueToken();
    const { clientId, scopes, username, grantId } = grant;
    const omits = this.options.tokenAnswerOmits;
    this.world.bearerTokens.set(accessToken, { username, scopes, clientId, grantId, expiresAt: Date.now() + this.options.accessTokenLifetimeSeconds * 1000 });
    // Choice: refresh tokens do not expire; they end by rotation, revocation or code reuse.
    if (!omits.includes('refresh_token')) this.refreshTokens.set(refreshToken, { clientId, scopes, username, grantId });
    const answer = {
      username,
      token_type: this.options.tokenType,
      expires_in: this.options.accessTokenLifetimeSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
    };
    for (const field of omits) delete answer[field];
    return jsonReply(200, answer, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  private revokeGrant(grantId: string): void {
    for (const [token, entry] of this.world.bearerTokens) if (entry.grantId === grantId) this.world.bearerTokens.delete(token);
    for (const [token, entry] of this.refreshTokens) if (entry.grantId === grantId) this.refreshTokens.delete(token);
  }
}
