// Text that came from a server (names, messages, labels), made harmless for where it is shown: in a
// notification, quick pick, status bar or hover it must not become a link or a command, in the log it
// must not start a line of its own. No `vscode` and no Node here: the result page may import this too.

/** Invisible, so the text reads as it came; it stands between the characters a link is made of. */
const BREAK = '\u200b';

/**
 * The text with nothing a renderer can turn into a link: `[label](target)` (how notifications and
 * markdown link), `scheme:target` (command:, https:, file:…; also what autolinks start with) and
 * `www.` (linked by markdown on its own). It reads the same; copied, it carries the zero-width spaces.
 */
export function inert(text: string): string {
  return text
    .replace(/\]\(/g, `]${BREAK}(`)
    .replace(/([a-z][a-z0-9+.-]*):(?=\S)/gi, `$1${BREAK}:`)
    .replace(/\bwww\./gi, `www${BREAK}.`);
}

/**
 * Line breaks (\r, \n, U+2028, U+2029, NEL, vertical tab, form feed) and other control characters as
 * visible escapes, so a log line stays one line and nothing forges the lines after it.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (character) => {
    if (character === '\t') return character;
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * A markdown code span showing the text as it is: fenced by more backticks than any run inside, so a
 * backtick in the text cannot close it, and on one line, as a blank line would end it.
 */
export function codeSpan(text: string): string {
  const flat = oneLine(text);
  const longestRun = (flat.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  // A backtick next to the fence would lengthen it; one space on each side is dropped when rendered.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The writing side of a log; VS Code's log output channel is one. */
export interface LevelLog {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/**
 * The log, writing every message as one line (oneLine): whatever server text a message carries (names,
 * job messages, API errors), it cannot forge the lines after it. Everything else is the log's own.
 */
export function oneLinePerMessage<T extends LevelLog>(log: T): T {
  const levels: PropertyDescriptorMap = {};
  for (const level of LEVELS) {
    const write = log[level].bind(log) as (message: unknown, ...args: unknown[]) => void;
    levels[level] = { value: (message: unknown, ...args: unknown[]) => write(typeof message === 'string' ? oneLine(message) : message, ...args) };
  }
  // A new object over the log rather than a proxy: the host may hand out a frozen one.
  return Object.create(log, levels) as T;
}
