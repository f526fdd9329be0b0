// The emulator's world as data: users, contracts and their BOTs, tokens, OAuth clients and job history.
// A fixture is plain JSON (see fixtures/default.json) so scenarios are data, never code.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UUID_PATTERN } from './ids';

export type Permission = 'refer' | 'execute' | 'suspend' | 'modify';
export const PERMISSIONS: readonly Permission[] = ['refer', 'execute', 'suspend', 'modify'];

/** Extra contract fields E1 returns when asked for through `properties` (§5 E1). */
export type ContractProperty =
  | 'plan' | 'owner' | 'timezone' | 'location' | 'name' | 'organization'
  | 'postcode' | 'address' | 'phone' | 'department' | 'username';
export const CONTRACT_PROPERTIES: readonly ContractProperty[] = [
  'plan', 'owner', 'timezone', 'location', 'name', 'organization',
  'postcode', 'address', 'phone', 'department', 'username',
];

export interface LocalizedText {
  en: string;
  ja: string;
}

/** `{"type": "files", "files": [...]}`, the file value of §7. `size` in bytes, `timestamp` in epoch ms. */
export interface FilesValue {
  type: 'files';
  files: { ref: string; meta?: { name: string; size: number; timestamp: number } }[];
}
/** One row of a group (table) value; cells can be text, lists or files (§7). */
export type GroupRow = Record<string, string | string[] | FilesValue>;
/** An input or output value (§7): text, list, group rows, or files. */
export type DataValue = string | string[] | GroupRow[] | FilesValue;
export type DataMap = Record<string, DataValue>;

/**
 * Definition of one BOT input or output item, keyed by item name in `FixtureBot.input`/`output`.
 * The real schema is [UNK] (§5 E3); this shape is a choice: `type` is the value kind of §7,
 * `default` is the BOT's initial value (the console fills sample requests from it), and `columns`
 * describes a group's columns.
 */
export interface ItemDefinition {
  type: 'text' | 'list' | 'group' | 'files';
  description?: string;
  default?: DataValue;
  columns?: Record<string, ItemDefinition>;
}
export type ItemDefinitions = Record<string, ItemDefinition>;

/**
 * What a job of this BOT does. It runs for `durationMs` (unless suspended), then:
 * - `echo`: succeeds with its input as output (items the caller left out get their `default`);
 * - `fail`: ends with status 1 and `message`;
 * - `output`: succeeds with the fixed `output`;
 * - `large`: succeeds with one text item `item` of `bytes` ASCII characters.
 */
export type BotScript =
  | { durationMs: number; result: 'echo' }
  | { durationMs: number; result: 'fail'; message: LocalizedText }
  | { durationMs: number; result: 'output'; output: DataMap }
  | { durationMs: number; result: 'large'; item: string; bytes: number };

export interface FixtureBot {
  id: string;
  name: string;
  description: string;
  /** Default true. Unpublished BOTs exist but the API answers 404 for them (§1). */
  published?: boolean;
  /** A data URL (§5 E2). */
  icon?: string;
  /** ISO 8601 (the real format is [UNK]). */
  created?: string;
  lastModified?: string;
  creator?: string;
  input?: ItemDefinitions;
  output?: ItemDefinitions;
  /** Payload of the JWS that E4 exports; default `{id, name, description, input, output}`. */
  definition?: Record<string, unknown>;
  script: BotScript;
}

export interface FixtureContract {
  publicId: string;
  /** Whether members other than the owner may use its BOTs and jobs through the API (§1). */
  externalConnections: boolean;
  /** False: the API function is not enabled (no public ID set up), so the contract is neither listed nor reachable (§1, E1). Default true. */
  apiEnabled?: boolean;
  /** Values for E1's `properties`; anything left out is returned as null. */
  properties?: Partial<Record<ContractProperty, string | null>>;
  bots: FixtureBot[];
}

export interface FixtureUser {
  /** The e-mail address, also the OAuth token response's `username`. */
  username: string;
  /** Public ID of the user's own contract. */
  ownContract: string;
  /** Public IDs of other contracts the user was invited to. */
  memberOf?: string[];
}

export interface FixtureToken {
  username: string;
  permissions: Permission[];
  /** Pin these only for local experiments; by default both are random per start so no secret is committed. */
  accessToken?: string;
  secretKey?: string;
}

export interface FixtureOAuthClient {
  /** The numeric "App ID" from My Apps. */
  clientId: number;
  name: string;
  /** Random per start unless pinned. */
  clientSecret?: string;
  /** Compared exactly, like the real server (§4.1). */
  redirectUris: string[];
}

