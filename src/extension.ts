// The table of contents: build the services, register each piece. No network work happens here.
import * as vscode from 'vscode';
import { registerAgentTools } from './agents/languageModelTools';
import { registerMcpServerProvider } from './agents/mcpServerProvider';
import type { LanguageModelTool } from './agents/newerApi';
import { OAuthAppStore } from './auth/oauthApp';
import { OAuthSignIn, vscodeSignInUi } from './auth/oauthSignIn';
import { CloudBotAuthenticationProvider, PROVIDER_ID, PROVIDER_LABEL } from './auth/provider';
import { CallbackUriHandler } from './auth/uriHandler';
import { registerBatchActions, stopBatch } from './commands/batchActions';
import { registerBotActions } from './commands/botActions';
import { registerCompareJobs } from './commands/compareJobs';
import { registerExecuteBot } from './commands/executeBot';
import { registerExecuteForEachRow } from './commands/executeForEachRow';
import { registerExecuteOptions } from './commands/executeOptions';
import { registerExportBatch } from './commands/exportBatch';
import { registerExportOutput } from './commands/exportOutput';
import { registerFilter } from './commands/filter';
import { registerInputFiles } from './commands/inputFiles';
import { registerJobActions } from './commands/jobActions';
import { registerLoadMoreJobs } from './commands/loadMoreJobs';
import { registerManageInputSecrets } from './commands/manageInputSecrets';
import { registerOpenWalkthrough } from './commands/openWalkthrough';
import { registerOAuthAppCommands } from './commands/oauthApp';
import { registerReferJob } from './commands/referJob';
import { registerRefresh } from './commands/refresh';
import { registerRecordExpectations } from './commands/recordExpectations';
import { registerRerunJob, rememberInputs } from './commands/rerunJob';
import { registerSignIn } from './commands/signIn';
import { registerShowJobs } from './commands/showJobs';
import { registerSignOut } from './commands/signOut';
import { registerSuspendJob } from './commands/suspendJob';
import { registerUseOutputAsInput } from './commands/useOutputAsInput';
import { registerWatchLive } from './commands/watchLive';
import { ledgersIn } from './core/batch/library';
import { onDidChangeSettings, rememberSettings } from './config';
import { join } from 'node:path';
import { checkCast } from './core/castFraming';
import { ConfirmedHosts } from './core/callbackHosts';
import { RememberedOptions } from './core/executeOptions';
import { InputTemplates } from './core/inputTemplates';
import { JobHistory } from './core/jobHistory';
import { JobStore } from './core/jobStore';
import { RecentRunTimes } from './core/runTimes';
import { messageOf } from './core/errors';
import { oneLinePerMessage } from './core/serverText';
import { batchRowExecution, batchRowPreparer } from './jobs/batchPreparer';
import { Batches } from './jobs/batches';
import { BotRunner } from './jobs/botRunner';
import { RunConsent } from './jobs/runConsent';
import { resumeJobs } from './jobs/followJob';
import { registerCloudBotTasks } from './tasks/cloudbotTasks';
import { registerCheckTests, type CheckTestsApi } from './testing/checkTests';
import { suspendJob } from './jobs/suspendJob';
import { batchTemplateVariables, rowsOnlyResolver } from './services/batchVariables';
import { CloudBot } from './services/cloudBot';
import { InputSecrets } from './services/inputSecrets';
import { BATCH_VIEW_TYPE, BatchPanels } from './views/batchPanel';
import { batchPreview } from './views/batchPreview';
import { registerBatchProgress } from './views/batchProgress';
import { registerBotTree, type BotTreeProvider } from './views/botTree';
import { registerInputFileAssist } from './views/inputFileAssist';
import { registerInputFileLens } from './views/inputFileLens';
import { registerInputVariableAssist } from './views/inputVariableAssist';
import { registerJobNotifications } from './views/jobNotifications';
import { registerJobStatusBar } from './views/jobStatusBar';
import { registerJsonDocuments, showJobJson } from './views/jsonDocuments';
import { LivePanels } from './views/livePanel';
import { RESULT_VIEW_TYPE, ResultPanels } from './views/resultPanel';
import { followWalkthroughProgress } from './views/walkthroughProgress';

/**
 * What the extension hands to its own integration tests. Only in ExtensionMode.Test: otherwise activate()
 * returns nothing, so no other extension can reach credentials through it.
 */
