// The MCP server as agents get it: the built dist/mcp.js, started and driven over stdio by the MCP SDK's
// own client, against the emulator on 127.0.0.1. Every server is stopped through the process this test
// started, and every result and all of its stderr are searched for the secrets it was given.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS } from '../../src/core/agent/toolDefinitions';
import { exchangeCode } from '../../src/core/oauth';
import { startEmulator, type RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { alive } from '../processes';
import { appOf, authorizedCode, REDIRECT_URI } from './oauthOnEmulator';

const root = resolve(__dirname, '..', '..', '..');
const SERVER = join(root, 'dist', 'mcp.js');

interface RunningServer {
  client: Client;
  pid: number;
  stderr(): string;
  /** Closes the client (which ends the server's stdin) and waits until the process is gone. */
  stop(): Promise<void>;
}

/** Secrets given to any server in this file, and everything any server wrote or answered. */
const secrets = new Set<string>();
const seen: string[] = [];

async function startServer(env: Record<string, string>): Promise<RunningServer> {
  for (const name of ['CLOUDBOT_ACCESS_TOKEN', 'CLOUDBOT_SECRET_KEY', 'CLOUDBOT_BEARER_TOKEN']) if (env[name]) secrets.add(env[name]);
  // Only the variables given here and the SDK's few defaults (PATH, HOME…): never this process's own.
  const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER], env, stderr: 'pipe' });
  const stderrChunks: Buffer[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
  const stderr = () => Buffer.concat(stderrChunks).toString('utf8');
  const client = new Client({ name: 'cloudbot-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid!;
  return {
    client,
    pid,
    stderr,
    stop: async () => {
      await client.close();
      await eventually(() => (alive(pid) ? undefined : true));
      seen.push(stderr());
    },
  };
}

async function call(server: RunningServer, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = (await server.client.callTool({ name, arguments: args })) as CallToolResult;
  seen.push(JSON.stringify(result));
  return result;
}

const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
const dataOf = (result: CallToolResult) => result.structuredContent as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- results are read field by field

describe('the MCP server (dist/mcp.js) through the MCP SDK client, against the emulator', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let server: RunningServer;
  const posts = () => emulator.requests.filter((request) => request.origin === 'api' && request.method === 'POST').length;
  const envFor = (token: { accessToken: string; secretKey: string }) => ({
    CLOUDBOT_ACCESS_TOKEN: token.accessToken,
    CLOUDBOT_SECRET_KEY: token.secretKey,
    CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl,
  });

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: build first (node scripts/build.mjs)`);
    emulator = await startEmulator({ port: 0, autoApprove: true });
    server = await startServer(envFor(emulator.tokens[0]));
  });
  after(async () => {
    await server?.stop();
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  it('lists the six tools, with the schemas of AGENT_TOOLS and annotations that mark execute and suspend destructive', async () => {
    const { tools } = await server.client.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      AGENT_TOOLS.map((tool) => tool.name),
    );
    for (const tool of tools) {
      const definition = AGENT_TOOLS.find((candidate) => candidate.name === tool.name)!;
      assert.deepEqual(tool.inputSchema, definition.inputSchema, tool.name);
      assert.equal(tool.title, definition.title);
      assert.equal(tool.description, definition.description);
      assert.deepEqual(
        tool.annotations,
        definition.destructive
          ? { title: definition.title, readOnlyHint: false, destructiveHint: true, openWorldHint: true }
          : { title: definition.title, readOnlyHint: true, openWorldHint: true },
        tool.name,
      );
    }
    assert.deepEqual(
      tools.filter((tool) => tool.annotations?.destructiveHint).map((tool) => tool.name),
      ['cloudbot_execute_bot', 'cloudbot_suspend_job'],
    );
  });

  it('lists the BOTs, filtered by a query', async () => {
    const result = await call(server, 'cloudbot_list_bots', { query: 'echo' });
    assert.equal(result.isError, false, textOf(result));
    const bots = dataOf(result).bots as { contract: string; id: string }[];
    // with_defaults "echoes its input" (its description).
    assert.deepEqual(bots.map((bot) => `${bot.contract}/${bot.id}`).sort(), ['example1/echo', 'example1/with_defaults', 'example2/echo']);
    assert.match(textOf(result), /example1\/echo/);
    // example3 has External Connections off: the others are listed, and it is named.
    assert.deepEqual(dataOf(result).unavailable.map((refused: { contract: string }) => refused.contract), ['example3']);
    assert.match(textOf(result), /example3 could not be listed/);
  });

  it('describes a BOT: its input as a JSON Schema with the defaults, an example input and its output items', async () => {
    const result = await call(server, 'cloudbot_describe_bot', { contract: 'example1', botId: 'with_defaults' });
    assert.equal(result.isError, false, textOf(result));
    const data = dataOf(result);
    assert.equal(data.botId, 'with_defaults');
    assert.deepEqual(Object.keys(data.inputSchema.properties).sort(), ['Attachment', 'Colors', 'Name', 'Orders']);
    assert.equal(data.inputSchema.properties.Name.type, 'string');
    assert.equal(data.exampleInput.Name, 'Taro Yamada');
    assert.match(textOf(result), /Name/);
  });

  it('executes a BOT and waits for its end: the output comes back, as text and structured', async () => {
    const result = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'こんにちは from MCP' }, waitSeconds: 30 });
    assert.equal(result.isError, false, textOf(result));
    const data = dataOf(result);
    assert.equal(data.status, 'succeeded');
    assert.equal(data.waiting, false);
    assert.deepEqual(data.output, { Message: 'こんにちは from MCP' });
    assert.match(textOf(result), /succeeded/);
    assert.match(textOf(result), /こんにちは from MCP/);
    assert.equal(posts(), 1);

    const job = await call(server, 'cloudbot_get_job', { contract: 'example1', jobId: data.jobId });
    assert.equal(job.isError, false, textOf(job));
    assert.equal(dataOf(job).jobId, data.jobId);
    assert.equal(dataOf(job).status, 'succeeded');
    assert.deepEqual(dataOf(job).output, { Message: 'こんにちは from MCP' });

    const jobs = await call(server, 'cloudbot_list_jobs', { contract: 'example1' });
    assert.ok((dataOf(jobs).jobs as { jobId: string }[]).some((listed) => listed.jobId === data.jobId));
  });

  it('suspends a running job', async () => {
    const started = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'long_running', input: { Message: 'stop me' }, waitSeconds: 0 });
    assert.equal(started.isError, false, textOf(started));
    assert.equal(dataOf(started).status, 'running');
    assert.match(textOf(started), /cloudbot_get_job/);

    const suspended = await call(server, 'cloudbot_suspend_job', { contract: 'example1', jobId: dataOf(started).jobId });
    assert.equal(suspended.isError, false, textOf(suspended));
    assert.equal(dataOf(suspended).status, 'failed');
    assert.match(textOf(suspended), /suspended/);
    assert.equal(emulator.jobs().find((job) => job.job_id === dataOf(started).jobId)?.status, 1);
  });

  it('refuses input that does not fit the BOT, naming the item, and sends nothing', async () => {
    const result = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 42, Mesage: 'typo' } });
    assert.equal(result.isError, true);
    assert.equal(dataOf(result).error.code, 'badInput');
    assert.equal(dataOf(result).error.item, 'Message');
    assert.match(textOf(result), /Message/);
    assert.match(textOf(result), /Mesage/);
    const batch = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', inputs: [{ Message: 'fine' }, { Message: ['not text'] }] });
    assert.equal(dataOf(batch).error.code, 'badInput');
    assert.equal(dataOf(batch).error.item, 'inputs[1].Message');
    const params = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', waitSeconds: 'soon' });
    assert.equal(dataOf(params).error.code, 'badParameters');
    assert.equal(posts(), 0);
  });

  it('answers an unknown tool with a protocol error that names the tools', async () => {
    await assert.rejects(server.client.callTool({ name: 'cloudbot_delete_everything', arguments: {} }), /cloudbot_list_bots/);
  });

  it('runs a list of inputs as one batch, and its rows come back', async () => {
    const result = await call(server, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', inputs: [{ Message: 'one' }, { Message: 'two' }, { Message: 'three' }], waitSeconds: 30 });
    assert.equal(result.isError, false, textOf(result));
    const data = dataOf(result);
    assert.equal(data.counts.total, 3);
    assert.equal(data.counts.succeeded, 3, textOf(result));
    assert.equal((data.rows as { jobId: string | null }[]).filter((row) => row.jobId).length, 3);
    assert.equal(posts(), 3);

    const again = await call(server, 'cloudbot_get_job', { contract: 'example1', batchId: data.batchId });
    assert.equal(dataOf(again).counts.succeeded, 3);
  });

  it('says which permission is missing when the token may only refer', async () => {
    const referOnly = emulator.tokens.find((token) => token.permissions.length === 1 && token.permissions[0] === 'refer')!;
    const limited = await startServer(envFor(referOnly));
    try {
      const result = await call(limited, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'hi' } });
      assert.equal(result.isError, true);
      assert.equal(dataOf(result).error.code, 'forbidden');
      assert.match(textOf(result), /"Execute" permission/);
    } finally {
      await limited.stop();
    }
  });

  it('works with an OAuth access token (CLOUDBOT_BEARER_TOKEN)', async () => {
    const app = appOf(emulator);
    const { accessToken } = await exchangeCode(app, await authorizedCode(app, ['refer', 'execute']), REDIRECT_URI);
    const bearer = await startServer({ CLOUDBOT_BEARER_TOKEN: accessToken, CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl });
    try {
      const result = await call(bearer, 'cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'bearer' }, waitSeconds: 30 });
      assert.equal(dataOf(result).status, 'succeeded', textOf(result));
      assert.ok(emulator.requests.some((request) => request.method === 'POST' && request.auth === 'bearer'));
    } finally {
      await bearer.stop();
    }
  });

  it('starts without credentials, lists its tools, and each call says which variables to set', async () => {
    const nobody = await startServer({ CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl });
    try {
      assert.equal((await nobody.client.listTools()).tools.length, AGENT_TOOLS.length);
      for (const [name, args] of [
        ['cloudbot_list_bots', {}],
        ['cloudbot_execute_bot', { contract: 'example1', botId: 'echo', input: { Message: 'hi' } }],
      ] as const) {
        const result = await call(nobody, name, args);
        assert.equal(result.isError, true);
        assert.equal(dataOf(result).error.code, 'notSignedIn');
        assert.match(textOf(result), /CLOUDBOT_ACCESS_TOKEN and CLOUDBOT_SECRET_KEY/);
        assert.match(textOf(result), /CLOUDBOT_BEARER_TOKEN/);
      }
      assert.match(nobody.stderr(), /no credentials/);
    } finally {
      await nobody.stop();
    }
    const half = await startServer({ CLOUDBOT_ACCESS_TOKEN: emulator.tokens[2].accessToken, CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl });
    try {
      const result = await call(half, 'cloudbot_list_bots', {});
      assert.equal(dataOf(result).error.code, 'notSignedIn');
      assert.match(textOf(result), /CLOUDBOT_SECRET_KEY is not set/);
    } finally {
      await half.stop();
    }
    assert.ok(!emulator.requests.some((request) => request.origin === 'api'), 'nothing was sent');
  });

  it('never shows a token or secret key: not in any result above, nor in any server\'s stderr', async () => {
    seen.push(server.stderr());
    assert.ok(secrets.size >= 5);
    for (const secret of secrets) for (const text of seen) assert.ok(!text.includes(secret), 'a secret was shown');
  });
});

describe('the MCP server process (dist/mcp.js)', function () {
  this.timeout(30_000);

  /** Starts the server with plain pipes: the way a client that just goes away leaves it. */
  function spawnServer(env: Record<string, string> = {}, args: string[] = []) {
    const child = spawn(process.execPath, [SERVER, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    started.push(child);
    return { child, exited, out: () => stdout, err: () => stderr };
  }
  const started: ChildProcess[] = [];
  // A failed test leaves nothing running: each server is stopped by the process it is.
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const ready = (server: ReturnType<typeof spawnServer>) => eventually(() => (/ready/.test(server.err()) ? true : undefined));

  it('exits with 0 when its client closes stdin', async () => {
    const server = spawnServer();
    await ready(server);
    server.child.stdin.end();
    assert.deepEqual(await server.exited, [0, null]);
    assert.equal(server.out(), '', 'nothing but the protocol on stdout');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits with 0 on ${signal}`, async () => {
      const server = spawnServer();
      await ready(server);
      server.child.kill(signal);
      assert.deepEqual(await server.exited, [0, null]);
    });
  }

  it('refuses an API base URL that is not https, without showing a secret', async () => {
    const server = spawnServer({ CLOUDBOT_API_BASE_URL: 'http://api.example.com/?key=s3cr3t-key', CLOUDBOT_ACCESS_TOKEN: 'tok', CLOUDBOT_SECRET_KEY: 's3cr3t-key' });
    assert.deepEqual(await server.exited, [2, null]);
    assert.match(server.err(), /CLOUDBOT_API_BASE_URL is not an https:\/\/ URL/);
    assert.ok(!server.err().includes('s3cr3t-key'));
  });

  it('prints its version and its help', async () => {
    const version = spawnServer({}, ['--version']);
    assert.deepEqual(await version.exited, [0, null]);
    assert.equal(version.out().trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    const help = spawnServer({}, ['--help']);
    assert.deepEqual(await help.exited, [0, null]);
    for (const name of ['CLOUDBOT_ACCESS_TOKEN', 'CLOUDBOT_SECRET_KEY', 'CLOUDBOT_BEARER_TOKEN', 'CLOUDBOT_API_BASE_URL']) assert.match(help.out(), new RegExp(name));
  });
});

