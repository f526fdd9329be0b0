// Input variables inside the real VS Code, against the emulator: an input file's ${secret:…},
// ${env:…} and ${prompt:…} reach Cloud BOT resolved and nowhere else (logs, settings, storage folders,
// workspace state, the result panel); a variable without a value is marked at its place with nothing
// sent; Re-run works from the template kept in workspace state, as after a reload, and asks again.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { InputTemplates } from '../../src/core/inputTemplates';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { ConsentUi } from '../../src/jobs/runConsent';
import type { RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { closeEditors, outputLog, setUpSuite, storedFiles, tearDownSuite, type Suite } from './harness';

describe('input variables', function () {
  this.timeout(90_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  let realConsentUi: ConsentUi;
  const run = randomUUID();
  const siteLogin = `site-login-${run}`;
  const typed = [`typed-first-${run}`, `typed-again-${run}`];
  const envName = `CLOUDBOT_TEST_REGION_${run.replace(/-/g, '_')}`;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api');

  /** Answers the extension's input boxes in turn (undefined: Escape), recording what each asked. */
  const boxes: vscode.InputBoxOptions[] = [];
  let answers: (string | undefined)[] = [];
  const window = vscode.window as { showInputBox: unknown };
  const realShowInputBox = window.showInputBox;

  async function writeInputFile(name: string, input: Record<string, unknown>, bot = 'all_outputs'): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder(), name);
    const file = { bot: { contract: 'example1', id: bot, name: 'All outputs' }, input };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(file, null, 2)));
    return uri;
  }

  before(async () => {
    suite = await setUpSuite();
    ({ emulator, api, sessionId } = suite);
    realConsentUi = api.consent.ui;
    api.consent.ui = { isTrusted: () => true, confirm: async () => true };
    process.env[envName] = 'Kansai';
    window.showInputBox = async (options: vscode.InputBoxOptions) => {
      boxes.push(options);
      return answers.shift();
    };
  });
  after(async () => {
    window.showInputBox = realShowInputBox;
    api.consent.ui = realConsentUi;
    delete process.env[envName];
    await tearDownSuite(suite);
  });
  beforeEach(async () => {
    emulator.reset();
    boxes.length = 0;
    await closeEditors();
  });

  it('sends resolved values, keeps them nowhere, and re-runs from the kept template, asking again', async () => {
    // A BOT with a fixed output: the result panel shows nothing of the input.
    const template = { Login: '${secret:siteLogin}', Region: `${run} in \${env:${envName}}`, Password: '${prompt:Site password}', Literal: '$${not:a variable}' };
    const uri = await writeInputFile('variables.cloudbot.json', template);
    try {
      answers = [siteLogin, typed[0]];
      const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', uri);
      assert.equal(job?.status, 0);
      assert.deepEqual(emulator.jobs()[0].input, { Login: siteLogin, Region: `${run} in Kansai`, Password: typed[0], Literal: '${not:a variable}' });
      assert.deepEqual(boxes.map((box) => box.password), [true, true], 'the secret, then the prompt whose label says password');
      assert.match(boxes[0].title ?? '', /siteLogin/);
      assert.equal(boxes[1].prompt, 'Site password');

      // What a reload keeps: the workspace state, read by a new store, holds the template as written.
      const ref = { sessionId, publicId: 'example1', jobId: job.job_id };
      const kept = new InputTemplates(api.workspaceState, () => true).get(ref);
      assert.deepEqual(kept?.input, template);
      api.store.forgetAccount(sessionId);
      await closeEditors();

      // Re-run resolves again: the secret is stored now, the prompt is asked again.
      boxes.length = 0;
      answers = [typed[1]];
      const again = await vscode.commands.executeCommand<Job>('cloudbot.rerunJob', ref);
      assert.equal(again?.status, 0);
      assert.equal(boxes.length, 1);
      assert.deepEqual(emulator.jobs()[1].input, { Login: siteLogin, Region: `${run} in Kansai`, Password: typed[1], Literal: '${not:a variable}' });

      // Re-run with Edits: a new input file with the template, variables as written.
      const copy = await vscode.commands.executeCommand<vscode.TextDocument>('cloudbot.rerunWithEdits', ref);
      assert.equal(copy.uri.scheme, 'untitled');
      assert.ok(copy.fileName.endsWith('.cloudbot.json'));
      assert.deepEqual(JSON.parse(copy.getText()), { bot: { contract: 'example1', id: 'all_outputs', name: 'All outputs' }, input: template, options: {} });
      await closeEditors();

      const values = [siteLogin, ...typed];
      for (const value of values) {
        assert.ok(!JSON.stringify(api.store.get({ ...ref, jobId: again.job_id })?.job).includes(value), 'what the result panel shows');
      }
      // Workspace state as the workbench will store it: every key of this extension's workspace state.
      // (The web workbench keeps state in the browser's IndexedDB; the harness's browser context is
      // off the record, so that database is in memory, and the Memento's content is what it would hold.)
      const workspaceState = JSON.stringify(api.workspaceState.keys().map((key) => [key, api.workspaceState.get(key)]));
      assert.ok(workspaceState.includes(`${run} in \${env:`), 'the template is kept as written');
      for (const value of values) assert.ok(!workspaceState.includes(value), 'a resolved value was found in workspace state');
      const files = storedFiles(api);
      assert.ok(files.length > 1, `searched ${files.length} files`);
      for (const file of files) {
        const content = readFileSync(file, 'latin1');
        for (const value of values) assert.ok(!content.includes(value), `a resolved value was found in ${file}`);
      }
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('keeps a resolved value that the BOT echoes out of the log and the job history', async () => {
    // The echo BOT's output is its input: the log's output summary and the history's message are made from it.
    const uri = await writeInputFile('echoed.cloudbot.json', { Message: 'login ${secret:siteLogin}' }, 'echo');
    try {
      await api.inputSecrets.set('siteLogin', siteLogin);
      const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', uri);
      assert.equal(job?.status, 0);
      assert.deepEqual(job?.output, { Message: `login ${siteLogin}` }, 'the job itself says what it was given');
      // The log reaches its file a moment later.
      let log = await outputLog();
      for (let tries = 0; !log.includes(`${job!.job_id} output Message`) && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        log = await outputLog();
      }
      assert.ok(log.includes(`${job!.job_id} output Message: "login ••••"`), 'the output summary is logged, without the value');
      assert.ok(!log.includes(siteLogin), 'the resolved value is in the log');
      assert.ok(!JSON.stringify(api.history.all()).includes(siteLogin), 'the resolved value is in the history');
    } finally {
      await api.inputSecrets.delete('siteLogin');
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('marks a variable without a value at its place, and sends nothing', async () => {
    const missing = `CLOUDBOT_TEST_UNSET_${run.replace(/-/g, '_')}`;
    const uri = await writeInputFile('unresolved.cloudbot.json', { Message: `x \${env:${missing}}`, Password: '${prompt:Password}' });
    try {
      assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot', uri), undefined);
      const [diagnostic] = await eventually(() => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Cloud BOT' && d.message.includes(missing));
        return found.length ? found : undefined;
      });
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.getText(diagnostic.range), `\${env:${missing}}`);
      assert.equal(boxes.length, 0, 'stopped before asking anything after it');

      // Escape on a prompt: nothing sent either.
      const prompted = await writeInputFile('prompted.cloudbot.json', { Password: '${prompt:Password}' });
      answers = [undefined];
      try {
        assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot', prompted), undefined);
      } finally {
        await vscode.workspace.fs.delete(prompted);
      }
      assert.equal(boxes.length, 1);
      assert.equal(posts().length, 0);
      assert.equal(emulator.jobs().length, 0);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});

