// The input one row of a batch gives its BOT: the template's input (its variables resolved for this row),
// with the items the row's columns fill taking the place of the template's. No `vscode` here.
import type { InputItem } from '../inputItems';
import { columnMapping, rowInputs, type ColumnMapping } from '../tables/rowInput';
import { escapeVariables, resolveInput, variableText, withRow } from '../variables';
import type { PreparedRow } from './batchRun';
import type { BatchLedger, LedgerRow } from './ledger';

/** Resolves the template's variables for a row: a new input, or why it cannot be made. */
export type TemplateResolver = (input: Record<string, unknown>, row: LedgerRow) => Promise<{ ok: true; input: Record<string, unknown> } | { ok: false; detail: string }>;

/** How a batch's template variables are resolved: what the rows reference, and a resolver for one run of the batch. */
export interface TemplateVariables {
  referenced(ledger: BatchLedger): ReadonlySet<string>;
  /**
   * A resolver for one run of the batch (each secret and prompt asked once), with `redact`, which takes
   * the values it resolved out of a text; undefined when the user cancelled.
   */
  resolverFor(ledger: BatchLedger): Promise<{ resolve: TemplateResolver; redact(text: string): string } | undefined>;
}

export interface BatchInputs {
  /** How the rows' columns map to the BOT's items (or to the template's `${row:…}` variables). */
  mapping: ColumnMapping[];
  prepare(row: LedgerRow): Promise<PreparedRow>;
}

/**
 * `items` is the BOT's input definition (empty when it has none: then every column is an item of its
 * name), `referenced` the columns the template uses as `${row:…}`.
 */
export function batchInputs(ledger: BatchLedger, items: readonly InputItem[], referenced: ReadonlySet<string>, resolve: TemplateResolver): BatchInputs {
  return {
    mapping: columnMapping(ledger.columns, items, referenced),
    async prepare(row) {
      const [fromColumns] = rowInputs({ format: 'json', columns: ledger.columns, rows: [{ line: row.line, cells: row.cells }] }, items, referenced);
      if (fromColumns.problems.length) return { ok: false, reason: { code: 'badRow', problem: fromColumns.problems[0] } };
      const template = await resolve(ledger.template.input, row);
      if (!template.ok) return { ok: false, reason: { code: 'badInput', detail: template.detail } };
      return { ok: true, input: { ...template.input, ...fromColumns.input } };
    },
  };
}

/** A row's cells as `${row:…}` values: numbers and booleans (from JSON or Excel) as their text. */
export function cellsAsText(row: LedgerRow): Record<string, string> {
  return Object.fromEntries(
    Object.entries(row.cells).flatMap(([column, value]) => (value === undefined || value === null ? [] : [[column, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)]])),
  );
}

/**
 * What a row's job was executed with, as written, for Re-run: the template with its `${row:…}` variables
 * and the row's columns filled in (their text escaped, so that a cell is never taken for a variable),
 * and every other variable left to be asked again. Undefined when the row cannot make an input.
 */
export async function rowTemplate(ledger: BatchLedger, row: LedgerRow, items: readonly InputItem[], referenced: ReadonlySet<string>): Promise<Record<string, unknown> | undefined> {
  const [fromColumns] = rowInputs({ format: 'json', columns: ledger.columns, rows: [{ line: row.line, cells: row.cells }] }, items, referenced);
  const cells = escapeVariables(cellsAsText(row));
  const template = await resolveInput(ledger.template.input, withRow(async (variable) => variableText(variable), cells));
  if (fromColumns.problems.length || !template.ok) return undefined;
  return { ...template.input, ...escapeVariables(fromColumns.input) };
}
