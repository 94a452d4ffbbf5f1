/** Every group of a site, as last listed from Confluence (replaced wholesale on refresh). */
import type { GroupRef, SiteUrl } from '../model';
import type { Store } from './schema';

export async function replaceGroups(store: Store, site: SiteUrl, groups: GroupRef[]): Promise<void> {
  const tx = store.db.transaction('groups', 'readwrite');
  const writes: Promise<unknown>[] = [];
  let cursor = await tx.store.index('site').openKeyCursor(site);
  while (cursor) {
    writes.push(tx.store.delete(cursor.primaryKey));
    cursor = await cursor.continue();
  }
  for (const g of groups) writes.push(tx.store.put({ site, id: g.id, name: g.name }));
  await Promise.all([...writes, tx.done]);
}

/** Sorted by name (as Confluence sorts them), then id. */
export async function listGroups(store: Store, site: SiteUrl): Promise<GroupRef[]> {
  const records = await store.db.getAllFromIndex('groups', 'site', site);
  return records
    .map(({ id, name }) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
