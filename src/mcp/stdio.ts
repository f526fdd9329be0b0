// The MCP server on stdin and stdout, configured by environment variables (../core/envConfig.ts): what
// `node dist/mcp.js` and `cloudbot mcp` run. Stdout is the protocol's, so everything else goes to
// stderr, with every secret it was given taken out. It exits when its client closes stdin, and on
// SIGTERM or SIGINT. No `vscode` here.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readEnvConfig, secretRedactor } from '../core/envConfig';
import { messageOf } from '../core/errors';
import { version } from '../../package.json';
import { createBackend, createServer, SERVER_NAME } from './server';

/** A stop that hangs (a stuck close) does not keep the process alive longer than this. */
const EXIT_GRACE_MS = 2_000;

const redact = secretRedactor(process.env);

export function logLine(level: string, message: string): void {
  process.stderr.write(`[${SERVER_NAME}] ${level}: ${redact(message)}\n`);
}

const log = { info: (message: string) => logLine('info', message), warn: (message: string) => logLine('warn', message) };

/** Serves until stdin closes or a signal comes; an unusable environment exits with 2. */
export async function serveOverStdio(): Promise<void> {
  let config;
  try {
    config = readEnvConfig(process.env);
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
