/**
 * Activity data per site (issue 11): the imported admin user export, what the organisation API
 * returned, the state of the activity phase, and the organisation API key (background only, like
 * ./credentials.ts: pages never import this module).
 */
import type { AccountActivity } from '../activity/types';
import type { ActivityCheckpoint, FetchedActivity } from '../activity/phase';
import type { UserExportMeta } from '../activity/user-export';
import type { SiteUrl } from '../model';
import type { ActivityRunRecord, OrgActivityRecord, OrgKeyRecord, Store, UserExportChunk } from './schema';

export const USER_EXPORT_CHUNK_SIZE = 2000;

/**
 * Replaces the site's user export in one transaction: the previous import stays until the new one
 * is written in full.
 */
export async function replaceUserExport(
  store: Store,
  site: SiteUrl,
  meta: UserExportMeta & { importedAt: string },
  accounts: readonly AccountActivity[],
): Promise<void> {
  const tx = store.db.transaction('userExports', 'readwrite');
  const writes: Promise<unknown>[] = [];
  for (const key of await tx.store.index('site').getAllKeys(site)) writes.push(tx.store.delete(key));
  for (let i = 0; i * USER_EXPORT_CHUNK_SIZE < Math.max(1, accounts.length); i++) {
    const chunk: UserExportChunk = { site, chunk: i, meta, accounts: accounts.slice(i * USER_EXPORT_CHUNK_SIZE, (i + 1) * USER_EXPORT_CHUNK_SIZE) };
    writes.push(tx.store.put(chunk));
  }
  await Promise.all([...writes, tx.done]);
}

export async function getUserExport(
  store: Store,
  site: SiteUrl,
): Promise<{ meta: UserExportMeta & { importedAt: string }; accounts: AccountActivity[] } | null> {
  const chunks = (await store.db.getAllFromIndex('userExports', 'site', site)).sort((a, b) => a.chunk - b.chunk);
  const first = chunks[0];
  return first ? { meta: first.meta, accounts: chunks.flatMap((c) => c.accounts) } : null;
}

export async function getUserExportMeta(store: Store, site: SiteUrl): Promise<(UserExportMeta & { importedAt: string }) | null> {
  return (await store.db.get('userExports', [site, 0]))?.meta ?? null;
}

export async function listOrgActivity(store: Store, site: SiteUrl): Promise<OrgActivityRecord[]> {
  return store.db.getAllFromIndex('orgActivity', 'site', site);
}

/** When each of these accounts was last fetched from the organisation API. */
export async function orgActivityFetchedAt(store: Store, site: SiteUrl, accountIds: readonly string[]): Promise<Map<string, number>> {
  const wanted = new Set(accountIds);
  const out = new Map<string, number>();
  for (const record of await listOrgActivity(store, site)) if (wanted.has(record.accountId)) out.set(record.accountId, record.fetchedAt);
  return out;
}

/** A batch of fetched accounts and the phase's checkpoint, together. */
export async function saveOrgActivityBatch(
  store: Store,
  site: SiteUrl,
  records: readonly FetchedActivity[],
  run: Omit<ActivityRunRecord, 'site'>,
): Promise<void> {
  const tx = store.db.transaction(['orgActivity', 'activityRuns'], 'readwrite');
  const writes: Promise<unknown>[] = records.map((r) => tx.objectStore('orgActivity').put({ ...r, site }));
  writes.push(tx.objectStore('activityRuns').put({ site, ...run }));
  await Promise.all([...writes, tx.done]);
}

export async function getActivityRun(store: Store, site: SiteUrl): Promise<ActivityRunRecord | undefined> {
  return store.db.get('activityRuns', site);
}

export async function putActivityRun(store: Store, run: ActivityRunRecord): Promise<void> {
  await store.db.put('activityRuns', run);
}

export async function getOrgKey(store: Store): Promise<OrgKeyRecord | undefined> {
  return (await store.db.getAll('orgKeys'))[0];
}

/** Saves the one organisation key (replacing any other). */
export async function putOrgKey(store: Store, key: OrgKeyRecord): Promise<void> {
  const tx = store.db.transaction('orgKeys', 'readwrite');
  await Promise.all([tx.store.clear(), tx.store.put(key), tx.done]);
}

export async function deleteOrgKeys(store: Store): Promise<void> {
  await store.db.clear('orgKeys');
}

export type { ActivityCheckpoint };
