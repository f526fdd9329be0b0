// What each Cloud BOT tool does for an agent, for every host: Copilot's language model tools in VS Code
// and the MCP server. Every outcome is a result the model can act on (short text, important fields
// first, plus the whole as structured data), never a thrown error; nothing is sent before the input is
// checked against the BOT's definition. No `vscode` here.
import type { BatchLedger, NewBatch } from '../batch/ledger';
import type { BatchRun } from '../batch/batchRun';
import type { CallOptions } from '../client';
import { isNamedError, messageOf, permissionByOperation, type CloudBotError } from '../errors';
import { initialValueOf, inputItemsOf } from '../inputItems';
import { StoppedWaiting, type ExecutionUnanswered, type JobClient, type JobStore } from '../jobStore';
import { CONTRACT_PARALLELISM, matchesQuery } from '../explorerData';
import { mapLimit } from '../concurrency';
import type { BotRef, JobRef } from '../refs';
import { isFinished, type Bot, type BotDetail, type Contract, type Job } from '../types';
import { checkInputValue, inputSchemaOf } from './botSchema';
import { paramProblem } from './toolParams';
import { AGENT_TOOLS, MAX_LISTED_JOBS, toolDefinition, type AgentToolName } from './toolDefinitions';
import { MAX_TEXT_LINES, badInput, batchResult, clip, elapsedOf, failure, itemData, itemLine, jobData, jobResult, statusWord, success, type AgentErrorCode, type AgentToolResult } from './toolResults';

export type { AgentErrorCode, AgentToolResult } from './toolResults';

export interface AgentAccount {
  sessionId: string;
  label: string;
}

/** The API calls the tools make besides the job store's. */
export interface AgentClient {
  listContracts(properties?: string[], call?: CallOptions): Promise<Contract[]>;
  listBots(publicId: string, properties?: string[], call?: CallOptions): Promise<Bot[]>;
  getBot(publicId: string, botId: string, properties?: string[], call?: CallOptions): Promise<BotDetail>;
  listJobs: JobClient['listJobs'];
}

/** Where batches of inputs run: the extension's batches (panel, progress, resumed after a reload) or the MCP server's. */
export interface AgentBatches {
  create(batch: NewBatch): Promise<BatchLedger>;
  /** False when what the rows need was not given (the user cancelled). */
  start(id: string): Promise<boolean>;
  get(id: string): Promise<BatchLedger | undefined>;
  runOf(id: string): BatchRun | undefined;
}

export interface AgentHost {
  accounts(): Promise<AgentAccount[]>;
  client(sessionId: string): AgentClient;
  store: JobStore;
  batches: AgentBatches;
  /** Picks one of several accounts that can reach a contract; undefined when the user declined. */
  chooseAccount(accounts: AgentAccount[], contract: string | undefined): Promise<AgentAccount | undefined>;
  /** How to sign in here, for the result that says nobody is. */
  signInHint: string;
  /** A sentence about an error for the user's language; the English of the log when absent. */
  describeError?(error: unknown): string;
  /** Jobs executed or followed here, newest first (the extension's history outlives the store). */
  recentJobs?(): { ref: JobRef; job: Job }[];
}

/** What the user confirms before a tool starts or stops work in Cloud BOT. */
export type Confirmation =
  | { kind: 'execute'; account: string; contract: string; botId: string; botName?: string; inputs: Record<string, unknown>[]; batch: boolean }
  | { kind: 'suspend'; account: string; contract: string; jobId: string; botName?: string };

const MAX_LISTED_BOTS = 200;
const DEFAULT_EXECUTE_WAIT_SECONDS = 60;
const DEFAULT_LISTED_JOBS = 10;

interface Target {
  account: AgentAccount;
  contract: string;
}

type Step<T> = { ok: true; value: T } | { ok: false; result: AgentToolResult };

export class AgentTools {
  /** The account chosen for a contract, so that an agent's calls do not ask again each time. */
  private readonly chosen = new Map<string, string>();

  constructor(private readonly host: AgentHost) {}

