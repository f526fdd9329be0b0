// BOT checks: an input file's `expect` block read with each expectation's place, held against jobs,
// and whole files run against the emulator over real HTTP.
import * as assert from 'node:assert/strict';
import { runCheck } from '../../src/core/checks/checkRun';
import { evaluate } from '../../src/core/checks/evaluate';
import { expectationsFromJob, withExpectations } from '../../src/core/checks/recordExpectations';
import { readExpectations, type Expectation } from '../../src/core/checks/expectations';
import { hasExpectations } from '../../src/core/inputFile';
import { CloudBotClient } from '../../src/core/client';
import { JobStore } from '../../src/core/jobStore';
import type { Job } from '../../src/core/types';
import { startEmulator, type RunningEmulator } from '../emulator';

const file = (expect: unknown, bot = 'all_outputs', input: object = {}) => JSON.stringify({ bot: { contract: 'example1', id: bot }, input, expect }, null, 2);

function expectationsOf(text: string): Expectation[] {
  const read = readExpectations(text);
  assert.ok(read.ok, JSON.stringify(read));
  return read.expectations;
}

const job = (fields: Partial<Job>): Job => ({ job_id: 'j1', bot_id: 'all_outputs', status: 0, ...fields });

describe('expect blocks', () => {
  it('are read with each expectation at the place of its value', () => {
    const text = file({ status: 'succeeded', message: 'finished', output: { Summary: '2 items found', Tags: { contains: 'Cake' }, Items: { rows: 2, contains: { 'Item name': 'x' } } }, maxDurationSeconds: 30 });
    const expectations = expectationsOf(text);
    assert.deepEqual(
      expectations.map((e) => [e.kind, e.kind === 'output' ? `${e.item}.${e.check}` : '', text.slice(e.at.offset, e.at.offset + e.at.length)]),
      [
        ['status', '', '"succeeded"'],
        ['message', '', '"finished"'],
        ['output', 'Summary.equals', '"2 items found"'],
        ['output', 'Tags.contains', '"Cake"'],
        ['output', 'Items.rows', '2'],
        ['output', 'Items.contains', '{\n          "Item name": "x"\n        }'],
        ['maxDuration', '', '30'],
      ],
    );
    assert.ok(hasExpectations(text));
    assert.ok(!hasExpectations(file(undefined)));
  });

  it('take an object that is not made of checks as a value to equal', () => {
    const [expectation] = expectationsOf(file({ output: { Attachment: { type: 'files', files: [] } } }));
    assert.deepEqual([expectation.kind, expectation.kind === 'output' && expectation.check], ['output', 'equals']);
  });

  it('refuse what cannot be checked, at its place', () => {
    const cases: [unknown, string, string][] = [
      [{ status: 'ok' }, 'badStatus', '"ok"'],
      [{ message: '(' }, 'badPattern', '"("'],
      [{ output: { Items: { rows: -1 } } }, 'badRows', '-1'],
      [{ maxDurationSeconds: 0 }, 'badDuration', '0'],
      [{ outputs: {} }, 'unknownField', '{}'],
      [{ output: [] }, 'notObject', '[]'],
      [{ message: 'x'.repeat(1001) }, 'badPattern', `"${'x'.repeat(1001)}"`],
    ];
    for (const [expect, code, at] of cases) {
      const text = file(expect);
      const read = readExpectations(text);
      assert.ok(!read.ok, JSON.stringify(expect));
      assert.equal(read.issue.code, code);
      assert.equal(text.slice(read.at.offset, read.at.offset + read.at.length), at);
    }
  });
});

describe('checks held against a job', () => {
  it('pass and fail each kind, with what was expected and what came', async () => {
    const expectations = expectationsOf(
      file({
        status: 'succeeded',
        message: '^The BOT',
        output: { Summary: { contains: 'items', matches: '^\\d+ items' }, 'Total price': '1500', Tags: { contains: 'Cheese' }, Items: { rows: 3 }, Missing: 'x' },
        outputSchema: { type: 'object', required: ['Summary'], properties: { Summary: { type: 'number' } } },
        maxDurationSeconds: 1,
      }),
    );
    const outcomes = await evaluate(expectations, job({ message: 'The BOT finished.', elapsed_time: 2, output: { Summary: '2 items found', 'Total price': '1500', Tags: ['Cake', 'Cheese'], Items: [{}, {}] } }), 0);
    assert.deepEqual(
      outcomes.map((o) => [o.passed, o.message]),
      [
        [true, ''],
        [true, ''],
        [true, ''],
        [true, ''],
        [true, ''],
        [true, ''],
        [false, 'Expected 3 rows in output item "Items", but it has 2.'],
        [false, 'Expected an output item "Missing", but the output has none.'],
        [false, 'The output does not fit the output schema (1 problems): #/Summary: Instance type "string" is invalid. Expected "number".'],
        [false, 'Expected the job to take at most 1 s, but it took 2 s.'],
      ],
    );
    const [status] = await evaluate(expectations.slice(0, 1), job({ status: 1 }), 0);
    assert.deepEqual([status.message, status.expected, status.actual], ['Expected the job to have succeeded, but it failed.', 'succeeded', 'failed']);
    const [equals] = await evaluate(expectationsOf(file({ output: { Tags: ['Cheese', 'Cake'] } })), job({ output: { Tags: ['Cake', 'Cheese'] } }), 0);
    assert.equal(equals.passed, false);
    assert.equal(equals.expected, '[\n  "Cheese",\n  "Cake"\n]\n');
    assert.equal(equals.actual, '[\n  "Cake",\n  "Cheese"\n]\n');
  });
});

