// `node dist/mcp.js`: the Cloud BOT tools as a stdio MCP server (./stdio.ts), for VS Code's MCP client
// and any other agent (Claude Code, Cursor…). No `vscode` here.
import { DEFAULT_API_BASE_URL, ENV, secretRedactor } from '../core/envConfig';
import { messageOf } from '../core/errors';
import { version } from '../../package.json';
import { logLine, serveOverStdio } from './stdio';

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

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(USAGE);
  if (args.includes('--version')) return void process.stdout.write(`${version}\n`);
  if (args.length) {
    process.stderr.write(`Unknown argument: ${secretRedactor(process.env)(args[0])}\n\n${USAGE}`);
    process.exit(2);
  }
  await serveOverStdio();
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
