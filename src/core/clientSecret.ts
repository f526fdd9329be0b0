// The OAuth client secret is kept together with the server and client ID it was set up for, and is
// used only with them: after `cloudbot.oauthBaseUrl` or the client ID changes, the stored secret no
// longer applies (the app counts as not set up), so it is never sent to another server.
import type { OAuthApp } from './oauth';

/** What SecretStorage keeps for the app. */
export function encodeClientSecret(app: OAuthApp): string {
  return JSON.stringify({ oauthBaseUrl: app.oauthBaseUrl, clientId: app.clientId, clientSecret: app.clientSecret });
}

/**
 * The app, when the stored secret was set up for exactly this server and client ID; else undefined
 * (also for a secret stored bare by an earlier version, whose server is unknown).
 */
export function appOfStoredSecret(stored: string | undefined, oauthBaseUrl: string, clientId: number | undefined): OAuthApp | undefined {
  if (!stored || clientId === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  const app = value as Partial<OAuthApp> | null;
  if (!app || typeof app.clientSecret !== 'string' || !app.clientSecret) return undefined;
  return app.oauthBaseUrl === oauthBaseUrl && app.clientId === clientId ? { oauthBaseUrl, clientId, clientSecret: app.clientSecret } : undefined;
}
