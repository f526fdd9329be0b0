// Users, contracts, BOTs and credentials, and the rules for who may see what.
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorFixture, FixtureBot, FixtureContract, FixtureUser, LocalizedText, Permission } from './fixture';
import { newAccessToken, newSecretKey } from './ids';
import { messages } from './messages';

export interface AccessTokenEntry {
  accessToken: string;
  secretKey: string;
  permissions: Permission[];
  username: string;
}

/** An OAuth access token. `grantId` ties it to the authorization code it descends from. */
export interface BearerToken {
  username: string;
  scopes: Permission[];
  expiresAt: number;
  clientId: number;
  grantId: string;
}

/** Who is calling and what they may do: a token's permissions or an OAuth token's scopes (§3.3). */
export interface Principal {
  username: string;
  permissions: ReadonlySet<Permission>;
  /** The credential itself, as the key of per-token rate limiting. */
  credential: string;
}

export type AuthResult = { principal: Principal } | { error: LocalizedText };
export type ContractAccess = { contract: FixtureContract } | { status: 403 | 404; message: LocalizedText };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class World {
  readonly users: readonly FixtureUser[];
  readonly accessTokens: readonly AccessTokenEntry[];
  readonly bearerTokens = new Map<string, BearerToken>();
  private readonly contracts: ReadonlyMap<string, FixtureContract>;

  constructor(fixture: EmulatorFixture) {
    this.users = fixture.users;
    this.contracts = new Map(fixture.contracts.map((contract) => [contract.publicId, contract]));
    this.accessTokens = fixture.tokens.map((token) => ({
      accessToken: token.accessToken ?? newAccessToken(),
      secretKey: token.secretKey ?? newSecretKey(),
      permissions: [...token.permissions],
      username: token.username,
    }));
  }

  /**
   * Both modes at once is [UNK] (§3.2); choice: an `authorization` header wins, otherwise both
   * `access-token` and `secret-key` must match one token.
   */
  authenticate(headers: IncomingHttpHeaders): AuthResult {
    const authorization = header(headers, 'authorization');
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
      const entry = token === undefined ? undefined : this.bearerTokens.get(token);
      if (token === undefined || entry === undefined || Date.now() >= entry.expiresAt) return { error: messages.bearerUnauthorized };
      return { principal: { username: entry.username, permissions: new Set(entry.scopes), credential: token } };
    }
    const accessToken = header(headers, 'access-token');
    const entry = this.accessTokens.find((token) => token.accessToken === accessToken);
    if (entry === undefined || entry.secretKey !== header(headers, 'secret-key')) return { error: messages.unauthorized };
    return { principal: { username: entry.username, permissions: new Set(entry.permissions), credential: entry.accessToken } };
  }

  private user(username: string): FixtureUser {
    const user = this.users.find((u) => u.username === username);
    if (user === undefined) throw new Error(`unknown user ${username}`);
    return user;
  }

  /**
   * The user's own contract, then the ones they were invited to. Choice: contracts with External
   * Connections off are listed too (membership does not change); using them answers 403.
   */
  contractsOf(username: string): FixtureContract[] {
    const user = this.user(username);
    return [user.ownContract, ...(user.memberOf ?? [])].flatMap((id) => this.contracts.get(id) ?? []).filter((contract) => contract.apiEnabled !== false);
  }

  /**
   * Choice: a contract the user is not a member of looks unknown (404) rather than forbidden, so
   * public IDs cannot be probed. Another member's contract with External Connections off is 403 (§1).
   */
  access(username: string, publicId: string): ContractAccess {
    const user = this.user(username);
    const contract = this.contracts.get(publicId);
    const own = user.ownContract === publicId;
    // A contract without the API enabled has no public ID in use: as unknown as one that does not exist.
    if (contract === undefined || contract.apiEnabled === false || !(own || (user.memberOf ?? []).includes(publicId))) return { status: 404, message: messages.contractNotFound };
    if (!own && !contract.externalConnections) return { status: 403, message: messages.externalConnectionsOff };
    return { contract };
  }

  /** Unpublished BOTs exist, but the API does not show them (§1): treat as unknown. */
  publishedBot(contract: FixtureContract, botId: string): FixtureBot | undefined {
    return contract.bots.find((bot) => bot.id === botId && bot.published !== false);
  }
}