/** A finished job in the history, so lists and paging have something to show before anything runs. */
export interface FixtureJob {
  publicId: string;
  botId: string;
  status: 0 | 1;
  /** ISO 8601 UTC. The job id is a UUIDv7 of this time unless `jobId` pins it. */
  startTime: string;
  elapsedTime: number;
  jobId?: string;
  input?: DataMap;
  output?: DataMap;
  message?: LocalizedText;
}

export interface EmulatorFixture {
  users: FixtureUser[];
  contracts: FixtureContract[];
  /** At most 3 per user, as on the real console (§3.1). */
  tokens: FixtureToken[];
  oauthClients: FixtureOAuthClient[];
  jobs?: FixtureJob[];
  /** Per access/bearer token limit on Execute BOT; absent = no limit (the real limit is [UNK], §10). */
  executeRateLimit?: { requests: number; windowSeconds: number };
  /** Per access/bearer token budget of API requests per second, any endpoint; absent = no limit. */
  requestRateLimit?: { requestsPerSecond: number };
}

/** Reads a fixture file or checks a fixture object; throws with the offending path on any mistake. */
export function loadFixture(source: EmulatorFixture | string = defaultFixturePath()): EmulatorFixture {
  const value: unknown = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source;
  validateFixture(value);
  return value;
}

/**
 * Path of fixtures/default.json. The bundles run from out/test/..., while the JSON stays in the source
 * tree, so look upwards from this file for either layout.
 */
function defaultFixturePath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'fixtures', 'default.json'), join(dir, 'test', 'emulator', 'fixtures', 'default.json')]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) throw new Error('cannot find test/emulator/fixtures/default.json');
  }
}