  /** Checks a call that needs the user's yes and says what to confirm; a result when it cannot run. */
  async confirmation(name: string, params: unknown, signal?: AbortSignal): Promise<Step<Confirmation>> {
    const checked = this.checkParams(name, params);
    if (!checked.ok) return checked;
    const p = checked.value;
    if (name === 'cloudbot_suspend_job') {
      const target = await this.targetOf(p.contract as string);
      if (!target.ok) return target;
      const known = this.host.store.get(jobRef(target.value, p.jobId as string));
      return { ok: true, value: { kind: 'suspend', account: target.value.account.label, contract: target.value.contract, jobId: p.jobId as string, botName: known?.job.bot_name } };
    }
    if (name !== 'cloudbot_execute_bot') return { ok: false, result: failure('badParameters', `${name} needs no confirmation.`) };
    const plan = await this.executionPlan(p, signal);
    if (!plan.ok) return plan;
    const { target, bot, inputs } = plan.value;
    return { ok: true, value: { kind: 'execute', account: target.account.label, contract: target.contract, botId: bot.id, botName: bot.name, inputs, batch: Array.isArray(p.inputs) } };
  }

  /** Runs a tool. Never throws: every failure is a result that says what to do. */
  async invoke(name: string, params: unknown, signal?: AbortSignal): Promise<AgentToolResult> {
    try {
      const checked = this.checkParams(name, params);
      if (!checked.ok) return checked.result;
      const p = checked.value;
      switch (name as AgentToolName) {
        case 'cloudbot_list_bots':
          return await this.listBots(p, signal);
        case 'cloudbot_describe_bot':
          return await this.describeBot(p, signal);
        case 'cloudbot_execute_bot':
          return await this.executeBot(p, signal);
        case 'cloudbot_get_job':
          return await this.getJob(p, signal);
        case 'cloudbot_suspend_job':
          return await this.suspendJob(p);
        case 'cloudbot_list_jobs':
          return await this.listJobs(p, signal);
      }
    } catch (error) {
      return this.errorResult(error);
    }
  }

  private checkParams(name: string, params: unknown): Step<Record<string, unknown>> {
    const tool = toolDefinition(name);
    if (!tool) return { ok: false, result: failure('badParameters', `There is no tool "${name}". The tools are: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`) };
    const problem = paramProblem(params, tool.inputSchema);
    if (problem) return { ok: false, result: failure('badParameters', problem.message, { parameter: problem.param }) };
    return { ok: true, value: (params ?? {}) as Record<string, unknown> };
  }

  private async listBots(p: Record<string, unknown>, signal?: AbortSignal): Promise<AgentToolResult> {
    const accounts = await this.host.accounts();
    if (!accounts.length) return this.notSignedIn();
    const query = typeof p.query === 'string' ? p.query : '';
    const bots: { account: string; contract: string; contractName?: string; id: string; name: string; description?: string }[] = [];
    const unavailable: { contract: string; reason: string }[] = [];
    for (const account of accounts) {
      const client = this.host.client(account.sessionId);
      const contracts = (await client.listContracts([], { signal })).filter((c) => p.contract === undefined || c.public_id === p.contract);
      // A contract that refuses (External Connections off) is said, not allowed to hide the others.
      const perContract = await mapLimit(contracts, CONTRACT_PARALLELISM, async (c) => {
        try {
          return { contract: c, bots: await client.listBots(c.public_id, [], { signal }) };
        } catch (error) {
          unavailable.push({ contract: c.public_id, reason: this.errorResult(error).text });
          return { contract: c, bots: [] };
        }
      });
      for (const { contract, bots: found } of perContract) {
        for (const bot of found) {
          if (query && !matchesQuery(bot, query)) continue;
          bots.push({ account: account.label, contract: contract.public_id, contractName: contract.name ?? undefined, id: bot.id, name: bot.name, description: bot.description ?? undefined });
        }
      }
    }
    const listed = bots.slice(0, MAX_LISTED_BOTS);
    const several = accounts.length > 1;
    const lines = listed.slice(0, MAX_TEXT_LINES).map((bot) => `- ${bot.contract}/${bot.id}: ${clip(bot.name)}${bot.description ? ` — ${clip(bot.description)}` : ''}${several ? ` [${bot.account}]` : ''}`);
    const head = bots.length ? `${bots.length} BOT(s)${query ? ` matching "${query}"` : ''} (contract/BOT ID: name — description):` : `No BOT${query ? ` matches "${query}"` : ' is visible to the signed-in account(s)'}.`;
    const more = bots.length > lines.length ? [`…and ${bots.length - lines.length} more: narrow the query.`] : [];
    const refused = unavailable.map(({ contract, reason }) => `Contract ${contract} could not be listed: ${reason}`);
    return success([head, ...lines, ...more, ...refused].join('\n'), { bots: listed, total: bots.length, unavailable });
  }

