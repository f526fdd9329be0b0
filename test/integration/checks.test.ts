// BOT checks in the real VS Code's Testing view, against the emulator: input files with an `expect`
// block found and grouped by folder, a passing file, a failing one with its diff at the line of the
// failed expectation, a folder run, a cancelled run that suspends its job, and Record Expectations.
// A run reports to a small recording TestRun, since VS Code does not hand back what a run reported.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudBotTestApi } from '../../src/extension';
import { eventually } from '../emulator/testing';
import { closeEditors, setUpSuite, tearDownSuite, type Suite } from './harness';

interface Reported {
  state: 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped';
  messages: vscode.TestMessage[];
}

/** A TestRun that keeps the last state and messages of each item. */
function recordingRun(reported: Map<string, Reported>): (request: vscode.TestRunRequest) => vscode.TestRun {
  return () => {
    const set = (state: Reported['state']) => (item: vscode.TestItem, messages: vscode.TestMessage | readonly vscode.TestMessage[] = []) =>
      reported.set(item.id, { state, messages: Array.isArray(messages) ? [...messages] : [messages as vscode.TestMessage] });
    return {
      name: undefined,
      token: new vscode.CancellationTokenSource().token,
      isPersisted: false,
      enqueued: set('enqueued'),
      started: set('started'),
      skipped: set('skipped'),
      passed: (item: vscode.TestItem) => set('passed')(item),
      failed: set('failed'),
      errored: set('errored'),
      appendOutput: () => undefined,
      addCoverage: () => undefined,
      end: () => undefined,
      onDidDispose: () => ({ dispose: () => undefined }),
    } as unknown as vscode.TestRun;
  };
}

describe('BOT checks in the Testing view', function () {
  this.timeout(60_000);
  let suite: Suite;
  let api: CloudBotTestApi;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const written: vscode.Uri[] = [];

  const inputFile = (bot: string, input: object, expect?: object) => `${JSON.stringify({ bot: { contract: 'example1', id: bot }, input, ...(expect ? { expect } : {}) }, null, 2)}\n`;
  async function write(path: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder(), path);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    written.push(uri);
    return uri;
  }
  const item = (uri: vscode.Uri) => {
    let found: vscode.TestItem | undefined;
    api.checks.controller.items.forEach((folderItem) => (found ??= folderItem.children.get(uri.toString())));
    return found;
  };
  async function run(include: vscode.TestItem[], token = new vscode.CancellationTokenSource().token): Promise<Map<string, Reported>> {
    const reported = new Map<string, Reported>();
    await api.checks.run(new vscode.TestRunRequest(include), token, recordingRun(reported));
    return reported;
  }
  const posts = () => suite.emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;

  let passing: vscode.Uri;
  let failing: vscode.Uri;
  let slow: vscode.Uri;

  before(async () => {
    suite = await setUpSuite();
    api = suite.api;
    passing = await write('checks-smoke/greeting.cloudbot.json', inputFile('echo', { Message: 'こんにちは' }, { status: 'succeeded', output: { Message: 'こんにちは' } }));
    failing = await write('checks-smoke/changed.cloudbot.json', inputFile('echo', { Message: 'the site changed' }, { status: 'succeeded', output: { Message: { matches: '^as it was' } }, maxDurationSeconds: 60 }));
    slow = await write('checks-slow/long.cloudbot.json', inputFile('long_running', { Message: 'slow' }, { status: 'succeeded' }));
    await write('checks-smoke/plain.cloudbot.json', inputFile('echo', { Message: 'no expectations' }));
    await api.checks.controller.refreshHandler!(new vscode.CancellationTokenSource().token);
  });
  after(async () => {
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await tearDownSuite(suite);
  });
  afterEach(() => closeEditors());

  it('finds the input files that have expectations, grouped by folder', () => {
    const folders: Record<string, string[]> = {};
    api.checks.controller.items.forEach((folderItem) => {
      folders[folderItem.label] = [];
      folderItem.children.forEach((file) => folders[folderItem.label].push(file.label));
    });
    assert.deepEqual(folders['checks-smoke']?.sort(), ['changed', 'greeting'], JSON.stringify(folders));
    assert.deepEqual(folders['checks-slow'], ['long']);
    assert.equal(item(passing)?.range?.start.line, 8, 'the test sits at its "expect" line');
  });

  it('passes a file whose job gives what it expects', async () => {
    const reported = await run([item(passing)!]);
    assert.equal(reported.get(passing.toString())?.state, 'passed');
  });

  it('fails a file at the line of each failed expectation, with expected and actual as a diff', async () => {
    const reported = (await run([item(failing)!])).get(failing.toString());
    assert.equal(reported?.state, 'failed');
    assert.equal(reported?.messages.length, 1);
    const [message] = reported!.messages;
    assert.equal(message.message, 'Output item "Message" does not match /^as it was/.');
    assert.equal(message.expectedOutput, '/^as it was/');
    assert.equal(message.actualOutput, 'the site changed');
    const document = await vscode.workspace.openTextDocument(failing);
    assert.equal(document.getText(message.location!.range), '"^as it was"');
    assert.equal(message.location!.range.start.line, 12);
  });

  it('runs every file of a folder', async () => {
    const before = posts();
    const folderItem = item(passing)!.parent!;
    const reported = await run([folderItem]);
    assert.deepEqual([reported.get(passing.toString())?.state, reported.get(failing.toString())?.state], ['passed', 'failed']);
    assert.equal(posts(), before + 2, 'one job per file');
  });

  it('stops a cancelled run, and suspends its running job once the user says so', async () => {
    const window = vscode.window as { showWarningMessage: unknown };
    const original = window.showWarningMessage;
    const asked: string[] = [];
    window.showWarningMessage = async (message: string, _options: unknown, ...choices: string[]) => (asked.push(message), choices[0]);
    try {
      const cancel = new vscode.CancellationTokenSource();
      const before = posts();
      const pending = run([item(slow)!], cancel.token);
      await eventually(() => posts() > before || undefined);
      cancel.cancel();
      const reported = await pending;
      assert.equal(reported.get(slow.toString())?.state, 'skipped');
      assert.deepEqual(asked, ['The checks were cancelled, but 1 of their jobs still run in Cloud BOT. Suspend them?']);
      const job = suite.emulator.jobs().find((candidate) => candidate.bot_id === 'long_running')!;
      await eventually(() => (suite.emulator.jobs().find((candidate) => candidate.job_id === job.job_id)?.status === 1 ? true : undefined));
    } finally {
      window.showWarningMessage = original;
    }
  });

  it('records expectations from a finished job into its BOT\'s input file, which then passes', async () => {
    const target = await write('checks-record/defaults.cloudbot.json', inputFile('with_defaults', { Name: 'Hanako' }));
    const started = await api.store.execute({ sessionId: suite.sessionId, publicId: 'example1', botId: 'with_defaults' }, { input: { Name: 'Hanako' } });
    await api.store.waitForEnd(started.ref);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('cloudbot.recordExpectations', { target: started.ref });
    assert.equal(document?.uri.toString(), target.toString());
    const expect = (JSON.parse(document!.getText()) as { expect: { status: string; output: Record<string, unknown> } }).expect;
    assert.equal(expect.status, 'succeeded');
    assert.equal(expect.output.Name, 'Hanako');
    assert.ok(document!.isDirty, 'left unsaved, to review');
    await document!.save();
    const recorded = await eventually(() => item(target));
    assert.equal((await run([recorded])).get(target.toString())?.state, 'passed');
  });
});
