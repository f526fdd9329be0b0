// Cloud BOT's tools for Copilot's agent mode (and any chat that uses VS Code's language model tools):
// thin glue over core's AgentTools, which load from a bundle of their own on the first call. The tools
// are the manifest's (package.json repeats core's definitions; a test holds them equal). A tool that
// starts or stops work in Cloud BOT runs only after the user confirmed exactly that call.
import * as vscode from 'vscode';
import type { AgentHost, AgentTools } from '../core/agent/agentTools';
import type { JobHistory } from '../core/jobHistory';
import type { JobStore } from '../core/jobStore';
import { inert } from '../core/serverText';
import type { Batches } from '../jobs/batches';
import type { CloudBot } from '../services/cloudBot';
import { describeError } from '../words';
import { toolRegistration, toolResult, type LanguageModelTool } from './newerApi';
import { confirmationOf } from './toolConfirmation';

export interface AgentToolsDeps {
  cloudBot: CloudBot;
  store: JobStore;
  batches: Batches;
  history: JobHistory;
}

/** A confirmation is good for the one call it was asked for, for this long. */
const CONFIRMATION_LIFETIME_MS = 10 * 60_000;
const MAX_PENDING_CONFIRMATIONS = 100;

/** The manifest's tag of the tools that start or stop work in Cloud BOT. */
const RUN_TAG = 'cloudbot-run';

/** Registers the tools where the host has language model tools; returns them by name, for the tests. */
export function registerAgentTools(context: vscode.ExtensionContext, deps: AgentToolsDeps): Map<string, LanguageModelTool<unknown>> {
  const registered = new Map<string, LanguageModelTool<unknown>>();
  const registerTool = toolRegistration();
  if (!registerTool) return registered;
  let loaded: Promise<AgentTools> | undefined;
  const agentTools = () => (loaded ??= import('../core/agent/libs/tools').then(({ AgentTools }) => new AgentTools(agentHost(deps))));
  // Calls the user confirmed (tool name and exact parameters), each good once.
  const confirmed = new Map<string, number>();
  const manifest = (context.extension.packageJSON as { contributes?: { languageModelTools?: { name: string; tags?: string[] }[] } }).contributes?.languageModelTools ?? [];
  for (const { name, tags = [] } of manifest) {
    const destructive = tags.includes(RUN_TAG);
    const tool: LanguageModelTool<unknown> = {
      async prepareInvocation({ input }, token) {
        // Reading tools ask nothing; VS Code says their name while they run.
        if (!destructive) return undefined;
        const confirmation = await (await agentTools()).confirmation(name, input, signalOf(token));
        // A call that cannot run asks nothing: invoke says why, having sent nothing.
        if (!confirmation.ok) return undefined;
        remember(confirmed, callKey(name, input));
        return confirmationOf(confirmation.value);
      },
      async invoke({ input }, token) {
        const tools = await agentTools();
        if (destructive && !take(confirmed, callKey(name, input))) {
          // Either the checks failed before asking (this says why), or this call was never confirmed.
          const checked = await tools.confirmation(name, input, signalOf(token));
          const result = checked.ok ? { text: 'Error (cancelled): the user did not confirm this call, so nothing was done. Call the tool again to ask.', data: { error: { code: 'cancelled' } } } : checked.result;
          return toolResult(result.text, result.data);
        }
        const result = await tools.invoke(name, input, signalOf(token));
        return toolResult(result.text, result.data);
      },
    };
    context.subscriptions.push(registerTool(name, tool));
    registered.set(name, tool);
  }
  return registered;
}

function agentHost({ cloudBot, store, batches, history }: AgentToolsDeps): AgentHost {
  return {
    accounts: () => cloudBot.accounts(),
    client: (sessionId) => cloudBot.clientFor(sessionId),
    store,
    batches,
    async chooseAccount(accounts, contract) {
      const picked = await vscode.window.showQuickPick(
        accounts.map((account) => ({ label: inert(account.label), account })),
        { placeHolder: vscode.l10n.t('Several accounts have contract {0}: which one should the agent use?', inert(contract ?? '')) },
      );
      return picked?.account;
    },
    signInHint: vscode.l10n.t('Ask the user to sign in with the "Cloud BOT: Sign In" command, then call the tool again.'),
    describeError,
    recentJobs: () =>
      history.all().map((record) => ({
        ref: { sessionId: record.sessionId, publicId: record.publicId, jobId: record.jobId },
        job: { job_id: record.jobId, bot_id: record.botId, bot_name: record.botName, status: record.status, start_time: record.startTime, elapsed_time: record.elapsedTime, message: record.message },
      })),
  };
}

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function callKey(name: string, input: unknown): string {
  return `${name}\n${JSON.stringify(input ?? {})}`;
}

function remember(confirmed: Map<string, number>, key: string): void {
  const now = Date.now();
  for (const [known, at] of confirmed) if (now - at > CONFIRMATION_LIFETIME_MS || confirmed.size >= MAX_PENDING_CONFIRMATIONS) confirmed.delete(known);
  confirmed.set(key, now);
}

function take(confirmed: Map<string, number>, key: string): boolean {
  const at = confirmed.get(key);
  confirmed.delete(key);
  return at !== undefined && Date.now() - at <= CONFIRMATION_LIFETIME_MS;
}
