// Cloud BOT's language model tools inside the real VS Code, against the emulator, called the way an
// agent calls them: listed in vscode.lm.tools from the manifest, invoked through vscode.lm.invokeTool
// (which checks nothing against the schema, so the tools must). The integration run confirms tool
// calls by itself, so the confirmation's words are checked through prepareInvocation directly.
// In a VS Code older than these APIs (the lowest we support), what its user gets instead: no tools,
// and the extension working without them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { languageModels, textOf } from '../../src/agents/newerApi';
import { AGENT_TOOLS } from '../../src/core/agent/toolDefinitions';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import { eventually } from '../emulator/testing';
import { EXTENSION_ID, openJson, setUpSuite, signInWithEveryPermission, storedFiles, tearDownSuite, type Suite } from './harness';

/**
 * Whether this VS Code is 1.`minor` or later. What the tests expect follows VS Code's version, not the
 * extension's own feature detection, so that a detection gone wrong fails them.
 */
function since(minor: number): boolean {
  const [major, ownMinor] = vscode.version.split('.').map(Number);
  return major > 1 || ownMinor >= minor;
}
// Language model tools came with VS Code 1.95, MCP server definition providers with 1.101.
const withTools = since(95) ? it : it.skip;
const withoutTools = since(95) ? it.skip : it;
const withMcp = since(101) ? it : it.skip;

interface Invoked {
  text: string;
  data: Record<string, unknown> | undefined;
}

