// JSON in one canonical form, so that two values print the same text exactly when they are equal:
// object keys sorted (by UTF-16 code units, not by locale, so every machine sorts alike), 2-space
// indent, a trailing newline. Used to compare two jobs' outputs line by line and to export an output.
// No `vscode` here.
import { clippedToDepth } from './jsonDepth';

/**
 * `value` as canonical JSON text. What nests deeper than MAX_JSON_DEPTH is clipped (replaced by
 * CLIPPED), as the result page does, so a hostile output can neither overflow the stack nor be refused.
 */
export function normalisedJson(value: unknown): string {
  return `${JSON.stringify(sortedKeys(clippedToDepth(value)), null, 2) ?? 'null'}\n`;
}

/** A copy with every object's keys in sorted order; recursion is safe after clipping to the depth bound. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!value || typeof value !== 'object') return value;
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * What a comparison shows of a job: its status and message besides its output, so that a run that
 * failed differs from one that succeeded even when neither has output.
 */
export function comparedJobText(job: { status: number; message?: string | null; output?: unknown }): string {
  return normalisedJson({ status: job.status, message: job.message ?? null, output: job.output ?? null });
}
