// The thin loop inside a real VS Code: sign in with an access token, browse, execute with editor JSON,
// follow, refer and suspend, all against the emulator started in this extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudBotTestApi } from '../../src/extension';
import type { Job } from '../../src/core/types';
import type { TreeNode } from '../../src/views/treeNode';
import type { RunningEmulator } from '../emulator';
import { openJson, setUpSuite, tearDownSuite, type Suite } from './harness';
import type { BotRef } from '../../src/core/refs';

describe('the Cloud BOT loop against the emulator', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;

  let suite: Suite;

  before(async () => {
    // This suite signs in itself: its first tests look at the signed-out state.
    suite = await setUpSuite({}, { signIn: false });
    ({ emulator, api } = suite);
  });

  after(() => tearDownSuite(suite));

  function token(permission: string, only = false) {
    const found = emulator.tokens.find(
      (t) => t.username === 'user@example.com' && t.permissions.includes(permission) && (!only || t.permissions.length === 1),
    );
    assert.ok(found, `the fixture has a ${permission} token`);
    return found;
  }

  async function labels(node?: TreeNode): Promise<string[]> {
    const children = await api.tree.getChildren(node);
    return children.map((child) => String(child.getTreeItem().label));
  }

  function botTarget(botId: string): BotRef {
    return { sessionId, publicId: 'example1', botId };
  }

  it('shows the welcome view while signed out', async () => {
    assert.deepEqual(await api.tree.getChildren(), []);
    assert.deepEqual(await api.auth.getSessions(), []);
  });

  it('refuses a wrong secret key and stores nothing', async () => {
    const { accessToken } = token('execute');
    await assert.rejects(api.auth.signInWithAccessToken(accessToken, 'not-the-secret'), /401/);
    assert.deepEqual(await api.auth.getSessions(), []);
  });

  it('signs in with an access token as a session of the cloudbot provider', async () => {
    const { accessToken, secretKey } = token('execute');
    const changed = new Promise<void>((resolve) => {
      const listener = vscode.authentication.onDidChangeSessions((event) => {
        if (event.provider.id === 'cloudbot') {
          listener.dispose();
          resolve();
        }
      });
    });
    const session = await api.auth.signInWithAccessToken(accessToken, secretKey);
    await changed;
    sessionId = session.id;
    assert.match(session.account.label, /example1/);
    assert.ok(!session.account.label.includes(accessToken));
    const accounts = await vscode.authentication.getAccounts('cloudbot');
    assert.deepEqual(accounts.map((a) => a.label), [session.account.label]);
    // Signing in again with the same pair replaces the session instead of adding one.
    await api.auth.signInWithAccessToken(accessToken, secretKey);
    assert.equal((await api.auth.getSessions()).length, 1);
  });

  it('lists the contracts and their BOTs in the tree', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.cloudbot');
    const contracts = await api.tree.getChildren();
    assert.deepEqual(contracts.map((c) => c.getTreeItem().label), ['example1', 'example2', 'example3']);
    const bots = await labels(contracts[0]);
    assert.ok(bots.includes('Echo BOT'), bots.join(', '));
    assert.ok(contracts[0].getTreeItem().id);
    const botItems = (await api.tree.getChildren(contracts[0])).map((n) => n.getTreeItem());
    assert.ok(botItems.every((item) => item.contextValue === 'bot'));
    // example3 has External Connections off: an error row that says so, instead of an empty level.
    const [blocked] = (await api.tree.getChildren(contracts[2])).map((n) => n.getTreeItem());
    assert.equal(blocked.contextValue, 'message error');
    assert.match(String(blocked.label), /External Connections/);
  });

  it('executes the echo BOT with the JSON of the open editor and follows it to status 0', async () => {
    emulator.reset();
    const input = { message: 'Hello from VS Code', 言語: '日本語' };
    await openJson(JSON.stringify(input, null, 2));
    const job = await vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', botTarget('echo'));
    assert.ok(job, 'the command resolves to the final job');
    assert.equal(job.status, 0);
    assert.deepEqual(job.output, input);
    const posts = emulator.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1);
    assert.deepEqual((posts[0].body as { input: unknown }).input, input);
  });

  it('executes with only the selected JSON when there is a selection', async () => {
    emulator.reset();
    const editor = await openJson('// notes that are not JSON\n{"picked": "yes"}\n');
    const start = editor.document.positionAt(editor.document.getText().indexOf('{'));
    editor.selection = new vscode.Selection(start, editor.document.lineAt(1).range.end);
    const job = await vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', botTarget('echo'));
    assert.deepEqual(job?.output, { picked: 'yes' });
  });

  it('rejects bad JSON at its line and column and creates no job', async () => {
    emulator.reset();
    const editor = await openJson('{\n  "message": "hi",\n  "count" 2\n}\n');
    const job = await vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', botTarget('echo'));
    assert.equal(job, undefined);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Cloud BOT');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual([diagnostics[0].range.start.line, diagnostics[0].range.start.character], [2, 10]);
    assert.match(diagnostics[0].message, /line 3, column 11: colon expected/);
    assert.equal(emulator.jobs().length, 0);
    assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 0);
    // Fixing the text clears the mark.
    await editor.edit((edit) => edit.insert(new vscode.Position(2, 9), ':'));
    assert.equal(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Cloud BOT').length, 0);
  });

  it('reports a failing BOT with its message', async () => {
    await openJson('{}');
    const job = await vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', botTarget('fail'));
    assert.equal(job?.status, 1);
    assert.ok(job?.message);
  });

  it('refers to a job from its reference endpoint', async () => {
    await openJson('{"again": "1"}');
    const finished = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', botTarget('echo'));
    const referred = await vscode.commands.executeCommand<Job | undefined>('cloudbot.referJob', {
      sessionId,
      reference: `${emulator.apiBaseUrl}/example1/jobs/${finished.job_id}`,
    });
    assert.equal(referred?.job_id, finished.job_id);
    assert.deepEqual(referred?.output, { again: '1' });
  });

  it('suspends a running job, and reports a second suspend as already finished', async () => {
    await openJson('{}');
    const running = vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', botTarget('long_running'));
    const job = await waitFor(() => emulator.jobs().find((j) => j.bot_id === 'long_running' && j.status === 2));
    const reference = `example1/${job.job_id}`;
    const suspended = await vscode.commands.executeCommand<Job | undefined>('cloudbot.suspendJob', { sessionId, reference, confirm: false });
    assert.equal(suspended?.status, 1);
    assert.equal((await running)?.status, 1, 'the follower sees the suspended job end');
    const again = await vscode.commands.executeCommand<Job | undefined>('cloudbot.suspendJob', { sessionId, reference, confirm: false });
    assert.equal(again, undefined);
    assert.equal(emulator.requests.filter((r) => r.method === 'DELETE').at(-1)?.status, 410);
  });

  it('signs out, which empties the tree', async () => {
    await api.auth.removeSession(sessionId);
    assert.deepEqual(await api.tree.getChildren(), []);
    assert.deepEqual(await vscode.authentication.getAccounts('cloudbot'), []);
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
