// One BOT's output as another BOT's input ("chaining" BOTs): each input item is filled from the output
// item of the same name when the value fits the item's kind, else it keeps its default. No `vscode` here.
import { initialValueOf, type InputItem } from './inputItems';

export interface InputFromOutput {
  /** A value for every input item: from the output, or the item's default. */
  input: Record<string, unknown>;
  /** Input items filled from the output. */
  matched: string[];
  /** Input items left at their default: no output item of that name, or a value of another kind. */
  unmatched: string[];
}

export function inputFromOutput(output: unknown, items: readonly InputItem[]): InputFromOutput {
  const values = isObject(output) ? output : {};
  const input: Record<string, unknown> = {};
  const matched: string[] = [];
  const unmatched: string[] = [];
  for (const item of items) {
    const value = Object.hasOwn(values, item.name) ? valueFor(item, values[item.name]) : undefined;
    // Defined as own properties: an item may be called "__proto__".
    Object.defineProperty(input, item.name, { value: value ?? initialValueOf(item), enumerable: true, writable: true, configurable: true });
    (value === undefined ? unmatched : matched).push(item.name);
  }
  return { input, matched, unmatched };
}

/** The output value as a value of the item's kind; undefined when it is of another kind. */
function valueFor(item: InputItem, value: unknown): unknown {
  switch (item.kind) {
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'list':
      if (typeof value === 'string') return [value];
      return isStringArray(value) ? [...value] : undefined;
    case 'group':
      if (!Array.isArray(value) || !value.every(isObject)) return undefined;
      return value.map((row) => (item.columns.length ? knownColumns(row, item.columns) : { ...row }));
    case 'files':
      // An input names files by their refs only (the output's meta describes the job's copy).
      if (!isObject(value) || value.type !== 'files' || !Array.isArray(value.files)) return undefined;
      return { type: 'files', files: value.files.filter((file) => isObject(file) && typeof file.ref === 'string').map((file) => ({ ref: (file as { ref: string }).ref })) };
    default:
      // The definition does not say the kind: the value as it is, when there is one.
      return value === null ? undefined : value;
  }
}

/** A row with the group's known columns only, each filled as its kind allows, else with its default. */
function knownColumns(row: Record<string, unknown>, columns: readonly InputItem[]): Record<string, unknown> {
  return inputFromOutput(row, columns).input;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
