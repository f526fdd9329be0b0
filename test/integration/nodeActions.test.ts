// The actions on BOT and job nodes inside a real VS Code, against the emulator: details and job results
// as read-only JSON documents, endpoints on the clipboard, the console page. Each command is run with
// a node (`{ target }`) and with a bare target.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { watchJob } from '../../src/core/jobWatcher';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { BotNode } from '../../src/views/botNode';
import type { RunningEmulator } from '../emulator';
import { setUpSuite, tearDownSuite, type Suite } from './harness';
import type { BotRef, JobRef } from '../../src/core/refs';

describe('actions on BOT and job nodes', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;

  let suite: Suite;

  before(async () => {
    suite = await setUpSuite();
    ({ emulator, api, sessionId } = suite);
  });

  after(() => tearDownSuite(suite));

  function botTarget(botId: string): BotRef {
    return { sessionId, publicId: 'example1', botId };
  }

  /** The BOT's node in the tree, as the context menu passes it. */
  async function botNode(botId: string): Promise<BotNode> {
    const [example1] = await api.tree.getChildren();
    const node = (await api.tree.getChildren(example1)).find((child) => (child as BotNode).target?.botId === botId);
    assert.ok(node, `the tree lists ${botId}`);
    return node as BotNode;
  }

  /** Executes the BOT through the API client and waits until its job has ended. */
  async function finishedJob(botId: string, input: Record<string, unknown>): Promise<Job> {
    const client = api.cloudBot.clientFor(sessionId);
    const started = await client.executeBot('example1', botId, { input });
    return watchJob(client, 'example1', started.job.job_id, { initial: started.job });
  }

  function jobTarget(job: Job): JobRef & BotRef {
    return { sessionId, publicId: 'example1', botId: job.bot_id, jobId: job.job_id, botName: job.bot_name };
  }

  function openDocuments(scheme: string, path: string): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === scheme && d.uri.path === path);
  }

  it('shows the details of a BOT with its input definition and defaults', async () => {
    const node = await botNode('with_defaults');
    emulator.reset();
    const text = await vscode.commands.executeCommand<string | undefined>('cloudbot.showBotDetails', node);
    assert.ok(text, 'the command resolves to the document text');
    const detail = JSON.parse(text);
    assert.equal(detail.id, 'with_defaults');
    assert.deepEqual(detail.input.Name, { type: 'text', description: 'Who to greet', default: 'Taro Yamada' });
    assert.deepEqual(detail.input.Colors.default, ['red', 'green']);
    assert.equal(detail.creator, 'user@example.com');
    assert.deepEqual(emulator.requests.map((r) => [r.method, r.path, r.query.properties]), [
      ['GET', '/example1/bots/with_defaults', 'input,output,icon,created,last_modified,creator'],
    ]);
    const [document] = openDocuments('cloudbot-bot', '/example1/with_defaults (details).json');
    assert.ok(document, 'the details are open as a document');
    assert.equal(document.languageId, 'json');
    assert.equal(document.getText(), text);
    assert.equal(vscode.window.activeTextEditor?.document, document);
  });

  it('shortens the icon data URL in the details of a bare BOT target', async () => {
    const text = await vscode.commands.executeCommand<string | undefined>('cloudbot.showBotDetails', botTarget('echo'));
    const { icon } = JSON.parse(text!);
    assert.match(icon, /^data:image\/png;base64,\S+… \(\d+ characters\)$/);
    assert.ok(icon.length < 80, icon);
  });

  it('copies the BOT execution endpoint', async () => {
    const expected = `${emulator.apiBaseUrl}/example1/bots/echo/jobs`;
    for (const arg of [await botNode('echo'), botTarget('echo')]) {
      await vscode.env.clipboard.writeText('');
      assert.equal(await vscode.commands.executeCommand('cloudbot.copyExecutionEndpoint', arg), expected);
      assert.equal(await vscode.env.clipboard.readText(), expected);
    }
  });

  it('copies the job reference endpoint', async () => {
    const job = await finishedJob('echo', { Message: 'copy me' });
    const expected = `${emulator.apiBaseUrl}/example1/jobs/${job.job_id}`;
    for (const arg of [{ target: jobTarget(job) }, jobTarget(job)]) {
      await vscode.env.clipboard.writeText('');
      assert.equal(await vscode.commands.executeCommand('cloudbot.copyJobReferenceEndpoint', arg), expected);
      assert.equal(await vscode.env.clipboard.readText(), expected);
    }
  });

  it('shows the response JSON of a finished job with status 0 and its output', async () => {
    const input = { Message: 'Hello', 言語: '日本語' };
    const job = await finishedJob('echo', input);
    for (const arg of [{ target: jobTarget(job) }, jobTarget(job)]) {
      const text = await vscode.commands.executeCommand<string | undefined>('cloudbot.showJobResult', arg);
      assert.ok(text, 'the command resolves to the document text');
      const shown = JSON.parse(text);
      assert.equal(shown.job_id, job.job_id);
      assert.equal(shown.status, 0);
      assert.deepEqual(shown.output, input);
    }
    const documents = openDocuments('cloudbot-job', `/example1/${job.job_id}.json`);
    assert.equal(documents.length, 1, 'showing the job again reuses its document');
    assert.equal(documents[0].languageId, 'json');
  });

  it('refreshes an open job result each time it is shown', async () => {
    const client = api.cloudBot.clientFor(sessionId);
    const { job } = await client.executeBot('example1', 'long_running', { input: {} });
    const running = JSON.parse((await vscode.commands.executeCommand<string>('cloudbot.showJobResult', jobTarget(job)))!);
    assert.equal(running.status, 2);
    await client.suspendJob('example1', job.job_id);
    const ended = JSON.parse((await vscode.commands.executeCommand<string>('cloudbot.showJobResult', jobTarget(job)))!);
    assert.equal(ended.status, 1);
    const [document] = openDocuments('cloudbot-job', `/example1/${job.job_id}.json`);
    await waitFor(() => (JSON.parse(document.getText()).status === 1 ? true : undefined));
  });

  it('says why and opens no document for an unknown BOT or job', async () => {
    assert.equal(await vscode.commands.executeCommand('cloudbot.showBotDetails', { target: botTarget('no_such_bot') }), undefined);
    assert.equal(await vscode.commands.executeCommand('cloudbot.showBotDetails', botTarget('no_such_bot')), undefined);
    const unknownJob: JobRef & BotRef = { sessionId, publicId: 'example1', botId: 'echo', jobId: '00000000-0000-0000-0000-000000000000' };
    assert.equal(await vscode.commands.executeCommand('cloudbot.showJobResult', unknownJob), undefined);
    assert.deepEqual(openDocuments('cloudbot-bot', '/example1/no_such_bot (details).json'), []);
    assert.deepEqual(openDocuments('cloudbot-job', `/example1/${unknownJob.jobId}.json`), []);
  });

  it('opens the console\'s For Developers page from a BOT or a job', async () => {
    const expected = `${emulator.oauthBaseUrl}/development`;
    const job = await finishedJob('echo', {});
    for (const arg of [await botNode('echo'), jobTarget(job)]) {
      assert.equal(await vscode.commands.executeCommand('cloudbot.openInConsole', arg), expected);
    }
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waited too long');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
