// Bounds on how deeply JSON may nest. jsonc-parser, JSON.stringify and the result page all recurse, so
// input or output nested tens of thousands of levels deep would overflow the stack; real BOT input and
// output are a few levels deep (items, rows, cells; files and their details).
export const MAX_JSON_DEPTH = 64;

/** What stands in the place of a value nested deeper than the bound. */
export const CLIPPED = '[…]';

/** The offset of the bracket that opens level `max + 1` in JSON text (strings skipped), or -1. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      if (++depth > max) return index;
    } else if (char === '}' || char === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return !!value && typeof value === 'object';
}

/** Whether a parsed value nests deeper than `max` levels; walks without recursion. */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (!isContainer(current)) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) if (isContainer(child)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A copy of a parsed value with what lies deeper than `max` levels replaced by CLIPPED; no recursion. */
export function clippedToDepth(value: unknown, max = MAX_JSON_DEPTH): unknown {
  if (!isContainer(value) || !nestsDeeperThan(value, max)) return value;
  const emptyLike = (container: Container): Container => (Array.isArray(container) ? [] : {});
  const root = emptyLike(value);
  const stack: [Container, Container, number][] = [[value, root, 1]];
  while (stack.length) {
    const [source, target, depth] = stack.pop()!;
    for (const [key, child] of Object.entries(source)) {
      if (!isContainer(child)) (target as Record<string, unknown>)[key] = child;
      else if (depth >= max) (target as Record<string, unknown>)[key] = CLIPPED;
      else {
        const copy = emptyLike(child);
        (target as Record<string, unknown>)[key] = copy;
        stack.push([child, copy, depth + 1]);
      }
    }
  }
  return root;
}