describe('expectations recorded from a job', () => {
  it('keep its status and output, with items that hold files (which name their job) as a count of rows', () => {
    const files = { type: 'files', files: [{ ref: 'jobs/j1/files/a', meta: { name: 'a.pdf' } }] };
    const recorded = expectationsFromJob(job({ status: 0, output: { Summary: '2 items found', Items: [{ Name: 'x', Image: files }, { Name: 'y', Image: files }], Report: files, Tags: ['a'] } }));
    assert.deepEqual(recorded, { status: 'succeeded', output: { Summary: '2 items found', Items: { rows: 2 }, Tags: ['a'] } });
    assert.deepEqual(expectationsFromJob(job({ status: 1, output: null })), { status: 'failed' });
  });

  it('replace the file\'s expect block and leave the rest of it as it was', () => {
    const text = '{\n  "bot": { "contract": "example1", "id": "echo" },\n  "input": { "Message": "${env:X}" },\n  "expect": { "status": "failed" }\n}\n';
    const written = withExpectations(text, { status: 'succeeded', output: { Message: 'hi' } });
    assert.deepEqual(JSON.parse(written), { bot: { contract: 'example1', id: 'echo' }, input: { Message: '${env:X}' }, expect: { status: 'succeeded', output: { Message: 'hi' } } });
    assert.ok(written.startsWith('{\n  "bot": { "contract": "example1", "id": "echo" },\n  "input": { "Message": "${env:X}" },\n'));
  });
});

describe('input files run as checks against the emulator', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let store: JobStore;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const token = emulator.tokens.find((t) => t.permissions.includes('execute') && t.permissions.includes('suspend'))!;
    const client = new CloudBotClient({ apiBaseUrl: emulator.apiBaseUrl, language: 'en', credentials: { current: async () => ({ kind: 'accessToken', accessToken: token.accessToken, secretKey: token.secretKey }) } });
    store = new JobStore(() => client);
  });
  after(async () => {
    store.dispose();
    await emulator.close();
  });

  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;
  const resolve = async ({ kind, name }: { kind: string; name: string }) => (kind === 'env' && name === 'GREETING' ? 'こんにちは' : undefined);

  it('runs the BOT with the variables resolved and holds the job against the expectations', async () => {
    const passing = await runCheck(file({ status: 'succeeded', output: { Message: 'こんにちは, world' } }, 'echo', { Message: '${env:GREETING}, world' }), { store, sessionId: 's', resolve });
    assert.equal(passing.kind, 'done');
    assert.ok(passing.kind === 'done' && passing.passed);
    const failing = await runCheck(file({ status: 'succeeded' }, 'fail'), { store, sessionId: 's', resolve });
    assert.ok(failing.kind === 'done' && !failing.passed);
    assert.equal(failing.kind === 'done' && failing.outcomes[0].message, 'Expected the job to have succeeded, but it failed.');
  });

  it('sends nothing for a file that cannot run, and stops waiting when cancelled', async () => {
    const before = posts();
    const unresolved = await runCheck(file({ status: 'succeeded' }, 'echo', { Message: '${env:NOT_SET}' }), { store, sessionId: 's', resolve });
    assert.ok(unresolved.kind === 'invalid' && 'variable' in unresolved.problem);
    const badExpect = await runCheck(file({ status: 'fine' }, 'echo'), { store, sessionId: 's', resolve });
    assert.ok(badExpect.kind === 'invalid' && 'expectation' in badExpect.problem);
    assert.equal(posts(), before);
    const cancel = new AbortController();
    const pending = runCheck(file({ status: 'succeeded' }, 'long_running', { Message: 'x' }), { store, sessionId: 's', resolve, signal: cancel.signal, onStarted: () => cancel.abort() });
    const stopped = await pending;
    assert.equal(stopped.kind, 'stopped');
    assert.ok(stopped.kind === 'stopped' && stopped.started);
    await store.suspend(stopped.started.ref);
  });
});
