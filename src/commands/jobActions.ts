// Actions on a job: its result panel, its job reference endpoint, and its response JSON (E7) as a document.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { jobReferenceEndpoint } from '../core/endpoints';
import type { CloudBot } from '../services/cloudBot';
import { targetOf, type JobTarget, type TargetArg } from '../views/jobTarget';
import { registerJsonDocuments } from '../views/jsonDocuments';
import type { ResultPanels } from '../views/resultPanel';
import type { JobRef } from '../jobs/jobFollower';
import { copyAndSay } from './botActions';

export function registerJobActions(context: vscode.ExtensionContext, cloudBot: CloudBot, panels: ResultPanels): void {
  const documents = registerJsonDocuments(context, 'cloudbot-job');
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.openJobResult', (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      if (!ref) return undefined;
      panels.open({ sessionId: ref.sessionId, publicId: ref.publicId, jobId: ref.jobId }, undefined, false);
      return ref;
    }),
    vscode.commands.registerCommand('cloudbot.copyJobReferenceEndpoint', async (arg?: TargetArg<JobTarget>) => {
      const target = targetOf(arg);
      if (!target) return undefined;
      const endpoint = jobReferenceEndpoint(readSettings().apiBaseUrl, target.publicId, target.jobId);
      return copyAndSay(endpoint, vscode.l10n.t('Copied the job reference endpoint: {0}', endpoint));
    }),
    // Refers to the job again at each run, so a document already open shows the job's latest state.
    vscode.commands.registerCommand('cloudbot.showJobResult', async (arg?: TargetArg<JobTarget>) => {
      const target = targetOf(arg);
      if (!target) return undefined;
      const { sessionId, publicId, jobId } = target;
      return documents.show(
        `/${publicId}/${jobId}.json`,
        () => cloudBot.clientFor(sessionId).getJob(publicId, jobId),
        (message) => vscode.l10n.t('Could not refer to job {0}: {1}', jobId, message),
      );
    }),
  );
}