export interface CloudBotTestApi {
  auth: CloudBotAuthenticationProvider;
  cloudBot: CloudBot;
  store: JobStore;
  tree: BotTreeProvider;
  apps: OAuthAppStore;
  history: JobHistory;
  panels: ResultPanels;
  live: LivePanels;
  statusBar: vscode.StatusBarItem;
  batches: Batches;
  batchPanels: BatchPanels;
  inputSecrets: InputSecrets;
  /** The Testing view's checks: its controller, and a run that reports where the test says. */
  checks: CheckTestsApi;
  /** The language model tools as registered (empty where VS Code has none), to call prepareInvocation directly. */
  languageModelTools: Map<string, LanguageModelTool<unknown>>;
  uriHandler: CallbackUriHandler;
  /** Its `ui` stands in for the trust state and the modal questions, which cannot be answered in tests. */
  consent: RunConsent;
  /** What a window does after a reload: follows again the jobs that were running. */
  resumeJobs(): Promise<void>;
  /** Time spent in activate(), for the benchmark. */
  activationMs: number;
  /** Where logs and global state live, for the test that searches them for secrets. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  /** The workspace's state (kept inputs live there) and its storage folder (batch ledgers), for the same search. */
  workspaceState: vscode.Memento;
  storageUri: vscode.Uri | undefined;
}

