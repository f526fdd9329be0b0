// Cloud BOT emulator: the REST API and the OAuth server on two loopback origins, driven by a fixture.
// "§n" in comments refers to the API research notes (cloudbot-api.md); "choice" marks what the emulator
// decided where those notes say [UNK] or [INF]. README.md lists the choices.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, languageOf } from './api';
import { handleControl } from './control';
import { FaultList, PAGING_PARAMETERS, reshape, type FaultRule } from './faults';
import { loadFixture, type EmulatorFixture } from './fixture';
import { apiError, discardBody, MAX_REQUEST_BYTES, readBody, sendReply, type Reply } from './http';
import { JobStore, type JobRecord } from './jobs';
import { messages } from './messages';
import { OAuthServer, TOKEN_ANSWER_FIELDS, type TokenAnswerField } from './oauth';
import { Recorder, type Origin, type RecordedRequest } from './recorder';
import { TimerSet } from './timers';
import { World } from './world';

export type { DeliveryAttempt } from './callbacks';
export type { FaultRule } from './faults';
export type { EmulatorFixture } from './fixture';
export { generateFixture, loadFixture } from './fixture';
export type { JobRecord } from './jobs';
export { verifyJws, EMULATOR_JWS_KEY } from './jws';
export type { RecordedRequest } from './recorder';

export interface EmulatorOptions {
  /** API port, 0 = a free port (default 0). */
  port?: number;
  /** OAuth server port, 0 = free (default 0). OAuth lives on its own origin so a client that mixes up the two base URLs is caught. */
  oauthPort?: number;
  /** A fixture object or the path of a JSON file; default fixtures/default.json. */
  fixture?: EmulatorFixture | string;
  /** /oauth/authorize redirects at once with a code for the first user instead of showing the consent page. */
  autoApprove?: boolean;
  /** Wait between callback attempts; default 30000, the documented minimum (§8). Tests set it small. */
  callbackRetryIntervalMs?: number;
  /** OAuth `expires_in`; default 31536000 (the documented sample). 0 issues tokens that are already expired. */
  accessTokenLifetimeSeconds?: number;
  /** Default 600 (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  authorizationCodeLifetimeSeconds?: number;
  /** Authorization codes that contain `+`, `%2B` and `%26` (RFC 6749 allows any printable ASCII): a client must decode the redirect exactly once. */
  reservedCharactersInCodes?: boolean;
  /** `token_type` of token answers; default "Bearer", as documented. */
  tokenType?: string;
  /** Fields left out of token answers: `refresh_token` and `expires_in` are optional (RFC 6749 §5.1), `token_type` is not. Without `refresh_token` none is issued. */
  tokenAnswerOmits?: TokenAnswerField[];
  /** HTTP status of an execute whose job finished within `timeout` (default 201, the callback sample's code). */
  executeFinishedStatus?: 200 | 201;
  /**
   * How far the server's clock is ahead of the machine's (negative: behind), in ms: run-time jobs start,
   * end and are listed by that clock, as a real server with a wrong clock would report them. Default 0.
   */
  clockOffsetMs?: number;
  /** Receives one short line per request (never secrets); silent when absent. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** http://127.0.0.1:<port>, no trailing slash. */
  apiBaseUrl: string;
  oauthBaseUrl: string;
  /** The fixture's access tokens in fixture order, with the secrets generated for this run. */
  tokens: { accessToken: string; secretKey: string; permissions: string[]; username: string }[];
  oauthClients: { clientId: number; clientSecret: string; redirectUris: string[] }[];
  /** Every API, OAuth and control request in order of arrival, secrets redacted. A live array. */
  requests: RecordedRequest[];
  /** Every job created at run time (not the fixture's history). */
  jobs(): JobRecord[];
  faults: { add(rule: FaultRule): void; clear(): void };
  /** Cast pages answered with these headers too (e.g. X-Frame-Options: DENY), and a running job's `cast_url` set to any text; reset() undoes both. */
  cast: { setHeaders(headers: Record<string, string>): void; setUrl(jobId: string, url: string): void };
  /** Registers another exact redirect URI, e.g. a test's loopback callback. */
  addRedirectUri(clientId: number, uri: string): void;
  revokeRefreshTokens(username?: string): void;
  /** Clears requests, run-time jobs and subscriptions (stopping their timers and callbacks), faults, cast headers and rate-limit counts. OAuth grants stay. */
  reset(): void;
  /** Stops both servers, all timers and pending callbacks. */
  close(): Promise<void>;
}

