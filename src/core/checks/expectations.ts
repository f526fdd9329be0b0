// An input file's `expect` block: what a run of its BOT must give (status, message, output items, an
// output schema, a duration), each expectation with its place in the file so that a failed one is
// shown at its line. Read strictly: a malformed expectation is a problem at its place, never a check
// that cannot fail. No `vscode` here.
import { findNodeAtLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import { tooDeepAt } from '../jsonDepth';
import { isPlainObject } from '../tables/json';

/** Where an expectation is written: its JSON path and the text range of its value. */
export interface Place {
  path: JSONPath;
  offset: number;
  length: number;
}

export type OutputCheck = 'equals' | 'contains' | 'matches' | 'rows';

export type Expectation =
  | { kind: 'status'; status: 'succeeded' | 'failed'; at: Place }
  | { kind: 'message'; pattern: string; at: Place }
  | { kind: 'output'; item: string; check: OutputCheck; value: unknown; at: Place }
  | { kind: 'outputSchema'; schema: Record<string, unknown>; at: Place }
  | { kind: 'maxDuration'; seconds: number; at: Place };

/** Why an `expect` block cannot be read, at `at`. */
export type ExpectationIssue =
  | { code: 'notObject'; field: string }
  | { code: 'unknownField'; field: string; known: readonly string[] }
  | { code: 'badStatus' }
  | { code: 'badPattern'; reason: string }
  | { code: 'badRows' }
  | { code: 'badDuration' }
  | { code: 'emptyCheck'; item: string }
  | { code: 'tooMany' };

export type ExpectationsResult = { ok: true; expectations: Expectation[] } | { ok: false; issue: ExpectationIssue; at: Place };

export const EXPECT_FIELDS = ['status', 'message', 'output', 'outputSchema', 'maxDurationSeconds'] as const;
export const OUTPUT_CHECKS: readonly OutputCheck[] = ['equals', 'contains', 'matches', 'rows'];
/** Bounds on what a file asks: patterns are run against server text, so they stay short. */
export const MAX_PATTERN_LENGTH = 1_000;
const MAX_EXPECTATIONS = 500;

/** The expectations of an input file's text; none when it has no `expect` block. */
export function readExpectations(text: string): ExpectationsResult {
  const root = tooDeepAt(text) === -1 ? parseTree(text) : undefined;
  const block = root && findNodeAtLocation(root, ['expect']);
  if (!root || !block) return { ok: true, expectations: [] };
  const placeOf = (node: Node, path: JSONPath): Place => ({ path, offset: node.offset, length: node.length });
  const fail = (issue: ExpectationIssue, node: Node, path: JSONPath): ExpectationsResult => ({ ok: false, issue, at: placeOf(node, path) });
  if (block.type !== 'object') return fail({ code: 'notObject', field: 'expect' }, block, ['expect']);
  const expectations: Expectation[] = [];
  for (const [key, value] of properties(block)) {
    const path = ['expect', key];
    const at = placeOf(value, path);
    const raw = nodeValue(value);
    switch (key) {
      case 'status':
        if (raw !== 'succeeded' && raw !== 'failed') return fail({ code: 'badStatus' }, value, path);
        expectations.push({ kind: 'status', status: raw, at });
        break;
      case 'message': {
        const problem = patternProblem(raw);
        if (problem) return fail({ code: 'badPattern', reason: problem }, value, path);
        expectations.push({ kind: 'message', pattern: raw as string, at });
        break;
      }
      case 'maxDurationSeconds':
        if (typeof raw !== 'number' || !(raw > 0) || !Number.isFinite(raw)) return fail({ code: 'badDuration' }, value, path);
        expectations.push({ kind: 'maxDuration', seconds: raw, at });
        break;
      case 'outputSchema':
        if (!isPlainObject(raw)) return fail({ code: 'notObject', field: 'outputSchema' }, value, path);
        expectations.push({ kind: 'outputSchema', schema: raw, at });
        break;
      case 'output': {
        if (value.type !== 'object') return fail({ code: 'notObject', field: 'output' }, value, path);
        for (const [item, check] of properties(value)) {
          const read = outputChecks(item, check, [...path, item], placeOf);
          if (!read.ok) return read;
          expectations.push(...read.expectations);
        }
        break;
      }
      default:
        return fail({ code: 'unknownField', field: key, known: EXPECT_FIELDS }, value, path);
    }
    if (expectations.length > MAX_EXPECTATIONS) return fail({ code: 'tooMany' }, block, ['expect']);
  }
  return { ok: true, expectations };
}

/**
 * One output item's checks: a plain value is `equals`; an object whose keys are all check names holds
 * one check per key (`{"contains": "x", "rows": 2}`); any other object is a value to equal.
 */
function outputChecks(item: string, node: Node, path: JSONPath, placeOf: (node: Node, path: JSONPath) => Place): ExpectationsResult {
  const raw = nodeValue(node);
  const checks = isPlainObject(raw) && Object.keys(raw).length > 0 && Object.keys(raw).every((key) => (OUTPUT_CHECKS as readonly string[]).includes(key));
  if (!checks) return { ok: true, expectations: [{ kind: 'output', item, check: 'equals', value: raw, at: placeOf(node, path) }] };
  const expectations: Expectation[] = [];
  for (const [key, valueNode] of properties(node)) {
    const check = key as OutputCheck;
    const value = nodeValue(valueNode);
    const at = placeOf(valueNode, [...path, key]);
    if (check === 'matches') {
      const problem = patternProblem(value);
      if (problem) return { ok: false, issue: { code: 'badPattern', reason: problem }, at };
    }
    if (check === 'rows' && !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) return { ok: false, issue: { code: 'badRows' }, at };
    expectations.push({ kind: 'output', item, check, value, at });
  }
  if (!expectations.length) return { ok: false, issue: { code: 'emptyCheck', item }, at: placeOf(node, path) };
  return { ok: true, expectations };
}

/** Why a pattern cannot be used: not a string, too long, or not a regular expression. */
function patternProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  if (value.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(value, 'u');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function properties(object: Node): [string, Node][] {
  return (object.children ?? []).flatMap((property) => {
    const [key, value] = property.children ?? [];
    return key && value ? [[String(key.value), value] as [string, Node]] : [];
  });
}

/** A node's value as JSON (jsonc-parser keeps only scalars' values on nodes). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(properties(node).map(([key, value]) => [key, nodeValue(value)]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}
