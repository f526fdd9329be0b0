// File names made from IDs a server sent (a BOT ID for its input file): one plain name that stays in
// the folder it is written to, on every OS.

/** Longest name part kept, in characters; the suffix and a number are added after it. */
export const MAX_NAME_LENGTH = 80;
/** Path separators, characters Windows refuses, and control, format (bidi) and line-separator characters. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>:"/\\|?*]/gu;
/** Names Windows reserves for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * `id` as one file name part: unsafe characters become `_`, no `..`, no leading dot (hidden, `.`, `..`)
 * nor trailing dot or space (Windows drops them), at most MAX_NAME_LENGTH characters, no reserved device
 * name; `fallback` when nothing is left.
 */
export function safeFileName(id: string, fallback: string): string {
  const trim = (text: string) => text.replace(/^[.\s]+|[.\s]+$/gu, '');
  const cleaned = trim(id.replace(UNSAFE, '_').replace(/\.{2,}/g, '.'));
  const name = trim([...cleaned].slice(0, MAX_NAME_LENGTH).join(''));
  if (!name) return fallback;
  return RESERVED.test(name) ? `_${name}` : name;
}
