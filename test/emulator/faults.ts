// Fault injection: make chosen routes slow, fail, hang up or answer garbage, or answer in the odd but
// possible shapes a real server might use (variants), to test a client's error and tolerance paths.
import { jsonReply, type Reply } from './http';

/** Ways the real answer can be reshaped; see `reshape` for each. */
export const ANSWER_VARIANTS = [
  'stringStatuses',
  'unknownStatus',
  'numericNames',
  'paddedSubscriptionId',
  'duplicateJobs',
  'nullFields',
  'ignorePaging',
  'noContent',
  'redirect',
  'badLocation',
  'hugeBody',
] as const;
export type AnswerVariant = (typeof ANSWER_VARIANTS)[number];

/** The job list's paging parameters, which an `ignorePaging` server drops. */
export const PAGING_PARAMETERS = ['datetime_from', 'datetime_to', 'id_from', 'id_to'];
/** Size of a `hugeBody` answer: over any sane client limit. */
export const HUGE_BODY_BYTES = 40 * 1024 * 1024;
/** The undocumented status an `unknownStatus` answer carries. */
export const UNKNOWN_STATUS = 7;

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
  /** With a status: a `Retry-After` header exactly as given (a date, "-5", garbage). */
  retryAfter?: string;
  /** Answer the real answer in another shape (the handler runs first, except that `ignorePaging` changes the query). */
  variant?: AnswerVariant;
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
  const known = ['method', 'path', 'times', 'latencyMs', 'status', 'message', 'retryAfterSeconds', 'retryAfter', 'variant', 'drop', 'malformed', 'afterHandler'];
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
  check(rule.retryAfter === undefined || typeof rule.retryAfter === 'string', '"retryAfter" must be a string');
  check(rule.retryAfter === undefined || rule.retryAfterSeconds === undefined, 'use at most one of "retryAfter" and "retryAfterSeconds"');
  check(rule.variant === undefined || (ANSWER_VARIANTS as readonly unknown[]).includes(rule.variant), `"variant" must be one of ${ANSWER_VARIANTS.join(', ')}`);
  for (const key of ['drop', 'malformed', 'afterHandler']) check(rule[key] === undefined || typeof rule[key] === 'boolean', `"${key}" must be a boolean`);
  const outcomes = [rule.status !== undefined, rule.drop === true, rule.malformed === true, rule.variant !== undefined].filter(Boolean).length;
  check(outcomes <= 1, 'use at most one of "status", "drop", "malformed" and "variant"');
  check(outcomes === 1 || rule.latencyMs !== undefined, 'a rule needs "latencyMs", "status", "drop", "malformed" or "variant"');
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

/** The jobs of an answer: the job itself (E5, E7, E8) or the items of a job list (E6). */
function jobsIn(body: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(body.jobs)) return body.jobs as Record<string, unknown>[];
  return 'job_id' in body ? [body] : [];
}

/** Digits as a number, as a server with numeric IDs or names would send them. */
const asNumber = (value: unknown): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** The real answer in the shape of `variant`. */
export function reshape(variant: AnswerVariant, reply: Reply): Reply {
  switch (variant) {
    case 'ignorePaging':
      return reply;
    case 'noContent':
      return reply.status >= 200 && reply.status < 300 ? { status: 204, body: '', headers: {} } : reply;
    case 'redirect':
      return { status: 302, body: '', headers: { location: 'http://127.0.0.1:9/elsewhere' } };
    case 'badLocation':
      return { ...reply, headers: { ...reply.headers, location: 'http://[not a host' } };
    case 'hugeBody':
      return jsonReply(200, { code: 200, padding: 'x'.repeat(HUGE_BODY_BYTES) });
  }
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  // A string ID that a number would not keep (leading zeros).
  if (variant === 'paddedSubscriptionId' && body.subscribe_id !== undefined) body.subscribe_id = String(body.subscribe_id).padStart(4, '0');
  for (const job of jobsIn(body)) {
    if (variant === 'stringStatuses') job.status = String(job.status);
    if (variant === 'unknownStatus') job.status = UNKNOWN_STATUS;
    if (variant === 'nullFields') Object.assign(job, { elapsed_time: null, bot_name: null, start_time: null });
  }
  if (variant === 'numericNames') {
    for (const item of [...jobsIn(body), ...((body.bots as Record<string, unknown>[] | undefined) ?? [body])]) {
      for (const field of ['id', 'name', 'bot_id', 'bot_name']) if (field in item) item[field] = asNumber(item[field]);
    }
  }
  if (variant === 'duplicateJobs' && Array.isArray(body.jobs) && body.jobs.length > 0) {
    // The first job again at the end, in a later state (its elapsed time grew).
    const first = body.jobs[0] as Record<string, unknown>;
    body.jobs.push({ ...first, elapsed_time: Number(first.elapsed_time ?? 0) + 1 });
  }
  return { ...reply, body: JSON.stringify(body) };
}
