// Comparing two jobs (issue: "did the target site change since yesterday's run?"): a diff editor between
// two read-only documents, each a job's status, message and output as canonical JSON (normalisedJson),
// so the sides differ only where the jobs really do, and a failure shows its message change too.
// "Compare with Previous Run" takes the BOT's finished job that started last before this one; "Select for
// Compare" remembers a job (in memory) for "Compare with Selected".
import * as vscode from 'vscode';
import type { JobStore } from '../core/jobStore';
import { comparedJobText } from '../core/normalisedJson';
import { previousRun, previousRunQuery } from '../core/previousRun';
import { jobRefFrom, jobRefOf, sameJob, targetOf, type JobRef, type TargetArg } from '../core/refs';
import { inert } from '../core/serverText';
import { isFinished, type Job } from '../core/types';
import type { CloudBot } from '../services/cloudBot';
import type { JsonDocuments } from '../views/jsonDocuments';
import { describeError } from '../words';

/** Shows "Compare with Selected" in menus. */
const SELECTED_CONTEXT_KEY = 'cloudbot.hasJobSelectedForCompare';

export interface CompareActions {
  /** "Compare…" of the result panel and Show Jobs: the three commands in one pick. */
  pick(ref: JobRef): Promise<unknown>;
}

export function registerCompareJobs(context: vscode.ExtensionContext, cloudBot: CloudBot, store: JobStore, documents: JsonDocuments): CompareActions {
  let selected: JobRef | undefined;
  const select = (ref: JobRef) => {
    selected = jobRefFrom(ref);
    void vscode.commands.executeCommand('setContext', SELECTED_CONTEXT_KEY, true);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Selected job {0} for compare.', inert(ref.jobId)), 5000);
    return selected;
  };
  const withSelected = (ref: JobRef) => {
    if (!selected) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a job for compare first.'));
      return undefined;
    }
    return compareJobs(store, documents, selected, ref);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.compareWithPrevious', (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      return ref && compareWithPrevious(cloudBot, store, documents, jobRefFrom(ref));
    }),
    vscode.commands.registerCommand('cloudbot.selectForCompare', (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      return ref && select(ref);
    }),
    vscode.commands.registerCommand('cloudbot.compareWithSelected', (arg?: TargetArg<JobRef>) => {
      const ref = targetOf(arg);
      return ref && withSelected(jobRefFrom(ref));
    }),
  );
  const pick = async (ref: JobRef) => {
    type Choice = vscode.QuickPickItem & { run(): unknown };
    const choices: Choice[] = [
      { label: vscode.l10n.t('Compare with Previous Run'), run: () => compareWithPrevious(cloudBot, store, documents, ref) },
      { label: vscode.l10n.t('Select for Compare'), run: () => select(ref) },
      ...(selected && !sameJob(selected, ref) ? [{ label: vscode.l10n.t('Compare with Selected'), description: inert(selected.jobId), run: () => withSelected(ref) }] : []),
    ];
    const picked = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Compare job {0}', inert(ref.jobId)) });
    return picked?.run();
  };
  return { pick };
}

/**
 * The job as the store knows it when it has finished with its output, else asked afresh. Undefined
 * (having said why) when it cannot be read or still runs.
 */
export async function finishedJob(store: JobStore, ref: JobRef): Promise<Job | undefined> {
  const known = store.get(ref)?.job;
  let job: Job;
  try {
    job = known && isFinished(known) && known.output !== undefined ? known : await store.refer(ref);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not refer to job {0}: {1}', inert(ref.jobId), describeError(error)));
    return undefined;
  }
  if (isFinished(job)) return job;
  void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} is still running; try again when it ends.', inert(ref.jobId)));
  return undefined;
}

async function compareWithPrevious(cloudBot: CloudBot, store: JobStore, documents: JsonDocuments, ref: JobRef): Promise<readonly [JobRef, JobRef] | undefined> {
  const job = await finishedJob(store, ref);
  if (!job) return undefined;
  // The store alone may miss runs started elsewhere (the console, a schedule): the BOT's job list says.
  // When the list cannot be had, what the store knows may still hold the previous run.
  let listed: Job[] = [];
  let listError: unknown;
  try {
    listed = store.seenAll(ref, await cloudBot.clientFor(ref.sessionId).listJobs(ref.publicId, job.bot_id, previousRunQuery(job))).map((entry) => entry.job);
  } catch (error) {
    listError = error;
  }
  const previous = previousRun(job, [...listed, ...knownJobs(store, ref)]);
  const botLabel = inert(job.bot_name || job.bot_id);
  if (!previous) {
    if (listError !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Could not list the jobs of {0}: {1}', botLabel, describeError(listError)));
    else void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no finished job before job {1} to compare with.', botLabel, inert(ref.jobId)));
    return undefined;
  }
  return compareJobs(store, documents, jobRefOf(ref, previous), ref);
}

/** The jobs the store knows in the account and contract of `ref`. */
function knownJobs(store: JobStore, ref: JobRef): Job[] {
  return store
    .entries()
    .filter((entry) => entry.ref.sessionId === ref.sessionId && entry.ref.publicId === ref.publicId)
    .map((entry) => entry.job);
}

/** Opens the diff of two finished jobs, `left` the older one; resolves to the two refs when it opened. */
async function compareJobs(store: JobStore, documents: JsonDocuments, left: JobRef, right: JobRef): Promise<readonly [JobRef, JobRef] | undefined> {
  if (sameJob(left, right)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} is the job selected for compare: select another one to compare with.', inert(right.jobId)));
    return undefined;
  }
  const [leftJob, rightJob] = await Promise.all([finishedJob(store, left), finishedJob(store, right)]);
  if (!leftJob || !rightJob) return undefined;
  const uri = (ref: JobRef, job: Job) => documents.set(`/${ref.publicId}/${ref.jobId} output.json`, comparedJobText(job));
  // A title is plain text, so the server's BOT name can go in as it is.
  const title = `${rightJob.bot_name || rightJob.bot_id} ${left.jobId} ↔ ${right.jobId}`;
  await vscode.commands.executeCommand('vscode.diff', uri(left, leftJob), uri(right, rightJob), title);
  return [left, right];
}
