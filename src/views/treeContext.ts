import type { BotKey, ExplorerData } from '../core/explorerData';
import type { RecentRunTimes } from '../core/runTimes';
import type { Job } from '../core/types';
import type { CloudBot } from '../services/cloudBot';
import type { TreeNode } from './treeNode';

/** What every node needs: the data, the API base for endpoints, the filter, and where to register BOT rows for live updates. */
export interface TreeContext {
  cloudBot: CloudBot;
  data: ExplorerData;
  /** What a running job's row shows its time so far against. */
  runTimes: RecentRunTimes;
  filter(): string;
  /** BOT rows register themselves, so a change to their jobs refreshes just them. */
  rememberBot(key: BotKey, node: TreeNode): void;
  refresh(node?: TreeNode): void;
  /** Keeps the running ones among the jobs a row shows watched, while the view is visible. */
  watchRunning(key: BotKey, jobs: readonly Job[]): void;
  /** The row for a failure; a rejected credential also asks, once per account, to sign in again. */
  failed(id: string, sessionId: string, error: unknown): TreeNode;
  setContext(key: 'cloudbot.noContracts' | 'cloudbot.noMatches', value: boolean): void;
  apiBaseUrl(): string;
}
