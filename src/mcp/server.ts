// The Cloud BOT tools as an MCP server: the low-level SDK Server, its tool list made from AGENT_TOOLS
// (the schemas as they are, no zod of ours) and each call handed to core's AgentTools. MCP clients do
// their own confirming, so the annotations say which tools start or stop work. No `vscode` here.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { AgentTools, type AgentHost } from '../core/agent/agentTools';
import { MemoryBatches } from '../core/agent/memoryBatches';
import { AGENT_TOOLS, toolDefinition, type AgentToolDefinition } from '../core/agent/toolDefinitions';
import { CloudBotClient } from '../core/client';
import { JobStore, type JobLog } from '../core/jobStore';
import { CREDENTIAL_VARIABLES, type EnvConfig } from '../core/envConfig';

export const SERVER_NAME = 'cloudbot';

export const SIGN_IN_HINT = `Set ${CREDENTIAL_VARIABLES}, in the MCP server's environment, and restart it.`;

/** The one session the server has: its environment's credentials. */
const SESSION_ID = 'env';

export function mcpTool(tool: AgentToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    annotations: tool.destructive
      ? { title: tool.title, readOnlyHint: false, destructiveHint: true, openWorldHint: true }
      : { title: tool.title, readOnlyHint: true, openWorldHint: true },
  };
}

export function createServer(tools: AgentTools, version: string): Server {
  const server = new Server({ name: SERVER_NAME, title: 'Cloud BOT', version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: AGENT_TOOLS.map(mcpTool) }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra): Promise<CallToolResult> => {
    // An unknown tool is a protocol error in MCP; anything wrong within a call is a result the model reads.
    if (!toolDefinition(params.name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${params.name}". The tools are: ${AGENT_TOOLS.map((tool) => tool.name).join(', ')}.`);
    const result = await tools.invoke(params.name, params.arguments, extra.signal);
    return { content: [{ type: 'text', text: result.text }], structuredContent: result.data, isError: result.isError };
  });
  return server;
}

export interface McpBackend {
  tools: AgentTools;
  dispose(): void;
}

/** The tools over one API client, a job store and in-memory batches; without credentials, every call says how to give them. */
export function createBackend(config: EnvConfig, log: JobLog, userAgent: string): McpBackend {
  const { credentials } = config;
  const client = new CloudBotClient({
    apiBaseUrl: config.apiBaseUrl,
    language: config.language,
    credentials: {
      current: async () => {
        if (!credentials) throw new Error('No credentials.');
        return credentials;
      },
    },
    userAgent,
  });
  const store = new JobStore(() => client, { log });
  const batches = new MemoryBatches({ store, client: () => client, concurrency: config.batchConcurrency, log });
  const account = { sessionId: SESSION_ID, label: config.accountLabel };
  const host: AgentHost = {
    accounts: async () => (credentials ? [account] : []),
    client: () => client,
    store,
    batches,
    // One account at most: the tools never ask to choose.
    chooseAccount: async ([only]) => only,
    signInHint: [config.credentialsProblem, SIGN_IN_HINT].filter(Boolean).join(' '),
  };
  return {
    tools: new AgentTools(host),
    dispose: () => {
      batches.dispose();
      store.dispose();
    },
  };
}