  private async describeBot(p: Record<string, unknown>, signal?: AbortSignal): Promise<AgentToolResult> {
    const target = await this.targetOf(p.contract as string);
    if (!target.ok) return target.result;
    const bot = await this.host.client(target.value.account.sessionId).getBot(target.value.contract, p.botId as string, ['input', 'output'], { signal });
    const items = inputItemsOf(bot.input);
    const known = bot.input !== undefined && bot.input !== null;
    const outputs = inputItemsOf(bot.output);
    const exampleInput = Object.fromEntries(items.map((item) => [item.name, initialValueOf(item)]));
    const lines = [
      `${clip(bot.name)} (${target.value.contract}/${bot.id})${bot.description ? `: ${clip(bot.description)}` : ''}`,
      known ? (items.length ? 'Input items:' : 'Input: none (execute it without "input").') : 'Input: the BOT did not say which items it takes.',
      ...items.map(itemLine),
      outputs.length ? 'Output items:' : 'Output items: none declared.',
      ...outputs.map(itemLine),
    ];
    return success(lines.join('\n'), {
      contract: target.value.contract,
      botId: bot.id,
      name: bot.name,
      description: bot.description ?? null,
      inputSchema: inputSchemaOf(items, known),
      exampleInput,
      outputItems: outputs.map(itemData),
    });
  }

  /** The BOT, checked inputs and account of an execute call, or the result that says what is wrong. */
  private async executionPlan(p: Record<string, unknown>, signal?: AbortSignal): Promise<Step<{ target: Target; bot: BotDetail; inputs: Record<string, unknown>[] }>> {
    if (p.input !== undefined && p.inputs !== undefined) return { ok: false, result: failure('badParameters', 'Give either "input" (one run) or "inputs" (a batch), not both.', { parameter: 'inputs' }) };
    const target = await this.targetOf(p.contract as string);
    if (!target.ok) return target;
    try {
      const bot = await this.host.client(target.value.account.sessionId).getBot(target.value.contract, p.botId as string, ['input'], { signal });
      const items = inputItemsOf(bot.input);
      const known = bot.input !== undefined && bot.input !== null;
      const batch = Array.isArray(p.inputs);
      const inputs = (batch ? p.inputs : [p.input ?? {}]) as Record<string, unknown>[];
      const problems = inputs.flatMap((input, index) => checkInputValue(input, items, known, batch ? `inputs[${index}]` : ''));
      if (problems.length) return { ok: false, result: badInput(problems, bot, items) };
      return { ok: true, value: { target: target.value, bot, inputs } };
    } catch (error) {
      return { ok: false, result: this.errorResult(error) };
    }
  }

  private async executeBot(p: Record<string, unknown>, signal?: AbortSignal): Promise<AgentToolResult> {
    const plan = await this.executionPlan(p, signal);
    if (!plan.ok) return plan.result;
    if (signal?.aborted) return failure('cancelled', 'Cancelled: nothing was executed.');
    const { target, bot, inputs } = plan.value;
    const botRef: BotRef = { sessionId: target.account.sessionId, publicId: target.contract, botId: bot.id, botName: bot.name };
    const waitMs = (typeof p.waitSeconds === 'number' ? p.waitSeconds : DEFAULT_EXECUTE_WAIT_SECONDS) * 1000;
    if (Array.isArray(p.inputs)) return this.executeBatch(botRef, inputs, waitMs, signal);
    let started;
    try {
      // The POST is not cancelled once sent: cut off, it could start a job nobody follows.
      started = await this.host.store.execute(botRef, { input: inputs[0] });
    } catch (error) {
      return this.errorResult(error);
    }
    const job = await waitBounded(waitMs, signal, (stop) => this.host.store.waitForEnd(started.ref, { signal: stop, kind: 'tool' }));
    return jobResult(target.contract, job ?? this.host.store.get(started.ref)?.job ?? started.job, {
      recovered: started.recovered,
      stoppedWaiting: !job,
      cancelled: !job && !!signal?.aborted,
    });
  }

