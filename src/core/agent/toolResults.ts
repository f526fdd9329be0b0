// How the agent tools answer: short text for the model with the important fields first, and the whole
// as structured data; failures as results with a code the model can act on. No `vscode` here.
import { countRows, type BatchLedger, type LedgerRow, type PauseReason } from '../batch/ledger';
import type { InputItem } from '../inputItems';
import { LOG_WORDS, elapsedText, outputSummary } from '../jobText';
import { isFinished, JobStatus, type BotDetail, type Job } from '../types';
import type { InputValueProblem } from './botSchema';

export type AgentErrorCode =
  | 'badParameters'
  | 'badInput'
  | 'notSignedIn'
  | 'accountNotChosen'
  | 'contractNotFound'
  | 'unauthorized'
  | 'forbidden'
  | 'botNotFound'
  | 'jobNotFound'
  | 'batchNotFound'
  | 'notReached'
  | 'unanswered'
  | 'cancelled'
  | 'failed';

export interface AgentToolResult {
  /** For the model: short, the important fields first. */
  text: string;
  /** The whole result, structured. */
  data: Record<string, unknown>;
  isError: boolean;
}

/** A tool's result larger than this leaves the output out (the job can be opened in VS Code). */
const MAX_OUTPUT_CHARS = 256 * 1024;
export const MAX_TEXT_LINES = 40;
/** Server text (names, descriptions, messages) is clipped in the text part. */
const MAX_SERVER_TEXT = 300;
const MAX_RESULT_ROWS = 1_000;

export function success(text: string, data: Record<string, unknown>): AgentToolResult {
  return { text, data, isError: false };
}

export function failure(code: AgentErrorCode, message: string, extra: Record<string, unknown> = {}): AgentToolResult {
  return { text: `Error (${code}): ${message}`, data: { error: { code, message, ...extra } }, isError: true };
}

export function badInput(problems: InputValueProblem[], bot: BotDetail, items: readonly InputItem[]): AgentToolResult {
  const shown = problems.slice(0, MAX_TEXT_LINES);
  const text = [`Nothing was executed: the input does not fit ${clip(bot.name)} (${bot.id}).`, ...shown.map((problem) => `- ${problem.item || 'input'}: ${problem.message}`)];
  if (problems.length > shown.length) text.push(`…and ${problems.length - shown.length} more.`);
  text.push('Call cloudbot_describe_bot for its input schema.');
  return {
    text: `Error (badInput): ${text.join('\n')}`,
    data: { error: { code: 'badInput', message: text[0], item: problems[0].item, problems: problems.slice(0, 200), inputItems: items.map((item) => item.name) } },
    isError: true,
  };
}

export function statusWord(job: Pick<Job, 'status'>): string {
  switch (job.status) {
    case JobStatus.Succeeded:
      return 'succeeded';
    case JobStatus.Error:
      return 'failed';
    case JobStatus.Executing:
      return 'running';
    default:
      return `status ${job.status}`;
  }
}

export function elapsedOf(job: Job): string {
  const elapsed = elapsedText(job.elapsed_time, LOG_WORDS);
  return elapsed ? `, ${elapsed}` : '';
}

export function jobData(contract: string, job: Job, withOutput: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {
    contract,
    jobId: job.job_id,
    botId: job.bot_id,
    botName: job.bot_name ?? null,
    status: statusWord(job),
    message: job.message ?? null,
    startTime: job.start_time ?? null,
    elapsedSeconds: job.elapsed_time ?? null,
  };
  if (!withOutput) return data;
  const outputChars = job.output ? JSON.stringify(job.output).length : 0;
  if (outputChars > MAX_OUTPUT_CHARS) data.outputOmitted = `The output is ${outputChars} characters, too large to return here; open the job in VS Code or export it.`;
  else data.output = job.output ?? null;
  return data;
}

