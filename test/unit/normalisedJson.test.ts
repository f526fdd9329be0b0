import * as assert from 'node:assert/strict';
import { CLIPPED, MAX_JSON_DEPTH } from '../../src/core/jsonDepth';
import { comparedJobText, normalisedJson } from '../../src/core/normalisedJson';

describe('normalised JSON', () => {
  it('sorts object keys at every level, keeping array order, with a 2-space indent and a trailing newline', () => {
    const a = normalisedJson({ b: 1, a: { z: [3, { y: 1, x: 2 }], c: null } });
    const b = normalisedJson({ a: { c: null, z: [3, { x: 2, y: 1 }] }, b: 1 });
    assert.equal(a, b);
    assert.equal(a, '{\n  "a": {\n    "c": null,\n    "z": [\n      3,\n      {\n        "x": 2,\n        "y": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('sorts by code units, whatever the locale, and keeps non-ASCII text as it is', () => {
    const text = normalisedJson({ 価格: '500円', Zebra: 'z', apple: 'a', 'émoji 😀': '😀', 'a\u0000b': 'nul' });
    assert.deepEqual(Object.keys(JSON.parse(text)), ['Zebra', 'a\u0000b', 'apple', 'émoji 😀', '価格']);
    assert.match(text, /"価格": "500円"/);
    assert.match(text, /"émoji 😀": "😀"/);
  });

  it('keeps a "__proto__" key as a key, and prints scalars and nothing', () => {
    assert.equal(normalisedJson(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')), '{\n  "__proto__": {\n    "polluted": true\n  },\n  "a": 1\n}\n');
    assert.equal(normalisedJson('text'), '"text"\n');
    assert.equal(normalisedJson(undefined), 'null\n');
  });

  it('clips what nests deeper than the bound instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level++) deep = { k: deep };
    const parsed = JSON.parse(normalisedJson(deep)) as unknown;
    let depth = 0;
    let current = parsed;
    while (current && typeof current === 'object') {
      current = (current as { k: unknown }).k;
      depth++;
    }
    assert.equal(depth, MAX_JSON_DEPTH);
    assert.equal(current, CLIPPED);
  });

  it('shows a job compared as its status, message and output', () => {
    assert.deepEqual(JSON.parse(comparedJobText({ status: 1, message: 'The BOT timed out.' })), { status: 1, message: 'The BOT timed out.', output: null });
    assert.deepEqual(JSON.parse(comparedJobText({ status: 0, output: { Message: 'hi' } })), { status: 0, message: null, output: { Message: 'hi' } });
  });
});
