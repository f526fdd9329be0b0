// The `cloudbot` authentication provider: sessions in SecretStorage, shown in the Accounts menu, and
// the credentials the API client uses. Signing in with an access token + secret key checks the pair
// against the API before anything is saved.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CloudBotClient, type CredentialSource } from '../core/client';
import { CloudBotError } from '../core/errors';
import { readSettings } from '../config';
import { SESSIONS_KEY, SessionStore, type StoredSession } from './sessionStore';

export const PROVIDER_ID = 'cloudbot';
export const PROVIDER_LABEL = 'Cloud BOT';

export class CloudBotAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changeEmitter.event;
  private readonly store: SessionStore;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private known: vscode.AuthenticationSession[] = [];

  constructor(
    secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store = new SessionStore(secrets, (message) => log.warn(message));
    // Other windows share SecretStorage: follow their sign-ins and sign-outs.
    this.disposables.push(
      secrets.onDidChange((event) => {
        if (event.key === SESSIONS_KEY) void this.announceChanges();
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Sessions for the configured API, matching every requested scope (an access token's permissions are unknown, so it matches any). */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const sessions = (await this.usableSessions()).map(toAuthenticationSession);
    return scopes?.length ? sessions.filter((s) => s.scopes.length === 0 || scopes.every((scope) => s.scopes.includes(scope))) : sessions;
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const accessToken = await askSecret(vscode.l10n.t('Cloud BOT access token'), vscode.l10n.t('From Cloud BOT: For Developers > Access Token'));
    const secretKey = await askSecret(vscode.l10n.t('Secret key of that access token'), vscode.l10n.t('Shown once when the access token was issued'));
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
      (s) => s.accessToken === accessToken && s.apiBaseUrl === settings.apiBaseUrl,
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

  async removeSession(sessionId: string): Promise<void> {
    const removed = await this.store.remove(sessionId);
    if (removed) this.log.info(`Signed out: ${removed.label}`);
    await this.announceChanges();
  }

  /** What the API client sends for a session; read at each call so a sign-out takes effect at once. */
  credentialsFor(sessionId: string): CredentialSource {
    return {
      current: async () => {
        const session = (await this.usableSessions()).find((s) => s.id === sessionId);
        if (!session) throw new Error(vscode.l10n.t('This Cloud BOT session has ended. Sign in again.'));
        return { kind: 'accessToken', accessToken: session.accessToken, secretKey: session.secretKey };
      },
    };
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
  private async usableSessions(): Promise<StoredSession[]> {
    let apiBaseUrl: string;
    try {
      apiBaseUrl = readSettings().apiBaseUrl;
    } catch {
      return [];
    }
    return (await this.store.list()).filter((s) => s.apiBaseUrl === apiBaseUrl);
  }
}

function toAuthenticationSession(session: StoredSession): vscode.AuthenticationSession {
  return {
    id: session.id,
    accessToken: session.accessToken,
    account: { id: session.id, label: session.label },
    scopes: session.scopes,
  };
}

async function askSecret(prompt: string, placeHolder: string): Promise<string> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Sign in to Cloud BOT'),
    prompt,
    placeHolder,
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter a value, or press Escape to cancel.')),
  });
  if (value === undefined) throw new vscode.CancellationError();
  return value;
}
