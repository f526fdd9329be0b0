// The `cloudbot` command line as CI gets it: the built dist/cloudbot.js run as a child process against
// the emulator on 127.0.0.1, its exit codes, its JUnit XML read back by an XML parser, its JSON, and
// everything it writes searched for the secrets it was given. Every child is stopped by its pid.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { XMLParser } from 'fast-xml-parser';
import { AGENT_TOOLS } from '../../src/core/agent/toolDefinitions';
import { startEmulator, type RunningEmulator } from '../emulator';
import { eventually } from '../emulator/testing';
import { alive } from '../processes';

const root = resolve(__dirname, '..', '..', '..');
const CLI = join(root, 'dist', 'cloudbot.js');
/** A safety net for a child that hangs: it is killed, and the test fails on its exit code. */
const CHILD_LIMIT_MS = 60_000;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Everything any child wrote, searched at the end for the secrets given. */
const written: string[] = [];

function start(args: string[], env: Record<string, string>, cwd: string, script = CLI): { child: ChildProcess; done: Promise<Finished> } {
  // Only what is given here and PATH: never this process's own environment.
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const limit = setTimeout(() => child.pid && alive(child.pid) && process.kill(child.pid, 'SIGKILL'), CHILD_LIMIT_MS);
  const done = once(child, 'close').then(([code]) => {
    clearTimeout(limit);
    const finished = { code: code as number | null, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    written.push(finished.stdout, finished.stderr);
    return finished;
  });
  return { child, done };
}

const fileText = (bot: string, input: Record<string, unknown>, expect?: unknown) => `${JSON.stringify({ bot: { contract: 'example1', id: bot }, input, ...(expect === undefined ? {} : { expect }) }, null, 2)}\n`;

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name) });