describe('agent tools in VS Code', function () {
  this.timeout(60_000);
  let suite: Suite;
  let api: CloudBotTestApi;
  const results: string[] = [];

  before(async () => {
    suite = await setUpSuite();
    api = suite.api;
  });
  after(async () => {
    try {
      // No credential in anything a tool answered, nor on disk after the MCP server had them in its environment.
      const answered = results.join('\n');
      const stored = storedFiles(api).map((file) => readFileSync(file, 'latin1'));
      for (const token of suite.emulator.tokens) {
        for (const secret of [token.accessToken, token.secretKey]) {
          assert.ok(!answered.includes(secret), 'a tool result holds a credential');
          assert.ok(!stored.some((content) => content.includes(secret)), 'a credential was written to logs, settings or storage');
        }
      }
    } finally {
      await tearDownSuite(suite);
    }
  });

  const posts = () => suite.emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;

  async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<Invoked> {
    const result = await languageModels()!.invokeTool!(name, { input, toolInvocationToken: undefined }, token);
    const text = textOf(result);
    let data: Record<string, unknown> | undefined;
    for (const part of result.content) {
      if (part && typeof part === 'object' && 'mimeType' in part && 'data' in part) data = JSON.parse(Buffer.from((part as { data: Uint8Array }).data).toString('utf8')) as Record<string, unknown>;
    }
    results.push(text, JSON.stringify(data));
    return { text, data };
  }

  withTools('are listed by VS Code with the manifest\'s schemas and tags', () => {
    for (const definition of AGENT_TOOLS) {
      const listed = languageModels()!.tools!.find((tool) => tool.name === definition.name);
      assert.ok(listed, `${definition.name} is listed`);
      assert.deepEqual(listed.inputSchema, definition.inputSchema, `${definition.name}: the manifest's schema is core's`);
      assert.equal(listed.description, definition.description);
      assert.ok(listed.tags.includes('cloudbot') && listed.tags.includes(definition.destructive ? 'cloudbot-run' : 'cloudbot-read'), listed.tags.join());
    }
  });

  withTools('find a BOT, describe it, execute it and get its job, with structured data next to the text', async () => {
    const found = await invoke('cloudbot_list_bots', { query: 'echo' });
    assert.match(found.text, /example1\/echo: Echo BOT/);
    assert.ok((found.data?.bots as { id: string }[]).some((bot) => bot.id === 'echo'));
    const described = await invoke('cloudbot_describe_bot', { contract: 'example1', botId: 'echo' });
    assert.deepEqual(Object.keys((described.data?.inputSchema as { properties: object }).properties), ['Message']);
    const before = posts();
    const executed = await invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'エージェントから' } });
    assert.equal(posts(), before + 1);
    assert.equal(executed.data?.status, 'succeeded', executed.text);
    assert.deepEqual(executed.data?.output, { Message: 'エージェントから' });
    const job = await invoke('cloudbot_get_job', { contract: 'example1', jobId: executed.data?.jobId as string });
    assert.match(job.text, /succeeded/);
    assert.match(job.text, /Message: "エージェントから"/);
    // The job is the user's like any other: in the history that Show Jobs and list_jobs read.
    // The agent-style sequence as a model reads it, in the test log: describe, execute, get the job.
    for (const [step, said] of [['describe', described], ['execute', executed], ['get job', job]] as const) console.log(`      agent › ${step}:\n${said.text.replace(/^/gm, '        ')}`);
    const recent = await invoke('cloudbot_list_jobs', {});
    assert.equal((recent.data?.jobs as { jobId: string }[])[0].jobId, executed.data?.jobId);
  });

  withTools('check input and parameters before sending anything, naming the item', async () => {
    const before = posts();
    const wrongItem = await invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'with_defaults', input: { Name: 'Hanako', Colour: ['red'] } });
    assert.match(wrongItem.text, /^Error \(badInput\): Nothing was executed/);
    assert.match(wrongItem.text, /"Colour" is not an input item of this BOT/);
    assert.equal((wrongItem.data?.error as { item: string }).item, 'Colour');
    const wrongType = await invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'x' }, waitSeconds: 'a while' });
    assert.match(wrongType.text, /"waitSeconds" must be a whole number/);
    assert.equal(posts(), before);
    // The extension's errors reach the tools' own bundle and are still told apart.
    const missing = await invoke('cloudbot_describe_bot', { contract: 'example1', botId: 'no_such_bot' });
    assert.equal((missing.data?.error as { code: string }).code, 'botNotFound', missing.text);
    const refused = await invoke('cloudbot_list_bots', { contract: 'example3' });
    assert.match(refused.text, /Contract example3 could not be listed: Error \(forbidden\)/);
  });

  withTools('ask for a confirmation that names the account, contract, BOT and exact input', async () => {
    const tool = api.languageModelTools.get('cloudbot_execute_bot')!;
    const token = new vscode.CancellationTokenSource().token;
    const prepared = await tool.prepareInvocation!({ input: { contract: 'example1', botId: 'echo', input: { Message: 'confirm me' } } }, token);
    assert.equal(prepared?.confirmationMessages?.title, 'Execute Echo BOT in Cloud BOT?');
    // As it reads: server text goes in as escaped text (spaces as &nbsp;, punctuation with backslashes).
    const message = (prepared?.confirmationMessages?.message as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\([()[\]])/g, '$1');
    assert.match(message, /Account: Access token \(example1, example2, example3\)/);
    assert.match(message, /Contract: example1/);
    assert.match(message, /BOT: Echo BOT \(echo\)/);
    assert.match(message, /```json\n\{\n {2}"Message": "confirm me"\n\}\n```/);
    assert.ok(!(prepared?.confirmationMessages?.message as vscode.MarkdownString).isTrusted, 'no command links');
    const batch = await tool.prepareInvocation!({ input: { contract: 'example1', botId: 'echo', inputs: [{ Message: 'a' }, { Message: 'b' }] } }, token);
    assert.equal(batch?.confirmationMessages?.title, 'Execute Echo BOT 2 times in Cloud BOT?');
    const suspend = await api.languageModelTools.get('cloudbot_suspend_job')!.prepareInvocation!({ input: { contract: 'example1', jobId: 'j-1' } }, token);
    assert.equal(suspend?.confirmationMessages?.title, 'Suspend job j-1 in Cloud BOT?');
    // Input that cannot run asks nothing; reading tools ask nothing either.
    assert.equal(await tool.prepareInvocation!({ input: { contract: 'example1', botId: 'echo', input: { Nope: 'x' } } }, token), undefined);
    assert.equal((await api.languageModelTools.get('cloudbot_list_bots')!.prepareInvocation!({ input: {} }, token))?.confirmationMessages, undefined);
  });

  withTools('run nothing that was not confirmed', async () => {
    const before = posts();
    // invoke without prepareInvocation: as if VS Code had not asked the user.
    const result = await api.languageModelTools.get('cloudbot_execute_bot')!.invoke({ input: { contract: 'example1', botId: 'echo', input: { Message: 'sneaky' } } }, new vscode.CancellationTokenSource().token);
    assert.equal(posts(), before);
    assert.match(textOf(result), /the user did not confirm this call, so nothing was done/);
  });

  withTools('stop waiting when cancelled, leaving the job running, and suspend it after confirmation', async () => {
    const cancel = new vscode.CancellationTokenSource();
    const before = posts();
    const pending = invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'long_running', input: { Message: 'long' } }, cancel.token);
    await eventually(() => posts() > before || undefined);
    cancel.cancel();
    // VS Code answers a cancelled call with a CancellationError; the tool only stops waiting.
    await assert.rejects(pending, /Canceled/);
    const running = await eventually(() => api.store.entries().find((entry) => entry.job.bot_id === 'long_running' && entry.job.status === 2 && entry.mine));
    assert.equal(running.interests.tool, 0, 'nothing waits for it any more');
    const jobId = running.ref.jobId;
    const waited = await invoke('cloudbot_get_job', { contract: 'example1', jobId, waitSeconds: 1 });
    assert.equal(waited.data?.status, 'running');
    const suspended = await invoke('cloudbot_suspend_job', { contract: 'example1', jobId });
    assert.equal(suspended.data?.status, 'failed', suspended.text);
  });

  withTools('run a list of inputs as one batch of the extension, seen in its batches', async () => {
    const result = await invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', inputs: [{ Message: '一' }, { Message: '二' }, { Message: '三' }] });
    assert.match(result.text, /3 succeeded, 0 failed, 0 running, 0 waiting, of 3/);
    const ledger = await api.batches.get(result.data?.batchId as string);
    assert.deepEqual(ledger?.rows.map((row) => row.state), ['succeeded', 'succeeded', 'succeeded']);
    await api.batches.remove(ledger!.id);
  });

  withMcp('offer the MCP server to VS Code\'s own MCP client, whose tools then work', async function () {
    this.timeout(120_000);
    const serverId = `${EXTENSION_ID}/Cloud BOT`;
    await vscode.commands.executeCommand('workbench.mcp.startServer', serverId, { waitForLiveTools: true });
    try {
      const mcpTools = await eventually(() => {
        const found = languageModels()!.tools!.filter((tool) => tool.tags.includes('mcp') && tool.name.includes('cloudbot_'));
        return found.length === AGENT_TOOLS.length ? found : undefined;
      }, 60_000);
      const listBots = mcpTools.find((tool) => tool.name.endsWith('cloudbot_list_bots'))!;
      assert.deepEqual(listBots.inputSchema, AGENT_TOOLS[0].inputSchema);
      const listed = await invoke(listBots.name, { query: 'defaults' });
      // VS Code hands the model the server's structured content, as JSON. The server ran with the
      // signed-in session's access token, passed to its process only.
      const { bots } = JSON.parse(listed.text) as { bots: { account: string; contract: string; id: string }[] };
      assert.deepEqual(bots.map(({ account, contract, id }) => [account, contract, id]), [['CLOUDBOT_ACCESS_TOKEN', 'example1', 'with_defaults']]);
    } finally {
      await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId);
    }
  });

  withTools('say what to do when nobody is signed in, and work again after signing in', async () => {
    for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
    const signedOut = await invoke('cloudbot_list_bots', {});
    assert.equal((signedOut.data?.error as { code: string }).code, 'notSignedIn');
    assert.match(signedOut.text, /sign in with the "Cloud BOT: Sign In" command/);
    await signInWithEveryPermission(api, suite.emulator);
    const again = await invoke('cloudbot_list_bots', { contract: 'example2' });
    assert.match(again.text, /example2\/daily_report/);
  });

  withoutTools('are not registered where VS Code has none (before 1.95), and the extension is active without them', () => {
    assert.equal(api.languageModelTools.size, 0);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
  });

  withoutTools('leave BOTs to the commands where VS Code has none, which work: a BOT executes, its job is in the history, and signing out forgets it', async () => {
    await openJson('{"Message": "without agent tools"}');
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', { sessionId: suite.sessionId, publicId: 'example1', botId: 'echo' });
    assert.equal(job?.status, 0);
    assert.deepEqual(job.output, { Message: 'without agent tools' });
    assert.equal(api.history.get(job.job_id)?.status, 0);
    // Listened to from after the agent features' registration in activate().
    for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
    await eventually(() => api.history.get(job.job_id) === undefined || undefined);
    await signInWithEveryPermission(api, suite.emulator);
  });
});
