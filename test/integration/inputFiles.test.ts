// Input files inside the real VS Code: created from a BOT's definition into the workspace, executed
// with their own binding and options, and refused (marked, nothing sent) when wrong.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job } from '../../src/core/types';
import type { RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { EXTENSION_ID, setUpSuite, tearDownSuite, type Suite } from './harness';

describe('input files', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let sessionId: string;
  const withDefaults = () => ({ sessionId, publicId: 'example1', botId: 'with_defaults' });
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api');

  let suite: Suite;

  before(async () => {
    suite = await setUpSuite();
    ({ emulator, sessionId } = suite);
  });

  after(() => tearDownSuite(suite));

  it('creates an input file in the workspace from the BOT\'s input definition and defaults', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.createInputFile', withDefaults());
    assert.match(uri.path, /\/with_defaults\.cloudbot\.json$/);
    const file = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    assert.deepEqual(file.bot, { contract: 'example1', id: 'with_defaults', name: 'BOT With Defaults' });
    assert.equal(file.input.Name, 'Taro Yamada');
    assert.deepEqual(file.input.Colors, ['red', 'green']);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    // A second one does not overwrite the first.
    const second = await vscode.commands.executeCommand<vscode.Uri>('cloudbot.createInputFile', withDefaults());
    assert.match(second.path, /\/with_defaults-2\.cloudbot\.json$/);
    await vscode.workspace.fs.delete(second);
  });

  it('executes the open input file\'s own BOT with its input and options, without asking which BOT', async () => {
    emulator.reset();
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => {
      const text = editor.document.getText().replace('"options": {}', '"options": {"timeout": 10000}');
      edit.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), text);
    });
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot');
    assert.equal(job?.status, 0);
    const [post] = posts();
    assert.equal(post.path, '/example1/bots/with_defaults/jobs');
    const body = post.body as { input: Record<string, unknown>; timeout: number };
    assert.equal(body.timeout, 10000);
    assert.equal(body.input.Name, 'Taro Yamada');
    assert.deepEqual(job.output?.Colors, ['red', 'green']);
  });

  it('offers a CodeLens and an editor title button that execute the file', async () => {
    const [uri] = await vscode.workspace.findFiles('**/with_defaults.cloudbot.json');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses.find((l) => l.command?.command === 'cloudbot.executeBot');
    assert.ok(lens, 'a lens that executes');
    assert.match(lens.command!.title, /Execute BOT With Defaults/);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when: string }[]> } };
    const button = manifest.contributes.menus['editor/title'].find((entry) => entry.command === 'cloudbot.executeBot');
    assert.ok(button && new RegExp(/\/(.+)\/$/.exec(button.when)![1]).test('with_defaults.cloudbot.json'));
    emulator.reset();
    await vscode.window.showTextDocument(uri);
    const job = await vscode.commands.executeCommand<Job>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(job?.status, 0);
    assert.equal(posts().length, 1);
  });

  it('executes a chosen input file from the BOT\'s row', async () => {
    emulator.reset();
    const [uri] = await vscode.workspace.findFiles('**/with_defaults.cloudbot.json');
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeWithInputFile', withDefaults(), uri);
    assert.equal(job?.status, 0);
    assert.equal(posts().length, 1);
  });

  it('refuses a file bound to another BOT, and bad options at their place, sending nothing', async () => {
    emulator.reset();
    const [uri] = await vscode.workspace.findFiles('**/with_defaults.cloudbot.json');
    assert.equal(await vscode.commands.executeCommand('cloudbot.executeWithInputFile', { sessionId, publicId: 'example1', botId: 'echo' }, uri), undefined);
    const editor = await vscode.window.showTextDocument(uri);
    const bad = JSON.stringify({ bot: { contract: 'example1', id: 'with_defaults' }, input: {}, options: { callbackTries: 9 } }, null, 2);
    await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), bad));
    assert.equal(await vscode.commands.executeCommand('cloudbot.executeBot'), undefined);
    const [diagnostic] = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Cloud BOT');
    assert.match(diagnostic.message, /"callbackTries" must be a whole number from 0 to 5/);
    assert.match(editor.document.lineAt(diagnostic.range.start.line).text, /"callbackTries": 9/);
    assert.equal(posts().length, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('completes and checks the input with the BOT\'s own input items', async () => {
    const [uri] = await vscode.workspace.findFiles('**/with_defaults.cloudbot.json');
    const editor = await vscode.window.showTextDocument(uri);
    const text = '{\n  "bot": {"contract": "example1", "id": "with_defaults"},\n  "input": {"Name": 5, "Nmae": "x"},\n  "options": {}\n}\n';
    await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), text));
    const marks = await eventually(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Cloud BOT');
      return found.length === 2 ? found : undefined;
    });
    const at = (d: vscode.Diagnostic) => editor.document.getText(d.range);
    assert.deepEqual(marks.map((d) => [at(d), d.severity]), [['5', vscode.DiagnosticSeverity.Error], ['"Nmae"', vscode.DiagnosticSeverity.Warning]]);
    assert.match(marks[1].message, /has no input item "Nmae"/);
    // Typing a new name: the file is not JSON for a moment, and completion still knows the BOT.
    await editor.edit((edit) => edit.insert(editor.document.positionAt(text.indexOf('"x"') + 3), ', ""'));
    const position = editor.document.positionAt(editor.document.getText().indexOf('""') + 1);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('Colors') && labels.includes('Orders'), labels.join(', '));
    assert.ok(!labels.includes('Name'), 'a name already used is not offered again');
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, editor.document.positionAt(text.indexOf('"Name"') + 2));
    // appendText keeps spaces as &nbsp;.
    const hovered = hover.flatMap((h) => h.contents.map((c) => (c as vscode.MarkdownString).value?.replace(/&nbsp;/g, ' ')));
    assert.ok(hovered.some((value) => value?.includes('Who to greet')), hovered.join(' | '));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