describe('the cloudbot command line (dist/cloudbot.js), against the emulator', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let dir: string;
  let env: Record<string, string>;
  const secretValue = 'Tr0ub4dor"&3\\<x>';
  const run = (args: string[], extra: Record<string, string> = {}) => start(args, { ...env, ...extra }, dir).done;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build first (node scripts/build.mjs)`);
    emulator = await startEmulator({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'cloudbot-cli-test-'));
    env = { CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl, CLOUDBOT_ACCESS_TOKEN: emulator.tokens[0].accessToken, CLOUDBOT_SECRET_KEY: emulator.tokens[0].secretKey };
    write('checks/pass.cloudbot.json', fileText('echo', { Message: 'hello ${env:WHO}' }, { status: 'succeeded', output: { Message: 'hello world' } }));
    write('checks/more/fail.cloudbot.json', fileText('echo', { Message: 'hello' }, { status: 'succeeded', output: { Message: { matches: '^bye' } } }));
    write('checks/more/job-fails.cloudbot.json', fileText('fail', {}));
    write('broken/invalid.cloudbot.json', fileText('echo', { Message: '${env:NOT_SET_ANYWHERE}' }, { status: 'succeeded' }));
    write('broken/bad-expect.cloudbot.json', fileText('echo', {}, { status: 'fine' }));
    write('secret.cloudbot.json', fileText('echo', { Message: 'the secret is ${secret:api.key}' }, { output: { Message: 'the secret is nothing' } }));
    write('long.cloudbot.json', fileText('long_running', {}));
  });
  after(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const secret of [env.CLOUDBOT_ACCESS_TOKEN, env.CLOUDBOT_SECRET_KEY, secretValue]) {
      assert.ok(!written.some((text) => text.includes(secret)), 'a secret was written by the command line');
    }
  });

  it('exits 0 when every check passes, and resolves ${env:…} from its environment', async () => {
    const { code, stdout } = await run(['test', 'checks/pass.cloudbot.json'], { WHO: 'world' });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^PASS checks\/pass\.cloudbot\.json {2}example1\/echo \(Echo BOT\), job \S+: succeeded/m);
    assert.match(stdout, /^1 file: 1 passed, 0 failed, 0 errors, 0 invalid, 0 stopped/m);
  });

  it('exits 1 when a check fails, with the expectation, what was expected and what came', async () => {
    const { code, stdout } = await run(['test', 'checks/more/fail.cloudbot.json']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^FAIL checks\/more\/fail\.cloudbot\.json/m);
    assert.match(stdout, /✗ Output item "Message" does not match \/\^bye\/\. \(line 13\)/);
    assert.match(stdout, /expected: \/\^bye\//);
    assert.match(stdout, /actual: hello/);
  });

  it('exits 1 from `run` when a job fails, and prints each output', async () => {
    const failing = await run(['run', 'checks/more/job-fails.cloudbot.json']);
    assert.equal(failing.code, 1, failing.stdout);
    assert.match(failing.stdout, /^FAIL checks\/more\/job-fails\.cloudbot\.json {2}example1\/fail .*: error/m);
    const passing = await run(['run', 'checks/pass.cloudbot.json'], { WHO: 'world' });
    assert.equal(passing.code, 0, passing.stdout);
    // A resolved value, even an environment variable's, is never shown: the output echoes it.
    assert.match(passing.stdout, /^ {4}Message: "hello ••••"$/m);
  });

  it('exits 2 for usage errors and for files that cannot run, and sends nothing for them', async () => {
    const posts = () => emulator.requests.filter((request) => request.method === 'POST').length;
    const before = posts();
    for (const args of [['test'], ['test', 'nowhere/*.cloudbot.json'], ['test', 'checks', '--concurrency', '0'], ['test', 'checks', '--bogus'], ['launch'], ['job']]) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    }
    const invalid = await run(['test', 'broken']);
    assert.equal(invalid.code, 2, invalid.stdout);
    assert.match(invalid.stdout, /^INVALID broken\/bad-expect\.cloudbot\.json:8:15 /m);
    assert.match(invalid.stdout, /"status" must be "succeeded" or "failed"\./);
    assert.match(invalid.stdout, /^INVALID broken\/invalid\.cloudbot\.json:7:17 /m);
    assert.match(invalid.stdout, /\$\{env:NOT_SET_ANYWHERE\}: the environment variable NOT_SET_ANYWHERE is not set\./);
    assert.equal(posts(), before);
  });

  it('exits 3 when the credentials are refused, or none are given, or Cloud BOT cannot be reached', async () => {
    const refused = await run(['test', 'checks/pass.cloudbot.json'], { WHO: 'world', CLOUDBOT_SECRET_KEY: 'not-the-secret-key' });
    assert.equal(refused.code, 3, refused.stdout);
    assert.match(refused.stdout, /^ERROR checks\/pass\.cloudbot\.json/m);
    assert.match(refused.stdout, /Cloud BOT refused the credentials/);
    const none = await start(['test', 'checks/pass.cloudbot.json'], { WHO: 'world', CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl }, dir).done;
    assert.equal(none.code, 3, none.stderr);
    assert.match(none.stderr, /CLOUDBOT_ACCESS_TOKEN/);
    const unreachable = await run(['test', 'checks/pass.cloudbot.json'], { WHO: 'world', CLOUDBOT_API_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    assert.equal(unreachable.code, 3, unreachable.stdout);
    assert.match(unreachable.stdout, /ECONNREFUSED/);
  });

  it('writes JUnit XML that an XML parser reads back with the same counts as its report', async () => {
    const { code, stdout } = await run(['test', 'checks', 'broken', '--junit', 'reports/junit.xml', '--json'], { WHO: 'world' });
    assert.equal(code, 2, stdout);
    const report = JSON.parse(stdout) as { exitCode: number; counts: Record<string, number>; files: { path: string; verdict: string }[] };
    assert.equal(report.exitCode, 2);
    assert.deepEqual(report.counts, { passed: 1, failed: 2, errored: 0, invalid: 2, stopped: 0 });
    const xml = parser.parse(readFileSync(join(dir, 'reports/junit.xml'), 'utf8'));
    const suites = xml.testsuites.testsuite as { name: string; tests: string; failures: string; errors: string; testcase: { name: string; failure?: { message: string; '#text': string }[]; error?: unknown[] }[] }[];
    assert.deepEqual(
      [xml.testsuites.tests, xml.testsuites.failures, xml.testsuites.errors, xml.testsuites.skipped].map(Number),
      [report.files.length, report.counts.failed, report.counts.errored + report.counts.invalid, report.counts.stopped],
    );
    assert.deepEqual(suites.map((suite) => suite.name).sort(), ['broken', 'checks', 'checks/more']);
    const more = suites.find((suite) => suite.name === 'checks/more')!;
    assert.deepEqual([more.tests, more.failures, more.errors].map(Number), [2, 2, 0]);
    const failed = more.testcase.find((testcase) => testcase.name === 'fail.cloudbot.json')!;
    assert.equal(failed.failure![0].message, 'Output item "Message" does not match /^bye/. (line 13)');
    assert.equal(failed.failure![0]['#text'], 'expected: /^bye/\nactual: hello');
    assert.equal(suites.find((suite) => suite.name === 'broken')!.testcase.filter((testcase) => testcase.error).length, 2);
  });

  it('resolves ${secret:…} from CLOUDBOT_INPUT_SECRET_<NAME>, and its value is in nothing it writes', async () => {
    const { code, stdout } = await run(['test', 'secret.cloudbot.json', '--junit', 'secret.xml'], { CLOUDBOT_INPUT_SECRET_API_KEY: secretValue });
    assert.equal(code, 1, stdout);
    const job = emulator.jobs().at(-1)!;
    assert.equal(job.input.Message, `the secret is ${secretValue}`);
    assert.equal(job.output?.Message, `the secret is ${secretValue}`);
    assert.match(stdout, /actual: the secret is ••••/);
    const xml = readFileSync(join(dir, 'secret.xml'), 'utf8');
    written.push(xml);
    assert.match(xml, /the secret is ••••/);
    const json = await run(['run', 'secret.cloudbot.json', '--json'], { CLOUDBOT_INPUT_SECRET_API_KEY: secretValue });
    assert.equal(JSON.parse(json.stdout).files[0].job.output.Message, 'the secret is ••••');
    const shown = await run(['job', `example1/${emulator.jobs().at(-1)!.job_id}`], { CLOUDBOT_INPUT_SECRET_API_KEY: secretValue });
    assert.match(shown.stdout, /Message: "the secret is ••••"/);
    const unset = await run(['test', 'secret.cloudbot.json']);
    assert.equal(unset.code, 2);
    assert.match(unset.stdout, /\$\{secret:api\.key\}: set the environment variable CLOUDBOT_INPUT_SECRET_API_KEY\./);
  });

  it('prints the run as JSON with --json: the job, its output, and the exit code', async () => {
    const { code, stdout } = await run(['run', 'checks/pass.cloudbot.json', 'checks/more/job-fails.cloudbot.json', '--json'], { WHO: 'world' });
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.mode, 'run');
    assert.equal(report.exitCode, 1);
    assert.deepEqual(
      report.files.map((file: { path: string; verdict: string; job: { status: string; botId: string } }) => [file.path, file.verdict, file.job.botId, file.job.status]),
      [
        ['checks/pass.cloudbot.json', 'passed', 'echo', 'succeeded'],
        ['checks/more/job-fails.cloudbot.json', 'failed', 'fail', 'failed'],
      ],
    );
    assert.deepEqual(report.files[0].job.output, { Message: 'hello ••••' });
  });

  it('lists the BOTs (`bots`), filtered by --query, naming a contract that refuses', async () => {
    const { code, stdout, stderr } = await run(['bots', '--query', 'echo']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n').map((line) => line.split('  ')[0]), ['example1/echo', 'example1/with_defaults', 'example2/echo']);
    assert.match(stderr, /example3: its BOTs could not be listed/);
    const json = JSON.parse((await run(['bots', '--json'])).stdout);
    assert.ok(json.bots.some((bot: { contract: string; id: string }) => bot.contract === 'example1' && bot.id === 'long_running'));
    assert.deepEqual(json.unavailable.map((refused: { contract: string }) => refused.contract), ['example3']);
  });

  it('shows a job (`job`) by its reference endpoint or public id/job id, waiting with --wait', async () => {
    const started = JSON.parse((await run(['run', 'checks/more/job-fails.cloudbot.json', '--json'])).stdout).files[0].job.jobId as string;
    const byId = await run(['job', `example1/${started}`]);
    assert.equal(byId.code, 1, byId.stderr);
    assert.match(byId.stdout, new RegExp(`^Job ${started} of example1/fail \\(Failing BOT\\): error`, 'm'));
    const byUrl = await run(['job', `${emulator.apiBaseUrl}/example1/jobs/${started}`, '--json', '--wait', '5']);
    assert.equal(JSON.parse(byUrl.stdout).jobId, started);
    const missing = await run(['job', 'example1/no-such-job']);
    assert.equal(missing.code, 2, missing.stderr);
    const otherHost = await run(['job', `https://elsewhere.example/example1/jobs/${started}`]);
    assert.equal(otherHost.code, 2, otherHost.stderr);
  });

  for (const policy of ['suspend', 'leave'] as const) {
    it(`on SIGINT with --on-interrupt ${policy}, stops, ${policy === 'suspend' ? 'suspends' : 'leaves'} the running job and exits 130`, async () => {
      const before = emulator.jobs().length;
      const { child, done } = start(['test', 'long.cloudbot.json', '--on-interrupt', policy], env, dir);
      const job = await eventually(() => emulator.jobs().slice(before).find((record) => record.bot_id === 'long_running'), 20_000);
      // The command knows of the job once the execute answer reached it: its first poll follows.
      await eventually(() => emulator.requests.find((request) => request.method === 'GET' && request.path.endsWith(`/jobs/${job.job_id}`)), 20_000);
      process.kill(child.pid!, 'SIGINT');
      const { code, stdout, stderr } = await done;
      assert.equal(code, 130, stderr);
      assert.match(stdout, /^STOPPED long\.cloudbot\.json/m);
      const record = emulator.jobs().find((candidate) => candidate.job_id === job.job_id)!;
      if (policy === 'suspend') {
        assert.ok(record.suspended, stderr);
        assert.match(stderr, new RegExp(`job ${job.job_id} suspended`));
      } else {
        assert.equal(record.suspended, false);
        assert.match(stderr, new RegExp(`job ${job.job_id} goes on in Cloud BOT`));
        // Its 10 minutes are not waited out: the emulator stops its run-time jobs.
        emulator.reset();
      }
    });
  }

  it('fails a file whose job does not end within --timeout, and leaves the job running', async () => {
    const { code, stdout } = await run(['test', 'long.cloudbot.json', '--timeout', '1', '--json', '--junit', 'timeout.xml']);
    assert.equal(code, 1, stdout);
    const [file] = JSON.parse(stdout).files;
    assert.deepEqual([file.verdict, file.timedOut, file.job.status], ['failed', true, 'running']);
    const xml = parser.parse(readFileSync(join(dir, 'timeout.xml'), 'utf8'));
    assert.equal(xml.testsuites.testsuite[0].testcase[0].failure[0].type, 'timeout');
    assert.ok(!emulator.jobs().find((record) => record.job_id === file.job.jobId)!.suspended);
    emulator.reset();
  });

  it('serves the MCP tools (`mcp`): a tools/list answers', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], env, stderr: 'pipe' });
    const client = new Client({ name: 'cloudbot-cli-test', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        AGENT_TOOLS.map((tool) => tool.name),
      );
    } finally {
      await client.close();
      await eventually(() => (alive(pid) ? undefined : true));
    }
  });

  it('runs from one file in a clean folder: dist/cloudbot.js copied alone, no node_modules', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'cloudbot-cli-clean-'));
    try {
      copyFileSync(CLI, join(clean, 'cloudbot.js'));
      writeFileSync(join(clean, 'x.cloudbot.json'), fileText('echo', { Message: 'from a clean folder' }, { status: 'succeeded', output: { Message: 'from a clean folder' } }));
      const { code, stdout, stderr } = await start(['test', 'x.cloudbot.json'], env, clean, join(clean, 'cloudbot.js')).done;
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /^PASS x\.cloudbot\.json/m);
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});
