// JSON nested far deeper than any BOT's input or output: a clear problem for input, a clipped value for
// output, and never a stack overflow (the parser, JSON.stringify and the result page all recurse).
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudBotClient } from '../../src/core/client';
import { bindingOf, parseInputFile } from '../../src/core/inputFile';
import { checkInputItems, itemAt, itemsAt } from '../../src/core/inputItems';
import { HISTORY_MESSAGE_LENGTH, JobHistory } from '../../src/core/jobHistory';
import { JobStore } from '../../src/core/jobStore';
import { outputSummary } from '../../src/core/jobText';
import { CLIPPED, clippedToDepth, MAX_JSON_DEPTH, nestsDeeperThan, tooDeepAt } from '../../src/core/jsonDepth';
import { parseBotInput } from '../../src/core/jsonInput';

const LEVELS = 100_000;
const deepText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** A value nested `levels` deep, built without recursion. */
function deepValue(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}
function depthOf(value: unknown): number {
  let depth = 0;
  for (let current = value; Array.isArray(current); current = current[0]) depth++;
  return depth;
}

describe('JSON depth', () => {
  it('finds the bracket that goes too deep, skipping brackets inside strings', () => {
    assert.equal(tooDeepAt(deepText(MAX_JSON_DEPTH)), -1);
    assert.equal(tooDeepAt(deepText(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH);
    assert.equal(tooDeepAt(`{"a": "${'['.repeat(500)}\\"[["}`), -1);
    assert.equal(tooDeepAt('{"a": [[[1]]]}', 3), 8);
  });

  it('clips a value past the bound, keeps a shallow one as it is', () => {
    const shallow = { rows: [{ a: 1 }] };
    assert.equal(clippedToDepth(shallow), shallow);
    const clipped = clippedToDepth(deepValue(LEVELS));
    assert.equal(depthOf(clipped), MAX_JSON_DEPTH);
    assert.equal(nestsDeeperThan(clipped), false);
    let bottom: unknown = clipped;
    while (Array.isArray(bottom)) bottom = bottom[0];
    assert.equal(bottom, CLIPPED);
    assert.doesNotThrow(() => JSON.stringify(clipped));
  });

  it('refuses input nested 100 000 levels deep at its place, instead of overflowing the stack', () => {
    const text = `{"Orders": ${deepText(LEVELS)}}`;
    const result = parseBotInput(text);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problem.code === 'tooDeep');
    assert.deepEqual(!result.ok && [result.problem.line, result.problem.column, result.problem.offset], [1, 11 + MAX_JSON_DEPTH, 10 + MAX_JSON_DEPTH]);
  });

  it('reads an input file nested that deep as a problem, and the editor helpers as nothing to say', () => {
    const text = `{"bot": {"contract": "example1", "id": "echo"}, "input": {"Orders": ${deepText(LEVELS)}}}`;
    const result = parseInputFile(text);
    assert.ok(!result.ok && result.problem.code === 'tooDeep');
    assert.equal(bindingOf(text), undefined);
    const items = [{ name: 'Orders', kind: 'group' as const, columns: [] }];
    assert.deepEqual(checkInputItems(text, items, 'Echo'), []);
    assert.equal(itemsAt(text, 60, items), undefined);
    assert.equal(itemAt(text, 60, items), undefined);
  });

  it('keeps only the start of a long job message in the history', async () => {
    const saved = new Map<string, unknown>();
    const history = new JobHistory({ get: <T>(key: string) => saved.get(key) as T, update: async (key, value) => void saved.set(key, value) });
    await history.remember({ sessionId: 's', publicId: 'c' }, { job_id: 'j', bot_id: 'b', status: 1, message: 'x'.repeat(100_000) });
    assert.equal(history.get('j')?.message, `${'x'.repeat(HISTORY_MESSAGE_LENGTH)}…`);
  });

  describe('a job whose output is nested 100 000 levels deep', () => {
    let server: Server;
    let client: CloudBotClient;
    const jobId = '01900000-0000-7000-8000-000000000001';

    before(async () => {
      // The emulator's fixtures cannot hold such an output; a bare server sends the answer as text.
      const body = `{"job_id": "${jobId}", "bot_id": "deep", "status": 0, "output": {"Rows": ${deepText(LEVELS)}}}`;
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      client = new CloudBotClient({
        apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        language: 'en',
        credentials: { current: async () => ({ kind: 'accessToken', accessToken: 'a', secretKey: 's' }) },
        retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 },
      });
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('arrives clipped, so it can be summarised, stringified and followed to its end', async () => {
      const store = new JobStore(() => client);
      const ends: string[] = [];
      store.onDidChange(({ ended, entry }) => ended && ends.push(entry.ref.jobId));
      const job = await store.waitForEnd({ sessionId: 's', publicId: 'example1', jobId });
      assert.equal(job.status, 0);
      assert.deepEqual(ends, [jobId]);
      assert.equal(depthOf(job.output?.Rows), MAX_JSON_DEPTH - 1);
      assert.match(outputSummary(job.output)[0], /^Rows: table \(1 row\)$/);
      assert.doesNotThrow(() => JSON.stringify(job));
      store.dispose();
    });
  });
});
