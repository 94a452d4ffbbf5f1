/** Connected sites. */
import type { SiteUrl } from '../model';
import type { ConnectionRecord, Store } from './schema';

export const DEFAULT_SYNC_INTERVAL_HOURS = 24;

export async function getConnection(store: Store, site: SiteUrl): Promise<ConnectionRecord | undefined> {
  return store.db.get('connections', site);
}

export async function putConnection(store: Store, connection: ConnectionRecord): Promise<void> {
  await store.db.put('connections', connection);
}

export async function deleteConnection(store: Store, site: SiteUrl): Promise<void> {
  await store.db.delete('connections', site);
}

/** Sorted by site URL. */
export async function listConnections(store: Store): Promise<ConnectionRecord[]> {
  return store.db.getAll('connections');
}

/**
 * Read-modify-write of one connection in one transaction (so a concurrent sync commit that
 * flips `activeSnapshotId` is never overwritten by a stale copy). Returns the new record, or
 * undefined when the site is not connected.
 */
export async function updateConnection(
  store: Store,
  site: SiteUrl,
  change: (current: ConnectionRecord) => ConnectionRecord,
): Promise<ConnectionRecord | undefined> {
  const tx = store.db.transaction('connections', 'readwrite');
  const current = await tx.store.get(site);
  if (!current) {
    await tx.done;
    return undefined;
  }
  const next = change(current);
  await Promise.all([tx.store.put(next), tx.done]);
  return next;
}