function checkOptions(options: EmulatorOptions): void {
  const counts: [string, number | undefined, number][] = [
    ['port', options.port, 65535],
    ['oauthPort', options.oauthPort, 65535],
    ['callbackRetryIntervalMs', options.callbackRetryIntervalMs, 2 ** 31 - 1],
    ['accessTokenLifetimeSeconds', options.accessTokenLifetimeSeconds, Number.MAX_SAFE_INTEGER],
    ['authorizationCodeLifetimeSeconds', options.authorizationCodeLifetimeSeconds, Number.MAX_SAFE_INTEGER],
  ];
  for (const [name, value, max] of counts) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) throw new Error(`emulator option ${name} must be an integer from 0 to ${max}`);
  }
  if (options.tokenAnswerOmits?.some((field) => !TOKEN_ANSWER_FIELDS.includes(field))) {
    throw new Error(`emulator option tokenAnswerOmits takes ${TOKEN_ANSWER_FIELDS.join(', ')}`);
  }
  if (options.clockOffsetMs !== undefined && !Number.isSafeInteger(options.clockOffsetMs)) throw new Error('emulator option clockOffsetMs must be an integer');
  if (options.executeFinishedStatus !== undefined && options.executeFinishedStatus !== 200 && options.executeFinishedStatus !== 201) {
    throw new Error('emulator option executeFinishedStatus must be 200 or 201');
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const fixture = loadFixture(options.fixture);
  const apiServer = createServer();
  const oauthServer = createServer();
  let ports: number[];
  try {
    ports = await Promise.all([listen(apiServer, options.port ?? 0), listen(oauthServer, options.oauthPort ?? 0)]);
  } catch (err) {
    await Promise.all([stop(apiServer), stop(oauthServer)]);
    throw err;
  }
  const apiBaseUrl = `http://127.0.0.1:${ports[0]}`;
  const oauthBaseUrl = `http://127.0.0.1:${ports[1]}`;

  const world = new World(fixture);
  const timers = new TimerSet();
  const finishedStatus = options.executeFinishedStatus ?? 201;
  const jobs = new JobStore(fixture, { apiBaseUrl, finishedCode: finishedStatus, callbackRetryIntervalMs: options.callbackRetryIntervalMs ?? 30_000, clockOffsetMs: options.clockOffsetMs ?? 0 });
  const api = new Api(world, jobs, { apiBaseUrl, executeFinishedStatus: finishedStatus, timers, ...(fixture.executeRateLimit ? { executeRateLimit: fixture.executeRateLimit } : {}), requestsPerSecond: fixture.requestRateLimit?.requestsPerSecond });
  const oauth = new OAuthServer(world, fixture.oauthClients, {
    autoApprove: options.autoApprove ?? false,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 31_536_000,
    authorizationCodeLifetimeSeconds: options.authorizationCodeLifetimeSeconds ?? 600,
    reservedCharactersInCodes: options.reservedCharactersInCodes ?? false,
    tokenType: options.tokenType ?? 'Bearer',
    tokenAnswerOmits: options.tokenAnswerOmits ?? [],
  });
  const faults = new FaultList();
  const recorder = new Recorder();
  const reset = (): void => {
    recorder.clear();
    jobs.reset();
    faults.clear();
    api.reset();
  };

  const send = (res: ServerResponse, record: RecordedRequest, reply: Reply): void => {
    record.status = reply.status;
    sendReply(res, reply);
    options.log?.(`${record.origin} ${record.method} ${record.path} ${reply.status}`);
  };

  /** Applies a fault's outcome; false when the rule only adds latency. `real` is the handler's answer for afterHandler rules. */
  const applyFault = (rule: FaultRule, req: IncomingMessage, res: ServerResponse, record: RecordedRequest, real?: Reply): boolean => {
    if (rule.drop) {
      req.socket.destroy();
      options.log?.(`${record.origin} ${record.method} ${record.path} dropped`);
      return true;
    }
    if (rule.status !== undefined) {
      const retryAfter = rule.retryAfter ?? (rule.retryAfterSeconds === undefined ? undefined : String(rule.retryAfterSeconds));
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
      const message = rule.message === undefined ? messages.injectedFault : { en: rule.message, ja: rule.message };
      send(res, record, apiError(rule.status, message, languageOf(req.headers) ?? 'en', headers));
      return true;
    }
    if (rule.malformed) {
      const text = real?.body || '{"code":200,"message":"truncated by the emulator"}';
      send(res, record, { status: 200, body: text.slice(0, Math.floor(text.length / 2)), headers: { 'content-type': 'application/json; charset=utf-8' } });
      return true;
    }
    return false;
  };

  const serve = async (origin: Exclude<Origin, 'control'>, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const control = origin === 'api' && url.pathname.startsWith('/_emulator/');
    const record = recorder.start(control ? 'control' : origin, req, url);
    try {
      if (control) {
        const body = (await readBody(req, MAX_REQUEST_BYTES)) ?? Buffer.alloc(0);
        recorder.setBody(record, body);
        send(res, record, handleControl({ recorder, jobs, faults, oauth, reset }, method, url.pathname, body));
        // Added after answering, so GET /_emulator/requests does not list itself as pending.
        recorder.add(record);
        return;
      }
      recorder.add(record);
      const fault = faults.take(method, url.pathname);
      if (fault?.latencyMs && !fault.afterHandler) await timers.delay(fault.latencyMs);
      if (fault && !fault.afterHandler && applyFault(fault, req, res, record)) return;
      if (fault?.variant === 'ignorePaging') for (const name of PAGING_PARAMETERS) url.searchParams.delete(name);

      const body = await readBody(req, MAX_REQUEST_BYTES);
      let reply: Reply;
      if (body === null) {
        // Answered without reading the whole oversized body; the rest is discarded after the answer.
        reply = apiError(413, messages.payloadTooLarge, languageOf(req.headers) ?? 'en');
        discardBody(req, res);
      } else {
        recorder.setBody(record, body);
        const request = { method, url, headers: req.headers, body };
        reply = origin === 'api' ? await api.handle(request) : oauth.handle(request);
      }
      if (fault?.variant) reply = reshape(fault.variant, reply);
      if (fault?.afterHandler) {
        if (fault.latencyMs) await timers.delay(fault.latencyMs);
        if (applyFault(fault, req, res, record, reply)) return;
      }
      send(res, record, reply);
    } catch (err) {
      options.log?.(`${record.origin} ${method} ${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, record, apiError(500, messages.internalError, languageOf(req.headers) ?? 'en'));
    }
  };
  apiServer.on('request', (req, res) => void serve('api', req, res));
  oauthServer.on('request', (req, res) => void serve('oauth', req, res));

  let closing: Promise<void> | undefined;
  return {
    apiBaseUrl,
    oauthBaseUrl,
    tokens: world.accessTokens.map((t) => ({ ...t, permissions: [...t.permissions] })),
    get oauthClients() {
      return oauth.clients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, redirectUris: [...c.redirectUris] }));
    },
    requests: recorder.requests,
    jobs: () => jobs.records(),
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    cast: {
      setHeaders: (headers) => (jobs.castHeaders = { ...headers }),
      setUrl: (jobId, url) => {
        if (!jobs.setCastUrl(jobId, url)) throw new Error(`no job ${jobId}`);
      },
    },
    addRedirectUri: (clientId, uri) => oauth.addRedirectUri(clientId, uri),
    revokeRefreshTokens: (username) => oauth.revokeRefreshTokens(username),
    reset,
    close: () => {
      closing ??= (async () => {
        jobs.stop();
        timers.clear();
        await Promise.all([stop(apiServer), stop(oauthServer)]);
      })();
      return closing;
    },
  };
}
