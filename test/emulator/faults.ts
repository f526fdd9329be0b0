// Fault injection: make chosen routes slow, fail, hang up or answer garbage, to test a client's error paths.

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regular expression source matched against the request's pathname, e.g. "^/example1/bots/echo/jobs$". */
  path: string;
  /** How many matching requests the rule applies to; unlimited when absent. */
  times?: number;
  /** Delay before answering (before the handler, or before the answer when `afterHandler`). */
  latencyMs?: number;
  /** Answer with this status (5xx, 429, ...) and a `{code, message}` body instead of the real answer. */
  status?: number;
  /** With `status`: the body's `message` in every language, instead of the emulator's own (e.g. text that tries to be a link). */
  message?: string;
  /** With 429/503: a `Retry-After` header in seconds. */
  retryAfterSeconds?: number;
  /** Destroy the socket without any response. */
  drop?: boolean;
  /** Answer 200 with truncated JSON. */
  malformed?: boolean;
  /**
   * Let the real handler run first, then apply the fault to its answer: e.g. Execute creates the job
   * and then the connection drops, the "sent but no answer" case.
   */
  afterHandler?: boolean;
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new Error(`invalid fault rule: ${problem}`);
}
const isCount = (value: unknown, min: number): boolean => typeof value === 'number' && Number.isInteger(value) && value >= min;

/** Checks a rule from JSON (e.g. POST /_emulator/faults); throws with the reason. */
export function validateFaultRule(value: unknown): FaultRule {
  check(typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');
  const rule = value as Record<string, unknown>;
  const known = ['method', 'path', 'times', 'latencyMs', 'status', 'message', 'retryAfterSeconds', 'drop', 'malformed', 'afterHandler'];
  for (const key of Object.keys(rule)) check(known.includes(key), `unknown field "${key}"`);
  check(typeof rule.path === 'string', '"path" must be a regular expression string');
  try {
    new RegExp(rule.path as string);
  } catch {
    check(false, '"path" is not a valid regular expression');
  }
  check(rule.method === undefined || typeof rule.method === 'string', '"method" must be a string');
  check(rule.times === undefined || isCount(rule.times, 1), '"times" must be an integer ≥ 1');
  check(rule.latencyMs === undefined || isCount(rule.latencyMs, 0), '"latencyMs" must be an integer ≥ 0');
  check(rule.status === undefined || (isCount(rule.status, 400) && (rule.status as number) <= 599), '"status" must be 400–599');
  check(rule.message === undefined || (typeof rule.message === 'string' && rule.status !== undefined), '"message" must be a string, with "status"');
  check(rule.retryAfterSeconds === undefined || isCount(rule.retryAfterSeconds, 0), '"retryAfterSeconds" must be an integer ≥ 0');
  for (const key of ['drop', 'malformed', 'afterHandler']) check(rule[key] === undefined || typeof rule[key] === 'boolean', `"${key}" must be a boolean`);
  const outcomes = [rule.status !== undefined, rule.drop === true, rule.malformed === true].filter(Boolean).length;
  check(outcomes <= 1, 'use at most one of "status", "drop" and "malformed"');
  check(outcomes === 1 || rule.latencyMs !== undefined, 'a rule needs "latencyMs", "status", "drop" or "malformed"');
  return rule as unknown as FaultRule;
}

/** The rules in the order added; each request takes the first matching rule that has uses left. */
export class FaultList {
  private rules: { rule: FaultRule; pattern: RegExp; remaining: number }[] = [];

  add(rule: FaultRule): void {
    const valid = validateFaultRule(rule);
    this.rules.push({ rule: { ...valid }, pattern: new RegExp(valid.path), remaining: valid.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  take(method: string, pathname: string): FaultRule | undefined {
    const entry = this.rules.find((r) => r.remaining > 0 && (r.rule.method === undefined || r.rule.method.toUpperCase() === method.toUpperCase()) && r.pattern.test(pathname));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    return entry.rule;
  }
}
