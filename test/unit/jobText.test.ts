import * as assert from 'node:assert/strict';
import { clipped, elapsedText, fill, jobHeadline, jobOutcome, LOG_WORDS, outputSummary, statusAndElapsed, statusText, type JobWords } from '../../src/core/jobText';

const japanese: JobWords = { succeeded: '成功', error: 'エラー', executing: '実行中', otherStatus: '不明なステータス {0}', minutesSeconds: '{0} 分 {1} 秒', seconds: '{0} 秒', usually: '通常 {0}、現在 {1}' };

describe('job text', () => {
  it('names statuses with the words it is given', () => {
    assert.deepEqual([0, 1, 2, 7].map((s) => statusText(s, LOG_WORDS)), ['succeeded', 'error', 'executing', 'unknown status 7']);
    assert.deepEqual([0, 1, 2, 7].map((s) => statusText(s, japanese)), ['成功', 'エラー', '実行中', '不明なステータス 7']);
  });

  it('writes elapsed time for people', () => {
    assert.equal(elapsedText(5, LOG_WORDS), '5 s');
    assert.equal(elapsedText(125, LOG_WORDS), '2 min 5 s');
    assert.equal(elapsedText(125, japanese), '2 分 5 秒');
    assert.equal(elapsedText(4.6, LOG_WORDS), '5 s');
    assert.equal(elapsedText(undefined, LOG_WORDS), '');
    assert.equal(statusAndElapsed({ status: 2, elapsed_time: 61 }, japanese), '実行中, 1 分 1 秒');
  });

  it('fills numbered placeholders and keeps those without a value', () => {
    assert.equal(fill('{0} of {1}, {2}', 1, 'two'), '1 of two, {2}');
  });

  it('summarizes every output kind without dumping large values', () => {
    const lines = outputSummary({
      Text: 'hello',
      Tags: ['a', 'b'],
      Items: [{ Name: 'x' }, { Name: 'y' }],
      Files: { type: 'files', files: [{ ref: 'r', meta: { name: '0001.jpg', size: 603956, timestamp: 1 } }] },
      Big: 'x'.repeat(1000),
    });
    assert.deepEqual(lines.slice(0, 4), ['Text: "hello"', 'Tags: ["a","b"]', 'Items: table (2 rows)', 'Files: 1 file: 0001.jpg (603956 B)']);
    assert.match(lines[4], /^Big: "x{199}… \(1002 characters\)$/);
  });

  it('clips a long text where it says how long it was, never inside a surrogate pair', () => {
    assert.equal(clipped('short', 5), 'short');
    assert.equal(clipped('abcdef', 3), 'abc… (6 characters)');
    // 😀 is two UTF-16 units: cut after its first, it would leave half a character.
    assert.equal(clipped('ab😀cd', 3), 'ab… (6 characters)');
    assert.equal(clipped('ab😀cd', 4), 'ab😀… (6 characters)');
  });

  it('makes a one-line headline for the log and a short outcome for notifications', () => {
    const job = { job_id: 'j1', bot_id: 'echo', bot_name: 'Echo BOT', status: 0, elapsed_time: 3 };
    assert.equal(jobHeadline(job), 'echo (Echo BOT) j1: succeeded, 3 s');
    assert.equal(jobOutcome(job, japanese), 'Echo BOT: 成功, 3 秒');
    assert.equal(jobOutcome({ job_id: 'j2', bot_id: 'fail', status: 1 }, LOG_WORDS), 'fail: error');
  });
});
