// Batches of an agent's inputs where nothing outlives the process (the MCP server): ledgers live in
// memory, and the rows' inputs are the agent's values as given (no template, no variables). No `vscode`.
import { batchInputs } from '../batch/batchInput';
import { BatchRun } from '../batch/batchRun';
import { newLedger, type BatchLedger, type LedgerStore, type NewBatch } from '../batch/ledger';
import { inputItemsOf } from '../inputItems';
import type { JobLog, JobStore } from '../jobStore';
import type { AgentBatches, AgentClient } from './agentTools';

/** At most this many batches are kept; the oldest settled ones go first. */
const MAX_KEPT_BATCHES = 20;

/** The run's ledger is the live object: saving it is keeping it. */
const IN_MEMORY: LedgerStore = {
  save: async () => undefined,
  load: async () => undefined,
  list: async () => [],
  remove: async () => undefined,
};

export interface MemoryBatchesOptions {
  store: JobStore;
  client(sessionId: string): Pick<AgentClient, 'getBot'>;
  concurrency: number;
  log?: JobLog;
}

export class MemoryBatches implements AgentBatches {
  private readonly ledgers = new Map<string, BatchLedger>();
  private readonly runs = new Map<string, BatchRun>();

  constructor(private readonly options: MemoryBatchesOptions) {}

  async create(batch: NewBatch): Promise<BatchLedger> {
    const ledger = newLedger(batch);
    this.ledgers.set(ledger.id, ledger);
    this.trim();
    return ledger;
  }

  async start(id: string): Promise<boolean> {
    const ledger = this.ledgers.get(id);
    if (!ledger) return false;
    let run = this.runs.get(id);
    if (!run) {
      const { sessionId, publicId, botId } = ledger.bot;
      const items = inputItemsOf((await this.options.client(sessionId).getBot(publicId, botId, ['input'])).input);
      const inputs = batchInputs(ledger, items, new Set(), async (input) => ({ ok: true, input }));
      run = new BatchRun(ledger, { store: this.options.store, ledgers: IN_MEMORY, prepare: inputs.prepare, concurrency: this.options.concurrency, log: this.options.log });
      this.runs.set(id, run);
    }
    await run.start();
    return true;
  }

  async get(id: string): Promise<BatchLedger | undefined> {
    return this.ledgers.get(id);
  }

  runOf(id: string): BatchRun | undefined {
    return this.runs.get(id);
  }

  dispose(): void {
    for (const run of this.runs.values()) run.dispose();
    this.runs.clear();
  }

  private trim(): void {
    for (const [id, ledger] of this.ledgers) {
      if (this.ledgers.size <= MAX_KEPT_BATCHES) return;
      if (ledger.phase !== 'done' && ledger.phase !== 'stopped' && ledger.phase !== 'ready') continue;
      this.runs.get(id)?.dispose();
      this.runs.delete(id);
      this.ledgers.delete(id);
    }
  }
}
