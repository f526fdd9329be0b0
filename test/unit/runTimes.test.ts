// A BOT's usual run time and the progress text a running job is shown with.
import * as assert from 'node:assert/strict';
import type { JobRecord } from '../../src/core/jobHistory';
import { JobStore, type JobClient } from '../../src/core/jobStore';
import { elapsedSeconds, LOG_WORDS, progressText, type JobWords } from '../../src/core/jobText';
import { RECENT_RUNS, RecentRunTimes, usualRunTime, type FinishedRun } from '../../src/core/runTimes';
import type { Job } from '../../src/core/types';

const japanese: JobWords = { succeeded: '成功', error: 'エラー', executing: '実行中', otherStatus: '不明なステータス {0}', minutesSeconds: '{0} 分 {1} 秒', seconds: '{0} 秒', usually: '通常 {0}、現在 {1}' };

/** Successful runs of these many seconds, the first the newest. */
const runs = (...seconds: number[]): FinishedRun[] =>
  seconds.map((s, n) => ({ jobId: `j${n}`, startTime: new Date(Date.UTC(2026, 0, 1) - n * 60_000).toISOString(), status: 0, seconds: s }));

describe('usual run times', () => {
  it('is the median of the successful runs, with at least two of them', () => {
    assert.equal(usualRunTime(runs(40, 38, 90)), 40);
    assert.equal(usualRunTime(runs(40, 30)), 35);
    assert.equal(usualRunTime(runs(40)), undefined);
    assert.equal(usualRunTime([]), undefined);
  });

  it('counts only the last ten successful runs, by start time', () => {
    // Ten quick runs, then (older) ten slow ones: the slow ones no longer count.
    assert.equal(usualRunTime(runs(...Array<number>(RECENT_RUNS).fill(10), ...Array<number>(RECENT_RUNS).fill(100))), 10);
    // Given in any order: the newest count.
    assert.equal(usualRunTime(runs(...Array<number>(RECENT_RUNS).fill(10), ...Array<number>(RECENT_RUNS).fill(100)).reverse()), 10);
  });

  it('leaves out failed and running jobs, unknown times, and a job given twice', () => {
    const failed = { jobId: 'f', startTime: '2026-02-01T00:00:00Z', status: 1, seconds: 1 };
    const running = { jobId: 'r', startTime: '2026-02-01T00:00:00Z', status: 2, seconds: 5 };
    const unknown = { jobId: 'u', startTime: '2026-02-01T00:00:00Z', status: 0 };
    const odd = { jobId: 'o', startTime: '2026-02-01T00:00:00Z', status: 0, seconds: Number.NaN };
    assert.equal(usualRunTime([failed, running, unknown, odd, ...runs(40)]), undefined);
    // The same job from the history and the store: once, as given last.
    assert.equal(usualRunTime([...runs(40, 20), { ...runs(30)[0], jobId: 'j1' }]), 35);
  });

  it('is said against the time so far, or the time so far alone', () => {
    assert.equal(progressText(40, 25, LOG_WORDS), 'usually 40 s, 25 s so far');
    assert.equal(progressText(40, 25, japanese), '通常 40 秒、現在 25 秒');
    assert.equal(progressText(95.5, 61, japanese), '通常 1 分 36 秒、現在 1 分 1 秒');
    assert.equal(progressText(undefined, 25, LOG_WORDS), '25 s');
    assert.equal(progressText(40, undefined, LOG_WORDS), '');
  });

  it('counts a running job\'s time from its start, and a finished one\'s as given', () => {
    const now = Date.parse('2026-01-01T00:01:05Z');
    assert.equal(elapsedSeconds({ status: 2, start_time: '2026-01-01T00:00:40Z', elapsed_time: 3 }, now), 25);
    // A local clock behind the server's never counts below zero.
    assert.equal(elapsedSeconds({ status: 2, start_time: '2026-01-01T00:02:00Z' }, now), 0);
    assert.equal(elapsedSeconds({ status: 2, start_time: 'soon', elapsed_time: 3 }, now), 3);
    assert.equal(elapsedSeconds({ status: 0, start_time: '2026-01-01T00:00:00Z', elapsed_time: 7.4 }, now), 7);
    assert.equal(elapsedSeconds({ status: 0 }, now), undefined);
  });

  describe('of a BOT, from the history and the store', () => {
    const record = (jobId: string, botId: string, status: number, elapsedTime?: number): JobRecord => ({ sessionId: 's', publicId: 'c1', botId, jobId, startTime: `2026-01-01T00:00:0${jobId.length}Z`, status, elapsedTime });
    const job = (id: string, botId: string, status: number, elapsed_time?: number): Job => ({ job_id: id, bot_id: botId, status, elapsed_time, start_time: '2026-01-02T00:00:00Z' });
    const client: JobClient = {
      executeBot: () => Promise.reject(new Error('not here')),
      getJob: () => Promise.reject(new Error('not here')),
      listJobs: () => Promise.resolve([]),
      suspendJob: () => Promise.reject(new Error('not here')),
    };

    it('joins both, per BOT, and learns of every job that ends', () => {
      const records = [record('h1', 'echo', 0, 40), record('h2', 'echo', 0, 44), record('h3', 'other', 0, 1), record('h4', 'other', 0, 1)];
      const store = new JobStore(() => client);
      const usual = new RecentRunTimes({ all: () => records }, store);
      assert.equal(usual.of('c1', 'echo'), 42);
      assert.equal(usual.of('c1', 'other'), 1);
      assert.equal(usual.of('c2', 'echo'), undefined, 'another contract\'s BOT');
      // Jobs the store knows (a list page of the tree), of this BOT and others.
      store.seenAll({ sessionId: 's', publicId: 'c1' }, [job('s1', 'echo', 0, 60), job('s2', 'fresh', 0, 5)]);
      assert.equal(usual.of('c1', 'echo'), 44);
      assert.equal(usual.of('c1', 'fresh'), undefined, 'one run');
      // A running job tells nothing until it ends; then it counts.
      const ref = { sessionId: 's', publicId: 'c1', jobId: 's3' };
      store.seen(ref, job('s3', 'fresh', 2, 1));
      assert.equal(usual.of('c1', 'fresh'), undefined);
      store.seen(ref, job('s3', 'fresh', 0, 7));
      assert.equal(usual.of('c1', 'fresh'), 6);
      usual.dispose();
      store.dispose();
    });
  });
});