export function jobResult(contract: string, job: Job, how: { recovered?: boolean; stoppedWaiting?: boolean; cancelled?: boolean; suspended?: boolean }): AgentToolResult {
  const data = jobData(contract, job, true);
  const lines = [`Job ${job.job_id} of ${contract}/${job.bot_id}${job.bot_name ? ` (${clip(job.bot_name)})` : ''}: ${statusWord(job)}${elapsedOf(job)}.`];
  if (how.suspended) lines.push('It was suspended.');
  if (how.recovered) lines.push('Its execute answer was lost; this job was found among the BOT\'s jobs, so the BOT was not executed twice.');
  if (!isFinished(job)) {
    lines.push(how.cancelled ? 'Stopped waiting (cancelled); the job goes on in Cloud BOT.' : `Still running: call cloudbot_get_job with contract "${contract}" and jobId "${job.job_id}" (waitSeconds to wait) to check again.`);
  }
  if (job.message) lines.push(`Message: ${clip(job.message)}`);
  if (typeof data.outputOmitted === 'string') lines.push(data.outputOmitted);
  else if (job.output && Object.keys(job.output).length) lines.push('Output:', ...outputSummary(job.output, MAX_SERVER_TEXT).slice(0, MAX_TEXT_LINES).map((line) => `  ${line}`));
  data.waiting = !isFinished(job);
  return success(lines.join('\n'), data);
}

function rowData(row: LedgerRow): Record<string, unknown> {
  return {
    index: row.index,
    state: row.state,
    jobId: row.jobId ?? null,
    message: row.message ?? null,
    elapsedSeconds: row.elapsedSeconds ?? null,
    outputSummary: row.outputSummary ?? null,
    reason: row.reason ? (row.reason.code === 'badRow' ? `${row.reason.code}: ${row.reason.problem.item}` : `${row.reason.code}${'detail' in row.reason && row.reason.detail ? `: ${row.reason.detail}` : ''}`) : null,
  };
}

export function batchResult(contract: string, ledger: BatchLedger): AgentToolResult {
  const counts = countRows(ledger);
  const settled = counts.pending === 0 && counts.running === 0;
  const lines = [
    `Batch ${ledger.id} of ${contract}/${ledger.bot.botId}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.running} running, ${counts.pending} waiting, of ${counts.total}.`,
  ];
  if (ledger.pausedFor) lines.push(`Paused: ${pauseText(ledger.pausedFor)}`);
  if (!settled && !ledger.pausedFor) lines.push(`Not finished: call cloudbot_get_job with contract "${contract}" and batchId "${ledger.id}" (waitSeconds to wait) to check again.`);
  const notable = ledger.rows.filter((row) => row.state !== 'succeeded' && row.state !== 'pending');
  for (const row of notable.slice(0, MAX_TEXT_LINES)) lines.push(`- input ${row.index}: ${row.state}${row.jobId ? ` (job ${row.jobId})` : ''}${row.message ? `: ${clip(row.message)}` : ''}`);
  if (notable.length > MAX_TEXT_LINES) lines.push(`…and ${notable.length - MAX_TEXT_LINES} more.`);
  return success(lines.join('\n'), { batchId: ledger.id, contract, botId: ledger.bot.botId, phase: ledger.phase, counts, rows: ledger.rows.slice(0, MAX_RESULT_ROWS).map(rowData) });
}

function pauseText(reason: PauseReason): string {
  return reason.code === 'cannotCheckLostRow' ? 'a row in doubt could not be looked for among the BOT\'s jobs.' : `${reason.code}: ${reason.detail}`;
}

export function itemLine(item: InputItem): string {
  const kind = item.kind ?? 'any';
  const columns = item.columns.length ? ` with columns ${item.columns.map((c) => `${c.name} (${c.kind ?? 'any'})`).join(', ')}` : '';
  return `- ${item.name} (${kind}${columns})${item.description ? `: ${clip(item.description)}` : ''}`;
}

export function itemData(item: InputItem): Record<string, unknown> {
  return { name: item.name, kind: item.kind ?? null, description: item.description ?? null, ...(item.columns.length ? { columns: item.columns.map(itemData) } : {}) };
}

export function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SERVER_TEXT ? `${line.slice(0, MAX_SERVER_TEXT)}…` : line;
}
