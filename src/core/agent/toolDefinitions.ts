// The Cloud BOT tools agents get, as data: the same names, descriptions and parameter schemas for
// Copilot's language model tools (package.json repeats them, and a test holds the two equal) and for
// the MCP server. Descriptions are for the model: what the tool is for and when to call it.
import type { JsonSchema } from './botSchema';

export type AgentToolName = 'cloudbot_list_bots' | 'cloudbot_describe_bot' | 'cloudbot_execute_bot' | 'cloudbot_get_job' | 'cloudbot_suspend_job' | 'cloudbot_list_jobs';

export interface AgentToolDefinition {
  name: AgentToolName;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  /** Starts or stops work in Cloud BOT: the user confirms first (VS Code asks; MCP clients do their own asking). */
  destructive: boolean;
}

/** Longest a tool waits for a job or a batch to end before answering with where it stands. */
export const MAX_WAIT_SECONDS = 300;
/** Most inputs one execute takes as a batch. */
export const MAX_BATCH_INPUTS = 1_000;
export const MAX_LISTED_JOBS = 50;

const contract = { type: 'string', minLength: 1, maxLength: 200, description: 'Public ID of the contract the BOT belongs to (from cloudbot_list_bots).' };
const botId = { type: 'string', minLength: 1, maxLength: 200, description: 'ID of the BOT (from cloudbot_list_bots).' };
const jobId = { type: 'string', minLength: 1, maxLength: 200, description: 'ID of the job (from cloudbot_execute_bot or cloudbot_list_jobs).' };
const waitSeconds = (fallback: number) => ({
  type: 'integer',
  minimum: 0,
  maximum: MAX_WAIT_SECONDS,
  description: `Seconds to wait for the end before answering with where it stands (default ${fallback}). Call cloudbot_get_job later to check again.`,
});

export const AGENT_TOOLS: readonly AgentToolDefinition[] = [
  {
    name: 'cloudbot_list_bots',
    title: 'List Cloud BOT BOTs',
    description:
      'Lists the Cloud BOT BOTs (cloud web-automation robots) the signed-in user can run: contract, BOT ID, name and description. Filter with a query on ID, name or description. Call this first to find the right BOT.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', maxLength: 200, description: 'Words to look for in the BOT ID, name or description (case-insensitive). Omit to list all.' },
        contract: { ...contract, description: 'Only the BOTs of this contract (public ID).' },
      },
      additionalProperties: false,
    },
    destructive: false,
  },
  {
    name: 'cloudbot_describe_bot',
    title: 'Describe a Cloud BOT BOT',
    description:
      'Describes one BOT: its input items as a JSON Schema (what cloudbot_execute_bot takes as "input"), an example input, and its output items. Call this before executing a BOT.',
    inputSchema: { type: 'object', properties: { contract, botId }, required: ['contract', 'botId'], additionalProperties: false },
    destructive: false,
  },
  {
    name: 'cloudbot_execute_bot',
    title: 'Execute a Cloud BOT BOT',
    description:
      'Executes a BOT after the user confirms, with "input" checked against the BOT\'s input items first (see cloudbot_describe_bot). Waits for the job to end, up to waitSeconds, and returns its status, message and output; a job still running is returned with its ID to check later with cloudbot_get_job. Give "inputs" (a list of inputs) instead of "input" to run the BOT once per input as one batch, with one confirmation.',
    inputSchema: {
      type: 'object',
      properties: {
        contract,
        botId,
        input: { type: 'object', description: 'Input keyed by the BOT\'s input item names. Omit for a BOT without input.' },
        inputs: { type: 'array', minItems: 1, maxItems: MAX_BATCH_INPUTS, items: { type: 'object' }, description: 'Several inputs: the BOT runs once for each, as a batch.' },
        waitSeconds: waitSeconds(60),
      },
      required: ['contract', 'botId'],
      additionalProperties: false,
    },
    destructive: true,
  },
  {
    name: 'cloudbot_get_job',
    title: 'Get a Cloud BOT job',
    description:
      'Gets a job: status (succeeded, failed or running), message, elapsed time and output. Can wait for a running job to end, up to waitSeconds. Give "batchId" instead of "jobId" for a batch started by cloudbot_execute_bot.',
    inputSchema: {
      type: 'object',
      properties: {
        contract,
        jobId,
        batchId: { type: 'string', minLength: 1, maxLength: 200, description: 'ID of a batch started by cloudbot_execute_bot with "inputs".' },
        waitSeconds: waitSeconds(0),
      },
      required: ['contract'],
      additionalProperties: false,
    },
    destructive: false,
  },
  {
    name: 'cloudbot_suspend_job',
    title: 'Suspend a Cloud BOT job',
    description: 'Suspends (stops) a running job, after the user confirms. Its status becomes failed.',
    inputSchema: { type: 'object', properties: { contract, jobId }, required: ['contract', 'jobId'], additionalProperties: false },
    destructive: true,
  },
  {
    name: 'cloudbot_list_jobs',
    title: 'List recent Cloud BOT jobs',
    description:
      'Lists recent jobs, newest first: of one BOT when "botId" is given (from Cloud BOT), otherwise the jobs executed or followed here. Each with its ID, BOT, status, start time and elapsed time.',
    inputSchema: {
      type: 'object',
      properties: {
        contract,
        botId: { ...botId, description: 'Only the jobs of this BOT (needs "contract").' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LISTED_JOBS, description: 'How many jobs at most (default 10).' },
      },
      additionalProperties: false,
    },
    destructive: false,
  },
];

export function toolDefinition(name: string): AgentToolDefinition | undefined {
  return AGENT_TOOLS.find((tool) => tool.name === name);
}
