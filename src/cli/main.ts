// `cloudbot`: input files run and checked from a terminal or CI, BOTs listed, a job looked up, and the
// MCP server, over the same core as the extension. Built into one self-contained file,
// dist/cloudbot.js, that needs nothing but Node 20 or later. Configured by the environment like the
// MCP server (../core/envConfig.ts). No `vscode` here.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { jobData } from '../core/agent/toolResults';
import { MAX_BATCH_CONCURRENCY } from '../core/concurrency';
import { entryLines, errorText, junitXml, progressText, redactDeep, reportData, startedLine, summaryLine, type ReportOptions } from '../core/checks/report';
import { DEFAULT_JOB_TIMEOUT_MS, errorExitCode, EXIT_CODES, exitCodeOf, runSuite, type SuiteMode, type SuiteReport, type Verdict } from '../core/checks/suite';
import { CloudBotClient } from '../core/client';
import { parseJobReference } from '../core/endpoints';
import { CREDENTIAL_VARIABLES, DEFAULT_API_BASE_URL, ENV, readEnvConfig, secretRedactor, type EnvConfig } from '../core/envConfig';
import { messageOf } from '../core/errors';
import { ExplorerData, matchesQuery } from '../core/explorerData';
import { JobStore } from '../core/jobStore';
import { LOG_WORDS, outputSummary, statusAndElapsed } from '../core/jobText';
import { oneLine } from '../core/serverText';
import { isFinished, JobStatus, type Job } from '../core/types';
import { REDACTED, redactingResolver } from '../core/variables';
import { version } from '../../package.json';
import { readInputFiles } from './inputFiles';
import { Terminal } from './terminal';
import { environmentResolver, INPUT_SECRET_PREFIX, unresolvedText } from './variables';

const USAGE = `cloudbot ${version}: Cloud BOT input files run and checked from a terminal or CI.

Usage:
  cloudbot test <files|folders|globs…>  run the files' expect checks
      [--junit <file>] [--json] [--concurrency N] [--timeout S] [--on-interrupt leave|suspend]
  cloudbot run <files|folders|globs…>   run the files and print their results and outputs
      [--json] [--concurrency N] [--timeout S] [--on-interrupt leave|suspend]
  cloudbot bots [--query Q] [--json]    the BOTs the credentials can run
  cloudbot job <reference> [--wait S] [--json]
                                        a job, by its job reference endpoint or <public id>/<job id>
  cloudbot mcp                          the MCP server for agents, over stdio
  cloudbot --help | --version

A folder means every *.cloudbot.json under it; patterns (*, **, {a,b}) are expanded here, so quote them.
  --concurrency N    files run at once, 1-${MAX_BATCH_CONCURRENCY} (default ${ENV.batchConcurrency}, or 3)
  --timeout S        longest wait for one job's end, in seconds (default ${DEFAULT_JOB_TIMEOUT_MS / 1000}); then the file
                     fails and its job goes on
  --on-interrupt     on Ctrl-C (SIGINT) or SIGTERM: leave the running jobs running (default), or suspend
                     them; a second Ctrl-C exits at once
  --wait S           wait up to S seconds for the job's end

Environment:
  ${ENV.accessToken}, ${ENV.secretKey}   an access token and its secret key, or
  ${ENV.bearerToken}                        an OAuth access token
  ${ENV.apiBaseUrl}   the API (default ${DEFAULT_API_BASE_URL}; the emulator's http://127.0.0.1:<port>)
  ${ENV.language}       language of Cloud BOT's messages: en (default) or ja
  ${INPUT_SECRET_PREFIX}<NAME>  the value of \${secret:name} (upper-cased, . and - as _)
  \${env:NAME} reads NAME; \${prompt:Label} is asked at a terminal, and is an input error without one.

Exit codes: 0 all passed; 1 a check or job failed; 2 usage or input errors; 3 credentials refused or
Cloud BOT unreachable; 130 interrupted (143 on SIGTERM). When several apply, the highest wins.
`;

/** The one account: the environment's credentials. */
const SESSION_ID = 'env';
const MAX_WAIT_SECONDS = 7 * 24 * 3600;
/** What is left after the command (a connection closing) does not keep the process longer than this. */
const EXIT_GRACE_MS = 2_000;
/** Suspending the running jobs after Ctrl-C takes at most this long, whatever the network does. */
const SUSPEND_GRACE_MS = 30_000;

class UsageError extends Error {}

