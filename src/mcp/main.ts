// `node dist/mcp.js`: the Cloud BOT tools as a stdio MCP server, for VS Code's MCP client and any other
// agent (Claude Code, Cursor…). Configured by environment variables (./config.ts). Stdout is the
// protocol's, so everything else goes to stderr, with every secret it was given taken out. It exits when
// its client closes stdin, and on SIGTERM or SIGINT. No `vscode` here.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { messageOf } from '../core/errors';
import { version } from '../../package.json';
import { DEFAULT_API_BASE_URL, ENV, readConfig, secretsIn } from './config';
import { createBackend, createServer, SERVER_NAME } from './server';

const USAGE = `Cloud BOT MCP server ${version}: the Cloud BOT tools for agents, over stdio.

Usage: node mcp.js [--help | --version]

Environment:
  ${ENV.accessToken}, ${ENV.secretKey}   an access token and its secret key, or
  ${ENV.bearerToken}                        an OAuth access token
  ${ENV.apiBaseUrl}   the API (default ${DEFAULT_API_BASE_URL}; the emulator's http://127.0.0.1:<port> offline)
  ${ENV.language}       language of Cloud BOT's messages: en (default) or ja
  ${ENV.batchConcurrency}   jobs at once in a batch of inputs (default 3)

Without credentials it still starts, and each tool call says how to give them.
`;

/** A stop that hangs (a stuck close) does not keep the process alive longer than this. */
const EXIT_GRACE_MS = 2_000;

const secrets = secretsIn(process.env);

function redact(text: string): string {
  return secrets.reduce((clean, secret) => clean.split(secret).join('***'), text);
}

function logLine(level: string, message: string): void {
  process.stderr.write(`[${SERVER_NAME}] ${level}: ${redact(message)}\n`);
}

const log = { info: (message: string) => logLine('info', message), warn: (message: string) => logLine('warn', message) };

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(USAGE);
  if (args.includes('--version')) return void process.stdout.write(`${version}\n`);
  if (args.length) {
    process.stderr.write(`Unknown argument: ${redact(args[0])}\n\n${USAGE}`);
    process.exit(2);
  }

  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    logLine('error', messageOf(error));
    process.exit(2);
  }
  for (const warning of [config.credentialsProblem, ...config.warnings]) if (warning) log.warn(warning);

  const backend = createBackend(config, log, `cloudbot-mcp/${version}`);
  const server = createServer(backend.tools, version);
  let stopping = false;
  const stop = (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping: ${why}`);
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
    backend.dispose();
    server.close().finally(() => process.exit(code));
  };
  process.stdin.once('end', () => stop('stdin closed'));
  process.stdin.once('close', () => stop('stdin closed'));
  // The client went away mid-answer (EPIPE): nobody is left to answer.
  process.stdout.once('error', () => stop('stdout closed'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));

  await server.connect(new StdioServerTransport());
  log.info(`ready: ${config.apiBaseUrl}, ${config.credentials ? `credentials from ${config.accountLabel}` : 'no credentials'}, language ${config.language}`);
}

process.on('uncaughtException', (error) => {
  logLine('error', error.stack ?? messageOf(error));
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logLine('error', reason instanceof Error ? (reason.stack ?? reason.message) : messageOf(reason));
  process.exit(1);
});

void main(process.argv.slice(2));
