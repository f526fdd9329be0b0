// Reliability inside the real VS Code, against the emulator's fault injection: following survives
// server errors, dropped connections, rate limiting and an access token expiring mid-way; 100 jobs
// followed at once each reach their own end; bad input of every kind is refused with nothing sent.
// (Executions never sent twice, reloads mid-job, secrets, CSP and OAuth state have their own suites:
// execute, signIn, results UI.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import { startEmulator, type RunningEmulator } from '../emulator';
import { fixtureWithEchoBot } from '../emulator/testing';
import { openJson, pointAt, setUpSuite, tearDownSuite, type Suite } from './harness';

describe('reliability against faults', function () {
  this.timeout(120_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  const polls = (target: RunningEmulator, jobId: string) => target.requests.filter((r) => r.method === 'GET' && r.path === `/example1/jobs/${jobId}`);

  before(async () => {
    suite = await setUpSuite({ fixture: fixtureWithEchoBot('six', 6_000) });
    ({ emulator, api, sessionId } = suite);
    await vscode.workspace.getConfiguration('cloudbot').update('openResultOnExecute', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('cloudbot').update('openResultOnExecute', undefined, vscode.ConfigurationTarget.Global);
    await tearDownSuite(suite);
  });
  beforeEach(() => emulator.reset());

  function follow(session: string, job: Job): Promise<Job | undefined> {
    const { ref } = api.store.seen({ sessionId: session, publicId: 'example1' }, job);
    return api.store.waitForEnd(ref);
  }

  it('keeps following through 5xx answers and dropped connections, backing off, to the right end', async () => {
    const client = api.cloudBot.clientFor(sessionId);
    const { job } = await client.executeBot('example1', 'six', { input: { Message: 'through faults' } });
    emulator.faults.add({ method: 'GET', path: '^/example1/jobs/', status: 503, times: 2 });
    emulator.faults.add({ method: 'GET', path: '^/example1/jobs/', drop: true, times: 2 });
    const final = await follow(sessionId, job);
    assert.equal(final?.status, 0);
    assert.deepEqual(final?.output, { Message: 'through faults' });
    const statuses = polls(emulator, job.job_id).map((r) => r.status);
    assert.deepEqual(statuses.slice(0, 4).sort(), [0, 0, 503, 503], 'the four faults were met first');
    assert.equal(statuses.at(-1), 200);
  });

  it('waits as long as Retry-After says when rate limited', async () => {
    const client = api.cloudBot.clientFor(sessionId);
    const { job } = await client.executeBot('example1', 'six', { input: {} });
    emulator.faults.add({ method: 'GET', path: '^/example1/jobs/', status: 429, retryAfterSeconds: 2, times: 1 });
    assert.equal((await follow(sessionId, job))?.status, 0);
    const [limited, next] = polls(emulator, job.job_id);
    assert.equal(limited.status, 429);
    assert.ok(Date.parse(next.time) - Date.parse(limited.time) >= 2_000, 'the next poll waited for Retry-After');
  });

  it('refreshes an OAuth access token that expires while a job is followed, and follows on', async () => {
    // Tokens live 5 min 3 s: 3 s after sign-in they are within the 5-minute refresh margin.
    const oauth = await startEmulator({ port: 0, autoApprove: true, accessTokenLifetimeSeconds: 303, fixture: fixtureWithEchoBot('six', 6_000) });
    const config = vscode.workspace.getConfiguration('cloudbot');
    try {
      await pointAt(oauth);
      await config.update('oauth.clientId', oauth.oauthClients[0].clientId, vscode.ConfigurationTarget.Global);
      await api.apps.setClientSecret(oauth.oauthClients[0].clientId, oauth.oauthClients[0].clientSecret);
      let landed = '';
      const previousUi = api.auth.oauth.ui;
      api.auth.oauth.ui = {
        openBrowser: async (url) => {
          landed = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
          return true;
        },
        askForRedirect: async () => landed,
      };
      const session = await api.auth.signInWithOAuth('manual').finally(() => (api.auth.oauth.ui = previousUi));
      const { job } = await api.cloudBot.clientFor(session.id).executeBot('example1', 'six', { input: { Message: 'refreshed' } });
      const final = await follow(session.id, job);
      assert.deepEqual(final?.output, { Message: 'refreshed' });
      const refreshes = oauth.requests.filter((r) => r.path === '/oauth/token' && (r.body as Record<string, string>)?.grant_type === 'refresh_token');
      assert.ok(refreshes.length >= 1, 'the token was refreshed during the follow');
      assert.ok((await api.auth.getSessions()).some((s) => s.id === session.id), 'still signed in');
      await api.auth.removeSession(session.id);
    } finally {
      await pointAt(emulator);
      await config.update('oauth.clientId', undefined, vscode.ConfigurationTarget.Global);
      await oauth.close();
    }
  });

  it('follows 100 jobs at once, each to its own end', async () => {
    const client = api.cloudBot.clientFor(sessionId);
    const started = await Promise.all(
      Array.from({ length: 100 }, (_, n) => client.executeBot('example1', n % 2 ? 'fail' : 'echo', { input: { Message: `job ${n}` } })),
    );
    const finals = await Promise.all(started.map(({ job }) => follow(sessionId, job)));
    assert.equal(emulator.jobs().length, 100);
    finals.forEach((final, n) => {
      assert.equal(final?.job_id, started[n].job.job_id);
      assert.equal(final?.status, n % 2 ? 1 : 0);
      if (n % 2 === 0) assert.deepEqual(final?.output, { Message: `job ${n}` });
    });
  });

  it('refuses bad input of every kind, sending nothing', async () => {
    const sent = () => emulator.requests.filter((r) => r.origin === 'api').length;
    const cases: [string, () => Thenable<unknown>][] = [
      ['a job reference endpoint of another host', () => vscode.commands.executeCommand('cloudbot.referJob', { sessionId, reference: 'https://evil.example/example1/jobs/01900000-0000-7000-8000-000000000000' })],
      ['a job reference that is not one', () => vscode.commands.executeCommand('cloudbot.referJob', { sessionId, reference: 'not a job' })],
      ['a callback endpoint in clear text', () => vscode.commands.executeCommand('cloudbot.setExecuteOptions', { sessionId, publicId: 'example1', botId: 'echo' }, { callbackEndpoint: 'http://hooks.example/cb' })],
      ['callback attempts out of range', () => vscode.commands.executeCommand('cloudbot.setExecuteOptions', { sessionId, publicId: 'example1', botId: 'echo' }, { callbackEndpoint: 'https://hooks.example/cb', callbackTries: 9 })],
      ['input that is not an object', async () => {
        await openJson('["a", "list"]');
        return vscode.commands.executeCommand('cloudbot.executeBot', { sessionId, publicId: 'example1', botId: 'echo' });
      }],
      ['an API base URL in clear text', async () => {
        await vscode.workspace.getConfiguration('cloudbot').update('apiBaseUrl', 'http://api.example.com', vscode.ConfigurationTarget.Global);
        try {
          await openJson('{}');
          return await vscode.commands.executeCommand('cloudbot.executeBot', { sessionId, publicId: 'example1', botId: 'echo' }).then(
            (value) => value,
            (error: Error) => error.message,
          );
        } finally {
          await vscode.workspace.getConfiguration('cloudbot').update('apiBaseUrl', emulator.apiBaseUrl, vscode.ConfigurationTarget.Global);
        }
      }],
    ];
    for (const [what, attempt] of cases) {
      const before = sent();
      const outcome = await attempt();
      assert.ok(outcome === undefined || (typeof outcome === 'string' && /https:\/\//.test(outcome)), `${what}: refused`);
      assert.equal(sent(), before, `${what}: nothing sent`);
    }
    assert.equal(emulator.jobs().length, 0);
  });
});
