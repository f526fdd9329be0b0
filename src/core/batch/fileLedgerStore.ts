// Batch ledgers on disk, in a folder of the extension's own storage, two files per batch:
// - a snapshot of the whole ledger (batch-<id>.json), written aside then renamed, so that a crash
//   mid-write leaves the previous one;
// - a journal of the changes since (batch-<id>.journal): one JSON line per save of a few rows, appended,
//   so that a change as a batch runs costs a short line rather than the whole ledger (whose text and
//   garbage, twice per row of a 1,000-row batch, stalled the extension host).
// A journal that grows past COMPACT_JOURNAL_BYTES is folded into a new snapshot. Each snapshot names
// its journal's generation, and only lines of that generation are replayed: lines left by a crash
// between a snapshot and its journal's removal are older than the snapshot.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchLedger, LedgerRow, LedgerStore } from './ledger';

/** A kept snapshot or journal bigger than this is not read back (a hand-edited or damaged file). */
export const MAX_LEDGER_BYTES = 64 * 1024 * 1024;
/** A save that would take the journal past this writes a new snapshot instead. */
export const COMPACT_JOURNAL_BYTES = 1024 * 1024;
/** A change whose line would be longer than this (many rows at once) is saved as a new snapshot. */
export const MAX_JOURNAL_LINE_BYTES = 64 * 1024;
const LEDGER_FILE = /^batch-([0-9a-f-]{36})\.json$/;

/** One line of a journal: the batch's phase, and the rows that changed, without their cells (which never change). */
interface JournalLine {
  generation: string;
  phase: BatchLedger['phase'];
  pausedFor?: BatchLedger['pausedFor'];
  rows: Omit<LedgerRow, 'line' | 'cells'>[];
}

/** The journal this store appends a ledger's changes to, since it wrote the ledger's snapshot. */
interface Journal {
  generation: string;
  bytes: number;
}

/** The ids of the ledgers kept in `folder`. */
export async function ledgerIds(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).flatMap((name) => LEDGER_FILE.exec(name)?.[1] ?? []);
  } catch {
    return [];
  }
}

export class FileLedgerStore implements LedgerStore {
  /** Writes of one ledger run one after the other, the newest last. */
  private readonly queues = new Map<string, Promise<void>>();
  /**
   * Per ledger whose snapshot this store wrote: only those get lines appended, so a journal from an
   * earlier window (perhaps with a torn last line) is always folded into a new snapshot first.
   */
  private readonly journals = new Map<string, Journal>();

  constructor(private readonly folder: string) {}

