// Hands out API clients for signed-in accounts, built from the current settings at each use.
import { CloudBotClient } from '../core/client';
import { readSettings } from '../config';
import type { CloudBotAuthenticationProvider } from '../auth/provider';

export interface Account {
  sessionId: string;
  label: string;
}

const USER_AGENT = 'cloudbot-vscode';

export class CloudBot {
  constructor(private readonly auth: CloudBotAuthenticationProvider) {}

  async accounts(): Promise<Account[]> {
    return (await this.auth.getSessions()).map((s) => ({ sessionId: s.id, label: s.account.label }));
  }

  /** Signs in, saying who signed in or why not (the Sign In buttons of prompts). */
  signIn(): Promise<string | undefined> {
    return this.auth.signInAndSay();
  }

  clientFor(sessionId: string): CloudBotClient {
    const settings = readSettings();
    return new CloudBotClient({
      apiBaseUrl: settings.apiBaseUrl,
      language: settings.language,
      credentials: this.auth.credentialsFor(sessionId),
      userAgent: USER_AGENT,
    });
  }
}
