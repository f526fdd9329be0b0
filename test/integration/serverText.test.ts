// Text from Cloud BOT (BOT names, job messages, API error messages) that tries to be a link or a command,
// or to start log lines of its own: what the extension shows and logs of it, inside the real VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNode';
import { loadFixture, type EmulatorFixture, type RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { codeSpans, NOTIFICATION_LINK } from '../rendering';
import { closeEditors, outputLog, recordShown, setUpSuite, tearDownSuite, type Suite } from './harness';

const LINK = '[Open](command:cloudbot.signOut)';
/** A log line as the output channel writes them, for server text to forge after a line break. */
const forged = (by: string) => `2024-05-01 12:00:00.000 [error] forged by ${by}`;
/** Server text that is a link, then a log line of its own. */
const hostileText = (by: string) => `Stopped. ${LINK}\n${forged(by)}`;
const TICK_ID = 'tick`y';

/** The default fixture with a BOT whose name, description and failure message carry links, and one with a backtick in its ID. */
function hostileFixture(): EmulatorFixture {
  const fixture = loadFixture();
  const example1 = fixture.contracts.find((contract) => contract.publicId === 'example1')!;
  example1.bots.push(
    {
      id: 'hostile',
      name: `Hostile ${LINK}`,
      description: 'Docs: [here](https://evil.example/docs) or https://evil.example',
      script: { durationMs: 100, result: 'fail', message: { en: hostileText('the job'), ja: hostileText('the job') } },
    },
    { id: TICK_ID, name: 'Tick', description: '', script: { durationMs: 100, result: 'echo' } },
  );
  return fixture;
}

/** Whether a string handed to a notification or quick pick could be rendered as a link. */
function linkable(text: string | undefined): boolean {
  return NOTIFICATION_LINK.test(text ?? '') || /command:/.test(text ?? '');
}

/**
 * Waits until the log has the server text `by` sent, then says whether it kept it on its line: no line
 * of the log starts as the forged one.
 */
async function loggedOnOneLine(by: string): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const log = await outputLog();
    if (log.includes(forged(by))) return !log.split(/\r?\n/).some((line) => line.startsWith(forged(by)));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing logged of the text sent by ${by}`);
}

describe('server text that tries to be a link or a log line', function () {
  this.timeout(60_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  let shown: ReturnType<typeof recordShown>;
  const hostile = () => ({ sessionId, publicId: 'example1', botId: 'hostile' });

  before(async () => {
    suite = await setUpSuite({ fixture: hostileFixture() });
    ({ emulator, api, sessionId } = suite);
  });
  after(() => tearDownSuite(suite));
  beforeEach(() => {
    shown = recordShown();
  });
  afterEach(async () => {
    shown.restore();
    emulator.faults.clear();
    await closeEditors();
  });

  it('notifies a failed job with its BOT name and message readable but unable to link, and logs the message on one line', async () => {
    await vscode.commands.executeCommand<Job>('cloudbot.executeBot', hostile());
    const message = await eventually(() => shown.messages.find((m) => m.includes('Stopped.')));
    assert.ok(!linkable(message), message);
    assert.ok(message.replaceAll('\u200b', '').includes(LINK), 'the text reads as it came');
    assert.ok(await loggedOnOneLine('the job'));
  });

  it('says an API error message without a link, and logs it on one line', async () => {
    emulator.faults.add({ method: 'POST', path: '^/example1/bots/hostile/jobs$', status: 500, message: hostileText('the API') });
    await vscode.commands.executeCommand('cloudbot.executeBot', hostile());
    const message = await eventually(() => shown.messages.find((m) => m.includes('Stopped.')));
    assert.ok(!linkable(message), message);
    assert.ok(await loggedOnOneLine('the API'));
  });

  it('lists jobs in Show Jobs with no link in their names or messages', async () => {
    await vscode.commands.executeCommand<Job>('cloudbot.executeBot', hostile());
    await vscode.commands.executeCommand('cloudbot.showJobs');
    const [items] = shown.picks;
    const hostileJobs = items.filter((item) => item.label.includes('Hostile'));
    assert.ok(hostileJobs.length > 0);
    for (const item of hostileJobs) for (const text of [item.label, item.description, item.detail]) assert.ok(!linkable(text), text);
  });

  it('shows names, descriptions and messages in hovers as text, and IDs in code spans a backtick cannot close', async () => {
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', hostile());
    api.tree.reload();
    const children = async (node?: TreeNode) => Promise.all((await api.tree.getChildren(node)).map(async (child) => ({ node: child, item: await child.getTreeItem() })));
    const example1 = (await children()).find(({ item }) => item.label === 'example1')!.node;
    const bots = await children(example1);
    const tooltip = (label: string, rows: { item: vscode.TreeItem }[]) => (rows.find(({ item }) => item.label === label)!.item.tooltip as vscode.MarkdownString).value;

    assert.ok(codeSpans(tooltip('Tick', bots)).includes(TICK_ID), tooltip('Tick', bots));
    const botHover = tooltip(`Hostile ${LINK}`, bots);
    assert.doesNotMatch(botHover, /(?<!\\)\]\(|https?:\/\/evil|command:/, botHover);

    const jobs = await children(bots.find(({ item }) => item.label === `Hostile ${LINK}`)!.node);
    const jobHover = (jobs.find(({ item }) => item.id?.endsWith(job.job_id))!.item.tooltip as vscode.MarkdownString).value;
    assert.ok(codeSpans(jobHover).includes(job.job_id), jobHover);
    assert.doesNotMatch(jobHover, /(?<!\\)\]\(|command:/, jobHover);
  });
});