  private async executeBatch(bot: BotRef, inputs: Record<string, unknown>[], waitMs: number, signal?: AbortSignal): Promise<AgentToolResult> {
    const columns = [...new Set(inputs.flatMap((input) => Object.keys(input)))];
    const ledger = await this.host.batches.create({
      bot,
      template: { input: {}, options: {} },
      rowsSource: `agent (${inputs.length} inputs)`,
      columns,
      rows: inputs.map((cells, index) => ({ line: index + 1, cells })),
    });
    if (!(await this.host.batches.start(ledger.id))) return failure('cancelled', 'Cancelled: the batch was not started; nothing was executed.', { batchId: ledger.id });
    const run = this.host.batches.runOf(ledger.id);
    if (run) await waitBounded(waitMs, signal, (stop) => untilAborted(run.whenSettled(), stop));
    return batchResult(bot.publicId, run?.ledger ?? ledger);
  }

  private async getJob(p: Record<string, unknown>, signal?: AbortSignal): Promise<AgentToolResult> {
    if ((p.jobId === undefined) === (p.batchId === undefined)) return failure('badParameters', 'Give either "jobId" or "batchId".', { parameter: 'jobId' });
    if (typeof p.batchId === 'string') {
      const ledger = await this.host.batches.get(p.batchId);
      if (!ledger || ledger.bot.publicId !== p.contract) return failure('batchNotFound', `There is no batch "${p.batchId}" of contract ${String(p.contract)} here. Batches are known only where they were started.`);
      const run = this.host.batches.runOf(ledger.id);
      if (run && p.waitSeconds) await waitBounded((p.waitSeconds as number) * 1000, signal, (stop) => untilAborted(run.whenSettled(), stop));
      return batchResult(ledger.bot.publicId, run?.ledger ?? ledger);
    }
    const target = await this.targetOf(p.contract as string);
    if (!target.ok) return target.result;
    const ref = jobRef(target.value, p.jobId as string);
    let job = await this.host.store.refer(ref);
    if (!isFinished(job) && p.waitSeconds) job = (await waitBounded((p.waitSeconds as number) * 1000, signal, (stop) => this.host.store.waitForEnd(ref, { signal: stop, kind: 'tool' }))) ?? this.host.store.get(ref)?.job ?? job;
    return jobResult(target.value.contract, job, {});
  }

  private async suspendJob(p: Record<string, unknown>): Promise<AgentToolResult> {
    const target = await this.targetOf(p.contract as string);
    if (!target.ok) return target.result;
    const job = await this.host.store.suspend(jobRef(target.value, p.jobId as string));
    return jobResult(target.value.contract, job, { suspended: true });
  }

  private async listJobs(p: Record<string, unknown>, signal?: AbortSignal): Promise<AgentToolResult> {
    const limit = typeof p.limit === 'number' ? p.limit : DEFAULT_LISTED_JOBS;
    let jobs: { contract: string; job: Job }[];
    if (typeof p.botId === 'string') {
      if (typeof p.contract !== 'string') return failure('badParameters', '"botId" needs "contract" too.', { parameter: 'contract' });
      const target = await this.targetOf(p.contract);
      if (!target.ok) return target.result;
      const found = await this.host.client(target.value.account.sessionId).listJobs(target.value.contract, p.botId, { limit, sort_order: 'desc' }, { signal });
      jobs = this.host.store.seenAll({ sessionId: target.value.account.sessionId, publicId: target.value.contract }, found).map((entry) => ({ contract: target.value.contract, job: entry.job }));
    } else {
      const here = this.host.recentJobs?.() ?? this.host.store.entries().filter((entry) => entry.mine).reverse();
      jobs = here.filter(({ ref }) => p.contract === undefined || ref.publicId === p.contract).map(({ ref, job }) => ({ contract: ref.publicId, job }));
    }
    jobs = jobs.slice(0, Math.min(limit, MAX_LISTED_JOBS));
    const lines = jobs.map(({ contract, job }) => `- ${job.job_id} (${contract}/${job.bot_id}${job.bot_name ? ` ${clip(job.bot_name)}` : ''}): ${statusWord(job)}${job.start_time ? `, started ${job.start_time}` : ''}${elapsedOf(job)}`);
    const head = jobs.length ? `${jobs.length} job(s), newest first:` : typeof p.botId === 'string' ? 'The BOT has no jobs.' : 'No job was executed or followed here yet. Give "botId" to list a BOT\'s jobs from Cloud BOT.';
    return success([head, ...lines].join('\n'), { jobs: jobs.map(({ contract, job }) => jobData(contract, job, false)) });
  }

