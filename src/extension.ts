// The table of contents: build the services, register each piece. No network work happens here.
import * as vscode from 'vscode';
import { OAuthAppStore } from './auth/oauthApp';
import { OAuthSignIn, vscodeSignInUi } from './auth/oauthSignIn';
import { CloudBotAuthenticationProvider, PROVIDER_ID, PROVIDER_LABEL } from './auth/provider';
import { CallbackUriHandler } from './auth/uriHandler';
import { registerBotActions } from './commands/botActions';
import { registerExecuteBot } from './commands/executeBot';
import { registerExecuteOptions } from './commands/executeOptions';
import { registerFilter } from './commands/filter';
import { registerInputFiles } from './commands/inputFiles';
import { registerJobActions } from './commands/jobActions';
import { registerLoadMoreJobs } from './commands/loadMoreJobs';
import { registerOAuthAppCommands } from './commands/oauthApp';
import { registerReferJob } from './commands/referJob';
import { registerRefresh } from './commands/refresh';
import { registerSignIn } from './commands/signIn';
import { registerShowJobs } from './commands/showJobs';
import { registerSignOut } from './commands/signOut';
import { registerSuspendJob } from './commands/suspendJob';
import { onDidChangeSettings } from './config';
import { RememberedOptions } from './core/executeOptions';
import { JobHistory } from './core/jobHistory';
import { BotRunner } from './jobs/botRunner';
import { JobFollower, type JobSeen } from './jobs/jobFollower';
import { messageOf } from './core/errors';
import { CloudBot } from './services/cloudBot';
import { registerBotTree, type BotTreeProvider } from './views/botTree';
import { registerInputFileAssist } from './views/inputFileAssist';
import { registerInputFileLens } from './views/inputFileLens';
import { registerJobStatusBar } from './views/jobStatusBar';
import { RESULT_VIEW_TYPE, ResultPanels } from './views/resultPanel';

/** What the extension hands to its integration tests (and to other extensions). */
export interface CloudBotExtensionApi {
  auth: CloudBotAuthenticationProvider;
  cloudBot: CloudBot;
  tree: BotTreeProvider;
  apps: OAuthAppStore;
  follower: JobFollower;
  history: JobHistory;
  panels: ResultPanels;
  uriHandler: CallbackUriHandler;
  /** Time spent in activate(), for the benchmark. */
  activationMs: number;
  /** Where logs and global state live, for the test that searches them for secrets. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): CloudBotExtensionApi {
  const activationStarted = performance.now();
  const log = vscode.window.createOutputChannel('Cloud BOT', { log: true });
  const uriHandler = new CallbackUriHandler();
  const oauth = new OAuthSignIn(uriHandler, vscodeSignInUi, log);
  const apps = new OAuthAppStore(context.secrets);
  const auth = new CloudBotAuthenticationProvider(context.secrets, log, oauth, apps);
  const cloudBot = new CloudBot(auth);
  context.subscriptions.push(
    log,
    uriHandler,
    oauth,
    auth,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, auth, { supportsMultipleAccounts: true }),
  );

  // Every job state seen anywhere (followed, suspended) shows in the tree and its result panel at once;
  // the tree polls only the running jobs that no follower polls.
  const seen: JobSeen = (sessionId, publicId, job) => {
    tree.data.patchJob({ sessionId, publicId, botId: job.bot_id }, job);
    panels.show({ sessionId, publicId, jobId: job.job_id }, job);
    follower.observe(job.job_id, job);
  };
  const history = new JobHistory(context.globalState, () => vscode.workspace.getConfiguration('cloudbot').get<number>('jobHistorySize', 20));
  const remembered = new RememberedOptions(context.secrets);
  const follower = new JobFollower(log, seen, history);
  const runner = new BotRunner(cloudBot, follower, history, log);
  const panels = new ResultPanels(context.extensionUri, cloudBot, follower, runner);
  const tree = registerBotTree(context, cloudBot, log, (jobId) => follower.isFollowing(jobId));
  context.subscriptions.push(
    follower,
    runner,
    panels,
    vscode.window.registerWebviewPanelSerializer(RESULT_VIEW_TYPE, panels),
    runner.onDidStart(({ job, ...ref }) => {
      if (vscode.workspace.getConfiguration('cloudbot').get<boolean>('openResultOnExecute', true)) panels.open(ref, job);
    }),
  );
  registerJobStatusBar(context, follower);

  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.showLog', () => log.show()));
  registerSignIn(context, auth);
  registerOAuthAppCommands(context, apps);
  registerSignOut(context, auth, cloudBot);
  registerRefresh(context, tree);
  registerFilter(context, tree);
  registerLoadMoreJobs(context, tree);
  registerExecuteBot(context, { cloudBot, data: tree.data, runner, remembered, history });
  registerExecuteOptions(context, cloudBot, tree.data, remembered);
  registerInputFiles(context, cloudBot, runner, remembered);
  registerInputFileLens(context);
  const inputDefinitions = registerInputFileAssist(context, cloudBot, tree.data);
  registerReferJob(context, cloudBot, follower, panels);
  registerSuspendJob(context, cloudBot, log, seen);
  registerBotActions(context, cloudBot);
  registerJobActions(context, cloudBot, panels);
  registerShowJobs(context, follower, history);

  context.subscriptions.push(
    auth.onDidChangeSessions(({ removed }) => {
      for (const session of removed ?? []) {
        for (const { ref } of follower.following()) if (ref.sessionId === session.id) follower.stop(ref.jobId);
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
  const resume = setTimeout(() => void resumeJobs(cloudBot, follower, log), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(resume) });
  const activationMs = performance.now() - activationStarted;
  return { auth, cloudBot, tree, apps, follower, history, panels, uriHandler, activationMs, logUri: context.logUri, globalStorageUri: context.globalStorageUri };
}

async function resumeJobs(cloudBot: CloudBot, follower: JobFollower, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const accounts = await cloudBot.accounts();
    follower.resume((sessionId) => cloudBot.clientFor(sessionId), accounts.map((account) => account.sessionId));
  } catch (error) {
    log.warn(`Could not follow the running jobs again: ${messageOf(error)}`);
  }
}

export function deactivate(): void {}
