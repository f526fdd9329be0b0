// "Watch Live": a running job's cast inside VS Code, beside its result. From a job row or a result
// panel, that job; from the Command Palette, one of the jobs followed now.
import * as vscode from 'vscode';
import type { JobStore } from '../core/jobStore';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { followedJobs } from '../views/jobStatusBar';
import type { LivePanels } from '../views/livePanel';

export function registerWatchLive(context: vscode.ExtensionContext, store: JobStore, live: LivePanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.watchLive', async (arg?: TargetArg<JobRef>): Promise<JobRef | undefined> => {
      const ref = targetOf(arg) ?? (await pickFollowedJob(store));
      if (!ref) return undefined;
      live.open(jobRefFrom(ref));
      return ref;
    }),
  );
}

/** One of the running jobs followed now: the only one at once, else as picked. */
async function pickFollowedJob(store: JobStore): Promise<JobRef | undefined> {
  const followed = followedJobs(store);
  if (followed.length <= 1) {
    if (!followed.length) void vscode.window.showInformationMessage(vscode.l10n.t('No followed job is running. Watch Live a job from its row in the Cloud BOT view.'));
    return followed[0]?.ref;
  }
  const picked = await vscode.window.showQuickPick(
    followed.map(({ ref, job }) => ({ label: inert(job.bot_name || job.bot_id), description: ref.jobId, ref })),
    { placeHolder: vscode.l10n.t('Job to watch live') },
  );
  return picked?.ref;
}