  /** The account to use for a contract: the only one, the one that has the contract, or the one the user picks. */
  private async targetOf(contract: string): Promise<Step<Target>> {
    const accounts = await this.host.accounts();
    if (!accounts.length) return { ok: false, result: this.notSignedIn() };
    if (accounts.length === 1) return { ok: true, value: { account: accounts[0], contract } };
    const remembered = accounts.find((account) => account.sessionId === this.chosen.get(contract));
    if (remembered) return { ok: true, value: { account: remembered, contract } };
    const holders: AgentAccount[] = [];
    for (const account of accounts) {
      const contracts = await this.host.client(account.sessionId).listContracts().catch(() => []);
      if (contracts.some((c) => c.public_id === contract)) holders.push(account);
    }
    if (!holders.length) return { ok: false, result: failure('contractNotFound', `No signed-in account has the contract "${contract}". Call cloudbot_list_bots to see the contracts.`) };
    const account = holders.length === 1 ? holders[0] : await this.host.chooseAccount(holders, contract);
    if (!account) return { ok: false, result: failure('accountNotChosen', `Several accounts have the contract "${contract}", and none was chosen. Ask the user which account to use.`) };
    this.chosen.set(contract, account.sessionId);
    return { ok: true, value: { account, contract } };
  }

  private notSignedIn(): AgentToolResult {
    return failure('notSignedIn', `Nobody is signed in to Cloud BOT. ${this.host.signInHint}`);
  }

  private errorResult(error: unknown): AgentToolResult {
    const sentence = this.host.describeError?.(error) ?? messageOf(error);
    if (isNamedError(error, 'ExecutionUnanswered')) {
      return failure('unanswered', `The execution got no answer, and it may or may not have started a job (${(error as ExecutionUnanswered).candidates} unknown job(s) of the BOT since). Do not execute it again: list the BOT's jobs with cloudbot_list_jobs first. ${sentence}`);
    }
    if (isNamedError(error, 'CloudBotError')) {
      const cloudBotError = error as CloudBotError;
      const code = errorCode(cloudBotError);
      const advice: Partial<Record<AgentErrorCode, string>> = {
        unauthorized: `Cloud BOT rejected the credentials. ${this.host.signInHint}`,
        forbidden: `Cloud BOT refused: the credentials need the "${permissionByOperation[cloudBotError.operation]}" permission, or the contract has External Connections turned off.`,
        botNotFound: 'There is no such BOT in that contract, or it is not published for the API. Call cloudbot_list_bots.',
        jobNotFound: 'There is no such job in that contract. Call cloudbot_list_jobs.',
        notReached: 'Cloud BOT could not be reached; try again later.',
      };
      return failure(code, [advice[code], sentence].filter(Boolean).join(' '), { status: cloudBotError.status ?? null, operation: cloudBotError.operation });
    }
    return failure('failed', sentence);
  }
}

function errorCode(error: CloudBotError): AgentErrorCode {
  if (error.kind === 'network' || error.kind === 'timeout') return 'notReached';
  if (error.kind === 'aborted') return 'cancelled';
  if (error.status === 401) return 'unauthorized';
  if (error.status === 403) return 'forbidden';
  if (error.status === 404 && (error.operation === 'getJob' || error.operation === 'suspendJob')) return 'jobNotFound';
  if (error.status === 404) return 'botNotFound';
  return 'failed';
}

function jobRef({ account, contract }: Target, jobId: string): JobRef {
  return { sessionId: account.sessionId, publicId: contract, jobId };
}

/** Waits for `wait` up to `ms` or until `signal` aborts; undefined when it stopped waiting. */
async function waitBounded<T>(ms: number, signal: AbortSignal | undefined, wait: (stop: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), ms);
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  try {
    return await wait(stop.signal);
  } catch (error) {
    // Told by the signal, not the error's class: the store's StoppedWaiting may be another bundle's.
    if (stop.signal.aborted) return undefined;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new StoppedWaiting());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StoppedWaiting());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
