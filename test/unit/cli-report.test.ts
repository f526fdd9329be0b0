// What the command line and the task type build their ends from (core/checks/suite.ts and report.ts):
// the exit code of a run when several things went wrong, and JUnit XML and text lines made from hostile
// server text, with resolved values taken out, also where JSON escapes them.
import * as assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type { CheckRunResult } from '../../src/core/checks/checkRun';
import { entryLines, junitXml, reportData } from '../../src/core/checks/report';
import { errorExitCode, exitCodeOf, type SuiteEntry, type SuiteReport, type Verdict } from '../../src/core/checks/suite';
import { CloudBotError } from '../../src/core/errors';
import { normalisedJson } from '../../src/core/normalisedJson';
import type { Job } from '../../src/core/types';

const text = JSON.stringify({ bot: { contract: 'c1', id: 'echo' }, input: {}, expect: { output: { Message: 'x' } } }, null, 2);
const job = (fields: Partial<Job> = {}): Job => ({ job_id: 'j1', bot_id: 'echo', bot_name: 'Echo', status: 0, ...fields });
const entry = (path: string, verdict: Verdict, result: CheckRunResult): SuiteEntry => ({ file: { path, text }, result, verdict, timedOut: false, durationSeconds: 1.5 });
const report = (entries: SuiteEntry[], interrupted = false): SuiteReport => {
  const counts: Record<Verdict, number> = { passed: 0, failed: 0, errored: 0, invalid: 0, stopped: 0 };
  for (const { verdict } of entries) counts[verdict]++;
  return { mode: 'test', entries, counts, durationSeconds: 3, interrupted, startedAt: Date.UTC(2026, 0, 2, 3, 4, 5) };
};
const http = (status: number) => new CloudBotError({ kind: 'http', operation: 'executeBot', status, mayHaveReachedServer: true });
const done = (outcomeActual: unknown, jobFields: Partial<Job> = {}): CheckRunResult => ({
  kind: 'done',
  ref: { sessionId: 's', publicId: 'c1', jobId: 'j1' },
  job: job(jobFields),
  durationSeconds: 1,
  passed: false,
  outcomes: [
    {
      expectation: { kind: 'output', item: 'Message', check: 'equals', value: 'x', at: { path: ['expect', 'output', 'Message'], offset: text.indexOf('"x"'), length: 3 } },
      passed: false,
      message: 'Output item "Message" is not the expected value.',
      expected: 'x',
      actual: typeof outcomeActual === 'string' ? outcomeActual : normalisedJson(outcomeActual),
    },
  ],
});

describe('a run\'s exit code', () => {
  it('is the highest that applies: interrupted, then credentials or network, then input, then a failure', () => {
    const passed = entry('a', 'passed', { kind: 'done', ref: { sessionId: 's', publicId: 'c1', jobId: 'j1' }, job: job(), outcomes: [], passed: true, durationSeconds: 1 });
    const failed = entry('b', 'failed', done('y'));
    const invalid = entry('c', 'invalid', { kind: 'invalid', problem: { input: { code: 'binding', offset: 0, length: 1, line: 1, column: 1 } } });
    const refused = entry('d', 'errored', { kind: 'error', error: http(401) });
    assert.equal(exitCodeOf(report([passed])), 0);
    assert.equal(exitCodeOf(report([passed, failed])), 1);
    assert.equal(exitCodeOf(report([failed, invalid])), 2);
    assert.equal(exitCodeOf(report([invalid, refused, failed])), 3);
    assert.equal(exitCodeOf(report([refused], true)), 130);
  });

  it('of an error says whose fault it is: 3 for credentials and reachability, 2 for what was asked, 1 otherwise', () => {
    assert.deepEqual([401, 403, 429, 503].map((status) => errorExitCode(http(status))), [3, 3, 3, 3]);
    assert.deepEqual([400, 404, 422].map((status) => errorExitCode(http(status))), [2, 2, 2]);
    assert.equal(errorExitCode(new CloudBotError({ kind: 'network', operation: 'getJob', mayHaveReachedServer: false })), 3);
    assert.equal(errorExitCode(new CloudBotError({ kind: 'tooLarge', operation: 'executeBot', mayHaveReachedServer: false, bodyBytes: 5e6 })), 2);
    assert.equal(errorExitCode(new Error('something else')), 1);
  });
});

describe('reports of a run', () => {
  const secret = 'p"a\\ss<&>';
  const redact = (value: string) => value.split(secret).join('••••');

  it('write JUnit XML that holds any server text: escaped, without the characters XML cannot hold, secrets out even where JSON escaped them', () => {
    const hostile = `a\u0000b\u001b[31m\ud800c\ufffe ${secret} ]]> </testcase>`;
    const xml = junitXml(report([entry('dir/a.cloudbot.json', 'failed', done({ said: hostile }, { message: hostile }))]), { redact });
    assert.ok(!xml.includes(secret) && !xml.includes(JSON.stringify(secret).slice(1, -1)), xml);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const testcase = parsed.testsuites.testsuite.testcase;
    assert.equal(testcase.name, 'a.cloudbot.json');
    assert.equal(testcase.classname, 'dir');
    assert.equal(testcase.time, '1.500');
    // JSON escapes control characters; text lines show them escaped; what XML cannot hold at all is dropped.
    assert.ok(testcase.failure['#text'].includes('"said": "a\\u0000b\\u001b[31m\\ud800c •••• ]]> </testcase>"'), testcase.failure['#text']);
    assert.ok(testcase['system-out'].includes('message: a\\u0000b\\u001b[31mc •••• ]]> </testcase>'), testcase['system-out']);
    assert.equal(parsed.testsuites.testsuite.timestamp, '2026-01-02T03:04:05');
  });

  it('write lines that stay one line each, and JSON with the values taken out', () => {
    const result = done({ said: secret }, { message: `line one\nline two ${secret}\u001b[2J` });
    const lines = entryLines(entry('a.cloudbot.json', 'failed', result), 'test', { redact });
    assert.ok(lines.every((line) => !line.includes('\n') && !line.includes('\r') && !line.includes('\u001b')), lines.join('|'));
    assert.ok(!lines.join('\n').includes(secret));
    assert.match(lines[1], /message: line one\\nline two ••••\\u001b\[2J/);
    const data = JSON.stringify(reportData(report([entry('a.cloudbot.json', 'failed', result)]), { redact }));
    assert.ok(!data.includes(JSON.stringify(secret).slice(1, -1)), data);
    assert.match(data, /••••/);
  });
});