describe('the MCP server through the MCP Inspector CLI, an independent client', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  before(async () => (emulator = await startEmulator({ port: 0 })));
  after(() => emulator?.close());

  it('executes a BOT and answers its output', async () => {
    const inspector = join(root, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');
    const token = emulator.tokens[0];
    const args = ['cli.js', '--cli', process.execPath, SERVER, '--method', 'tools/call', '--tool-name', 'cloudbot_execute_bot'];
    args.push('--tool-arg', 'contract=example1', 'botId=echo', 'input={"Message":"from the inspector"}', 'waitSeconds=30');
    // Run from its build folder: inspector-cli 1.0.3 looks for its own package.json relative to the
    // working directory, and fails to start anywhere else. The server gets the inspector's environment.
    const child = spawn(process.execPath, args, {
      cwd: inspector,
      env: { PATH: process.env.PATH ?? '', CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl, CLOUDBOT_ACCESS_TOKEN: token.accessToken, CLOUDBOT_SECRET_KEY: token.secretKey },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // The inspector starts node, which starts the server: their whole process group goes, at the latest
    // before the test's own time is up.
    const stopAll = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const bound = setTimeout(stopAll, 45_000);
    try {
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, stderr);
      const result = JSON.parse(stdout) as CallToolResult;
      assert.equal(result.isError, false, stdout);
      assert.equal(dataOf(result).status, 'succeeded');
      assert.deepEqual(dataOf(result).output, { Message: 'from the inspector' });
      for (const secret of [token.accessToken, token.secretKey]) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'a secret was shown');
    } finally {
      clearTimeout(bound);
      stopAll();
    }
  });
});
