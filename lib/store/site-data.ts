/** Forgetting a site entirely (disconnect with "delete data"). */
import type { SiteUrl } from '../model';
import { prefixRange } from './keys';
import { snapshotStores, storesOf, STORES, type StoreDeclaration, type StoreName, type Store } from './schema';

/**
 * Deletes, in one transaction, every record of every `site`-scoped store (connection,
 * credentials, groups, run history, marks, review summary, …) and every snapshot of the site
 * (the active one and any left by its runs) in the `snapshot`-scoped stores. `global` stores (the
 * roster, settings) are not per site and stay. Driven by STORES, so a new store is covered by
 * declaring its scope.
 */
export async function deleteSiteData(store: Store, site: SiteUrl): Promise<void> {
  const siteStores = storesOf('site');
  const snapshots = snapshotStores();
  const tx = store.db.transaction([...siteStores, ...snapshots] as StoreName[], 'readwrite');
  const writes: Promise<unknown>[] = [];
  const connection = await tx.objectStore('connections').get(site);
  // Snapshot ids are run ids; the active one is listed too in case its run was pruned.
  const snapshotIds = new Set<string>(connection?.activeSnapshotId ? [connection.activeSnapshotId] : []);
  for (const runId of await tx.objectStore('syncRuns').index('site').getAllKeys(site)) snapshotIds.add(runId);
  for (const id of snapshotIds) {
    for (const name of snapshots) writes.push(tx.objectStore(name).delete(prefixRange(id)));
  }
  for (const name of siteStores) {
    const decl: StoreDeclaration = STORES[name];
    if (decl.scope !== 'site') continue;
    // Every store declared `siteKey: 'index'` has a `site` index (STORES); idb's types cannot
    // see that across the union of stores, so one of them stands for all.
    const objectStore = tx.objectStore(name as 'marks');
    if (decl.siteKey === 'key') {
      writes.push(objectStore.delete(site as never));
    } else {
      for (const key of await objectStore.index('site').getAllKeys(site)) writes.push(objectStore.delete(key));
    }
  }
  await Promise.all([...writes, tx.done]);
}
