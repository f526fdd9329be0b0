// A batch row's input: the template resolved for the row, the row's columns over it; and what a row's job
// is re-run with, where a cell's text can never become a variable.
import * as assert from 'node:assert/strict';
import { batchInputs, rowTemplate } from '../../src/core/batch/batchInput';
import { newLedger } from '../../src/core/batch/ledger';
import { inputItemsOf } from '../../src/core/inputItems';
import { resolveInput, withRow } from '../../src/core/variables';

describe('batch row inputs', () => {
  const items = inputItemsOf({ Greeting: { type: 'text' }, Name: { type: 'text' }, Tags: { type: 'list' } });
  const ledger = newLedger({
    bot: { sessionId: 's', publicId: 'c', botId: 'b' },
    template: { input: { Greeting: 'Hello ${row:Who}, ${secret:site}', Name: 'from the template' }, options: {} },
    rowsSource: 'rows.csv',
    columns: ['Who', 'Name', 'Tags'],
    rows: [{ line: 2, cells: { Who: '${env:HOME}', Name: 'Taro ${env:HOME}', Tags: 'a\nb' } }],
  });
  const row = ledger.rows[0];
  const referenced = new Set(['Who']);

  it('fills the template for the row, then lets the row\'s columns take their items', async () => {
    const inputs = batchInputs(ledger, items, referenced, async (input, forRow) => {
      const resolved = await resolveInput(input, withRow(async () => 'pw', { Who: String(forRow.cells.Who) }));
      return resolved.ok ? resolved : { ok: false, detail: 'unresolved' };
    });
    assert.deepEqual(inputs.mapping.map((m) => m.target.kind), ['rowVariable', 'item', 'item']);
    assert.deepEqual(await inputs.prepare(row), { ok: true, input: { Greeting: 'Hello ${env:HOME}, pw', Name: 'Taro ${env:HOME}', Tags: ['a', 'b'] } });
  });

  it('keeps for Re-run the template with the row in it, cells escaped and other variables as written', async () => {
    const template = (await rowTemplate(ledger, row, items, referenced))!;
    assert.deepEqual(template, { Greeting: 'Hello $${env:HOME}, ${secret:site}', Name: 'Taro $${env:HOME}', Tags: ['a', 'b'] });
    // Run again, only the secret is asked for: the cells come back as they were written.
    const again = await resolveInput(template, async (variable) => (variable.kind === 'secret' ? 'pw' : 'LEAKED'));
    assert.deepEqual(again, { ok: true, input: { Greeting: 'Hello ${env:HOME}, pw', Name: 'Taro ${env:HOME}', Tags: ['a', 'b'] } });
  });
});
