// The benchmark's MCP part, in plain Node (scripts/bench.mjs runs it): the server bundle given as the
// argument, started and driven over stdio by the MCP SDK's client, against an emulator on 127.0.0.1.
// Each figure is printed per run as a `CLOUDBOT_BENCH {json}` line; scripts/bench.mjs takes the medians.
//   node out/test/bench/mcp.js <path of mcp.js>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator } from '../emulator';
import { fixtureWithEchoBot } from '../emulator/testing';

const RUNS = 7;

const report = (name: string, value: number, unit: string) => console.log(`CLOUDBOT_BENCH ${JSON.stringify({ name, value, unit })}`);

async function connect(server: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'cloudbot-bench', version: '1.0.0' });
  // The server's log lines (one per job) would bury the figures.
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [server], env, stderr: 'ignore' }));
  return client;
}

async function main(server: string): Promise<void> {
  const emulator = await startEmulator({ port: 0, fixture: fixtureWithEchoBot('instant', 0) });
  const token = emulator.tokens[0];
  const env = { CLOUDBOT_API_BASE_URL: emulator.apiBaseUrl, CLOUDBOT_ACCESS_TOKEN: token.accessToken, CLOUDBOT_SECRET_KEY: token.secretKey };
  try {
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const client = await connect(server, env);
      const { tools } = await client.listTools();
      report('MCP server: start to first tool list', performance.now() - started, 'ms');
      if (tools.length !== 6) throw new Error(`the server listed ${tools.length} tools`);
      await client.close();
    }

    const client = await connect(server, env);
    try {
      for (const [label, botId, input] of [
        ['a BOT that ends at once', 'instant', undefined],
        ['the echo BOT (runs about 300 ms)', 'echo', { Message: 'bench' }],
      ] as const) {
        for (let run = 0; run < RUNS; run++) {
          const started = performance.now();
          const result = (await client.callTool({ name: 'cloudbot_execute_bot', arguments: { contract: 'example1', botId, input, waitSeconds: 30 } })) as CallToolResult;
          report(`MCP server: execute-and-wait round trip, ${label}`, performance.now() - started, 'ms');
          const status = (result.structuredContent as { status?: string } | undefined)?.status;
          if (result.isError || status !== 'succeeded') throw new Error(`the execute ended ${status ?? 'in an error'}: ${JSON.stringify(result.content)}`);
        }
      }
    } finally {
      await client.close();
    }
  } finally {
    await emulator.close();
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench (MCP): ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
