/** Forgetting a site entirely (disconnect with "delete data"). */
import type { SiteUrl } from '../model';
import { prefixRange } from './keys';
import type { Store } from './schema';

/**
 * Deletes, in one transaction, the site's connection, credentials, group list, every snapshot
 * (the active one and any left by runs), the pages and fragments of its syncs, run history and marks. The roster and
 * settings are not per site and stay.
 */
export async function deleteSiteData(store: Store, site: SiteUrl): Promise<void> {
  const tx = store.db.transaction(
    ['connections', 'credentials', 'groups', 'accounts', 'pages', 'fragments', 'syncRuns', 'marks'],
    'readwrite',
  );
  const writes: Promise<unknown>[] = [];
  const connection = await tx.objectStore('connections').get(site);
  // Snapshot ids are run ids; the active one is listed too in case its run was pruned.
  const snapshotIds = new Set<string>(connection?.activeSnapshotId ? [connection.activeSnapshotId] : []);
  for (const runId of await tx.objectStore('syncRuns').index('site').getAllKeys(site)) {
    snapshotIds.add(runId);
    writes.push(tx.objectStore('syncRuns').delete(runId));
  }
  for (const id of snapshotIds) {
    for (const name of ['accounts', 'pages', 'fragments'] as const) writes.push(tx.objectStore(name).delete(prefixRange(id)));
  }
  for (const key of await tx.objectStore('groups').index('site').getAllKeys(site)) {
    writes.push(tx.objectStore('groups').delete(key));
  }
  for (const key of await tx.objectStore('marks').index('site').getAllKeys(site)) {
    writes.push(tx.objectStore('marks').delete(key));
  }
  writes.push(tx.objectStore('connections').delete(site));
  writes.push(tx.objectStore('credentials').delete(site));
  await Promise.all([...writes, tx.done]);
}
