// What the batch panel and the progress notification ask for beyond the batch itself: Stop, which asks
// whether to suspend the jobs still running, and "Show Batch Runs", which lists the kept batches.
import * as vscode from 'vscode';
import { countRows } from '../core/batch/ledger';
import { inert } from '../core/serverText';
import type { Batches } from '../jobs/batches';
import type { BatchPanels } from '../views/batchPanel';
import { batchPhaseText } from '../words';

/** Stops a batch; with jobs running, asks whether to suspend them or let them finish. */
export async function stopBatch(batches: Batches, id: string): Promise<void> {
  const ledger = await batches.get(id);
  if (!ledger) return;
  const running = countRows(ledger).running;
  if (!running) return batches.stop(id, false);
  const suspend = vscode.l10n.t('Stop and Suspend Them');
  const finish = vscode.l10n.t('Stop, Let Them Finish');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop the batch? No more rows are sent. {0} jobs are still running.', running),
    { modal: true },
    suspend,
    finish,
  );
  if (choice) await batches.stop(id, choice === suspend);
}

export function registerBatchActions(context: vscode.ExtensionContext, batches: Batches, panels: BatchPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudbot.showBatches', async () => {
      const ledgers = await batches.all();
      if (!ledgers.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No batch runs in this workspace yet. Use "Execute for Each Row…" on a BOT or an input file.'));
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        ledgers.map((ledger) => {
          const counts = countRows(ledger);
          return {
            label: inert(`${ledger.bot.botName ?? ledger.bot.botId} × ${ledger.rowsSource}`),
            description: `${batchPhaseText(ledger.phase)} · ${vscode.l10n.t('{0} of {1} rows done', counts.done, counts.total)}`,
            detail: new Date(ledger.createdAt).toLocaleString(vscode.env.language),
            ledger,
          };
        }),
        { title: vscode.l10n.t('Batch runs'), matchOnDescription: true },
      );
      if (picked) panels.open(picked.ledger);
      return picked?.ledger.id;
    }),
  );
}
