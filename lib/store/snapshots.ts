/** Whole-snapshot housekeeping, used by the sync engine. */
import { prefixRange } from './keys';
import { snapshotStores, type Store } from './schema';

/** The stores whose keys start with a snapshot id. */
const SNAPSHOT_STORES = snapshotStores();
/** What a sync collects before the snapshot's accounts are stored. */
const WORK_STORES = snapshotStores('syncWork');

/** Removes a snapshot's account chunks and whatever its sync collected. */
export async function deleteSnapshot(store: Store, snapshotId: string): Promise<void> {
  const tx = store.db.transaction(SNAPSHOT_STORES, 'readwrite');
  await Promise.all([...SNAPSHOT_STORES.map((name) => tx.objectStore(name).delete(prefixRange(snapshotId))), tx.done]);
}

/** Distinct snapshot ids that have any stored record (accounts, pages or fragments). */
export async function listSnapshotIds(store: Store): Promise<string[]> {
  const ids = new Set<string>();
  const tx = store.db.transaction(SNAPSHOT_STORES);
  for (const name of SNAPSHOT_STORES) {
    // Jump from one snapshot to the next instead of walking every record: `[id, []]` sorts
    // after every key of snapshot `id` (IndexedDB orders arrays after numbers and strings).
    let cursor = await tx.objectStore(name).openKeyCursor();
    while (cursor) {
      const snapshotId = (cursor.key as [string, ...unknown[]])[0];
      ids.add(snapshotId);
      cursor = await cursor.continue([snapshotId, []] as unknown as typeof cursor.key);
    }
  }
  await tx.done;
  return [...ids];
}

/** Removes only the pages and fragments of a snapshot (after it was stored and switched to). */
export async function deleteSyncWork(store: Store, snapshotId: string): Promise<void> {
  const tx = store.db.transaction(WORK_STORES, 'readwrite');
  await Promise.all([...WORK_STORES.map((name) => tx.objectStore(name).delete(prefixRange(snapshotId))), tx.done]);
}
