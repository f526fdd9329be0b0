// Fault injection: every kind of fault, how rules are matched and counted, and on which origins.
import * as assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../emulator';
import { callApi, eventually, type CallOptions } from '../emulator/testing';

describe('emulator: faults', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());
  afterEach(() => emu.reset());

  const call = (method: string, path: string, options: CallOptions = {}) =>
    callApi<{ code: number; message: string; contracts?: unknown[] }>(emu.apiBaseUrl, method, path, {
      credentials: { accessToken: emu.tokens[0].accessToken, secretKey: emu.tokens[0].secretKey },
      ...options,
    });
  const contracts = () => call('GET', '/services/contracts');

  it('answers a status with {code, message} and Retry-After, then the real answer once times is used up', async () => {
    emu.faults.add({ path: '^/services/contracts$', status: 429, retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await contracts();
      assert.deepEqual([r.status, r.body.code, r.headers.get('retry-after')], [429, 429, '7']);
      assert.equal(typeof r.body.message, 'string');
    }
    assert.equal((await contracts()).status, 200);
  });

  it('answers the message it is given, in every language', async () => {
    const message = 'See [details](command:cloudbot.signOut)\n2024-05-01 12:00:00.000 [error] forged';
    emu.faults.add({ path: '^/services/contracts$', status: 500, message });
    assert.deepEqual([(await contracts()).body.message, (await call('GET', '/services/contracts', { headers: { 'content-language': 'ja' } })).body.message], [message, message]);
  });

  it('applies rules in the order added, each for its own count, and only to matching methods and paths', async () => {
    emu.faults.add({ method: 'GET', path: '^/services/contracts$', status: 503, times: 1 });
    emu.faults.add({ method: 'GET', path: '^/services/contracts$', status: 500, times: 1 });
    emu.faults.add({ method: 'POST', path: '^/services/contracts$', status: 502 });
    emu.faults.add({ path: '/bots$', status: 504 });
    assert.equal((await call('GET', '/example1/bots/echo')).status, 200);
    assert.equal((await call('GET', '/example1/bots')).status, 504);
    assert.deepEqual([(await contracts()).status, (await contracts()).status, (await contracts()).status], [503, 500, 200]);
    emu.faults.clear();
    assert.equal((await call('GET', '/example1/bots')).status, 200);
  });

  it('answers in the request language', async () => {
    emu.faults.add({ path: '^/services/contracts$', status: 500, times: 1 });
    const r = await call('GET', '/services/contracts', { headers: { 'content-language': 'ja' } });
    assert.match(r.body.message, /エミュレーター/);
  });

  it('drops the connection without an answer', async () => {
    emu.faults.add({ path: '^/services/contracts$', drop: true, times: 1 });
    await assert.rejects(contracts(), TypeError);
    assert.equal(emu.requests.at(-1)?.status, 0);
    assert.equal((await contracts()).status, 200);
  });

  it('sends truncated JSON with status 200', async () => {
    emu.faults.add({ path: '^/services/contracts$', malformed: true, times: 1 });
    const r = await contracts();
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    assert.throws(() => JSON.parse(r.text), SyntaxError);
  });

  it('delays the answer by latencyMs: the request stays pending, then completes normally', async () => {
    emu.faults.add({ path: '^/services/contracts$', latencyMs: 1_000, times: 1 });
    const slow = contracts();
    const pending = await eventually(() => emu.requests.find((r) => r.path === '/services/contracts'));
    assert.equal(pending.status, 0, 'not answered yet');
    assert.equal((await slow).status, 200);
    assert.equal(pending.status, 200);
  });

  it('afterHandler: execute creates the job and then the connection drops', async () => {
    emu.faults.add({ method: 'POST', path: '/bots/echo/jobs$', drop: true, afterHandler: true, times: 1 });
    await assert.rejects(call('POST', '/example1/bots/echo/jobs', { body: { input: { Message: 'lost answer' } } }), TypeError);
    assert.equal(emu.jobs().length, 1);
    assert.deepEqual(emu.jobs()[0].input, { Message: 'lost answer' });
  });

  it('afterHandler: a status or truncation replaces the real answer after the job was created', async () => {
    emu.faults.add({ method: 'POST', path: '/bots/long_running/jobs$', status: 500, afterHandler: true, times: 1 });
    emu.faults.add({ method: 'POST', path: '/bots/long_running/jobs$', malformed: true, afterHandler: true, latencyMs: 10, times: 1 });
    assert.equal((await call('POST', '/example1/bots/long_running/jobs', { body: {} })).status, 500);
    const truncated = await call('POST', '/example1/bots/long_running/jobs', { body: {} });
    assert.equal(truncated.status, 200);
    assert.ok(truncated.text.startsWith('{"code":202,"job_id":"'), 'the real answer, cut short');
    assert.throws(() => JSON.parse(truncated.text), SyntaxError);
    assert.equal(emu.jobs().length, 2);
  });

  it('applies to the OAuth origin too', async () => {
    emu.faults.add({ method: 'POST', path: '^/oauth/token$', status: 503, retryAfterSeconds: 1, times: 1 });
    const response = await fetch(`${emu.oauthBaseUrl}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    assert.deepEqual([response.status, response.headers.get('retry-after')], [503, '1']);
    assert.equal(emu.requests.at(-1)?.origin, 'oauth');
  });

  it('refuses invalid rules', () => {
    const invalid: unknown[] = [{ path: '(' }, { path: 'x' }, { path: 'x', status: 200 }, { path: 'x', drop: true, malformed: true }, { path: 'x', status: 500, times: 0 }, { path: 'x', status: 500, colour: 'red' }, { path: 'x', variant: 'odd' }, { path: 'x', status: 500, variant: 'redirect' }, { path: 'x', status: 429, retryAfter: '1', retryAfterSeconds: 1 }, { path: 'x', drop: true, message: 'no status' }, { path: 'x', status: 500, message: 7 }];
    for (const rule of invalid) assert.throws(() => emu.faults.add(rule as never), /invalid fault rule/, JSON.stringify(rule));
  });
});
