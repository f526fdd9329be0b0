import * as assert from 'node:assert/strict';
import { inputItemsOf } from '../../src/core/inputItems';
import { inputFromOutput } from '../../src/core/outputToInput';

const items = inputItemsOf({
  Name: { type: 'text', default: 'Taro' },
  Tags: { type: 'list' },
  Keyword: { type: 'list' },
  Orders: { type: 'group', columns: { Item: { type: 'text' }, Count: { type: 'text', default: '1' } } },
  Rows: { type: 'group' },
  Images: { type: 'files' },
  Anything: {},
  Missing: { type: 'text' },
});

describe('input from another job\'s output', () => {
  it('fills items from output items of the same name and kind, and keeps the defaults of the rest', () => {
    const output = {
      Name: 'Hanako',
      Tags: ['a', 'b'],
      Keyword: 'cake',
      Orders: [{ Item: 'Tea', Count: '2', Price: '500' }, { Item: 'Cake' }],
      Rows: [{ any: 'column', nested: ['kept'] }],
      Images: { type: 'files', files: [{ ref: 'jobs/j1/files/f1', meta: { name: '0001.jpg', size: 3 } }, { meta: {} }] },
      Anything: { as: 'is' },
      Unused: 'x',
    };
    const { input, matched, unmatched } = inputFromOutput(output, items);
    assert.deepEqual(input, {
      Name: 'Hanako',
      Tags: ['a', 'b'],
      Keyword: ['cake'],
      Orders: [{ Item: 'Tea', Count: '2' }, { Item: 'Cake', Count: '1' }],
      Rows: [{ any: 'column', nested: ['kept'] }],
      Images: { type: 'files', files: [{ ref: 'jobs/j1/files/f1' }] },
      Anything: { as: 'is' },
      Missing: '',
    });
    assert.deepEqual(matched, ['Name', 'Tags', 'Keyword', 'Orders', 'Rows', 'Images', 'Anything']);
    assert.deepEqual(unmatched, ['Missing']);
  });

  it('leaves an item at its default when the output value is of another kind', () => {
    const { input, matched, unmatched } = inputFromOutput({ Name: ['not', 'text'], Tags: [1, 2], Orders: 'not rows', Images: 'no files', Anything: null }, items);
    assert.equal(input.Name, 'Taro');
    assert.deepEqual(input.Tags, []);
    assert.deepEqual(input.Orders, [{ Item: '', Count: '1' }]);
    assert.deepEqual(input.Images, { type: 'files', files: [] });
    assert.deepEqual(matched, []);
    assert.deepEqual(unmatched, items.map((item) => item.name));
  });

  it('reads no output (a failed job, a value that is not an object) as no matches', () => {
    for (const output of [null, undefined, 'text', ['a']]) assert.deepEqual(inputFromOutput(output, items).matched, []);
  });

  it('takes only own names: "__proto__" and "constructor" are items like any other', () => {
    const odd = inputItemsOf(JSON.parse('{"__proto__": {"type": "text"}, "constructor": {"type": "text"}}'));
    const { input, matched } = inputFromOutput(JSON.parse('{"__proto__": "p"}'), odd);
    assert.deepEqual(matched, ['__proto__']);
    assert.equal(Object.getPrototypeOf(input), Object.prototype);
    assert.deepEqual(Object.entries(input), [['__proto__', 'p'], ['constructor', '']]);
  });
});
