import * as assert from 'node:assert/strict';
import { parseBotInput, positionOf } from '../../src/core/jsonInput';

describe('parseBotInput', () => {
  it('accepts a JSON object', () => {
    assert.deepEqual(parseBotInput('{"message": "hello", "n": ["1"]}'), { ok: true, input: { message: 'hello', n: ['1'] } });
  });

  it('treats empty text as {} for BOTs without inputs', () => {
    assert.deepEqual(parseBotInput('  \n '), { ok: true, input: {} });
  });

  it('names the line and column of a syntax error', () => {
    const text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}';
    const result = parseBotInput(text);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.problem.line, 4);
    assert.equal(result.problem.column, 3);
    assert.equal(text.slice(result.problem.offset, result.problem.offset + result.problem.length), '"c"');
    assert.deepEqual(result.problem, { ...result.problem, code: 'syntax', error: 'CommaExpected' });
  });

  it('names the kind of syntax error', () => {
    const result = parseBotInput('{"a": }');
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problem, { code: 'syntax', error: 'ValueExpected', offset: 6, length: 1, line: 1, column: 7 });
  });

  it('refuses trailing commas and comments, which the API does not accept', () => {
    for (const text of ['{"a": 1,}', '{"a": 1 // note\n}']) {
      const result = parseBotInput(text);
      assert.equal(result.ok, false, text);
    }
  });

  it('refuses values that are not objects', () => {
    for (const [text, found] of [['[1]', 'array'], ['"x"', 'string'], ['null', 'null'], ['42', 'number'], ['true', 'boolean']]) {
      const result = parseBotInput(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.deepEqual(result.problem, { ...result.problem, code: 'notObject', found });
    }
  });

  it('points into the whole document when parsing a selection', () => {
    const documentText = 'notes\n{"ok": true}\n{"bad": }\n';
    const start = documentText.indexOf('{"bad"');
    const selection = documentText.slice(start, start + 9);
    const result = parseBotInput(selection, documentText, start);
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual([result.problem.line, result.problem.column], [3, 9]);
  });

  it('refuses input over 4 MB with its size', () => {
    const text = JSON.stringify({ data: 'x'.repeat(4 * 1024 * 1024) });
    const result = parseBotInput(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problem, { ...result.problem, code: 'tooLarge', megabytes: '4.0' });
  });
});

describe('positionOf', () => {
  it('counts lines and UTF-16 columns from one', () => {
    assert.deepEqual(positionOf('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(positionOf('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(positionOf('日本\n語x', 4), { line: 2, column: 2 });
  });
});