export function activate(context: vscode.ExtensionContext): CloudBotTestApi | undefined {
  const activationStarted = performance.now();
  // One line per message, whatever server text it carries.
  const log = oneLinePerMessage(vscode.window.createOutputChannel('Cloud BOT', { log: true }));
  const uriHandler = new CallbackUriHandler();
  const oauth = new OAuthSignIn(uriHandler, vscodeSignInUi, log);
  const apps = new OAuthAppStore(context.secrets);
  const auth = new CloudBotAuthenticationProvider(context.secrets, log, oauth, apps);
  const cloudBot = new CloudBot(auth);
  context.subscriptions.push(
    // First, so that its listener forgets old settings before any other reads them.
    rememberSettings(),
    log,
    uriHandler,
    oauth,
    auth,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, auth, { supportsMultipleAccounts: true }),
  );

  // Every job lives in the store; everything that shows one listens to its change event.
  const history = new JobHistory(context.globalState, () => vscode.workspace.getConfiguration('cloudbot').get<number>('jobHistorySize', 20));
  const store = new JobStore((sessionId) => cloudBot.clientFor(sessionId), { log, knownElsewhere: (ref) => history.get(ref.jobId)?.sessionId === ref.sessionId });
  const runTimes = new RecentRunTimes(history, store);
  const remembered = new RememberedOptions(context.secrets);
  const jobDocuments = registerJsonDocuments(context, 'cloudbot-job');
  const consent = new RunConsent(new ConfirmedHosts(context.globalState));
  // Inputs as written, for Re-run: in this workspace's storage, never in global state.
  const templates = new InputTemplates(context.workspaceState, rememberInputs);
  const inputSecrets = new InputSecrets(context.secrets);
  const runner = new BotRunner(
    store,
    log,
    ({ ref }) => {
      if (vscode.workspace.getConfiguration('cloudbot').get<boolean>('openResultOnExecute', true)) panels.open(ref);
    },
    consent,
    templates,
    inputSecrets,
  );
  const panels = new ResultPanels({
    extensionUri: context.extensionUri,
    cloudBot,
    store,
    runner,
    runTimes,
    suspend: (ref) => suspendJob(store, log, ref),
    openJson: (ref) => showJobJson(jobDocuments, store, ref),
    watchLive: (ref): unknown => live.open(ref),
    actions: { compare: (ref) => compare.pick(ref), useOutputAsInput: (ref) => useOutputAsInput(ref), exportOutput: (ref) => exportOutput(ref) },
    // Render reports are for the tests and the benchmark, which run the extension in Test mode.
    collectRenders: context.extensionMode === vscode.ExtensionMode.Test,
  });
  // Casts beside their results; a cast page's headers are checked before it is framed.
  const live = new LivePanels({
    extensionUri: context.extensionUri,
    store,
    showResult: (ref, preserveFocus): vscode.ViewColumn | undefined => panels.open(ref, preserveFocus).viewColumn,
    check: (target) => checkCast(target, vscode.env.uiKind === vscode.UIKind.Web),
  });
  const tree = registerBotTree(context, cloudBot, store, log, runTimes);
  context.subscriptions.push(
    store,
    history.recordFrom(store),
    runTimes,
    runner,
    panels,
    live,
    vscode.window.registerWebviewPanelSerializer(RESULT_VIEW_TYPE, panels),
  );
  const statusBar = registerJobStatusBar(context, store, runTimes);
  registerJobNotifications(context, store, log, (ref) => panels.open(ref, false));

  // Batches: a ledger per batch in this workspace's storage, resumed after a reload.
  const templateVariables = batchTemplateVariables(inputSecrets);
  const batches = new Batches({
    store,
    ledgers: ledgersIn(join((context.storageUri ?? context.globalStorageUri).fsPath, 'batches')),
    log,
    preparer: batchRowPreparer(cloudBot, consent, templateVariables),
    concurrency: () => vscode.workspace.getConfiguration('cloudbot').get<number>('batch.concurrency', 3),
  });
  const exportBatchResults = registerExportBatch(context, batches, store);
  const batchPanels = new BatchPanels({
    extensionUri: context.extensionUri,
    batches,
    preview: (ledger) => batchPreview(cloudBot, ledger, templateVariables.referenced(ledger), rowsOnlyResolver),
    openJob: (ref) => panels.open(ref, false),
    stop: (id) => stopBatch(batches, id),
    exportResults: exportBatchResults,
    collectRenders: context.extensionMode === vscode.ExtensionMode.Test,
  });
  context.subscriptions.push(batches, batchPanels, vscode.window.registerWebviewPanelSerializer(BATCH_VIEW_TYPE, batchPanels));
  registerBatchProgress(context, batches, { stop: (id) => stopBatch(batches, id), show: (ledger) => batchPanels.open(ledger) });

  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.showLog', () => log.show()));
  registerSignIn(context, auth);
  registerOAuthAppCommands(context, apps);
  registerSignOut(context, auth, cloudBot);
  registerRefresh(context, tree);
  registerFilter(context, tree);
  registerLoadMoreJobs(context, tree);
  registerExecuteBot(context, { cloudBot, data: tree.data, runner, remembered, history });
  registerExecuteOptions(context, cloudBot, tree.data, remembered);
  registerInputFiles(context, { cloudBot, runner, remembered }, tree.data);
  registerInputFileLens(context);
  const inputDefinitions = registerInputFileAssist(context, cloudBot, tree.data);
  registerInputVariableAssist(context, inputSecrets);
  registerReferJob(context, cloudBot, store, log, panels);
  registerSuspendJob(context, cloudBot, store, log);
  registerBotActions(context, cloudBot);
  registerJobActions(context, store, panels, jobDocuments);
  registerWatchLive(context, store, live);
  registerShowJobs(context, store, history, panels, { compare: (ref) => compare.pick(ref), rerun: (ref) => rerun(ref) });
  registerExecuteForEachRow(context, { cloudBot, data: tree.data, history, remembered, runner, batches, panels: batchPanels });
  registerBatchActions(context, batches, batchPanels);
  const compare = registerCompareJobs(context, cloudBot, store, jobDocuments);
  const useOutputAsInput = registerUseOutputAsInput(context, store, tree.data, { cloudBot, runner, remembered });
  const exportOutput = registerExportOutput(context, store);
  const rerun = registerRerunJob(context, runner, templates, (ref) => batchRowExecution(cloudBot, batches, templateVariables, ref));
  registerManageInputSecrets(context, inputSecrets);

  // BOT checks: input files with an `expect` block in the Testing view, and as `cloudbot` tasks.
  const checks = registerCheckTests(context, { cloudBot, store, consent, secrets: inputSecrets, log });
  registerRecordExpectations(context, store, templates);
  registerCloudBotTasks(context, { cloudBot, store, secrets: inputSecrets, log });

  // Get started: the walkthrough, and the context keys that complete its steps.
  registerOpenWalkthrough(context, async () => (await auth.getSessions()).length > 0);
  context.subscriptions.push(followWalkthroughProgress(store, batches));

  // Agents: Cloud BOT's tools for Copilot, and the MCP server for VS Code's own MCP client.
  const languageModelTools = registerAgentTools(context, { cloudBot, store, batches, history });
  registerMcpServerProvider(context, auth, cloudBot);

  context.subscriptions.push(
    auth.onDidChangeSessions(({ removed }) => {
      for (const session of removed ?? []) {
        store.forgetAccount(session.id);
        batches.forgetAccount(session.id);
        void history.forgetAccount(session.id);
      }
      inputDefinitions.forget();
      tree.reload();
    }),
    // Sessions belong to the API they were checked against, so a new API base URL changes who is signed in.
    onDidChangeSettings(() => void auth.announceChanges().then(() => tree.reload())),
  );
  // Reads SecretStorage only (no network): sets the signed-in context key for the welcome view.
  void auth.announceChanges();
  // Jobs that were running when the window closed are followed again once activation is over.
  const resume = setTimeout(() => void resumeRunningJobs(cloudBot, store, log, history, batches), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(resume) });
  const activationMs = performance.now() - activationStarted;
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    auth,
    cloudBot,
    store,
    tree,
    apps,
    history,
    panels,
    live,
    statusBar,
    batches,
    batchPanels,
    inputSecrets,
    languageModelTools,
    checks,
    uriHandler,
    consent,
    resumeJobs: () => resumeRunningJobs(cloudBot, store, log, history, batches),
    activationMs,
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
    workspaceState: context.workspaceState,
    storageUri: context.storageUri,
  };
}

async function resumeRunningJobs(cloudBot: CloudBot, store: JobStore, log: vscode.LogOutputChannel, history: JobHistory, batches: Batches): Promise<void> {
  try {
    const accounts = await cloudBot.accounts();
    resumeJobs(store, log, history, accounts.map((account) => account.sessionId));
    await batches.resumeAll(new Set(accounts.map((account) => account.sessionId)));
  } catch (error) {
    log.warn(`Could not follow the running jobs again: ${messageOf(error)}`);
  }
}

export function deactivate(): void {}