  save(ledger: BatchLedger, changed?: readonly LedgerRow[]): Promise<void> {
    const { id } = ledger;
    const journal = this.journals.get(id);
    if (changed && journal) {
      const entry: JournalLine = { generation: journal.generation, phase: ledger.phase, pausedFor: ledger.pausedFor, rows: changed.map(({ line: _line, cells: _cells, ...row }) => row) };
      const text = `${JSON.stringify(entry)}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes <= MAX_JOURNAL_LINE_BYTES && journal.bytes + bytes <= COMPACT_JOURNAL_BYTES) {
        journal.bytes += bytes;
        return this.enqueue(id, journal, () => appendFile(this.journalOf(id), text, 'utf8'));
      }
    }
    const compacted: Journal = { generation: randomUUID(), bytes: 0 };
    this.journals.set(id, compacted);
    const text = JSON.stringify({ ...ledger, journal: compacted.generation });
    return this.enqueue(id, compacted, () => this.writeSnapshot(id, text));
  }

  async load(id: string): Promise<BatchLedger | undefined> {
    if (!LEDGER_FILE.test(`batch-${id}.json`)) return undefined;
    // After this store's writes of it, so that the snapshot and its journal are of one generation.
    await this.queues.get(id)?.catch(() => undefined);
    const snapshot = await readBounded(this.snapshotOf(id));
    if (snapshot === undefined) return undefined;
    const journal = await readBounded(this.journalOf(id));
    // Without its journal, a row whose execute was on its way could be sent again: better not taken up.
    if (journal === 'tooBig') return undefined;
    let kept: BatchLedger & { journal?: unknown };
    try {
      kept = JSON.parse(snapshot) as BatchLedger & { journal?: unknown };
    } catch {
      return undefined;
    }
    if (!isLedger(kept)) return undefined;
    const { journal: generation, ...ledger } = kept;
    if (typeof generation === 'string' && journal) replay(ledger, generation, journal);
    return ledger;
  }

  list(): Promise<string[]> {
    return ledgerIds(this.folder);
  }

  remove(id: string): Promise<void> {
    if (!LEDGER_FILE.test(`batch-${id}.json`)) return Promise.resolve();
    this.journals.delete(id);
    return this.enqueue(id, undefined, async () => {
      await rm(this.snapshotOf(id), { force: true });
      await rm(this.journalOf(id), { force: true });
    });
  }

  /**
   * Runs a write after the ledger's earlier ones. One that fails makes the next save a new snapshot, as
   * its journal may now miss a change or end in a torn line.
   */
  private enqueue(id: string, journal: Journal | undefined, write: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(write)
      .catch((error: unknown) => {
        if (journal && this.journals.get(id) === journal) this.journals.delete(id);
        throw error;
      });
    this.queues.set(id, next);
    void next.finally(() => this.queues.get(id) === next && this.queues.delete(id)).catch(() => undefined);
    return next;
  }

  private snapshotOf(id: string): string {
    return join(this.folder, `batch-${id}.json`);
  }

  private journalOf(id: string): string {
    return join(this.folder, `batch-${id}.journal`);
  }

  private async writeSnapshot(id: string, text: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const aside = `${this.snapshotOf(id)}.${process.pid}.tmp`;
    await writeFile(aside, text, 'utf8');
    await rename(aside, this.snapshotOf(id));
    // Its lines are in the snapshot now (and of an older generation, should this fail).
    await rm(this.journalOf(id), { force: true });
  }
}

/** A file's text; undefined when it is missing or unreadable, 'tooBig' past MAX_LEDGER_BYTES. */
async function readBounded(path: string): Promise<string | 'tooBig' | undefined> {
  try {
    const bytes = await readFile(path);
    return bytes.length > MAX_LEDGER_BYTES ? 'tooBig' : bytes.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Applies a journal's lines of this generation to its snapshot, in order. */
function replay(ledger: BatchLedger, generation: string, journal: string): void {
  for (const text of journal.split('\n')) {
    if (!text) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      // A torn line: the window went mid-append, before anything waiting for it went on.
      continue;
    }
    if (!isJournalLine(entry, generation, ledger.rows.length)) continue;
    ledger.phase = entry.phase;
    if (entry.pausedFor) ledger.pausedFor = entry.pausedFor;
    else delete ledger.pausedFor;
    for (const row of entry.rows) {
      const kept = ledger.rows[row.index];
      ledger.rows[row.index] = { ...row, index: kept.index, line: kept.line, cells: kept.cells };
    }
  }
}

function isJournalLine(value: unknown, generation: string, rowCount: number): value is JournalLine {
  const entry = value as Partial<JournalLine> | null;
  return (
    !!entry &&
    entry.generation === generation &&
    typeof entry.phase === 'string' &&
    Array.isArray(entry.rows) &&
    entry.rows.every((row) => isRowState(row) && row.index < rowCount)
  );
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
    ledger.rows.every((row, index) => isRowState(row) && row.index === index && !!row.cells && typeof row.cells === 'object')
  );
}

/** A row's position and state, as a snapshot or a journal line keeps them. */
function isRowState(value: unknown): value is Pick<LedgerRow, 'index' | 'state'> {
  const row = value as Partial<LedgerRow> | null;
  return !!row && Number.isInteger(row.index) && row.index! >= 0 && typeof row.state === 'string';
}
