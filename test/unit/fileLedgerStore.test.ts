// Ledgers on disk: a snapshot plus a journal of row changes, read back by a new store as a later window
// (or one after a crash) would: changes replayed in order, a torn last line ignored, the journal folded
// into a new snapshot before it grows past its bound, and lines older than the snapshot never replayed.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPACT_JOURNAL_BYTES, FileLedgerStore, MAX_LEDGER_BYTES } from '../../src/core/batch/fileLedgerStore';
import { newLedger, type BatchLedger, type LedgerRow } from '../../src/core/batch/ledger';

describe('FileLedgerStore', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'cloudbot-ledgers-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const ledgerOf = (rows: number): BatchLedger =>
    newLedger({
      bot: { sessionId: 's', publicId: 'c', botId: 'b' },
      template: { input: { a: '${secret:x}' }, options: {} },
      rowsSource: 'r.csv',
      columns: ['a'],
      rows: Array.from({ length: rows }, (_, i) => ({ line: i + 2, cells: { a: `row ${i + 1}` } })),
    });
  const snapshotOf = (ledger: BatchLedger) => join(folder, `batch-${ledger.id}.json`);
  const journalOf = (ledger: BatchLedger) => join(folder, `batch-${ledger.id}.journal`);
  /** The ledger as a new window reads it. */
  const readBack = (ledger: BatchLedger) => new FileLedgerStore(folder).load(ledger.id);
  /** As the ledger would read back: JSON leaves out what is undefined. */
  const asSaved = (ledger: BatchLedger) => JSON.parse(JSON.stringify(ledger)) as BatchLedger;
  const change = (row: LedgerRow, to: Partial<LedgerRow>) => Object.assign(row, to);
  /** A new ledger of this many rows, saved whole. */
  const savedLedger = async (rows: number) => {
    const ledger = ledgerOf(rows);
    const files = new FileLedgerStore(folder);
    await files.save(ledger);
    return { ledger, files };
  };

  it('keeps a ledger across instances, the last save winning, and lists and removes it with its journal', async () => {
    const ledger = ledgerOf(2);
    const files = new FileLedgerStore(folder);
    const saves = [files.save(ledger), files.save({ ...ledger, phase: 'running' }), files.save({ ...ledger, phase: 'done' }, [])];
    await Promise.all(saves);
    assert.ok(existsSync(journalOf(ledger)));
    const again = new FileLedgerStore(folder);
    assert.deepEqual(await again.list(), [ledger.id]);
    assert.equal((await again.load(ledger.id))?.phase, 'done');
    await again.remove(ledger.id);
    assert.deepEqual(await again.list(), []);
    assert.ok(!existsSync(journalOf(ledger)));
  });

  it('ignores damaged files and names that are not ledgers', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    writeFileSync(join(folder, `batch-${id}.json`), '{"version":1,');
    writeFileSync(join(folder, 'notes.json'), '{}');
    const files = new FileLedgerStore(folder);
    assert.deepEqual(await files.list(), [id]);
    assert.equal(await files.load(id), undefined);
    assert.equal(await files.load('../../etc/passwd'), undefined);
  });

  it('appends the rows that changed, and replays them on the snapshot in order', async () => {
    const { ledger, files } = await savedLedger(3);
    const snapshot = readFileSync(snapshotOf(ledger), 'utf8');
    ledger.phase = 'running';
    change(ledger.rows[0], { state: 'sending', sentAt: 1000 });
    await files.save(ledger, [ledger.rows[0]]);
    change(ledger.rows[0], { state: 'running', jobId: 'j1', reason: { code: 'recovered' } });
    change(ledger.rows[1], { state: 'invalid', reason: { code: 'badInput', detail: 'no such variable' } });
    await files.save(ledger, [ledger.rows[0], ledger.rows[1]]);
    // Run again: what a row had before is gone from it (the journal keeps rows whole, not their fields).
    change(ledger.rows[0], { state: 'pending', jobId: undefined, reason: undefined, earlierJobIds: ['j1'] });
    await files.save(ledger, [ledger.rows[0]]);
    assert.equal(readFileSync(snapshotOf(ledger), 'utf8'), snapshot, 'changes are appended, the snapshot left as it was');
    assert.equal(readFileSync(journalOf(ledger), 'utf8').split('\n').length, 3 + 1);
    assert.ok(!readFileSync(journalOf(ledger), 'utf8').includes('row 1'), 'cells, which never change, are not repeated');
    assert.deepEqual(await readBack(ledger), asSaved(ledger));
  });

  it('has a row being sent on disk once its save resolves, for a window that takes over after a crash', async () => {
    const { ledger, files } = await savedLedger(2);
    change(ledger.rows[1], { state: 'sending', sentAt: 1234 });
    await files.save(ledger, [ledger.rows[1]]);
    // This store is never closed or flushed: the window went.
    const kept = await readBack(ledger);
    assert.equal(kept?.rows[1].state, 'sending');
    assert.equal(kept?.rows[1].sentAt, 1234);
    assert.deepEqual(kept?.rows[1].cells, { a: 'row 2' });
  });

  it('ignores a torn last line, and folds that journal into a new snapshot before appending to it', async () => {
    const { ledger, files } = await savedLedger(3);
    change(ledger.rows[0], { state: 'sending', sentAt: 1 });
    await files.save(ledger, [ledger.rows[0]]);
    const torn = readFileSync(journalOf(ledger), 'utf8').replace('"sending"', '"running"').replace('\n', '');
    appendFileSync(journalOf(ledger), torn.slice(0, torn.length - 20));

    const next = new FileLedgerStore(folder);
    const kept = (await next.load(ledger.id))!;
    assert.deepEqual(kept, asSaved(ledger));
    change(kept.rows[2], { state: 'sending', sentAt: 2 });
    await next.save(kept, [kept.rows[2]]);
    // Appended after the torn line, this change would have been lost with it.
    assert.ok(!existsSync(journalOf(ledger)), 'saved in a new snapshot');
    assert.deepEqual(await readBack(ledger), asSaved(kept));
  });

  it('folds the journal into a new snapshot before it passes its bound', async () => {
    const { ledger, files } = await savedLedger(50);
    let largest = 0;
    let snapshots = 0;
    let snapshot = readFileSync(snapshotOf(ledger), 'utf8');
    for (let i = 0; i < 2_000; i++) {
      const row = ledger.rows[i % ledger.rows.length];
      change(row, { state: 'running', jobId: `job-${i}`, outputSummary: `output ${i} `.repeat(100) });
      await files.save(ledger, [row]);
      largest = Math.max(largest, existsSync(journalOf(ledger)) ? statSync(journalOf(ledger)).size : 0);
      const now = readFileSync(snapshotOf(ledger), 'utf8');
      if (now !== snapshot) snapshots++;
      snapshot = now;
    }
    assert.ok(largest <= COMPACT_JOURNAL_BYTES, `journal reached ${largest} bytes`);
    assert.ok(snapshots >= 2, `${snapshots} new snapshots`);
    assert.deepEqual(await readBack(ledger), asSaved(ledger));
  });

  it('never replays lines older than the snapshot (a crash between a new snapshot and its journal\'s removal)', async () => {
    const { ledger, files } = await savedLedger(2);
    change(ledger.rows[0], { state: 'sending', sentAt: 1 });
    await files.save(ledger, [ledger.rows[0]]);
    const olderJournal = readFileSync(journalOf(ledger), 'utf8');
    change(ledger.rows[0], { state: 'running', jobId: 'j1' });
    await files.save(ledger);
    writeFileSync(journalOf(ledger), olderJournal);
    assert.deepEqual(await readBack(ledger), asSaved(ledger));
  });

  it('saves a change of many rows as a new snapshot, not as one long line', async () => {
    const { ledger, files } = await savedLedger(5_000);
    for (const row of ledger.rows) change(row, { state: 'stopped' });
    ledger.phase = 'stopped';
    await files.save(ledger, ledger.rows);
    assert.ok(!existsSync(journalOf(ledger)));
    assert.deepEqual(await readBack(ledger), asSaved(ledger));
  });

  it('does not take up a ledger whose journal is past the bound, rather than risk sending a row again', async () => {
    const { ledger } = await savedLedger(1);
    writeFileSync(journalOf(ledger), '');
    truncateSync(journalOf(ledger), MAX_LEDGER_BYTES + 1);
    assert.equal(await readBack(ledger), undefined);
  });

  it('saves the next change as a new snapshot after a failed append', async () => {
    const { ledger, files } = await savedLedger(2);
    mkdirSync(journalOf(ledger));
    change(ledger.rows[0], { state: 'sending', sentAt: 1 });
    await assert.rejects(files.save(ledger, [ledger.rows[0]]));
    rmSync(journalOf(ledger), { recursive: true });
    change(ledger.rows[1], { state: 'sending', sentAt: 2 });
    await files.save(ledger, [ledger.rows[1]]);
    assert.ok(!existsSync(journalOf(ledger)), 'a snapshot, with both changes');
    assert.deepEqual(await readBack(ledger), asSaved(ledger));
  });
});
