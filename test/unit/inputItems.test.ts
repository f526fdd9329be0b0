import * as assert from 'node:assert/strict';
import { checkInputItems, initialValueOf, inputItemsOf, itemAt, itemsAt } from '../../src/core/inputItems';

const definition = {
  Name: { type: 'text', description: 'Who to greet', default: 'Taro' },
  Colors: { type: 'list' },
  Orders: { type: 'group', columns: { Item: { type: 'text' }, Count: { type: 'text' } } },
  Attachments: { type: 'files' },
  Odd: 'not an object',
};
const items = inputItemsOf(definition);

function file(input: string): string {
  return `{\n  "bot": {"contract": "c1", "id": "b"},\n  "input": ${input}\n}\n`;
}

describe('input items of a BOT', () => {
  it('are read from the definition, skipping what cannot be read', () => {
    assert.deepEqual(items.map((i) => [i.name, i.kind]), [['Name', 'text'], ['Colors', 'list'], ['Orders', 'group'], ['Attachments', 'files'], ['Odd', undefined]]);
    assert.deepEqual(items[2].columns.map((c) => c.name), ['Item', 'Count']);
    assert.deepEqual(inputItemsOf(null), []);
    assert.deepEqual(initialValueOf(items[2]), [{ Item: '', Count: '' }]);
    assert.equal(initialValueOf(items[0]), 'Taro');
  });

  it('mark unknown names as warnings and values of the wrong kind as errors, at their place', () => {
    const text = file('{"Name": 3, "Colours": [], "Colors": ["a", 1], "Orders": [{"Item": "x", "Cnt": "2"}], "Attachments": {"type": "files", "files": []}}');
    const problems = checkInputItems(text, items, 'Greeter');
    assert.deepEqual(problems.map((p) => [p.severity, text.slice(p.offset, p.offset + p.length)]), [
      ['error', '3'],
      ['warning', '"Colours"'],
      ['error', '["a", 1]'],
      ['warning', '"Cnt"'],
    ]);
    assert.deepEqual(problems[1], { ...problems[1], code: 'unknownItem', owner: 'Greeter', name: 'Colours', names: ['Name', 'Colors', 'Orders', 'Attachments', 'Odd'] });
    assert.deepEqual(problems[0], { ...problems[0], code: 'wrongKind', name: 'Name', kind: 'text' });
    assert.deepEqual(problems[3], { ...problems[3], code: 'unknownItem', owner: '"Orders"', name: 'Cnt', names: ['Item', 'Count'] });
  });

  it('find nothing to say about a good input, or without a definition', () => {
    assert.deepEqual(checkInputItems(file('{"Name": "Hanako", "Colors": ["red"], "Orders": [], "Attachments": {"type": "files", "files": []}}'), items, 'b'), []);
    assert.deepEqual(checkInputItems(file('{"Anything": 1}'), [], 'b'), []);
  });

  it('suggest the names not yet used inside "input", and columns inside a group row', () => {
    const text = file('{"Name": "x", "" }');
    const names = itemsAt(text, text.indexOf('""') + 1, items)?.map((i) => i.name);
    assert.deepEqual(names, ['Colors', 'Orders', 'Attachments', 'Odd']);
    const row = file('{"Orders": [{"Item": "x", ""}]}');
    assert.deepEqual(itemsAt(row, row.indexOf('""') + 1, items)?.map((i) => i.name), ['Count']);
    const outside = file('{}');
    assert.equal(itemsAt(outside, outside.indexOf('"bot"') + 1, items), undefined);
  });

  it('name the item under the cursor for a hover, a column inside a group row', () => {
    const text = file('{"Name": "x", "Orders": [{"Count": "2"}]}');
    assert.equal(itemAt(text, text.indexOf('"Name"') + 2, items)?.description, 'Who to greet');
    assert.equal(itemAt(text, text.indexOf('"Count"') + 2, items)?.name, 'Count');
  });
});
