/** Most jobs a batch, a run of checks or a suite runs at once, whatever a setting or option says. */
export const MAX_BATCH_CONCURRENCY = 20;

/** A concurrency from a setting, an option or the environment, as a whole number from 1 to MAX_BATCH_CONCURRENCY. */
export function boundedConcurrency(value: number): number {
  return Math.min(MAX_BATCH_CONCURRENCY, Math.max(1, Math.floor(value) || 1));
}

/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
