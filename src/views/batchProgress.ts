// A progress notification while a batch runs: rows done of all, failures and the time left. Cancelling
// it is Stop (which asks about the running jobs). When the batch is done, a notification says how it
// went and offers its panel.
import * as vscode from 'vscode';
import type { BatchChange } from '../core/batch/batchRun';
import type { BatchLedger } from '../core/batch/ledger';
import { elapsedText } from '../core/jobText';
import { inert } from '../core/serverText';
import type { Batches } from '../jobs/batches';
import { jobWords } from '../words';

export interface BatchProgressActions {
  stop(id: string): Promise<void>;
  show(ledger: BatchLedger): void;
}

export function registerBatchProgress(context: vscode.ExtensionContext, batches: Batches, actions: BatchProgressActions): void {
  /** Per running batch: where its notification reports, and how far it got. */
  const shown = new Map<string, { report(change: BatchChange): void; end(): void }>();
  const subscription = batches.onDidChange((change) => {
    const { ledger } = change;
    const progress = shown.get(ledger.id);
    if (ledger.phase === 'running') {
      if (progress) progress.report(change);
      else shown.set(ledger.id, showProgress(batches, ledger, actions));
      return;
    }
    if (!progress) return;
    progress.end();
    shown.delete(ledger.id);
    if (ledger.phase === 'done') announceEnd(batches, ledger, actions);
  });
  context.subscriptions.push(subscription, { dispose: () => shown.forEach((progress) => progress.end()) });
}

function titleOf(ledger: BatchLedger): string {
  return vscode.l10n.t('Cloud BOT: {0} for each row of {1}', inert(ledger.bot.botName ?? ledger.bot.botId), inert(ledger.rowsSource));
}

/** The notification is told at most this often: a batch changes thousands of times. */
const REPORT_EVERY_MS = 500;

function showProgress(batches: Batches, ledger: BatchLedger, actions: BatchProgressActions): { report(change: BatchChange): void; end(): void } {
  let resolveEnded!: () => void;
  let report: (change: BatchChange) => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  let timer: NodeJS.Timeout | undefined;
  let due = false;
  // The first change is told at once, later ones once per interval (the last of them included).
  const throttled = (change: BatchChange) => {
    if (timer) {
      due = true;
      return;
    }
    report(change);
    timer = setTimeout(function tell() {
      timer = undefined;
      if (!due) return;
      due = false;
      report(change);
      timer = setTimeout(tell, REPORT_EVERY_MS);
    }, REPORT_EVERY_MS);
  };
  const end = () => {
    clearTimeout(timer);
    resolveEnded();
  };
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: titleOf(ledger), cancellable: true }, (progress, token) => {
    let reported = 0;
    report = () => {
      const run = batches.runOf(ledger.id);
      if (!run) return;
      const { done, total, failed } = run.counts;
      const msLeft = run.estimateMsLeft();
      const parts = [vscode.l10n.t('{0} of {1} rows', done, total)];
      if (failed) parts.push(vscode.l10n.t('{0} failed', failed));
      if (msLeft !== undefined) parts.push(vscode.l10n.t('about {0} left', elapsedText(msLeft / 1000, jobWords())));
      const percent = (done / Math.max(1, total)) * 100;
      progress.report({ message: parts.join(' · '), increment: percent - reported });
      reported = percent;
    };
    report({ ledger, rows: [] });
    token.onCancellationRequested(() => void actions.stop(ledger.id));
    return ended;
  });
  return { report: throttled, end };
}

function announceEnd(batches: Batches, ledger: BatchLedger, actions: BatchProgressActions): void {
  const counts = batches.runOf(ledger.id)?.counts;
  if (!counts) return;
  const show = vscode.l10n.t('Show Batch');
  const text = counts.failed
    ? vscode.l10n.t('{0}: {1} of {2} rows succeeded, {3} failed.', titleOf(ledger), counts.succeeded, counts.total, counts.failed)
    : vscode.l10n.t('{0}: all {1} rows succeeded.', titleOf(ledger), counts.total);
  const shownAs = counts.failed ? vscode.window.showWarningMessage(text, show) : vscode.window.showInformationMessage(text, show);
  void shownAs.then((choice) => choice === show && actions.show(ledger));
}
