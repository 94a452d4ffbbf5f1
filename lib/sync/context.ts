/** What every sync phase needs, and the one way they update the run record. */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { ConfluenceApi } from '../atlassian/api';
import type { SyncProgress } from '../model';
import type { AccessLensDB, Store, StoredSyncRun, SyncCheckpoint, SyncPhase } from '../store/schema';
import { inTransaction } from '../store/tx';
import { SyncStateError } from './errors';

export interface SyncContext {
  store: Store;
  api: ConfluenceApi;
  site: string;
  runId: string;
  snapshotId: string;
  concurrency: number;
  signal: AbortSignal | undefined;
  now: () => Date;
  /** Requests of the whole run so far (earlier invocations + this one). */
  requests: () => number;
  report: (run: StoredSyncRun, force?: boolean) => void;
}

type RunTx = IDBPTransaction<AccessLensDB, StoreNames<AccessLensDB>[], 'readwrite'>;

/**
 * Read-modify-write of the run record inside `tx` (which must include `syncRuns`). Throws —
 * aborting the whole transaction, data included — when the run is no longer running, so a page
 * is never written without its checkpoint or after the run ended.
 */
export async function updateRunInTx(
  ctx: SyncContext,
  tx: RunTx,
  change: (run: StoredSyncRun, checkpoint: SyncCheckpoint) => void,
): Promise<StoredSyncRun> {
  const runs = tx.objectStore('syncRuns');
  const run = await runs.get(ctx.runId);
  if (!run || run.status !== 'running' || !run.checkpoint) {
    throw new SyncStateError(`Sync run ${ctx.runId} is no longer running`);
  }
  change(run, run.checkpoint);
  run.requests = ctx.requests();
  await runs.put(run);
  return run;
}

/** `updateRunInTx` in a transaction of its own. */
export async function updateRun(
  ctx: SyncContext,
  change: (run: StoredSyncRun, checkpoint: SyncCheckpoint) => void,
): Promise<StoredSyncRun> {
  const tx = ctx.store.db.transaction(['syncRuns'], 'readwrite');
  return inTransaction(tx, () => updateRunInTx(ctx, tx, change));
}

/**
 * The phase as pages show it. Partitioning and the accounts phase are where statuses (and
 * emails) are looked up; once the run has ended it is `finishing`.
 */
function progressPhase(phase: SyncPhase | undefined): SyncProgress['phase'] {
  if (phase === undefined) return 'finishing';
  return phase === 'members' ? 'members' : 'status';
}

/**
 * Progress every quarter second: often enough for a counter a person watches, and each report
 * costs the background a broadcast to every open page (measured: ~0.6 s of a 100,000-account
 * sync's worker time at ten a second).
 */
export const PROGRESS_INTERVAL_MS = 250;

/** Progress callback throttled to one call per `intervalMs`, except forced ones (phase changes). */
export function progressReporter(
  onProgress: ((p: SyncProgress) => void) | undefined,
  intervalMs = PROGRESS_INTERVAL_MS,
  clock: () => number = Date.now,
): (run: StoredSyncRun, force?: boolean) => void {
  let last = -Infinity;
  return (run, force = false) => {
    if (!onProgress) return;
    const t = clock();
    if (!force && t - last < intervalMs) return;
    last = t;
    onProgress({
      runId: run.id,
      startedAt: run.startedAt,
      groupsDone: run.groups.filter((g) => g.done).length,
      groupsTotal: run.groups.length,
      accountsFetched: run.accounts,
      phase: progressPhase(run.checkpoint?.phase),
    });
  };
}

/**
 * Adds `note` to the run's notes once; with `caveat`, also to the caveats the export carries
 * (what limits the snapshot's data, e.g. statuses from weaker signals).
 */
export function addNote(run: StoredSyncRun, note: string, options: { caveat?: boolean } = {}): void {
  if (!run.notes.includes(note)) run.notes.push(note);
  if (options.caveat) {
    const caveats = (run.caveats ??= []);
    if (!caveats.includes(note)) caveats.push(note);
  }
}
