// The batch panel's preview, before the start: how each column maps, and the first rows as the BOT will
// receive them. Only `${row:…}` variables are filled in; secrets, prompts and the environment stay as
// written, so nothing secret is shown or asked for before the user presses Start.
import type { TemplateResolver } from '../core/batch/batchInput';
import type { BatchLedger } from '../core/batch/ledger';
import type { CloudBot } from '../services/cloudBot';
import { batchInputsFor } from '../jobs/batchPreparer';
import { columnTargetText, describeRowReason } from '../words';
import type { BatchPreview } from './batchPanel';

/** Rows the preview shows. */
export const PREVIEW_ROWS = 5;

export async function batchPreview(cloudBot: CloudBot, ledger: BatchLedger, referenced: ReadonlySet<string>, rowsOnly: TemplateResolver): Promise<BatchPreview | undefined> {
  const inputs = await batchInputsFor(cloudBot, ledger, referenced, rowsOnly);
  if (!inputs) return undefined;
  const rows = await Promise.all(
    ledger.rows.slice(0, PREVIEW_ROWS).map(async (row) => {
      const prepared = await inputs.prepare(row);
      return prepared.ok ? { line: row.line, input: prepared.input } : { line: row.line, problem: describeRowReason(prepared.reason) };
    }),
  );
  return {
    columns: inputs.mapping.map(({ column, target }) => ({ column, target: columnTargetText(target, column), unknown: target.kind === 'unknown' })),
    rows,
  };
}
