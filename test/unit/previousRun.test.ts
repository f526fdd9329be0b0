import * as assert from 'node:assert/strict';
import { previousRun, previousRunQuery } from '../../src/core/previousRun';
import type { Job } from '../../src/core/types';

const job = (job_id: string, start_time: string | undefined, status = 0, bot_id = 'echo'): Job => ({ job_id, bot_id, status, start_time });

describe('the previous run of a job', () => {
  const current = job('0005', '2024-05-03T01:00:00Z');

  it('is the finished job of the same BOT that started last before it', () => {
    const candidates = [
      current,
      job('0004', '2024-05-03T00:59:00Z', 2),
      job('0003', '2024-05-02T01:00:00Z', 1),
      job('0009', '2024-05-02T02:00:00Z', 0, 'other'),
      job('0001', '2024-05-01T01:00:00Z'),
      job('0006', '2024-05-04T01:00:00Z'),
    ];
    assert.equal(previousRun(current, candidates)?.job_id, '0003');
    assert.equal(previousRun(current, [...candidates].reverse())?.job_id, '0003');
  });

  it('orders jobs that started in the same second by job ID', () => {
    const sameSecond = [job('0004', current.start_time), job('0006', current.start_time), job('0002', current.start_time)];
    assert.equal(previousRun(current, sameSecond)?.job_id, '0004');
  });

  it('is none for the first run, or when start times are unknown', () => {
    assert.equal(previousRun(current, [current, job('0007', '2024-05-04T00:00:00Z')]), undefined);
    assert.equal(previousRun(current, [job('0001', undefined), job('0002', 'not a date')]), undefined);
    assert.equal(previousRun(job('0005', undefined), [job('0001', '2024-05-01T01:00:00Z')]), undefined);
  });

  it('is asked for as the newest jobs up to the second after the start', () => {
    assert.deepEqual(previousRunQuery(current), { sort_order: 'desc', limit: 20, datetime_to: '2024-05-03T01:00:01.000Z' });
    assert.equal(previousRunQuery(job('x', undefined)).datetime_to, undefined);
  });
});
