import * as assert from 'node:assert/strict';
import { JobHistory, type KeyValueStore } from '../../src/core/jobHistory';
import type { Job } from '../../src/core/types';

/** VS Code's global state in memory, written through JSON as the real one is. */
class MemoryState implements KeyValueStore {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown) {
    this.values.set(key, JSON.stringify(value));
  }
}

const job = (id: string, status: number, extra: Partial<Job> = {}): Job => ({ job_id: id, bot_id: 'echo', bot_name: 'Echo BOT', status, start_time: `2026-01-01T00:00:0${id.length}Z`, ...extra });

describe('job history', () => {
  it('keeps jobs newest first with their latest state, across a reload', async () => {
    const state = new MemoryState();
    const history = new JobHistory(state);
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('a', 2));
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('b', 2));
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('a', 0, { elapsed_time: 3 }));
    const reloaded = new JobHistory(state);
    assert.deepEqual(reloaded.all().map((r) => [r.jobId, r.status]), [['b', 2], ['a', 0]]);
    assert.deepEqual(reloaded.running().map((r) => r.jobId), ['b']);
    assert.equal(reloaded.get('a')?.elapsedTime, 3);
    assert.equal(reloaded.get('a')?.botName, 'Echo BOT');
  });

  it('stores no input, options or output', async () => {
    const state = new MemoryState();
    await new JobHistory(state).remember({ sessionId: 's1', publicId: 'c1' }, job('a', 0, { output: { password: 'hunter2' } }));
    assert.ok(!state.values.get('cloudbot.jobHistory')!.includes('hunter2'));
  });

  it('keeps the last N finished jobs per account, and every running one', async () => {
    const history = new JobHistory(new MemoryState(), () => 2);
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('run', 2));
    for (const id of ['x1', 'x2', 'x3']) await history.remember({ sessionId: 's1', publicId: 'c1' }, job(id, 0));
    await history.remember({ sessionId: 's2', publicId: 'c2' }, job('y1', 1));
    assert.deepEqual(history.all().map((r) => r.jobId), ['y1', 'x3', 'x2', 'run']);
    await history.forgetAccount('s1');
    assert.deepEqual(history.all().map((r) => r.jobId), ['y1']);
  });

  it('lists the BOTs of its jobs, most recent first, once each', async () => {
    const history = new JobHistory(new MemoryState());
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('a', 0, { bot_id: 'one' }));
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('b', 0, { bot_id: 'two' }));
    await history.remember({ sessionId: 's1', publicId: 'c1' }, job('c', 0, { bot_id: 'one' }));
    assert.deepEqual(history.recentBots(), ['c1/one', 'c1/two']);
  });

  it('ignores stored entries it cannot read', () => {
    const state = new MemoryState();
    state.values.set('cloudbot.jobHistory', JSON.stringify([{ jobId: 1 }, null, { sessionId: 's', publicId: 'p', botId: 'b', jobId: 'j', startTime: 't', status: 0 }]));
    assert.deepEqual(new JobHistory(state).all().map((r) => r.jobId), ['j']);
  });
});