const RUN_OPTIONS = {
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'on-interrupt': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const COMMANDS = {
  test: { ...RUN_OPTIONS, junit: { type: 'string' } },
  run: RUN_OPTIONS,
  bots: { json: { type: 'boolean' }, query: { type: 'string' } },
  job: { json: { type: 'boolean' }, wait: { type: 'string' } },
  mcp: {},
} as const satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof COMMANDS;

const terminal = new Terminal();
const redactSecrets = secretRedactor(process.env);
/** Values of input secrets given in the environment, used or not: never written. */
const inputSecrets = Object.entries(process.env)
  .filter(([name, value]) => name.startsWith(INPUT_SECRET_PREFIX) && value)
  .map(([, value]) => value as string)
  .sort((a, b) => b.length - a.length);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['--help', '-h', 'help'].includes(command) || rest.includes('--help') || rest.includes('-h')) {
    terminal.out(USAGE);
    return EXIT_CODES.passed;
  }
  if (command === '--version' || command === '-v') {
    terminal.out(version);
    return EXIT_CODES.passed;
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, command)) throw new UsageError(`Unknown command "${command}".`);
  const name = command as Command;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    const options: ParseArgsConfig['options'] = COMMANDS[name];
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const { values, positionals } = parsed;
  switch (name) {
    case 'mcp': {
      if (positionals.length) throw new UsageError('"cloudbot mcp" takes no arguments.');
      const { serveOverStdio } = await import('../mcp/stdio');
      await serveOverStdio();
      // Serving goes on until stdin closes or a signal comes; the server exits the process then.
      return new Promise<number>(() => undefined);
    }
    case 'bots':
      if (positionals.length) throw new UsageError('"cloudbot bots" takes no files; filter with --query.');
      return listBots(connect(), values.query as string | undefined, !!values.json);
    case 'job':
      if (positionals.length !== 1) throw new UsageError('"cloudbot job" takes one job reference: its job reference endpoint, or <public id>/<job id>.');
      return showJob(connect(), positionals[0], values.wait === undefined ? 0 : seconds('--wait', values.wait, MAX_WAIT_SECONDS), !!values.json);
    case 'test':
    case 'run':
      return runFiles(name, positionals, values);
  }
}

interface Connection {
  config: EnvConfig;
  client: CloudBotClient;
  store: JobStore;
}

