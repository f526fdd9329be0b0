// A batch's tally: every row state counts once, in the place the progress notification and panel show it.
import * as assert from 'node:assert/strict';
import { countRows, newLedger, type RowState } from '../../src/core/batch/ledger';

describe('batch ledger counts', () => {
  it('count each row state once: done is succeeded plus failed, sending is running', () => {
    const states: RowState[] = ['pending', 'sending', 'running', 'succeeded', 'failed', 'invalid', 'refused', 'unanswered', 'stopped', 'succeeded'];
    const ledger = newLedger({
      bot: { sessionId: 's', publicId: 'c', botId: 'b' },
      template: { input: {}, options: {} },
      rowsSource: 'r.csv',
      columns: ['a'],
      rows: states.map((_, i) => ({ line: i + 2, cells: { a: i } })),
    });
    ledger.rows.forEach((row, i) => (row.state = states[i]));
    assert.deepEqual(countRows(ledger), { total: 10, done: 7, succeeded: 2, failed: 5, running: 2, pending: 1 });
  });
});
