/**
 * The end of a sync: switch the site to the new snapshot in one transaction — the only moment
 * the review's data changes.
 */
import { prefixRange } from '../store/keys';
import type { StoredSyncRun } from '../store/schema';
import { inTransaction } from '../store/tx';
import { addNote, type SyncContext, updateRunInTx } from './context';
import { SyncStateError, throwIfAborted } from './errors';

/**
 * Makes the snapshot the site's active one, sets `lastSyncedAt`, and ends the run as succeeded,
 * all in one transaction. Returns the run and the snapshot it replaced (to delete afterwards).
 * Refuses a snapshot that does not have every one of its chunks.
 */
export async function switchSnapshot(ctx: SyncContext): Promise<{ run: StoredSyncRun; previous: string | null }> {
  throwIfAborted(ctx.signal);
  const tx = ctx.store.db.transaction(['connections', 'accounts', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    const connections = tx.objectStore('connections');
    const connection = await connections.get(ctx.site);
    if (!connection) throw new SyncStateError('The site was disconnected during the sync');
    const chunks = await tx.objectStore('accounts').count(prefixRange(ctx.snapshotId));
    const at = ctx.now().toISOString();
    const previous = connection.activeSnapshotId;
    const run = await updateRunInTx(ctx, tx, (r, checkpoint) => {
      if (checkpoint.phase !== 'accounts' || checkpoint.nextBucket !== checkpoint.buckets || chunks !== checkpoint.buckets) {
        throw new SyncStateError(`Snapshot ${ctx.snapshotId} is incomplete (${chunks} of ${checkpoint.buckets} chunks)`);
      }
      r.status = 'succeeded';
      r.endedAt = at;
      r.accounts = checkpoint.accounts;
      r.checkpoint = null;
      r.pausedUntil = null;
      const skipped = r.skippedMembers ?? 0;
      if (skipped > 0) addNote(r, skippedMembersNote(skipped), { caveat: true });
    });
    await connections.put({ ...connection, activeSnapshotId: ctx.snapshotId, lastSyncedAt: at });
    return { run, previous: previous === ctx.snapshotId ? null : previous };
  });
}

/** Issue 8, item 6: odd entries of member pages are left out, and the run says how many. */
export function skippedMembersNote(count: number): string {
  return `${count} group member entr${count === 1 ? 'y was' : 'ies were'} left out (null, or without an accountId)`;
}
