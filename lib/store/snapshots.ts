/** Whole-snapshot housekeeping, used by the sync engine. */
import { prefixRange } from './keys';
import type { Store } from './schema';

/** Removes a snapshot's classified accounts and its staging records. */
export async function deleteSnapshot(store: Store, snapshotId: string): Promise<void> {
  const tx = store.db.transaction(['accounts', 'staging'], 'readwrite');
  await Promise.all([
    tx.objectStore('accounts').delete(prefixRange(snapshotId)),
    tx.objectStore('staging').delete(prefixRange(snapshotId)),
    tx.done,
  ]);
}

/** Distinct snapshot ids that have any stored record (classified or staging). */
export async function listSnapshotIds(store: Store): Promise<string[]> {
  const ids = new Set<string>();
  const tx = store.db.transaction(['accounts', 'staging']);
  let byIndex = await tx.objectStore('accounts').index('snapshotId').openKeyCursor(null, 'nextunique');
  while (byIndex) {
    ids.add(byIndex.key);
    byIndex = await byIndex.continue();
  }
  // staging has no index: jump from one snapshot to the next instead of walking every record.
  let staged = await tx.objectStore('staging').openKeyCursor();
  while (staged) {
    const snapshotId = staged.key[0];
    ids.add(snapshotId);
    staged = await staged.continue([snapshotId, []] as unknown as [string, string]);
  }
  await tx.done;
  return [...ids];
}

/** Removes only the staging records of a snapshot (after it was classified and switched to). */
export async function deleteStaging(store: Store, snapshotId: string): Promise<void> {
  await store.db.delete('staging', prefixRange(snapshotId));
}
