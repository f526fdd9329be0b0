// Delivers finished jobs to callback endpoints and subscriptions, retrying on failure (§8).
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TimerSet } from './timers';

export interface DeliveryAttempt {
  kind: 'callback' | 'subscription';
  subscribe_id?: number;
  /** 1-based. */
  attempt: number;
  /** HTTP status of the receiver's answer, or null when the connection failed. */
  status: number | null;
  error?: string;
  time: string;
}

export interface Delivery {
  url: string;
  payload: string;
  tries: number;
  kind: DeliveryAttempt['kind'];
  subscribeId?: number;
  onAttempt(attempt: DeliveryAttempt): void;
}

/** Per-attempt timeout; the real one is [UNK] (§8). Choice: 10 s. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export class CallbackDispatcher {
  private readonly inFlight = new Set<ClientRequest>();
  /** Bumped by cancel(), so attempts that were cut off neither report nor retry. */
  private generation = 0;

  constructor(
    private readonly timers: TimerSet,
    private readonly retryIntervalMs: number,
  ) {}

  /** Sends up to `tries` attempts; anything but 2xx (or a connection error) is retried after the interval. */
  deliver(delivery: Delivery, attempt = 1): void {
    if (attempt > delivery.tries) return;
    const send = delivery.url.startsWith('https:') ? httpsRequest : httpRequest;
    const body = Buffer.from(delivery.payload, 'utf8');
    const generation = this.generation;
    let settled = false;
    const settle = (status: number | null, error?: string): void => {
      if (settled || generation !== this.generation) return;
      settled = true;
      this.inFlight.delete(req);
      delivery.onAttempt({
        kind: delivery.kind,
        ...(delivery.subscribeId === undefined ? {} : { subscribe_id: delivery.subscribeId }),
        attempt,
        status,
        ...(error === undefined ? {} : { error }),
        time: new Date().toISOString(),
      });
      if (status === null || status < 200 || status > 299) {
        this.timers.after(this.retryIntervalMs, () => this.deliver(delivery, attempt + 1));
      }
    };
    // agent: false gives each attempt its own connection, so nothing lingers after close().
    const req = send(delivery.url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) },
    });
    this.inFlight.add(req);
    req.setTimeout(ATTEMPT_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => settle(res.statusCode ?? null));
      res.on('error', (err) => settle(null, err.message));
    });
    req.on('error', (err) => settle(null, err.message));
    req.end(body);
  }

  /** Aborts attempts in flight; pending retries are timers, which the owner's TimerSet clears. */
  cancel(): void {
    this.generation++;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }
}
