import * as assert from 'node:assert/strict';
import { MAX_NAME_LENGTH, safeFileName } from '../../src/core/fileNames';

describe('file names from server IDs', () => {
  it('keep ordinary IDs as they are', () => {
    for (const id of ['with_defaults', 'get-items', 'bot.v2', 'ボット1']) assert.equal(safeFileName(id, 'bot'), id);
  });

  it('leave no path separator, no "..", no leading dot and no reserved character', () => {
    const cases: [string, string][] = [
      ['../evil', '_evil'],
      ['a/b', 'a_b'],
      ['a\\b', 'a_b'],
      ['..\\..\\x', '_._x'],
      ['a..b', 'a.b'],
      ['.hidden', 'hidden'],
      ['x<>:"|?*y', 'x_______y'],
      ['tab\there\nnl', 'tab_here_nl'],
      ['evil\u202Etxt.json', 'evil_txt.json'],
      ['trailing. ', 'trailing'],
    ];
    for (const [id, name] of cases) assert.equal(safeFileName(id, 'bot'), name, JSON.stringify(id));
  });

  it('stay a single name inside the folder whatever the ID', () => {
    for (const id of ['..', '.', '/', '../../..', 'a/../../b', '\\\\server\\share', 'C:\\Windows', '/etc/passwd']) {
      const name = safeFileName(id, 'bot');
      assert.ok(name && !/[/\\]/.test(name) && !name.includes('..') && !name.startsWith('.'), `${id} → ${name}`);
    }
  });

  it('fall back when nothing usable is left, and avoid Windows device names', () => {
    for (const id of ['', '..', '...', ' . ']) assert.equal(safeFileName(id, 'bot'), 'bot', JSON.stringify(id));
    assert.equal(safeFileName('con', 'bot'), '_con');
    assert.equal(safeFileName('LPT1.json', 'bot'), '_LPT1.json');
    assert.equal(safeFileName('console', 'bot'), 'console');
  });

  it('are bounded in length, counting characters, not UTF-16 units', () => {
    assert.equal(safeFileName('x'.repeat(1000), 'bot').length, MAX_NAME_LENGTH);
    assert.equal([...safeFileName('😀'.repeat(200), 'bot')].length, MAX_NAME_LENGTH);
  });
});
