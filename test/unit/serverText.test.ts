import * as assert from 'node:assert/strict';
import { codeSpan, inert, oneLine, oneLinePerMessage, type LevelLog } from '../../src/core/serverText';
import { codeSpans, NOTIFICATION_LINK } from '../rendering';

const ZWSP = '\u200b';

describe('server text', () => {
  describe('inert', () => {
    it('leaves no link a notification or markdown would make, and reads the same', () => {
      const texts = [
        'Click [here](command:cloudbot.signOut) now',
        '[x](https://evil.example/a) and [y](file:///etc/passwd "title")',
        'see <command:cloudbot.signOut> or https://evil.example or www.evil.example',
        'vscode://cloudbot-tools.cloudbot-vscode/callback?code=1',
      ];
      for (const text of texts) {
        const shown = inert(text);
        assert.equal(shown.replaceAll(ZWSP, ''), text);
        assert.doesNotMatch(shown, NOTIFICATION_LINK);
        assert.doesNotMatch(shown, /\]\(/, 'no inline markdown link');
        assert.doesNotMatch(shown, /[a-z]:(?=\S)/i, 'no scheme, so no autolink');
        assert.doesNotMatch(shown, /www\./i);
      }
    });

    it('leaves ordinary text alone', () => {
      for (const text of ['Echo BOT', 'エラー: 入力が不正です。', 'Error: the input is wrong (see item "Name")', 'user@example.com']) assert.equal(inert(text), text);
    });
  });

  describe('oneLine', () => {
    it('escapes every line break, so a log line cannot end early', () => {
      const forged = 'ok\n2024-05-01 12:00:00.000 [error] forged\r\nnext\u2028a\u2029b\u0085c\u000bd\u000ce\u001bf';
      const line = oneLine(forged);
      assert.equal(line, 'ok\\n2024-05-01 12:00:00.000 [error] forged\\r\\nnext\\u2028a\\u2029b\\u0085c\\u000bd\\u000ce\\u001bf');
      assert.equal(line.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).length, 1);
    });

    it('leaves text without control characters as it is, tabs included', () => {
      assert.equal(oneLine('a\tb 日本語 \\n'), 'a\tb 日本語 \\n');
    });
  });

  describe('codeSpan', () => {
    it('shows the text in one code span that its own backticks cannot close', () => {
      for (const text of ['echo', 'a`b', 'a``b`c', '`start', 'end`', '`', 'x` [y](command:cloudbot.signOut) `']) {
        assert.deepEqual(codeSpans(`ID: ${codeSpan(text)} end`), [text]);
      }
    });

    it('stays on one line, as a blank line would end the span', () => {
      assert.deepEqual(codeSpans(codeSpan('a\n\n`b')), ['a\\n\\n`b']);
    });
  });

  describe('oneLinePerMessage', () => {
    it('writes every message of every level as one line, and leaves the rest of the log as it is', () => {
      const written: string[] = [];
      const record = (level: string) => (message: string | Error) => written.push(`${level} ${String(message)}`);
      const channel: LevelLog & { readonly name: string } = Object.freeze({
        name: 'Cloud BOT',
        trace: record('trace'),
        debug: record('debug'),
        info: record('info'),
        warn: record('warn'),
        error: record('error'),
      });
      const log = oneLinePerMessage(channel);
      for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) log[level](`job: done\n2024-05-01 12:00:00.000 [${level}] forged`);
      assert.equal(log.name, 'Cloud BOT');
      assert.deepEqual(written, ['trace', 'debug', 'info', 'warn', 'error'].map((level) => `${level} job: done\\n2024-05-01 12:00:00.000 [${level}] forged`));
    });
  });
});
