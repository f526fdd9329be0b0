// The batch engine, loaded on first use. The build (scripts/bundle-options.mjs, lazyLibraries) turns
// this import into a require of dist/batch.js. The engine there gets the extension's job store, so it
// tells errors apart by name, not class (see batchRun.ts).
import { ledgerIds } from './fileLedgerStore';
import type { LedgerStore } from './ledger';

let engine: Promise<typeof import('./libs/engine')> | undefined;

export function batchEngine(): Promise<typeof import('./libs/engine')> {
  return (engine ??= import('./libs/engine'));
}

/**
 * The batch ledgers kept in `folder`, with the file store from the engine's bundle: loaded when a ledger
 * is first read or written. Listing them (which every window does once, to resume its batches) needs
 * only the folder.
 */
export function ledgersIn(folder: string): LedgerStore {
  let files: Promise<LedgerStore> | undefined;
  const store = () => (files ??= batchEngine().then(({ FileLedgerStore }) => new FileLedgerStore(folder)));
  return {
    save: async (ledger, changed) => (await store()).save(ledger, changed),
    load: async (id) => (await store()).load(id),
    list: () => ledgerIds(folder),
    remove: async (id) => (await store()).remove(id),
  };
}
