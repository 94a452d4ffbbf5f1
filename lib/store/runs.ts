/** Sync run history. */
import type { SiteUrl } from '../model';
import type { Store, StoredSyncRun } from './schema';

export async function getRun(store: Store, id: string): Promise<StoredSyncRun | undefined> {
  return store.db.get('syncRuns', id);
}

/** The site's runs, newest first, at most `limit`. */
export async function listRuns(store: Store, site: SiteUrl, limit = 20): Promise<StoredSyncRun[]> {
  const runs: StoredSyncRun[] = [];
  const range = IDBKeyRange.bound([site, ''], [site, []]);
  let cursor = await store.db.transaction('syncRuns').store.index('siteStartedAt').openCursor(range, 'prev');
  while (cursor && runs.length < limit) {
    runs.push(cursor.value);
    cursor = await cursor.continue();
  }
  return runs;
}

/** Runs of the site still marked `running` (normally zero or one). */
export async function listRunningRuns(store: Store, site: SiteUrl): Promise<StoredSyncRun[]> {
  const runs = await store.db.getAllFromIndex('syncRuns', 'site', site);
  return runs.filter((r) => r.status === 'running').sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
