// Actions on a job: its result panel, its job reference endpoint, and its response JSON (E7) as a document.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { jobReferenceEndpoint } from '../core/endpoints';
import type { JobStore } from '../core/jobStore';
import { jobRefFrom, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { showJobJson, type JsonDocuments } from '../views/jsonDocuments';
import type { ResultPanels } from '../views/resultPanel';
import { copyAndSay } from './botActions';

export function registerJobActions(context: vscode.ExtensionContext, store: JobStore, panels: ResultPanels, documents: JsonDocuments): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.openJobResult', (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      if (!ref) return undefined;
      panels.open(jobRefFrom(ref), false);
      return ref;
    }),
    vscode.commands.registerCommand('cloudbot.copyJobReferenceEndpoint', async (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      if (!ref) return undefined;
      const endpoint = jobReferenceEndpoint(readSettings().apiBaseUrl, ref.publicId, ref.jobId);
      return copyAndSay(endpoint, vscode.l10n.t('Copied the job reference endpoint: {0}', endpoint));
    }),
    vscode.commands.registerCommand('cloudbot.showJobResult', async (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      return ref && showJobJson(documents, store, ref);
    }),
  );
}