class FixtureError extends Error {
  constructor(path: string, problem: string) {
    super(`invalid emulator fixture at ${path}: ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new FixtureError(path, 'expected an object');
  return value;
}
function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new FixtureError(path, 'expected an array');
  return value;
}
function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new FixtureError(path, 'expected a non-empty string');
  return value;
}
function optionalString(value: unknown, path: string): void {
  if (value !== undefined) string(value, path);
}
function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new FixtureError(path, 'expected an integer ≥ 0');
  return value;
}
function localized(value: unknown, path: string): void {
  const text = object(value, path);
  string(text.en, `${path}.en`);
  string(text.ja, `${path}.ja`);
}
function isoTime(value: unknown, path: string): void {
  if (Number.isNaN(Date.parse(string(value, path)))) throw new FixtureError(path, 'expected an ISO 8601 time');
}
function unique(values: string[], path: string): void {
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  if (duplicate !== undefined) throw new FixtureError(path, `duplicate "${duplicate}"`);
}

function validateDefinitions(value: unknown, path: string): void {
  for (const [name, raw] of Object.entries(object(value, path))) {
    const item = object(raw, `${path}.${name}`);
    if (!['text', 'list', 'group', 'files'].includes(item.type as string)) throw new FixtureError(`${path}.${name}.type`, 'expected text, list, group or files');
    optionalString(item.description, `${path}.${name}.description`);
    if (item.columns !== undefined) validateDefinitions(item.columns, `${path}.${name}.columns`);
  }
}

function validateScript(value: unknown, path: string): void {
  const script = object(value, path);
  count(script.durationMs, `${path}.durationMs`);
  switch (script.result) {
    case 'echo': return;
    case 'fail': return localized(script.message, `${path}.message`);
    case 'output': object(script.output, `${path}.output`); return;
    case 'large': string(script.item, `${path}.item`); count(script.bytes, `${path}.bytes`); return;
    default: throw new FixtureError(`${path}.result`, 'expected echo, fail, output or large');
  }
}

function validateBot(value: unknown, path: string): void {
  const bot = object(value, path);
  for (const key of ['id', 'name'] as const) string(bot[key], `${path}.${key}`);
  if (typeof bot.description !== 'string') throw new FixtureError(`${path}.description`, 'expected a string');
  if (bot.published !== undefined && typeof bot.published !== 'boolean') throw new FixtureError(`${path}.published`, 'expected a boolean');
  for (const key of ['icon', 'creator'] as const) optionalString(bot[key], `${path}.${key}`);
  for (const key of ['created', 'lastModified'] as const) if (bot[key] !== undefined) isoTime(bot[key], `${path}.${key}`);
  for (const key of ['input', 'output'] as const) if (bot[key] !== undefined) validateDefinitions(bot[key], `${path}.${key}`);
  if (bot.definition !== undefined) object(bot.definition, `${path}.definition`);
  validateScript(bot.script, `${path}.script`);
}

/** Structural and referential checks; a type guard so callers get a typed fixture. */
function validateFixture(value: unknown): asserts value is EmulatorFixture {
  const fixture = object(value, 'fixture');
  const contracts = array(fixture.contracts, 'contracts').map((raw, i) => {
    const contract = object(raw, `contracts[${i}]`);
    const publicId = string(contract.publicId, `contracts[${i}].publicId`);
    if (!/^[A-Za-z0-9_-]+$/.test(publicId) || publicId === 'services' || publicId === '_emulator') {
      throw new FixtureError(`contracts[${i}].publicId`, 'expected letters, digits, "_" or "-", and not a reserved path');
    }
    if (typeof contract.externalConnections !== 'boolean') throw new FixtureError(`contracts[${i}].externalConnections`, 'expected a boolean');
    if (contract.apiEnabled !== undefined && typeof contract.apiEnabled !== 'boolean') throw new FixtureError(`contracts[${i}].apiEnabled`, 'expected a boolean');
    if (contract.properties !== undefined) {
      for (const [key, prop] of Object.entries(object(contract.properties, `contracts[${i}].properties`))) {
        if (!(CONTRACT_PROPERTIES as readonly string[]).includes(key)) throw new FixtureError(`contracts[${i}].properties.${key}`, 'unknown property');
        if (prop !== null && typeof prop !== 'string') throw new FixtureError(`contracts[${i}].properties.${key}`, 'expected a string or null');
      }
    }
    const bots = array(contract.bots, `contracts[${i}].bots`);
    bots.forEach((bot, j) => validateBot(bot, `contracts[${i}].bots[${j}]`));
    const botIds = bots.map((bot) => (bot as Json).id as string);
    unique(botIds, `contracts[${i}].bots`);
    return { publicId, botIds };
  });
  unique(contracts.map((c) => c.publicId), 'contracts');
  const contractIds = new Set(contracts.map((c) => c.publicId));
  const knownContract = (id: unknown, path: string): void => {
    if (!contractIds.has(string(id, path))) throw new FixtureError(path, `unknown contract "${String(id)}"`);
  };

  const usernames = array(fixture.users, 'users').map((raw, i) => {
    const user = object(raw, `users[${i}]`);
    knownContract(user.ownContract, `users[${i}].ownContract`);
    if (user.memberOf !== undefined) array(user.memberOf, `users[${i}].memberOf`).forEach((id, j) => knownContract(id, `users[${i}].memberOf[${j}]`));
    return string(user.username, `users[${i}].username`);
  });
  if (usernames.length === 0) throw new FixtureError('users', 'expected at least one user');
  unique(usernames, 'users');

  const tokenOwners = array(fixture.tokens, 'tokens').map((raw, i) => {
    const token = object(raw, `tokens[${i}]`);
    const username = string(token.username, `tokens[${i}].username`);
    if (!usernames.includes(username)) throw new FixtureError(`tokens[${i}].username`, `unknown user "${username}"`);
    array(token.permissions, `tokens[${i}].permissions`).forEach((p, j) => {
      if (!(PERMISSIONS as readonly unknown[]).includes(p)) throw new FixtureError(`tokens[${i}].permissions[${j}]`, 'expected refer, execute, suspend or modify');
    });
    optionalString(token.accessToken, `tokens[${i}].accessToken`);
    optionalString(token.secretKey, `tokens[${i}].secretKey`);
    return username;
  });
  for (const username of usernames) {
    if (tokenOwners.filter((owner) => owner === username).length > 3) throw new FixtureError('tokens', `more than 3 access tokens for ${username}`);
  }

  const clientIds = array(fixture.oauthClients, 'oauthClients').map((raw, i) => {
    const client = object(raw, `oauthClients[${i}]`);
    const clientId = client.clientId;
    if (typeof clientId !== 'number' || !Number.isSafeInteger(clientId) || clientId < 1) throw new FixtureError(`oauthClients[${i}].clientId`, 'expected a positive integer');
    string(client.name, `oauthClients[${i}].name`);
    optionalString(client.clientSecret, `oauthClients[${i}].clientSecret`);
    array(client.redirectUris, `oauthClients[${i}].redirectUris`).forEach((uri, j) => string(uri, `oauthClients[${i}].redirectUris[${j}]`));
    return String(clientId);
  });
  unique(clientIds, 'oauthClients');

  if (fixture.jobs !== undefined) {
    array(fixture.jobs, 'jobs').forEach((raw, i) => {
      const job = object(raw, `jobs[${i}]`);
      const contract = contracts.find((c) => c.publicId === job.publicId);
      if (contract === undefined) throw new FixtureError(`jobs[${i}].publicId`, 'unknown contract');
      if (!contract.botIds.includes(job.botId as string)) throw new FixtureError(`jobs[${i}].botId`, 'unknown BOT');
      if (job.status !== 0 && job.status !== 1) throw new FixtureError(`jobs[${i}].status`, 'expected 0 or 1');
      isoTime(job.startTime, `jobs[${i}].startTime`);
      count(job.elapsedTime, `jobs[${i}].elapsedTime`);
      if (job.jobId !== undefined && !UUID_PATTERN.test(string(job.jobId, `jobs[${i}].jobId`))) {
        throw new FixtureError(`jobs[${i}].jobId`, 'expected a lower-case UUID');
      }
      for (const key of ['input', 'output'] as const) if (job[key] !== undefined) object(job[key], `jobs[${i}].${key}`);
      if (job.message !== undefined) localized(job.message, `jobs[${i}].message`);
    });
  }

  if (fixture.executeRateLimit !== undefined) {
    const limit = object(fixture.executeRateLimit, 'executeRateLimit');
    if (count(limit.requests, 'executeRateLimit.requests') < 1) throw new FixtureError('executeRateLimit.requests', 'expected ≥ 1');
    if (count(limit.windowSeconds, 'executeRateLimit.windowSeconds') < 1) throw new FixtureError('executeRateLimit.windowSeconds', 'expected ≥ 1');
  }
  if (fixture.requestRateLimit !== undefined) {
    const limit = object(fixture.requestRateLimit, 'requestRateLimit');
    if (count(limit.requestsPerSecond, 'requestRateLimit.requestsPerSecond') < 1) throw new FixtureError('requestRateLimit.requestsPerSecond', 'expected ≥ 1');
  }
}

export interface GenerateFixtureOptions {
  /** Number of contracts; the first is the user's own, the others are shared with External Connections on. */
  contracts: number;
  botsPerContract: number;
  /** Finished jobs in the history of every BOT (default 0). */
  jobsPerBot?: number;
}

/**
 * A large fixture for tree and paging tests: one user `user@example.com` with an all-permission and a
 * refer-only token, the default OAuth client, and `contracts × botsPerContract` echo BOTs (300 ms)
 * named `bot_0001`… in contracts `gen01`…, each with `jobsPerBot` finished jobs an hour apart
 * (alternating success and failure) ending at 2024-06-01T00:00:00Z.
 */
export function generateFixture(options: GenerateFixtureOptions): EmulatorFixture {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const contractIds = Array.from({ length: options.contracts }, (_, i) => `gen${pad(i + 1, 2)}`);
  const botIds = Array.from({ length: options.botsPerContract }, (_, i) => `bot_${pad(i + 1, 4)}`);
  const historyEnd = Date.parse('2024-06-01T00:00:00Z');
  const jobsPerBot = options.jobsPerBot ?? 0;
  return {
    users: [{ username: 'user@example.com', ownContract: contractIds[0], memberOf: contractIds.slice(1) }],
    contracts: contractIds.map((publicId, c) => ({
      publicId,
      externalConnections: true,
      properties: { plan: 'Standard', name: `Generated contract ${c + 1}`, timezone: 'Asia/Tokyo' },
      bots: botIds.map((id, b) => ({
        id,
        name: `BOT ${c + 1}-${b + 1}`,
        description: `Generated echo BOT ${b + 1} of ${publicId}`,
        input: { Message: { type: 'text' } },
        output: { Message: { type: 'text' } },
        script: { durationMs: 300, result: 'echo' },
      })),
    })),
    tokens: [
      { username: 'user@example.com', permissions: [...PERMISSIONS] },
      { username: 'user@example.com', permissions: ['refer'] },
    ],
    oauthClients: [{
      clientId: 1001,
      name: 'Cloud BOT for VS Code',
      redirectUris: ['http://127.0.0.1:33418/callback', 'vscode://cloudbot-tools.cloudbot-vscode/callback'],
    }],
    jobs: contractIds.flatMap((publicId) => botIds.flatMap((botId) => Array.from({ length: jobsPerBot }, (_, j): FixtureJob => {
      const succeeded = j % 2 === 0;
      return {
        publicId,
        botId,
        status: succeeded ? 0 : 1,
        startTime: new Date(historyEnd - (jobsPerBot - j) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        elapsedTime: 5 + (j % 7),
        ...(succeeded
          ? { input: { Message: `run ${j + 1}` }, output: { Message: `run ${j + 1}` } }
          : { message: { en: 'The BOT stopped with an error.', ja: 'BOTがエラーで停止しました。' } }),
      };
    }))),
  };
}
