// The context keys that complete the Get Started walkthrough's steps, in the real VS Code against the
// emulator: each is set on its real event (signing in with an access token, an input file created, a
// job executed, its result panel, a batch started, a check run) and not before: not by a command
// started and cancelled, nor by a batch made but not started. What the extension tells VS Code is read
// where it says it, at commands.executeCommand('setContext', …): the extension and these tests share one
// `vscode` API object. The keys of an earlier suite's events are set already, so each test follows a
// followWalkthroughProgress of its own, listening to the extension's own store and batches.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudBotTestApi } from '../../src/extension';
import { followWalkthroughProgress, WALKTHROUGH_CONTEXT_KEYS as KEYS } from '../../src/views/walkthroughProgress';
import { eventually } from '../emulator/testing';
import { closeEditors, recordShown, setUpSuite, signInWithEveryPermission, tearDownSuite, type Suite } from './harness';

describe('the walkthrough\'s steps', function () {
  this.timeout(60_000);
  let suite: Suite;
  let api: CloudBotTestApi;
  let sessionId: string;
  /** Context keys set to true since the test began (the extension's own followWalkthroughProgress may set them too). */
  let setTrue: Set<string>;
  /** The walkthrough's keys among them, in the order of KEYS. */
  const walkthroughKeys = () => Object.values(KEYS).filter((key) => setTrue.has(key));
  /** As walkthroughKeys, past step 3: a file an earlier test wrote may still be told of (the file watcher is late). */
  const keysPastFiles = () => walkthroughKeys().filter((key) => key !== KEYS.inputFileCreated);
  const reached = (key: string) => (setTrue.has(key) ? true : undefined);
  let progress: vscode.Disposable | undefined;
  const executeCommand = vscode.commands.executeCommand;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const echo = () => ({ sessionId, publicId: 'example1', botId: 'echo' });
  const written: vscode.Uri[] = [];
  /** Lets a late event arrive before saying it did not. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  before(async () => {
    suite = await setUpSuite({}, { signIn: false });
    api = suite.api;
    for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
  });
  beforeEach(() => {
    setTrue = new Set();
    (vscode.commands as { executeCommand: typeof executeCommand }).executeCommand = ((command: string, ...args: unknown[]) => {
      if (command === 'setContext' && args[1] === true) setTrue.add(String(args[0]));
      return executeCommand(command, ...args);
    }) as typeof executeCommand;
    progress = followWalkthroughProgress(api.store, api.batches);
  });
  afterEach(async () => {
    progress?.dispose();
    (vscode.commands as { executeCommand: typeof executeCommand }).executeCommand = executeCommand;
    await closeEditors();
  });
  after(async () => {
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('cloudbot').update('openResultOnExecute', undefined, vscode.ConfigurationTarget.Global);
    await tearDownSuite(suite);
  });

  it('1. sets cloudbot.signedIn when an access token signs in, and nothing else', async () => {
    await settle();
    assert.deepEqual([...setTrue], []);
    sessionId = await signInWithEveryPermission(api, suite.emulator);
    await eventually(() => reached('cloudbot.signedIn'));
    await settle();
    assert.deepEqual([...setTrue], ['cloudbot.signedIn']);
  });

  it('3. is not done by Create Input File dismissed, and is done once it has written a file', async () => {
    const shown = recordShown();
    try {
      assert.equal(await vscode.commands.executeCommand('cloudbot.createInputFile'), undefined);
      assert.equal(shown.picks.length, 1, 'the BOT was asked for');
    } finally {
      shown.restore();
    }
    await settle();
    assert.deepEqual(walkthroughKeys(), []);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.createInputFile', echo());
    written.push(uri);
    await eventually(() => reached(KEYS.inputFileCreated), 20_000);
    assert.deepEqual(walkthroughKeys(), [KEYS.inputFileCreated]);
  });

  it('3. is done when an untitled input file is saved', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'walkthrough-saved.cloudbot.json');
    written.push(uri);
    const document = await vscode.workspace.openTextDocument(uri.with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), JSON.stringify({ bot: { contract: 'example1', id: 'echo' }, input: {} })));
    await settle();
    assert.deepEqual(walkthroughKeys(), [], 'an unsaved file is not one');
    await document.save();
    await eventually(() => reached(KEYS.inputFileCreated), 20_000);
  });

  it('4 and 5. a job executed is done at once; its result only once a panel shows it', async () => {
    await vscode.workspace.getConfiguration('cloudbot').update('openResultOnExecute', false, vscode.ConfigurationTarget.Global);
    const [uri] = written;
    const job = await vscode.commands.executeCommand<{ job_id: string }>('cloudbot.executeBot', uri);
    assert.ok(job?.job_id);
    await settle();
    assert.deepEqual(keysPastFiles(), [KEYS.jobExecuted]);
    api.panels.open({ sessionId, publicId: 'example1', jobId: job.job_id });
    await eventually(() => reached(KEYS.resultShown));
    assert.deepEqual(keysPastFiles(), [KEYS.jobExecuted, KEYS.resultShown]);
  });

  it('4. is not done by a job only looked at, nor by a batch\'s rows', async () => {
    const job = (await api.cloudBot.clientFor(sessionId).executeBot('example1', 'echo', { input: {} })).job;
    await api.store.refer({ sessionId, publicId: 'example1', jobId: job.job_id });
    await settle();
    assert.deepEqual(keysPastFiles(), []);
  });

  it('6. is not done by a batch made, and is done once it starts', async () => {
    const rows = vscode.Uri.joinPath(folder(), 'walkthrough-rows.csv');
    written.push(rows);
    await vscode.workspace.fs.writeFile(rows, Buffer.from('Message\r\nHello\r\nこんにちは\r\n', 'utf8'));
    const ledger = await vscode.commands.executeCommand<{ id: string }>('cloudbot.executeForEachRow', echo(), rows);
    assert.ok(ledger);
    await settle();
    assert.deepEqual(keysPastFiles(), []);
    assert.equal(await api.batches.start(ledger.id), true);
    await eventually(() => reached(KEYS.checkOrBatchRun));
    await api.batches.runOf(ledger.id)!.whenSettled();
    // A batch's rows are not jobs a person executed.
    assert.deepEqual(keysPastFiles(), [KEYS.checkOrBatchRun]);
  });

  it('6. is done when a check runs in the Testing view', async () => {
    const check = vscode.Uri.joinPath(folder(), 'walkthrough-check.cloudbot.json');
    written.push(check);
    await vscode.workspace.fs.writeFile(check, Buffer.from(JSON.stringify({ bot: { contract: 'example1', id: 'echo' }, input: { Message: 'hi' }, expect: { status: 'succeeded' } }), 'utf8'));
    await api.checks.controller.refreshHandler!(new vscode.CancellationTokenSource().token);
    let item: vscode.TestItem | undefined;
    await eventually(() => {
      api.checks.controller.items.forEach((folderItem) => (item ??= folderItem.children.get(check.toString())));
      return item;
    });
    await settle();
    assert.deepEqual(keysPastFiles(), []);
    await api.checks.run(new vscode.TestRunRequest([item!]), new vscode.CancellationTokenSource().token, () => silentRun());
    assert.ok(setTrue.has(KEYS.checkOrBatchRun));
    assert.ok(!setTrue.has(KEYS.jobExecuted), 'a check\'s job is not a job a person executed');
  });

  it('opens from Get Started (an editor VS Code does not describe to extensions)', async () => {
    const unknownTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input === undefined);
    assert.deepEqual(unknownTabs(), []);
    await vscode.commands.executeCommand('cloudbot.openWalkthrough');
    await eventually(() => unknownTabs().length === 1);
  });
});

/** A TestRun that keeps nothing: only the run's effects are looked at here. */
function silentRun(): vscode.TestRun {
  const nothing = () => undefined;
  return {
    name: undefined,
    token: new vscode.CancellationTokenSource().token,
    isPersisted: false,
    enqueued: nothing,
    started: nothing,
    skipped: nothing,
    passed: nothing,
    failed: nothing,
    errored: nothing,
    appendOutput: nothing,
    addCoverage: nothing,
    end: nothing,
    onDidDispose: () => ({ dispose: nothing }),
  } as unknown as vscode.TestRun;
}
