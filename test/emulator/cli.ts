// Runs the emulator as a process. The first stdout line is one JSON object (the handshake, the only
// place secrets are printed); after it come short log lines without secrets.
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './index';
import { loadFixture } from './fixture';

const USAGE = `usage: node out/test/emulator/cli.js --port <n> [options]
  --port <n>                        API port on 127.0.0.1 (0 = a free port)
  --oauth-port <n>                  OAuth server port (default 0 = a free port)
  --fixture <file>                  fixture JSON (default test/emulator/fixtures/default.json)
  --auto-approve                    /oauth/authorize redirects at once, without the consent page
  --callback-retry-interval-ms <n>  wait between callback attempts (default 30000)
  --access-token-lifetime <s>       OAuth expires_in in seconds (default 31536000)
  --code-lifetime <s>               OAuth authorization code lifetime in seconds (default 600)
  --execute-finished-status <n>     200 or 201 for an execute that waited for the end (default 201)
  --max-lifetime-seconds <n>        stop after this long (default 0 = no limit)`;

class UsageError extends Error {}

function count(values: Record<string, unknown>, name: string): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) throw new UsageError(`--${name} needs a non-negative integer, got "${String(text)}"`);
  return Number(text);
}

function parse(argv: string[]): { options: EmulatorOptions; maxLifetimeSeconds: number } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'oauth-port': { type: 'string' },
        fixture: { type: 'string' },
        'auto-approve': { type: 'boolean' },
        'callback-retry-interval-ms': { type: 'string' },
        'access-token-lifetime': { type: 'string' },
        'code-lifetime': { type: 'string' },
        'execute-finished-status': { type: 'string' },
        'max-lifetime-seconds': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const port = count(values, 'port');
  if (port === undefined) throw new UsageError('--port is required (0 picks a free port)');
  const finished = count(values, 'execute-finished-status');
  if (finished !== undefined && finished !== 200 && finished !== 201) throw new UsageError('--execute-finished-status must be 200 or 201');
  // Absent options stay undefined, which startEmulator reads as "use the default".
  const options: EmulatorOptions = {
    port,
    oauthPort: count(values, 'oauth-port'),
    autoApprove: values['auto-approve'] === true,
    callbackRetryIntervalMs: count(values, 'callback-retry-interval-ms'),
    accessTokenLifetimeSeconds: count(values, 'access-token-lifetime'),
    authorizationCodeLifetimeSeconds: count(values, 'code-lifetime'),
    executeFinishedStatus: finished,
  };
  if (typeof values.fixture === 'string') {
    try {
      // Loaded here so a bad file is a usage error (exit 2), not a crash.
      options.fixture = loadFixture(values.fixture);
    } catch (err) {
      throw new UsageError(`cannot use fixture ${values.fixture}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { options, maxLifetimeSeconds: count(values, 'max-lifetime-seconds') ?? 0 };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cloudbot-emulator: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ ...parsed.options, log });
  } catch (err) {
    process.stderr.write(`cloudbot-emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({
    apiBaseUrl: emulator.apiBaseUrl,
    oauthBaseUrl: emulator.oauthBaseUrl,
    tokens: emulator.tokens.map(({ accessToken, secretKey, permissions, username }) => ({ accessToken, secretKey, permissions, username })),
    oauthClients: emulator.oauthClients,
  })}\n`);

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cloudbot-emulator: stopping (${reason})\n`);
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The reader of the handshake went away: nobody can use or stop this emulator any more.
  process.stdout.on('error', () => void stop('stdout closed'));
  if (parsed.maxLifetimeSeconds > 0) setTimeout(() => void stop('max lifetime reached'), parsed.maxLifetimeSeconds * 1000);
}

void main();
