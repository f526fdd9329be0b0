import * as assert from 'node:assert/strict';
import { elapsedText, jobHeadline, jobOutcome, outputSummary, statusText } from '../../src/core/jobText';

describe('job text', () => {
  it('names statuses in both languages', () => {
    assert.deepEqual([0, 1, 2, 7].map((s) => statusText(s, 'en')), ['succeeded', 'error', 'executing', 'status 7']);
    assert.deepEqual([0, 1, 2].map((s) => statusText(s, 'ja')), ['成功', 'エラー', '実行中']);
  });

  it('writes elapsed time for people', () => {
    assert.equal(elapsedText(5, 'en'), '5 s');
    assert.equal(elapsedText(125, 'en'), '2 min 5 s');
    assert.equal(elapsedText(125, 'ja'), '2 分 5 秒');
    assert.equal(elapsedText(undefined, 'en'), '');
  });

  it('summarizes every output kind without dumping large values', () => {
    const lines = outputSummary(
      {
        Text: 'hello',
        Tags: ['a', 'b'],
        Items: [{ Name: 'x' }, { Name: 'y' }],
        Files: { type: 'files', files: [{ ref: 'r', meta: { name: '0001.jpg', size: 603956, timestamp: 1 } }] },
        Big: 'x'.repeat(1000),
      },
      'en',
    );
    assert.deepEqual(lines.slice(0, 4), ['Text: "hello"', 'Tags: ["a","b"]', 'Items: table (2 rows)', 'Files: 1 file: 0001.jpg (603956 B)']);
    assert.match(lines[4], /^Big: "x{199}… \(1002 chars\)$/);
  });

  it('makes a one-line headline for the log and a short outcome for notifications', () => {
    const job = { job_id: 'j1', bot_id: 'echo', bot_name: 'Echo BOT', status: 0, elapsed_time: 3 };
    assert.equal(jobHeadline(job, 'en'), 'echo (Echo BOT) j1: succeeded, 3 s');
    assert.equal(jobOutcome(job, 'ja'), 'Echo BOT: 成功, 3 秒');
    assert.equal(jobOutcome({ job_id: 'j2', bot_id: 'fail', status: 1 }, 'en'), 'fail: error');
  });
});
