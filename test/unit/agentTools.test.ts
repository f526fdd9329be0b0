// The agent tools against the emulator over real HTTP: every host (Copilot's tools, the MCP server)
// gets these results. Nothing is sent before the input is checked, errors come back as results, and
// waits end when they should.
import * as assert from 'node:assert/strict';
import { AgentTools, type AgentAccount, type AgentHost } from '../../src/core/agent/agentTools';
import { MemoryBatches } from '../../src/core/agent/memoryBatches';
import { AGENT_TOOLS } from '../../src/core/agent/toolDefinitions';
import { CloudBotClient } from '../../src/core/client';
import { JobStore } from '../../src/core/jobStore';
import { startEmulator, type RunningEmulator } from '../emulator';

describe('Agent tools against the emulator', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const cleanups: (() => void)[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emulator.close();
  });
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  const tokenWith = (permissions: string[]) => emulator.tokens.find((t) => t.permissions.length === permissions.length && permissions.every((p) => t.permissions.includes(p)))!;

  function toolsFor(accounts: AgentAccount[], permissions = ['refer', 'execute', 'suspend', 'modify'], extra: Partial<AgentHost> = {}) {
    const token = tokenWith(permissions);
    const client = () =>
      new CloudBotClient({
        apiBaseUrl: emulator.apiBaseUrl,
        language: 'en',
        credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) },
        retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 },
      });
    const store = new JobStore(client);
    const batches = new MemoryBatches({ store, client, concurrency: 3 });
    cleanups.push(() => (batches.dispose(), store.dispose()));
    const host: AgentHost = { accounts: async () => accounts, client, store, batches, chooseAccount: async () => undefined, signInHint: 'Sign in first.', ...extra };
    return { tools: new AgentTools(host), store, token };
  }
  const one = [{ sessionId: 's1', label: 'user@example.com' }];
  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;

  it('lists BOTs, filtered by a query on ID, name or description', async () => {
    const { tools } = toolsFor(one);
    const all = await tools.invoke('cloudbot_list_bots', {});
    assert.equal(all.isError, false, all.text);
    const ids = (all.data.bots as { contract: string; id: string }[]).map((bot) => `${bot.contract}/${bot.id}`);
    assert.ok(ids.includes('example1/with_defaults') && ids.includes('example1/echo'), ids.join());
    // A contract with External Connections off is said, without hiding the others.
    assert.deepEqual((all.data.unavailable as { contract: string }[]).map((c) => c.contract), ['example3']);
    assert.match(all.text, /Contract example3 could not be listed: Error \(forbidden\)/);
    const some = await tools.invoke('cloudbot_list_bots', { query: 'DEFAULT VALUES' });
    assert.deepEqual((some.data.bots as { id: string }[]).map((bot) => bot.id), ['with_defaults']);
    assert.match(some.text, /^1 BOT\(s\) matching "DEFAULT VALUES"/);
    assert.match(some.text, /example1\/with_defaults: BOT With Defaults — Declares default values/);
  });

  it('describes a BOT: its input as a JSON Schema, an example input and its output items', async () => {
    const { tools } = toolsFor(one);
    const result = await tools.invoke('cloudbot_describe_bot', { contract: 'example1', botId: 'with_defaults' });
    assert.equal(result.isError, false, result.text);
    const schema = result.data.inputSchema as { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.properties.Name, { type: 'string', description: 'Who to greet', default: 'Taro Yamada' });
    assert.deepEqual(schema.properties.Colors.items, { type: 'string' });
    const orders = schema.properties.Orders.items as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(orders.properties), ['Item', 'Quantity', 'Notes', 'Attachment']);
    assert.equal((schema.properties.Attachment.properties as { type: { const: string } }).type.const, 'files');
    assert.equal((result.data.exampleInput as Record<string, unknown>).Name, 'Taro Yamada');
    assert.deepEqual((result.data.outputItems as { name: string }[]).map((item) => item.name), ['Name', 'Colors', 'Orders', 'Attachment']);
    assert.match(result.text, /- Orders \(group with columns Item \(text\), Quantity \(text\), Notes \(list\), Attachment \(files\)\): Items to order/);
  });

  it('refuses input that does not fit the BOT, naming the item, and sends nothing', async () => {
    const { tools } = toolsFor(one);
    const before = posts();
    const unknown = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'with_defaults', input: { Nmae: 'Hanako' } });
    assert.equal(unknown.isError, true);
    assert.deepEqual((unknown.data.error as { code: string; item: string }).code, 'badInput');
    assert.equal((unknown.data.error as { item: string }).item, 'Nmae');
    assert.match(unknown.text, /"Nmae" is not an input item of this BOT\. Its items are: "Name", "Colors", "Orders", "Attachment"/);
    const wrongKind = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'with_defaults', input: { Orders: [{ Item: 3 }] } });
    assert.equal((wrongKind.data.error as { item: string }).item, 'Orders[0].Item');
    const inBatch = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', inputs: [{ Message: 'a' }, { Message: ['b'] }] });
    assert.equal((inBatch.data.error as { item: string }).item, 'inputs[1].Message');
    const badParams = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: 'hello' });
    assert.deepEqual(badParams.data.error, { code: 'badParameters', message: '"input" must be a JSON object.', parameter: 'input' });
    const extra = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', bot: 'x' });
    assert.equal((extra.data.error as { parameter: string }).parameter, 'bot');
    assert.equal(posts(), before);
  });

  it('executes a BOT, waits for its end and returns the output', async () => {
    const { tools } = toolsFor(one);
    const result = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'こんにちは' } });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.data.status, 'succeeded');
    assert.deepEqual(result.data.output, { Message: 'こんにちは' });
    assert.equal(result.data.waiting, false);
    assert.match(result.text, /^Job \S+ of example1\/echo \(Echo BOT\): succeeded/);
    assert.match(result.text, /Output:\n {2}Message: "こんにちは"/);
    const job = await tools.invoke('cloudbot_get_job', { contract: 'example1', jobId: result.data.jobId });
    assert.deepEqual(job.data.output, { Message: 'こんにちは' });
  });

  it('answers with the job still running after a bounded wait, then suspends it', async () => {
    const { tools } = toolsFor(one);
    const started = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'long_running', input: { Message: 'x' }, waitSeconds: 0 });
    assert.equal(started.data.status, 'running');
    assert.equal(started.data.waiting, true);
    assert.match(started.text, /Still running: call cloudbot_get_job with contract "example1" and jobId "[^"]+"/);
    const waited = await tools.invoke('cloudbot_get_job', { contract: 'example1', jobId: started.data.jobId, waitSeconds: 1 });
    assert.equal(waited.data.status, 'running');
    const suspended = await tools.invoke('cloudbot_suspend_job', { contract: 'example1', jobId: started.data.jobId });
    assert.equal(suspended.isError, false, suspended.text);
    assert.equal(suspended.data.status, 'failed');
    assert.match(suspended.text, /It was suspended\./);
  });

  it('stops waiting when cancelled, and sends nothing when cancelled before', async () => {
    const { tools } = toolsFor(one);
    const cancel = new AbortController();
    const pending = tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'long_running', input: { Message: 'x' } }, cancel.signal);
    const before = posts();
    while (posts() === before) await new Promise((resolve) => setTimeout(resolve, 20));
    cancel.abort();
    const result = await pending;
    assert.equal(result.data.status, 'running');
    assert.match(result.text, /Stopped waiting \(cancelled\); the job goes on in Cloud BOT\./);
    await tools.invoke('cloudbot_suspend_job', { contract: 'example1', jobId: result.data.jobId });
    const sent = posts();
    const early = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'y' } }, cancel.signal);
    assert.equal((early.data.error as { code: string }).code, 'cancelled');
    assert.equal(posts(), sent);
  });

  it('runs a list of inputs as one batch, and reports each', async () => {
    const { tools } = toolsFor(one);
    const result = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', inputs: [{ Message: 'a' }, { Message: 'b' }, { Message: 'c' }] });
    assert.equal(result.isError, false, result.text);
    assert.deepEqual(result.data.counts, { total: 3, done: 3, succeeded: 3, failed: 0, running: 0, pending: 0 });
    assert.match(result.text, /^Batch \S+ of example1\/echo: 3 succeeded, 0 failed, 0 running, 0 waiting, of 3\./);
    const again = await tools.invoke('cloudbot_get_job', { contract: 'example1', batchId: result.data.batchId });
    assert.equal((again.data.rows as { state: string }[]).filter((row) => row.state === 'succeeded').length, 3);
  });

  it('lists the jobs of a BOT, and those executed here', async () => {
    const { tools } = toolsFor(one);
    const executed = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'listed' } });
    const ofBot = await tools.invoke('cloudbot_list_jobs', { contract: 'example1', botId: 'echo', limit: 5 });
    assert.equal((ofBot.data.jobs as { jobId: string }[])[0].jobId, executed.data.jobId);
    const here = await tools.invoke('cloudbot_list_jobs', {});
    assert.deepEqual((here.data.jobs as { jobId: string }[]).map((job) => job.jobId), [executed.data.jobId]);
    const needsContract = await tools.invoke('cloudbot_list_jobs', { botId: 'echo' });
    assert.equal((needsContract.data.error as { code: string }).code, 'badParameters');
  });

  it('says what to do when nobody is signed in, access is refused or the BOT does not exist', async () => {
    const signedOut = await toolsFor([]).tools.invoke('cloudbot_list_bots', {});
    assert.deepEqual(signedOut.data.error, { code: 'notSignedIn', message: 'Nobody is signed in to Cloud BOT. Sign in first.' });
    const { tools, token } = toolsFor(one, ['refer']);
    const before = posts();
    const refused = await tools.invoke('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'x' } });
    assert.equal((refused.data.error as { code: string }).code, 'forbidden');
    assert.match(refused.text, /need the "Execute" permission, or the contract has External Connections turned off/);
    assert.equal(posts(), before + 1);
    const missing = await tools.invoke('cloudbot_describe_bot', { contract: 'example1', botId: 'no_such_bot' });
    assert.equal((missing.data.error as { code: string }).code, 'botNotFound');
    const unknownTool = await tools.invoke('cloudbot_delete_everything', {});
    assert.match(unknownTool.text, /There is no tool "cloudbot_delete_everything"/);
    for (const result of [refused, missing, unknownTool]) assert.ok(!JSON.stringify(result).includes(token.secretKey) && !JSON.stringify(result).includes(token.accessToken));
  });

  it('asks which account to use only when several have the contract, once per contract', async () => {
    const asked: string[][] = [];
    const two = [
      { sessionId: 's1', label: 'first' },
      { sessionId: 's2', label: 'second' },
    ];
    const { tools } = toolsFor(two, undefined, { chooseAccount: async (accounts) => (asked.push(accounts.map((a) => a.label)), accounts[1]) });
    const confirmation = await tools.confirmation('cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'x' } });
    assert.ok(confirmation.ok);
    assert.deepEqual(confirmation.value, { kind: 'execute', account: 'second', contract: 'example1', botId: 'echo', botName: 'Echo BOT', inputs: [{ Message: 'x' }], batch: false });
    await tools.confirmation('cloudbot_suspend_job', { contract: 'example1', jobId: 'j1' });
    assert.deepEqual(asked, [['first', 'second']]);
  });

  it('checks the parameters of every tool against its own schema', async () => {
    const { tools } = toolsFor(one);
    for (const tool of AGENT_TOOLS) {
      const result = await tools.invoke(tool.name, { waitSeconds: 'soon', contract: 7 });
      assert.equal((result.data.error as { code: string }).code, 'badParameters', tool.name);
    }
    const tooLong = await tools.invoke('cloudbot_get_job', { contract: 'example1', jobId: 'j', waitSeconds: 100_000 });
    assert.equal((tooLong.data.error as { message: string }).message, '"waitSeconds" must be at most 300.');
  });
});
