// Callback hosts the user has confirmed to receive job results. Kept as hosts only, never as URLs: a
// callback URL may carry its receiver's token.
import type { KeyValueStore } from './jobHistory';
import { isLoopbackHost } from './urls';

const KEY = 'cloudbot.confirmedCallbackHosts';
/** More than anyone confirms by hand; the oldest confirmations go first. */
const MAX_HOSTS = 100;

/**
 * The host (with its port, if any) a callback endpoint sends results to, when that needs the user's
 * confirmation. Loopback hosts do not: Cloud BOT's servers post the callback, so 127.0.0.1 is their own
 * machine (the emulator's, when testing) and the results reach no one else.
 */
export function callbackHostToConfirm(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  const url = new URL(endpoint);
  return isLoopbackHost(url.hostname) ? undefined : url.host;
}

export class ConfirmedHosts {
  constructor(private readonly store: KeyValueStore) {}

  has(host: string): boolean {
    return this.all().includes(host);
  }

  async add(host: string): Promise<void> {
    await this.store.update(KEY, [host, ...this.all().filter((known) => known !== host)].slice(0, MAX_HOSTS));
  }

  all(): string[] {
    const stored = this.store.get<unknown>(KEY);
    return Array.isArray(stored) ? stored.filter((host): host is string => typeof host === 'string') : [];
  }
}
