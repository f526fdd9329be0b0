// The table of contents: build the services, register each piece. No network work happens here.
import * as vscode from 'vscode';
import { OAuthAppStore } from './auth/oauthApp';
import { OAuthSignIn, vscodeSignInUi } from './auth/oauthSignIn';
import { CloudBotAuthenticationProvider, PROVIDER_ID, PROVIDER_LABEL } from './auth/provider';
import { CallbackUriHandler } from './auth/uriHandler';
import { registerBotActions } from './commands/botActions';
import { registerExecuteBot } from './commands/executeBot';
import { registerFilter } from './commands/filter';
import { registerInputFiles } from './commands/inputFiles';
import { registerJobActions } from './commands/jobActions';
import { registerLoadMoreJobs } from './commands/loadMoreJobs';
import { registerOAuthAppCommands } from './commands/oauthApp';
import { registerReferJob } from './commands/referJob';
import { registerRefresh } from './commands/refresh';
import { registerSignIn } from './commands/signIn';
import { registerSignOut } from './commands/signOut';
import { registerSuspendJob } from './commands/suspendJob';
import { onDidChangeSettings } from './config';
import { BotRunner } from './jobs/botRunner';
import { JobFollower, type JobSeen } from './jobs/jobFollower';
import { CloudBot } from './services/cloudBot';
import { registerBotTree, type BotTreeProvider } from './views/botTree';
import { registerInputFileLens } from './views/inputFileLens';

/** What the extension hands to its integration tests (and to other extensions). */
export interface CloudBotExtensionApi {
  auth: CloudBotAuthenticationProvider;
  cloudBot: CloudBot;
  tree: BotTreeProvider;
  apps: OAuthAppStore;
  uriHandler: CallbackUriHandler;
  /** Where logs and global state live, for the test that searches them for secrets. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): CloudBotExtensionApi {
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

  // Every job state seen anywhere (followed, suspended) shows in the tree at once; the tree polls only
  // the running jobs that no follower polls.
  const seen: JobSeen = (sessionId, publicId, job) => tree.data.patchJob({ sessionId, publicId, botId: job.bot_id }, job);
  const follower = new JobFollower(log, seen);
  const tree = registerBotTree(context, cloudBot, log, (jobId) => follower.isFollowing(jobId));

  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.showLog', () => log.show()));
  registerSignIn(context, auth);
  registerOAuthAppCommands(context, apps);
  registerSignOut(context, auth, cloudBot);
  registerRefresh(context, tree);
  registerFilter(context, tree);
  registerLoadMoreJobs(context, tree);
  const runner = new BotRunner(cloudBot, follower, log);
  context.subscriptions.push(runner);
  registerExecuteBot(context, cloudBot, tree.data, runner);
  registerInputFiles(context, cloudBot, runner);
  registerInputFileLens(context, cloudBot);
  registerReferJob(context, cloudBot, follower);
  registerSuspendJob(context, cloudBot, log, seen);
  registerBotActions(context, cloudBot);
  registerJobActions(context, cloudBot);

  context.subscriptions.push(
    auth.onDidChangeSessions(() => tree.reload()),
    // Sessions belong to the API they were checked against, so a new API base URL changes who is signed in.
    onDidChangeSettings(() => void auth.announceChanges().then(() => tree.reload())),
  );
  // Reads SecretStorage only (no network): sets the signed-in context key for the welcome view.
  void auth.announceChanges();
  return { auth, cloudBot, tree, apps, uriHandler, logUri: context.logUri, globalStorageUri: context.globalStorageUri };
}

export function deactivate(): void {}
