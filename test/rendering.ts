// How VS Code reads the strings the extension hands it, for tests that check what a person could click.

/** A link in a notification message, as VS Code finds them (vs/base/common/linkedText.ts). */
export const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

/**
 * The contents of the code spans in markdown, by CommonMark's rule: a run of backticks opens a span
 * that the next run of the same length closes; a backslash-escaped backtick opens nothing.
 */
export function codeSpans(markdown: string): string[] {
  const spans: string[] = [];
  let at = 0;
  while (at < markdown.length) {
    if (markdown[at] === '\\') {
      at += 2;
      continue;
    }
    if (markdown[at] !== '`') {
      at++;
      continue;
    }
    const fence = /^`+/.exec(markdown.slice(at))![0].length;
    const rest = markdown.slice(at + fence);
    const close = new RegExp(`(?<!\`)\`{${fence}}(?!\`)`).exec(rest);
    if (!close) {
      at += fence;
      continue;
    }
    const content = rest.slice(0, close.index).replace(/\n/g, ' ');
    spans.push(content.trim() !== '' && content.startsWith(' ') && content.endsWith(' ') ? content.slice(1, -1) : content);
    at += fence + close.index + fence;
  }
  return spans;
}
