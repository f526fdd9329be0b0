// The `cloudbot` task type inside the real VS Code, against the emulator: tasks from tasks.json run
// their input files in a terminal and end with the command line's exit codes; the provided task runs
// the workspace's checks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { setUpSuite, tearDownSuite, type Suite } from './harness';

describe('cloudbot tasks', function () {
  this.timeout(60_000);
  let suite: Suite;
  const folder = () => vscode.workspace.workspaceFolders![0];
  const written: vscode.Uri[] = [];

  async function write(path: string, content: unknown): Promise<void> {
    const uri = vscode.Uri.joinPath(folder().uri, path);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2), 'utf8'));
    written.push(uri);
  }

  /** Runs the task of that name and resolves with its exit code. */
  async function exitCodeOf(name: string): Promise<number | undefined> {
    // tasks.json is read a moment after it is written.
    let task: vscode.Task | undefined;
    for (let tries = 0; !task && tries < 100; tries++) {
      task = (await vscode.tasks.fetchTasks({ type: 'cloudbot' })).find((candidate) => candidate.name === name);
      if (!task) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(task, `the task "${name}" is there`);
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name !== name) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    return ended;
  }

  before(async () => {
    suite = await setUpSuite();
    await write('task-checks/pass.cloudbot.json', { bot: { contract: 'example1', id: 'echo' }, input: { Message: 'hi' }, expect: { output: { Message: 'hi' } } });
    await write('task-checks/fail.cloudbot.json', { bot: { contract: 'example1', id: 'echo' }, input: { Message: 'hi' }, expect: { output: { Message: 'bye' } } });
    await write('task-checks/broken.cloudbot.json', { bot: { contract: 'example1', id: 'echo' }, input: { Message: '${env:CLOUDBOT_TASK_TEST_UNSET}' } });
    await write('.vscode/tasks.json', {
      version: '2.0.0',
      tasks: [
        { type: 'cloudbot', file: 'task-checks/pass.cloudbot.json', label: 'cloudbot pass' },
        { type: 'cloudbot', file: 'task-checks/fail.cloudbot.json', label: 'cloudbot fail' },
        { type: 'cloudbot', files: ['task-checks/*.cloudbot.json'], label: 'cloudbot all' },
        { type: 'cloudbot', file: 'task-checks/broken.cloudbot.json', label: 'cloudbot broken' },
      ],
    });
  });
  after(async () => {
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await tearDownSuite(suite);
  });

  const posts = () => suite.emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;

  it('runs a passing file and exits 0', async () => {
    const before = posts();
    assert.equal(await exitCodeOf('cloudbot pass'), 0);
    assert.equal(posts(), before + 1);
  });

  it('exits 1 when a check fails', async () => {
    assert.equal(await exitCodeOf('cloudbot fail'), 1);
  });

  it('exits 2 for a file that cannot run, having sent nothing for it', async () => {
    const before = posts();
    assert.equal(await exitCodeOf('cloudbot broken'), 2);
    assert.equal(posts(), before);
  });

  it('exits with the highest code of its files, as the command line does', async () => {
    assert.equal(await exitCodeOf('cloudbot all'), 2);
  });

  it('provides a task that runs the folder\'s checks, and only them', async () => {
    const provided = (await vscode.tasks.fetchTasks({ type: 'cloudbot' })).find((task) => task.name === 'Run all checks' && task.source === 'cloudbot');
    assert.deepEqual((provided?.definition as { files?: string[] }).files?.filter((file) => file.startsWith('task-checks/')), ['task-checks/fail.cloudbot.json', 'task-checks/pass.cloudbot.json']);
  });
});
