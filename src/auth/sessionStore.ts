// Sessions kept as one JSON value in SecretStorage (and nowhere else). No `vscode` import: the store
// takes any object with SecretStorage's three methods, so tests use a small in-memory fake.
import { messageOf } from '../core/errors';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

interface StoredSessionBase {
  id: string;
  label: string;
  scopes: string[];
  /** The API the credentials were checked against; they are never sent anywhere else. */
  apiBaseUrl: string;
  createdAt: number;
  accessToken: string;
}

export interface AccessTokenSession extends StoredSessionBase {
  kind: 'accessToken';
  secretKey: string;
}

export interface OAuthSession extends StoredSessionBase {
  kind: 'oauth';
  /** The `username` of the token response: the account's name. */
  username: string;
  /** Absent when Cloud BOT issued none: the session ends with its access token. */
  refreshToken?: string;
  /** Epoch milliseconds; absent when Cloud BOT did not say (the token is then refreshed after a 401). */
  expiresAt?: number;
  oauthBaseUrl: string;
  clientId: number;
}

export type StoredSession = AccessTokenSession | OAuthSession;

export const SESSIONS_KEY = 'cloudbot.sessions';

export class SessionStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** The sessions as last read or written here; forgotten when another window changes them. */
  private latest: StoredSession[] | undefined;
  /** Counts forgettings, so that a read begun before one does not bring back what was forgotten. */
  private generation = 0;

  constructor(
    private readonly secrets: SecretStore,
    private readonly log: (message: string) => void,
  ) {}

  /** The sessions as stored now, read from SecretStorage. */
  async list(): Promise<StoredSession[]> {
    const generation = this.generation;
    const sessions = await this.read();
    if (generation === this.generation) this.latest = sessions;
    return [...sessions];
  }

  /**
   * The sessions without asking SecretStorage again unless they changed since: what every API request
   * asks for its credentials. Decisions that must see another window's latest write (a refresh after a
   * 401) use list().
   */
  async listRemembered(): Promise<StoredSession[]> {
    return this.latest ? [...this.latest] : this.list();
  }

  /** Called when SecretStorage says the sessions changed (another window signed in, refreshed or out). */
  forget(): void {
    this.generation++;
    this.latest = undefined;
  }

  private async read(): Promise<StoredSession[]> {
    const raw = await this.secrets.get(SESSIONS_KEY);
    if (!raw) return [];
    try {
      const value: unknown = JSON.parse(raw);
      if (!Array.isArray(value)) throw new Error('not an array');
      const sessions = value.filter(isStoredSession);
      if (sessions.length !== value.length) this.log(`Dropped ${value.length - sessions.length} unreadable stored session(s).`);
      return sessions;
    } catch (error) {
      // Corrupt data must not break sign-in for good: drop it and say so (without its content).
      this.log(`Stored sessions could not be read and were dropped (${messageOf(error)}).`);
      await this.secrets.delete(SESSIONS_KEY);
      return [];
    }
  }

  /** Adds a session, or replaces one with the same id. */
  upsert(session: StoredSession): Promise<void> {
    return this.change((sessions) => [...sessions.filter((s) => s.id !== session.id), session]);
  }

  /** Removes a session (only if `onlyIf` holds for it as stored now); resolves to the removed one, if any. */
  async remove(id: string, onlyIf: (stored: StoredSession) => boolean = () => true): Promise<StoredSession | undefined> {
    let removed: StoredSession | undefined;
    await this.change((sessions) => {
      removed = sessions.find((s) => s.id === id && onlyIf(s));
      return sessions.filter((s) => s !== removed);
    });
    return removed;
  }

  /** Read-modify-write, one at a time, so that concurrent sign-ins never lose each other's sessions. */
  private change(update: (sessions: StoredSession[]) => StoredSession[]): Promise<void> {
    const next = this.queue.then(async () => {
      const sessions = update(await this.list());
      this.forget();
      if (sessions.length) await this.secrets.store(SESSIONS_KEY, JSON.stringify(sessions));
      else await this.secrets.delete(SESSIONS_KEY);
      // Again after the write: a read made while it was under way may have remembered the old list.
      this.forget();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  if (!value || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  const strings = (...names: string[]) => names.every((name) => typeof s[name] === 'string');
  if (!strings('id', 'label', 'accessToken', 'apiBaseUrl') || !Array.isArray(s.scopes)) return false;
  if (s.kind === 'accessToken') return strings('secretKey');
  return (
    s.kind === 'oauth' &&
    strings('username', 'oauthBaseUrl') &&
    typeof s.clientId === 'number' &&
    (s.refreshToken === undefined || typeof s.refreshToken === 'string') &&
    (s.expiresAt === undefined || typeof s.expiresAt === 'number')
  );
}