/** The API client and job store of the environment's credentials; none, and the command cannot start (exit 3). */
function connect(): Connection {
  let config: EnvConfig;
  try {
    config = readEnvConfig(process.env);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  for (const warning of config.warnings) terminal.note(`warning: ${warning}`);
  const { credentials } = config;
  if (!credentials) throw new ExitError(EXIT_CODES.unreachable, `${config.credentialsProblem ?? 'No credentials.'} Set ${CREDENTIAL_VARIABLES}.`);
  const client = new CloudBotClient({ apiBaseUrl: config.apiBaseUrl, language: config.language, credentials: { current: async () => credentials }, userAgent: `cloudbot-cli/${version}` });
  const store = new JobStore(() => client, {
    // Retries of a poll are worth a note; what went well is in the results.
    log: { info: () => undefined, warn: (message) => terminal.note(shown(`warning: ${message}`)) },
  });
  return { config, client, store };
}

class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

async function runFiles(mode: SuiteMode, args: string[], values: Record<string, string | boolean | undefined>): Promise<number> {
  const interruptPolicy = values['on-interrupt'] ?? 'leave';
  if (interruptPolicy !== 'leave' && interruptPolicy !== 'suspend') throw new UsageError('--on-interrupt is "leave" or "suspend".');
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_JOB_TIMEOUT_MS / 1000 : seconds('--timeout', values.timeout, MAX_WAIT_SECONDS);
  const json = !!values.json;
  const read = await readInputFiles(args, process.cwd());
  if (!read.ok) throw new UsageError(read.problems.map((problem) => shown(problem)).join('\n'));
  const connection = connect();
  const concurrency = values.concurrency === undefined ? connection.config.batchConcurrency : whole('--concurrency', values.concurrency, 1, MAX_BATCH_CONCURRENCY);
  const { store } = connection;

  const variables = redactingResolver(environmentResolver(process.env, terminal.canAsk ? (label, hidden) => terminal.ask(label, hidden) : undefined));
  const redact = (text: string) => variables.redact(redactEnvironment(text));
  const options: ReportOptions = { redact, unresolved: (variable) => unresolvedText(variable, terminal.canAsk) };
  const stop = new AbortController();
  const interrupt = onInterrupt(stop);
  /** The files whose job has started and not finished, by index. */
  const running = new Set<number>();
  const finished: Verdict[] = [];
  const total = read.files.length;
  const progress = () => terminal.setProgress(`cloudbot ${mode}: ${progressText(total, finished, running.size)}`);
  progress();
  let report: SuiteReport;
  try {
    report = await runSuite(read.files, {
      store,
      sessionId: SESSION_ID,
      resolve: variables.resolve,
      concurrency,
      mode,
      signal: stop.signal,
      timeoutMs: timeoutSeconds * 1000,
      onEvent: (event) => {
        if (event.kind === 'started') {
          running.add(event.index);
          if (!terminal.interactive) terminal.note(startedLine(event));
        } else {
          running.delete(event.index);
          finished.push(event.entry.verdict);
          if (!json) for (const line of entryLines(event.entry, mode, options)) terminal.out(shown(line));
        }
        progress();
      },
    });
  } finally {
    terminal.endProgress();
  }
  if (report.interrupted) await settleInterrupted(report, interruptPolicy, store, redact);
  store.dispose();
  let code = report.interrupted ? interrupt.exitCode() : exitCodeOf(report);
  if (typeof values.junit === 'string') {
    try {
      await mkdir(dirname(resolve(values.junit)), { recursive: true });
      await writeFile(values.junit, junitXml(report, options));
    } catch (error) {
      terminal.note(shown(`Could not write the JUnit XML to ${values.junit}: ${messageOf(error)}`));
      code = Math.max(code, EXIT_CODES.input);
    }
  }
  if (json) terminal.out(redactSecrets(JSON.stringify({ ...reportData(report, options), exitCode: code }, null, 2)));
  else terminal.out(summaryLine(report));
  return code;
}

/** After Ctrl-C: the jobs still running are suspended or left as chosen, and each is named. */
async function settleInterrupted(report: SuiteReport, policy: 'leave' | 'suspend', store: JobStore, redact: (text: string) => string): Promise<void> {
  const left = report.entries.flatMap((entry) => (entry.result.kind === 'stopped' && entry.result.started && !isFinished(entry.result.started.job) ? [{ path: entry.file.path, started: entry.result.started }] : []));
  if (policy === 'leave') {
    for (const { path, started } of left) terminal.note(shown(`${path}: job ${started.job.job_id} goes on in Cloud BOT (--on-interrupt leave).`));
    return;
  }
  const suspensions = Promise.all(
    left.map(({ path, started }) =>
      store.suspend(started.ref).then(
        (job) => terminal.note(shown(`${path}: job ${job.job_id} suspended (${statusAndElapsed(job, LOG_WORDS)}).`)),
        (error: unknown) => terminal.note(shown(`${path}: job ${started.job.job_id} could not be suspended: ${redact(errorText(error))}`)),
      ),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((done) => (timer = setTimeout(done, SUSPEND_GRACE_MS)));
  await Promise.race([suspensions, late]);
  clearTimeout(timer);
}

/** The first SIGINT or SIGTERM stops the run (its exit code 130 or 143); a second exits at once. */
function onInterrupt(stop: AbortController): { exitCode(): number } {
  let code: number = EXIT_CODES.interrupted;
  const handle = (signal: 'SIGINT' | 'SIGTERM') => () => {
    const signalCode = signal === 'SIGINT' ? EXIT_CODES.interrupted : 143;
    if (stop.signal.aborted) {
      terminal.endProgress();
      process.exit(signalCode);
    }
    code = signalCode;
    terminal.note(`${signal}: stopping; a second one exits at once.`);
    stop.abort();
  };
  process.on('SIGINT', handle('SIGINT'));
  process.on('SIGTERM', handle('SIGTERM'));
  return { exitCode: () => code };
}

async function listBots({ client, store }: Connection, query: string | undefined, json: boolean): Promise<number> {
  let listed;
  try {
    listed = await new ExplorerData(() => client, store).listAllBots(SESSION_ID);
  } catch (error) {
    throw new ExitError(errorExitCode(error), redactEnvironment(errorText(error)));
  }
  const needle = (query ?? '').trim().toLowerCase();
  const bots = listed.flatMap(({ contract, bots: outcome }) =>
    (outcome.ok ? outcome.value : [])
      .filter((bot) => !needle || matchesQuery(bot, needle))
      .map((bot) => ({ contract: contract.public_id, contractName: contract.name ?? null, id: bot.id, name: bot.name, description: bot.description ?? null })),
  );
  const unavailable = listed.flatMap(({ contract, bots: outcome }) => (outcome.ok ? [] : [{ contract: contract.public_id, message: errorText(outcome.error) }]));
  if (json) terminal.out(redactSecrets(JSON.stringify({ bots, unavailable: redactDeep(unavailable, redactEnvironment) }, null, 2)));
  else for (const bot of bots) terminal.out(shown(`${bot.contract}/${bot.id}  ${bot.name}${bot.description ? ` — ${bot.description}` : ''}`));
  for (const { contract, message } of unavailable) terminal.note(shown(`${contract}: its BOTs could not be listed: ${redactEnvironment(message)}`));
  if (!json && !bots.length) terminal.note(needle ? `No BOT matches "${oneLine(query ?? '')}".` : 'No BOT is visible to these credentials.');
  return EXIT_CODES.passed;
}

/** A job: 0 when it succeeded or runs on (without --wait), 1 when it failed or did not end within --wait. */
async function showJob({ config, store }: Connection, reference: string, waitSeconds: number, json: boolean): Promise<number> {
  let job: Job;
  let contract: string;
  try {
    const { publicId, jobId } = parseJobReference(reference, config.apiBaseUrl);
    contract = publicId;
    const ref = { sessionId: SESSION_ID, publicId, jobId };
    job = await store.refer(ref);
    if (!isFinished(job) && waitSeconds > 0) {
      const timeout = AbortSignal.timeout(waitSeconds * 1000);
      job = await store.waitForEnd(ref, { signal: timeout, kind: 'follow' }).catch((error: unknown) => {
        if (timeout.aborted) return store.get(ref)?.job ?? job;
        throw error;
      });
    }
  } catch (error) {
    throw new ExitError(errorExitCode(error), redactEnvironment(errorText(error)));
  } finally {
    store.dispose();
  }
  if (json) terminal.out(redactSecrets(JSON.stringify({ ...jobData(contract, job, false), ...redactDeep({ message: job.message ?? null, output: job.output ?? null }, redactEnvironment) }, null, 2)));
  else {
    terminal.out(shown(`Job ${job.job_id} of ${contract}/${job.bot_id}${job.bot_name ? ` (${job.bot_name})` : ''}: ${statusAndElapsed(job, LOG_WORDS)}`));
    if (job.message) terminal.out(shown(`  message: ${redactEnvironment(job.message)}`));
    for (const line of outputSummary(redactDeep(job.output, redactEnvironment))) terminal.out(shown(`  ${line}`));
  }
  if (job.status === JobStatus.Succeeded || (!isFinished(job) && waitSeconds === 0)) return EXIT_CODES.passed;
  return EXIT_CODES.failed;
}

function whole(option: string, text: string | boolean | undefined, min: number, max: number): number {
  const value = typeof text === 'string' && /^\d{1,9}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} takes a whole number from ${min} to ${max}.`);
  return value;
}

function seconds(option: string, text: string | boolean | undefined, max: number): number {
  return whole(option, text, 1, max);
}

/** Takes the credentials and the input secrets of the environment out of a text. */
function redactEnvironment(text: string): string {
  return inputSecrets.reduce((clean, secret) => clean.split(secret).join(REDACTED), redactSecrets(text));
}

/**
 * Text for a terminal: one line, without the credentials (long random values, taken out of everything).
 * Values of inputs may be short: they are taken out of server text only (redactEnvironment).
 */
function shown(text: string): string {
  return oneLine(redactSecrets(text));
}

/**
 * Ends with `code` once what was written has left (stdout may be a pipe that drains later); whatever
 * still holds the process (a connection closing) gets a moment, not more.
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

function fail(error: unknown): void {
  terminal.endProgress();
  if (error instanceof UsageError) {
    terminal.note(`${shown(error.message)}\nSee "cloudbot --help".`);
    return finish(EXIT_CODES.input);
  }
  if (error instanceof ExitError) {
    terminal.note(shown(error.message));
    return finish(error.code);
  }
  // Not one of the documented outcomes: exit 1 like any crashed Node program, with the cause on stderr.
  terminal.note(`cloudbot: internal error: ${redactEnvironment(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
  process.exit(EXIT_CODES.failed);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main(process.argv.slice(2)).then(finish, fail);
