// What a workspace or a server cannot make the extension do: redirect credentials through workspace
// settings, send the OAuth client secret to another server, run an untrusted folder's input file or
// send results to an unconfirmed callback host without asking, or write files outside their folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { SecretBox } from '../../src/auth/provider';
import type { ConsentUi } from '../../src/jobs/runConsent';
import { loadFixture, type EmulatorFixture, type RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { closeEditors, EXTENSION_ID, openJson, setUpSuite, signInWithEveryPermission, tearDownSuite, type Suite } from './harness';

/** BOTs with the echo BOT's definition under other IDs, as a server might send. */
function fixtureWithBotIds(...ids: string[]): EmulatorFixture {
  const fixture = loadFixture();
  const example1 = fixture.contracts.find((contract) => contract.publicId === 'example1')!;
  const echo = example1.bots.find((bot) => bot.id === 'echo')!;
  example1.bots.push(...ids.map((id) => ({ ...echo, id, name: `BOT ${id}` })));
  return fixture;
}

describe('what a workspace or a server cannot make the extension do', function () {
  this.timeout(60_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  let realConsentUi: ConsentUi;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const config = () => vscode.workspace.getConfiguration('cloudbot');
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api');
  const echo = () => ({ sessionId, publicId: 'example1', botId: 'echo', botName: 'Echo BOT' });

  /** An input file for the echo BOT in the workspace. */
  async function writeInputFile(name: string, options: Record<string, unknown> = {}): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder(), name);
    const file = { bot: { contract: 'example1', id: 'echo', name: 'Echo BOT' }, input: { Message: name }, options };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(file)));
    return uri;
  }

  /** The questions asked, answered with `answer`, in a window whose trust is `trusted`. */
  function answerConsent(trusted: boolean, answer: boolean): { message: string; detail: string; action: string }[] {
    const asked: { message: string; detail: string; action: string }[] = [];
    api.consent.ui = {
      isTrusted: () => trusted,
      confirm: async (message, detail, action) => {
        asked.push({ message, detail, action });
        return answer;
      },
    };
    return asked;
  }

  before(async () => {
    suite = await setUpSuite({ fixture: fixtureWithBotIds('../evil', 'a/b') });
    ({ emulator, api, sessionId } = suite);
    realConsentUi = api.consent.ui;
  });
  after(() => tearDownSuite(suite));
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    api.consent.ui = realConsentUi;
    await closeEditors();
  });

  it('declares the credential settings application-wide and ignores a workspace value: requests still reach the emulator', async () => {
    const properties = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } })
      .contributes.configuration.properties;
    for (const name of ['apiBaseUrl', 'oauthBaseUrl', 'oauth.clientId', 'oauth.redirectUri', 'oauth.loopbackPort']) {
      assert.equal(properties[`cloudbot.${name}`].scope, 'application', name);
    }
    const settingsFile = vscode.Uri.joinPath(folder(), '.vscode', 'settings.json');
    // jobHistorySize, a window setting, shows when VS Code has read the file.
    const workspaceSettings = { 'cloudbot.apiBaseUrl': 'https://elsewhere.invalid', 'cloudbot.oauthBaseUrl': 'https://elsewhere.invalid', 'cloudbot.jobHistorySize': 7 };
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify(workspaceSettings)));
    try {
      await eventually(() => config().get('jobHistorySize') === 7 || undefined);
      assert.deepEqual((await api.auth.getSessions()).map((s) => s.id), [sessionId], 'still signed in to the emulator');
      const contracts = await api.cloudBot.clientFor(sessionId).listContracts();
      assert.ok(contracts.length);
      assert.ok(emulator.requests.some((r) => r.path === '/services/contracts'), 'the request reached the emulator');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), '.vscode'), { recursive: true });
      await eventually(() => config().get('jobHistorySize') === 20 || undefined);
    }
  });

  it('keeps the OAuth client secret for its server and client ID only', async () => {
    const [client] = emulator.oauthClients;
    await config().update('oauth.clientId', client.clientId, vscode.ConfigurationTarget.Global);
    try {
      await api.apps.setClientSecret(client.clientId, client.clientSecret);
      assert.equal((await api.apps.current())?.clientSecret, client.clientSecret);
      await config().update('oauthBaseUrl', 'https://elsewhere.invalid', vscode.ConfigurationTarget.Global);
      assert.equal(await api.apps.current(), undefined, 'not for another server');
      await config().update('oauthBaseUrl', emulator.oauthBaseUrl, vscode.ConfigurationTarget.Global);
      assert.equal((await api.apps.current())?.clientSecret, client.clientSecret, 'back on its server');
      await config().update('oauth.clientId', client.clientId + 1, vscode.ConfigurationTarget.Global);
      assert.equal(await api.apps.current(), undefined, 'not for another client ID');
    } finally {
      await config().update('oauthBaseUrl', emulator.oauthBaseUrl, vscode.ConfigurationTarget.Global);
      await config().update('oauth.clientId', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('names the host an access token and its secret key are sent to', async () => {
    const token = emulator.tokens.find((t) => t.permissions.includes('refer'))!;
    const boxes: SecretBox[] = [];
    const realAskSecret = api.auth.askSecret;
    api.auth.askSecret = async (box) => {
      boxes.push(box);
      return boxes.length === 1 ? token.accessToken : token.secretKey;
    };
    try {
      await api.auth.signIn('accessToken');
    } finally {
      api.auth.askSecret = realAskSecret;
      // Back to the one session the suite started with.
      for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
      sessionId = await signInWithEveryPermission(api, emulator);
    }
    const host = new URL(emulator.apiBaseUrl).host;
    assert.equal(boxes.length, 2);
    for (const box of boxes) {
      assert.ok(box.title.includes(host), box.title);
      assert.ok(box.prompt.includes(host), box.prompt);
    }
  });

  it('runs an input file of an untrusted folder only after the user confirms', async () => {
    const uri = await writeInputFile('untrusted.cloudbot.json');
    try {
      const refused = answerConsent(false, false);
      assert.equal(await vscode.commands.executeCommand('cloudbot.executeWithInputFile', echo(), uri), undefined);
      assert.equal(refused.length, 1);
      assert.match(refused[0].message, /untrusted\.cloudbot\.json/);
      assert.equal(posts().length, 0, 'nothing sent');
      // The file's CodeLens and the Execute BOT command take the same path.
      assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot', uri), undefined);
      assert.equal(refused.length, 2);
      assert.equal(posts().length, 0, 'nothing sent');

      const confirmed = answerConsent(false, true);
      const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', uri);
      assert.equal(job?.status, 0);
      assert.equal(confirmed.length, 1);
      assert.equal(posts().length, 1);

      const trusted = answerConsent(true, false);
      assert.equal((await vscode.commands.executeCommand<Job>('cloudbot.executeWithInputFile', echo(), uri))?.status, 0);
      assert.equal(trusted.length, 0, 'a trusted folder asks nothing');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('asks once per callback host before results are sent there, naming the host and never its URL', async () => {
    const endpoint = 'https://results.invalid/hook/TOKEN-IN-PATH?key=TOKEN-IN-QUERY';
    const uri = await writeInputFile('callback.cloudbot.json', { callbackEndpoint: endpoint, callbackTries: 0 });
    try {
      const refused = answerConsent(true, false);
      assert.equal(await vscode.commands.executeCommand('cloudbot.executeWithInputFile', echo(), uri), undefined);
      assert.equal(posts().length, 0, 'nothing sent');
      assert.equal(refused.length, 1);
      const [question] = refused;
      assert.match(`${question.message} ${question.action}`, /results\.invalid/);
      assert.ok(!JSON.stringify(question).includes('TOKEN'), 'the URL\'s path and query are not shown');

      const confirmed = answerConsent(true, true);
      assert.equal((await vscode.commands.executeCommand<Job>('cloudbot.executeWithInputFile', echo(), uri))?.status, 0);
      assert.equal((posts()[0].body as { callback_endpoint: string }).callback_endpoint, endpoint);
      assert.equal((await vscode.commands.executeCommand<Job>('cloudbot.executeWithInputFile', echo(), uri))?.status, 0);
      assert.equal(confirmed.length, 1, 'asked once for the host');
      assert.equal(posts().length, 2);

      // Remembered options are asked about the same way, for their own host.
      const remembered = answerConsent(true, false);
      await vscode.commands.executeCommand('cloudbot.setExecuteOptions', echo(), { callbackEndpoint: 'https://other.invalid/hook', callbackTries: 0 });
      await openJson('{"Message": "remembered"}');
      assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot', echo()), undefined);
      assert.match(remembered[0]?.message ?? '', /other\.invalid/);
      assert.equal(posts().length, 2, 'nothing more sent');
    } finally {
      await vscode.commands.executeCommand('cloudbot.setExecuteOptions', echo(), {});
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('writes an input file for a BOT whose ID holds path characters inside the workspace folder', async () => {
    for (const [botId, name] of [
      ['../evil', '_evil.cloudbot.json'],
      ['a/b', 'a_b.cloudbot.json'],
    ]) {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.createInputFile', { sessionId, publicId: 'example1', botId });
      try {
        assert.equal(uri.toString(), vscode.Uri.joinPath(folder(), name).toString(), botId);
        const file = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
        assert.equal(file.bot.id, botId, 'the file still names the BOT by its ID');
      } finally {
        await vscode.workspace.fs.delete(uri);
      }
    }
  });
});
