import * as assert from 'node:assert/strict';
import { executeRequest } from '../../src/core/executeOptions';
import { bindingOf, isInputFile, newInputFile, parseInputFile } from '../../src/core/inputFile';
import type { InputIssue } from '../../src/core/jsonInput';
import { resolveInput } from '../../src/core/variables';

const valid = {
  bot: { contract: 'example1', id: 'echo', name: 'Echo BOT' },
  input: { Message: 'hello' },
  options: { callbackEndpoint: 'https://hooks.example/cb', callbackTries: 2, timeout: 5000 },
};

describe('input files', () => {
  it('are named *.cloudbot.json', () => {
    assert.ok(isInputFile('/w/echo.cloudbot.json'));
    assert.ok(!isInputFile('/w/echo.json'));
  });

  it('read the binding, the input and the options into an execute request', () => {
    const result = parseInputFile(JSON.stringify(valid, null, 2));
    assert.ok(result.ok);
    assert.deepEqual(result.file.bot, valid.bot);
    assert.deepEqual(executeRequest(result.file.input, result.file.options), { input: { Message: 'hello' }, callback_endpoint: 'https://hooks.example/cb', callback_tries: 2, timeout: 5000 });
  });

  it('leave out options that are not set', () => {
    const result = parseInputFile(JSON.stringify({ bot: valid.bot }));
    assert.ok(result.ok);
    assert.deepEqual(executeRequest(result.file.input, result.file.options), { input: {} });
  });

  it('point each problem at the value at fault', () => {
    const cases: [unknown, string, InputIssue][] = [
      [{ ...valid, bot: { contract: 'example1' } }, '"bot"', { code: 'binding' }],
      [{ input: {} }, '{', { code: 'binding' }],
      [{ ...valid, input: ['x'] }, '"input"', { code: 'inputNotObject' }],
      [{ ...valid, options: { ...valid.options, callbackEndpoint: 'http://hooks.example/cb' } }, '"callbackEndpoint"', { code: 'option', name: 'callbackEndpoint', reason: 'invalid' }],
      [{ ...valid, options: { ...valid.options, callbackEndpoint: 'https://user:pw@hooks.example/cb' } }, '"callbackEndpoint"', { code: 'option', name: 'callbackEndpoint', reason: 'credentials' }],
      [{ ...valid, options: { callbackTries: 6 } }, '"callbackTries"', { code: 'option', name: 'callbackTries', reason: 'invalid' }],
      [{ ...valid, options: { timeout: 1.5 } }, '"timeout"', { code: 'option', name: 'timeout', reason: 'invalid' }],
      [{ ...valid, inputs: {} }, '"inputs"', { code: 'unknownField', name: 'inputs' }],
    ];
    for (const [content, at, issue] of cases) {
      const text = JSON.stringify(content, null, 2);
      const result = parseInputFile(text);
      assert.equal(result.ok, false, text);
      if (result.ok) continue;
      assert.deepEqual(result.problem, { ...result.problem, ...issue }, text);
      const keyLine = at === '{' ? 0 : text.split('\n').findIndex((line) => line.includes(at));
      assert.equal(result.problem.line, keyLine + 1, `${at} in ${text}`);
    }
  });

  it('report JSON syntax errors with line and column', () => {
    const result = parseInputFile('{\n  "bot": {"contract": "example1", "id": "echo"},\n  "input": {"a" 1}\n}');
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problem, { code: 'syntax', error: 'ColonExpected', offset: 67, length: 1, line: 3, column: 17 });
  });

  it('are created from a BOT\'s input definition with its defaults, or empty values of each kind', () => {
    const text = newInputFile('example1', {
      id: 'with_defaults',
      name: 'BOT With Defaults',
      input: {
        Name: { type: 'text', default: 'Taro' },
        Colors: { type: 'list' },
        Orders: { type: 'group', columns: { Item: { type: 'text' }, Tags: { type: 'list' } } },
        Photo: { type: 'files' },
        Odd: 'not a definition',
      },
    });
    const parsed = parseInputFile(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.file.bot, { contract: 'example1', id: 'with_defaults', name: 'BOT With Defaults' });
    assert.deepEqual(parsed.file.input, {
      Name: 'Taro',
      Colors: [],
      Orders: [{ Item: '', Tags: [] }],
      Photo: { type: 'files', files: [] },
      Odd: '',
    });
    assert.deepEqual(JSON.parse(newInputFile('example1', { id: 'x', name: 'X' })).input, {});
  });

  it('write what the server sent as text: a "${" in a default or an output is never a variable', async () => {
    const bot = { id: 'x', name: 'X', input: { Path: { type: 'text', default: '${env:HOME}' } } };
    const text = newInputFile('example1', bot, {}, undefined);
    assert.equal(JSON.parse(text).input.Path, '$${env:HOME}');
    const fromOutput = newInputFile('example1', bot, {}, { Path: 'cost $5 ${secret:stolen}', Rows: [{ A: '${prompt:x}' }] });
    const parsed = parseInputFile(fromOutput);
    assert.ok(parsed.ok);
    const resolved = await resolveInput(parsed.file.input, async () => 'LEAKED');
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.input, { Path: 'cost $5 ${secret:stolen}', Rows: [{ A: '${prompt:x}' }] });
  });

  it('name their BOT even while the rest is not JSON yet', () => {
    assert.deepEqual(bindingOf('{"bot": {"contract": "c1", "id": "b", "name": "B"}, "input": {"x": , "" '), { contract: 'c1', id: 'b', name: 'B' });
    assert.equal(bindingOf('{"bot": {"contract": "c 1", "id": "b"}}'), undefined);
    assert.equal(bindingOf('not json'), undefined);
  });
});
