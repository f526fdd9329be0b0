// Batch ledgers on disk: one JSON file per batch in a folder of the extension's own storage, replaced
// whole on each save (written aside, then renamed), so that a crash mid-write leaves the previous save.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchLedger, LedgerStore } from './ledger';

/** A kept ledger bigger than this is not read back (a hand-edited or damaged file). */
export const MAX_LEDGER_BYTES = 64 * 1024 * 1024;
const LEDGER_FILE = /^batch-([0-9a-f-]{36})\.json$/;

export class FileLedgerStore implements LedgerStore {
  /** Saves of one ledger run one after the other, the newest last. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly folder: string) {}

  save(ledger: BatchLedger): Promise<void> {
    const text = JSON.stringify(ledger);
    const previous = this.queues.get(ledger.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(ledger.id, text));
    this.queues.set(ledger.id, next);
    void next.finally(() => this.queues.get(ledger.id) === next && this.queues.delete(ledger.id)).catch(() => undefined);
    return next;
  }

  async load(id: string): Promise<BatchLedger | undefined> {
    if (!LEDGER_FILE.test(`batch-${id}.json`)) return undefined;
    let text: string;
    try {
      const bytes = await readFile(this.pathOf(id));
      if (bytes.length > MAX_LEDGER_BYTES) return undefined;
      text = bytes.toString('utf8');
    } catch {
      return undefined;
    }
    try {
      const ledger = JSON.parse(text) as BatchLedger;
      return isLedger(ledger) ? ledger : undefined;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).flatMap((name) => LEDGER_FILE.exec(name)?.[1] ?? []);
    } catch {
      return [];
    }
  }

  async remove(id: string): Promise<void> {
    if (LEDGER_FILE.test(`batch-${id}.json`)) await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    return join(this.folder, `batch-${id}.json`);
  }

  private async write(id: string, text: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const aside = `${this.pathOf(id)}.${process.pid}.tmp`;
    await writeFile(aside, text, 'utf8');
    await rename(aside, this.pathOf(id));
  }
}

function isLedger(value: unknown): value is BatchLedger {
  const ledger = value as Partial<BatchLedger> | null;
  return (
    !!ledger &&
    ledger.version === 1 &&
    typeof ledger.id === 'string' &&
    !!ledger.bot &&
    typeof ledger.bot.sessionId === 'string' &&
    typeof ledger.bot.publicId === 'string' &&
    typeof ledger.bot.botId === 'string' &&
    !!ledger.template &&
    Array.isArray(ledger.rows) &&
    ledger.rows.every((row) => !!row && typeof row.index === 'number' && typeof row.state === 'string' && !!row.cells && typeof row.cells === 'object')
  );
}
