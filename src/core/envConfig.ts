// The configuration of the MCP server and the `cloudbot` command line, from their environment only: the
// VS Code provider passes the signed-in session this way, and so do another agent's settings and a CI
// job. Values are checked as hostile input, and a problem names the variable, never its value. No
// `vscode` here.
import { MAX_BATCH_CONCURRENCY } from './concurrency';
import type { Credentials } from './client';
import { checkBaseUrl } from './settings';
import type { Language } from './types';

export const ENV = {
  accessToken: 'CLOUDBOT_ACCESS_TOKEN',
  secretKey: 'CLOUDBOT_SECRET_KEY',
  bearerToken: 'CLOUDBOT_BEARER_TOKEN',
  apiBaseUrl: 'CLOUDBOT_API_BASE_URL',
  language: 'CLOUDBOT_LANGUAGE',
  batchConcurrency: 'CLOUDBOT_BATCH_CONCURRENCY',
} as const;

export const DEFAULT_API_BASE_URL = 'https://api.c-bot.pro';
const DEFAULT_BATCH_CONCURRENCY = 3;
/** Longer than any real token; a longer value is a mistake (a file pasted in), not a credential. */
const MAX_SECRET_LENGTH = 4096;
/** What a header value can carry: visible ASCII, no spaces or line breaks. */
const SECRET_CHARACTERS = /^[\x21-\x7e]+$/;

export interface EnvConfig {
  apiBaseUrl: string;
  language: Language;
  /** Undefined when none were given, or not usable (see `credentialsProblem`). */
  credentials?: Credentials;
  /** The account's name in results: the variable the credentials came from. */
  accountLabel: string;
  batchConcurrency: number;
  /** Why credentials that were given are not used, naming the variables. */
  credentialsProblem?: string;
  /** What else was wrong with the environment but was let go, each naming its variable. */
  warnings: string[];
}

/** The variables that give credentials, for sentences that say how to give them. */
export const CREDENTIAL_VARIABLES = `${ENV.accessToken} and ${ENV.secretKey} (a Cloud BOT access token and its secret key), or ${ENV.bearerToken} (an OAuth access token)`;

/** The secret values given, usable or not, longest first (one may hold another): to take out of everything written. */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return [env[ENV.accessToken], env[ENV.secretKey], env[ENV.bearerToken]]
    .map((secret) => secret?.trim())
    .filter((secret): secret is string => !!secret)
    .sort((a, b) => b.length - a.length);
}

/** Takes every secret given in `env` out of a text, as `***`: as it is, and as it reads inside a JSON string (`"` as `\"`). */
export function secretRedactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const forms = [...new Set(secretsIn(env).flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((clean, secret) => clean.split(secret).join('***'), text);
}

/** Reads the environment. Throws a SettingsError for an API base URL that cannot be used (not https, or with a password). */
export function readEnvConfig(env: NodeJS.ProcessEnv): EnvConfig {
  const warnings: string[] = [];
  const value = (name: string) => env[name]?.trim() || undefined;
  const accessToken = value(ENV.accessToken);
  const secretKey = value(ENV.secretKey);
  const bearerToken = value(ENV.bearerToken);

  let credentials: Credentials | undefined;
  let credentialsProblem: string | undefined;
  let accountLabel: string = ENV.accessToken;
  const unusable = Object.entries({ [ENV.accessToken]: accessToken, [ENV.secretKey]: secretKey, [ENV.bearerToken]: bearerToken })
    .filter(([, secret]) => secret !== undefined && (secret.length > MAX_SECRET_LENGTH || !SECRET_CHARACTERS.test(secret)))
    .map(([name]) => name);
  if (unusable.length) {
    credentialsProblem = `${unusable.join(' and ')}: not a token (at most ${MAX_SECRET_LENGTH} visible ASCII characters, no spaces); no credentials are used.`;
  } else if (bearerToken && (accessToken || secretKey)) {
    // Two identities: acting as the wrong one would be worse than acting as none.
    credentialsProblem = `Both ${ENV.bearerToken} and ${ENV.accessToken}/${ENV.secretKey} are set; set one kind only. No credentials are used.`;
  } else if (bearerToken) {
    credentials = { kind: 'bearer', accessToken: bearerToken };
    accountLabel = ENV.bearerToken;
  } else if (accessToken && secretKey) {
    credentials = { kind: 'accessToken', accessToken, secretKey };
  } else if (accessToken || secretKey) {
    credentialsProblem = `${accessToken ? ENV.secretKey : ENV.accessToken} is not set (${ENV.accessToken} and ${ENV.secretKey} go together); no credentials are used.`;
  }

  const language = value(ENV.language);
  if (language !== undefined && language !== 'ja' && language !== 'en') warnings.push(`${ENV.language} must be "ja" or "en"; using "en".`);

  const concurrencyText = value(ENV.batchConcurrency);
  let batchConcurrency = DEFAULT_BATCH_CONCURRENCY;
  if (concurrencyText !== undefined) {
    const parsed = /^\d{1,6}$/.test(concurrencyText) ? Number(concurrencyText) : NaN;
    if (parsed >= 1 && parsed <= MAX_BATCH_CONCURRENCY) batchConcurrency = parsed;
    else warnings.push(`${ENV.batchConcurrency} must be a whole number from 1 to ${MAX_BATCH_CONCURRENCY}; using ${DEFAULT_BATCH_CONCURRENCY}.`);
  }

  return {
    apiBaseUrl: checkBaseUrl(ENV.apiBaseUrl, value(ENV.apiBaseUrl) ?? DEFAULT_API_BASE_URL),
    language: language === 'ja' ? 'ja' : 'en',
    credentials,
    accountLabel,
    batchConcurrency,
    credentialsProblem,
    warnings,
  };
}
