// The `cloudbot` authentication provider: sessions in SecretStorage, shown in the Accounts menu, and
// the credentials the API client uses. OAuth sessions are refreshed shortly before they expire and
// after a 401, one refresh per session at a time; only a refused refresh token ends a session.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CloudBotClient, type CredentialSource, type Credentials } from '../core/client';
import { CloudBotError, messageOf } from '../core/errors';
import { DEFAULT_SCOPES, SingleFlight } from '../core/oauth';
import { inert } from '../core/serverText';
import { readSettings } from '../config';
import { getFlows, hostOf, type FlowId } from './flows';
import type { OAuthAppStore } from './oauthApp';
import { SignInDeniedError, type OAuthFlowId, type OAuthSignIn } from './oauthSignIn';
import { refreshStoredSession } from './sessionRefresh';
import { SESSIONS_KEY, SessionStore, type OAuthSession, type StoredSession } from './sessionStore';
import { describeError } from '../words';

export const PROVIDER_ID = 'cloudbot';
export const PROVIDER_LABEL = 'Cloud BOT';

/** Refresh when a token has less than this left. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class CloudBotAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changeEmitter.event;
  private readonly store: SessionStore;
  private readonly refreshes = new SingleFlight<OAuthSession | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private known: vscode.AuthenticationSession[] = [];

  constructor(
    secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    readonly oauth: OAuthSignIn,
    private readonly apps: OAuthAppStore,
  ) {
    this.store = new SessionStore(secrets, (message) => log.warn(message));
    // Other windows share SecretStorage: follow their sign-ins, refreshes and sign-outs.
    this.disposables.push(
      secrets.onDidChange((event) => {
        if (event.key !== SESSIONS_KEY) return;
        this.store.forget();
        void this.announceChanges();
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Sessions for the configured API that hold every requested scope (an access token's permissions are unknown, so it matches any). */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const sessions = (await this.usableSessions()).map(toAuthenticationSession);
    return scopes?.length ? sessions.filter((s) => s.scopes.length === 0 || scopes.every((scope) => s.scopes.includes(scope))) : sessions;
  }

  /** From the Accounts menu: the user picks how to sign in. */
  createSession(scopes: readonly string[] = []): Promise<vscode.AuthenticationSession> {
    return this.signIn(undefined, scopes);
  }

  /**
   * Signs in with the method given, or the one the user picks. With OAuth the browser flows usable here
   * are tried in order, each falling back to the next ("try another way?"), the access token last.
   */
  async signIn(method?: SignInMethod, scopes: readonly string[] = []): Promise<vscode.AuthenticationSession> {
    const wanted = scopes.length ? scopes : DEFAULT_SCOPES;
    method ??= await pickMethod(Boolean(await this.apps.current()));
    if (method === 'accessToken') return this.askForAccessToken();
    if (!(await this.apps.current())) {
      await this.apps.setUp();
      if (!(await this.apps.current())) throw new vscode.CancellationError();
    }
    const flows = getFlows({ host: hostOf(vscode.env.uiKind === vscode.UIKind.Web, vscode.env.remoteName), hasOAuthApp: true });
    return this.tryFlows(flows.map((flow) => flow.id), wanted);
  }

  /** Signs in as the Sign In command does: says who signed in, or why not; undefined when it did not happen. */
  async signInAndSay(method?: SignInMethod): Promise<string | undefined> {
    try {
      const session = await this.signIn(method === 'oauth' || method === 'accessToken' ? method : undefined);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Cloud BOT: {0}', inert(session.account.label)));
      return session.account.label;
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      void vscode.window.showErrorMessage(vscode.l10n.t('Sign-in failed: {0}', describeError(error)));
      return undefined;
    }
  }

  /** Tries the flows in order; after a failure or a cancel, offers the remaining ones ("try another way?"). */
  private async tryFlows(flows: FlowId[], scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    for (let index = 0; index < flows.length; ) {
      const flow = flows[index];
      try {
        return flow === 'accessToken' ? await this.askForAccessToken() : await this.signInWithOAuth(flow, scopes);
      } catch (error) {
        if (error instanceof SignInDeniedError) {
          void vscode.window.showInformationMessage(error.message);
          throw new vscode.CancellationError();
        }
        const rest = flows.slice(index + 1);
        if (!rest.length) throw error;
        const reason = error instanceof vscode.CancellationError ? vscode.l10n.t('Sign-in did not complete.') : describeError(error);
        const choice = await vscode.window.showWarningMessage(`${reason} ${vscode.l10n.t('Try another way?')}`, ...rest.map(flowLabel));
        if (!choice) throw new vscode.CancellationError();
        index = flows.indexOf(rest[rest.map(flowLabel).indexOf(choice)]);
      }
    }
    throw new vscode.CancellationError();
  }

  /** One OAuth flow under a cancellable progress notification; saves the session it yields. */
  async signInWithOAuth(flow: OAuthFlowId, scopes: readonly string[] = DEFAULT_SCOPES): Promise<vscode.AuthenticationSession> {
    const app = await this.apps.current();
    if (!app) throw new Error(vscode.l10n.t('Set up your Cloud BOT OAuth app first (client ID and client secret): run "Cloud BOT: Set Up OAuth App".'));
    const settings = readSettings();
    const tokens = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Signing in to Cloud BOT at {0}: {1}…', new URL(app.oauthBaseUrl).host, flowLabel(flow)),
        cancellable: true,
      },
      (_progress, cancellation) => this.oauth.run(flow, app, scopes, cancellation),
    );
    const existing = (await this.store.list()).find(
      (s) => s.kind === 'oauth' && s.username === tokens.username && s.apiBaseUrl === settings.apiBaseUrl,
    );
    const session: OAuthSession = {
      kind: 'oauth',
      id: existing?.id ?? randomUUID(),
      label: tokens.username || vscode.l10n.t('Cloud BOT account'),
      username: tokens.username,
      scopes: [...scopes],
      apiBaseUrl: settings.apiBaseUrl,
      oauthBaseUrl: app.oauthBaseUrl,
      clientId: app.clientId,
      createdAt: Date.now(),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
    };
    await this.store.upsert(session);
    this.log.info(`Signed in with OAuth (${flow}): ${session.label}, scopes ${session.scopes.join(' ')}`);
    if (session.expiresAt === undefined) this.log.info(`Cloud BOT did not say when the access token of ${session.label} expires: it is refreshed once Cloud BOT refuses it.`);
    if (session.refreshToken === undefined) {
      this.log.info(`Cloud BOT issued no refresh token for ${session.label}: the sign-in cannot be renewed and ends with its access token.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Cloud BOT gave this sign-in no refresh token, so it cannot be renewed: sign in again when it ends.'));
    }
    await this.announceChanges();
    return toAuthenticationSession(session);
  }

  /** Replaceable: integration tests stand in for the input box. */
  askSecret: (box: SecretBox) => Thenable<string | undefined> = askSecretInInputBox;

  /** Both boxes name the host the pair is sent to. */
  private async askForAccessToken(): Promise<vscode.AuthenticationSession> {
    const host = new URL(readSettings().apiBaseUrl).host;
    const title = vscode.l10n.t('Sign in to Cloud BOT at {0}', host);
    const ask = async (box: SecretBox) => {
      const value = await this.askSecret(box);
      if (value === undefined) throw new vscode.CancellationError();
      return value;
    };
    const accessToken = await ask({ title, prompt: vscode.l10n.t('Cloud BOT access token, sent only to {0}', host), placeHolder: vscode.l10n.t('From Cloud BOT: For Developers > Access Token') });
    const secretKey = await ask({ title, prompt: vscode.l10n.t('Secret key of that access token, sent only to {0}', host), placeHolder: vscode.l10n.t('Shown once when the access token was issued') });
    return this.signInWithAccessToken(accessToken, secretKey);
  }

  /** Checks the pair against the API (contract list), then saves it. The same pair signed in twice replaces the old session. */
  async signInWithAccessToken(accessToken: string, secretKey: string): Promise<vscode.AuthenticationSession> {
    accessToken = accessToken.trim();
    secretKey = secretKey.trim();
    if (!accessToken || !secretKey) throw new Error(vscode.l10n.t('Both the access token and the secret key are needed.'));
    const settings = readSettings();
    const client = new CloudBotClient({
      apiBaseUrl: settings.apiBaseUrl,
      language: settings.language,
      credentials: { current: async () => ({ kind: 'accessToken', accessToken, secretKey }) },
    });
    let label: string;
    try {
      const contracts = await client.listContracts();
      label = contracts.length
        ? vscode.l10n.t('Access token ({0})', contracts.map((c) => c.public_id).join(', '))
        : vscode.l10n.t('Access token (no contracts)');
    } catch (error) {
      // A token without the Refer permission cannot list contracts but may still execute BOTs.
      if (!(error instanceof CloudBotError && error.status === 403)) throw error;
      label = vscode.l10n.t('Access token (cannot list contracts)');
    }
    const existing = (await this.store.list()).find(
      (s) => s.kind === 'accessToken' && s.accessToken === accessToken && s.apiBaseUrl === settings.apiBaseUrl,
    );
    const session: StoredSession = {
      kind: 'accessToken',
      id: existing?.id ?? randomUUID(),
      label,
      scopes: [],
      apiBaseUrl: settings.apiBaseUrl,
      createdAt: Date.now(),
      accessToken,
      secretKey,
    };
    await this.store.upsert(session);
    this.log.info(`Signed in: ${label}`);
    await this.announceChanges();
    return toAuthenticationSession(session);
  }

  /** Removes the session with its tokens or secret key. */
  async removeSession(sessionId: string): Promise<void> {
    const removed = await this.store.remove(sessionId);
    if (removed) this.log.info(`Signed out: ${removed.label}`);
    await this.announceChanges();
  }

  /** What the API client sends for a session; read at each call so a sign-out or refresh takes effect at once. */
  credentialsFor(sessionId: string): CredentialSource {
    return {
      current: async () => {
        let session = await this.find(sessionId, { remembered: true });
        if (session.kind === 'oauth' && session.refreshToken && session.expiresAt !== undefined && session.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
          session = (await this.refresh(sessionId)) ?? session;
        }
        return credentialsOf(session);
      },
      refreshAfterUnauthorized: async (refused: Credentials) => {
        const session = await this.find(sessionId);
        if (session.kind !== 'oauth') return false;
        // Another call refreshed while this one was on its way: just use the new token.
        if (session.accessToken !== refused.accessToken) return true;
        if (!session.refreshToken) {
          if (await this.store.remove(sessionId)) await this.ended(session.label, 'its access token was refused and there is no refresh token');
          return false;
        }
        return (await this.refresh(sessionId)) !== undefined;
      },
    };
  }

  /**
   * One refresh per session at a time. A network failure keeps the session (retried at the next call);
   * a refused refresh token ends it, with one prompt to sign in again, unless another window has
   * refreshed it meanwhile.
   */
  private refresh(sessionId: string): Promise<OAuthSession | undefined> {
    return this.refreshes.run(sessionId, async () => {
      const outcome = await refreshStoredSession(this.store, await this.apps.current(), sessionId);
      switch (outcome.kind) {
        case 'refreshed':
          this.log.info(`Refreshed the sign-in of ${outcome.session.label}.`);
          return outcome.session;
        case 'refreshedElsewhere':
          this.log.info(`Another window refreshed the sign-in of ${outcome.session.label} first; using its tokens.`);
          return outcome.session;
        case 'kept':
          this.log.warn(
            outcome.why === 'otherApp'
              ? `Cannot refresh ${outcome.session.label}: the OAuth app it was issued to is no longer set up.`
              : outcome.why === 'noRefreshToken'
                ? `Cannot refresh ${outcome.session.label}: Cloud BOT issued no refresh token.`
                : `Could not refresh ${outcome.session.label}; keeping the session and trying again later: ${messageOf(outcome.error)}`,
          );
          return undefined;
        case 'ended':
          await this.ended(outcome.session.label, `Cloud BOT refused its refresh token (${outcome.error.error ?? outcome.error.status})`);
          return undefined;
        case 'gone':
          return undefined;
      }
    });
  }

  /** After a session was removed because it can no longer be used: says so once, and offers to sign in again. */
  private async ended(label: string, reason: string): Promise<void> {
    this.log.warn(`Signed out ${label}: ${reason}.`);
    await this.announceChanges();
    void this.promptToSignInAgain(label);
  }

  private async promptToSignInAgain(label: string): Promise<void> {
    const signIn = vscode.l10n.t('Sign In');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Your Cloud BOT sign-in for {0} has ended. Sign in again to keep using it.', inert(label)), signIn);
    if (choice === signIn) await this.signInAndSay();
  }

  /** `remembered` for the credentials of each request; fresh where another window's write must be seen. */
  private async find(sessionId: string, { remembered = false } = {}): Promise<StoredSession> {
    const session = (await this.usableSessions({ remembered })).find((s) => s.id === sessionId);
    if (!session) throw new Error(vscode.l10n.t('This Cloud BOT session has ended. Sign in again.'));
    return session;
  }

  /** Re-reads the store and fires one event with what changed; also called when settings change. */
  async announceChanges(): Promise<void> {
    const now = await this.getSessions();
    const before = new Map(this.known.map((s) => [s.id, s]));
    const after = new Map(now.map((s) => [s.id, s]));
    const added = now.filter((s) => !before.has(s.id));
    const removed = this.known.filter((s) => !after.has(s.id));
    const changed = now.filter((s) => before.has(s.id) && before.get(s.id)?.account.label !== s.account.label);
    this.known = now;
    await vscode.commands.executeCommand('setContext', 'cloudbot.signedIn', now.length > 0);
    if (added.length || removed.length || changed.length) this.changeEmitter.fire({ added, removed, changed });
  }

  /** Only sessions checked against the currently configured API, so credentials never go to another host. */
  private async usableSessions({ remembered = false } = {}): Promise<StoredSession[]> {
    let apiBaseUrl: string;
    try {
      apiBaseUrl = readSettings().apiBaseUrl;
    } catch {
      return [];
    }
    return (await (remembered ? this.store.listRemembered() : this.store.list())).filter((s) => s.apiBaseUrl === apiBaseUrl);
  }
}

function credentialsOf(session: StoredSession): Credentials {
  return session.kind === 'oauth'
    ? { kind: 'bearer', accessToken: session.accessToken }
    : { kind: 'accessToken', accessToken: session.accessToken, secretKey: session.secretKey };
}

function toAuthenticationSession(session: StoredSession): vscode.AuthenticationSession {
  return {
    id: session.id,
    accessToken: session.accessToken,
    account: { id: session.kind === 'oauth' ? `oauth:${session.username}` : session.id, label: session.label },
    scopes: session.scopes,
  };
}

export type SignInMethod = 'oauth' | 'accessToken';

async function pickMethod(hasOAuthApp: boolean): Promise<SignInMethod> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        method: 'oauth' as const,
        label: vscode.l10n.t('Sign in with the browser (OAuth)'),
        detail: hasOAuthApp
          ? vscode.l10n.t('Cloud BOT asks you to allow access; nothing to copy.')
          : vscode.l10n.t('Needs your OAuth app first: its client ID and client secret from My Apps.'),
      },
      {
        method: 'accessToken' as const,
        label: vscode.l10n.t('Use an access token and secret key'),
        detail: vscode.l10n.t('From For Developers > Access Token in the Cloud BOT console.'),
      },
    ],
    { title: vscode.l10n.t('Sign in to Cloud BOT'), ignoreFocusOut: true },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.method;
}

export function flowLabel(flow: FlowId): string {
  switch (flow) {
    case 'uriHandler':
      return vscode.l10n.t('Browser, back to VS Code');
    case 'loopback':
      return vscode.l10n.t('Browser, back through a local port');
    case 'manual':
      return vscode.l10n.t('Browser, then paste the address');
    case 'accessToken':
      return vscode.l10n.t('Access token and secret key');
  }
}

/** The words of one box asking for a secret. */
export interface SecretBox {
  title: string;
  prompt: string;
  placeHolder: string;
}

function askSecretInInputBox(box: SecretBox): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    ...box,
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter a value, or press Escape to cancel.')),
  });
}
