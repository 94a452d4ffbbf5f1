/**
 * Reading the accounts of a site's active snapshot — the last complete sync. Partial snapshots
 * of running or failed syncs are never visible here. A snapshot is stored as one chunk per
 * bucket (AccountChunk in ./schema.ts), so these read whole chunks and pick accounts out of them.
 */
import type { SiteUrl, SyncedAccount } from '../model';
import { bucketOf, compareKeys } from './buckets';
import { prefixRange } from './keys';
import { foldForSearch } from '../search-fold';
import type { AccountChunk, AccountRecord, Store } from './schema';

export function toSyncedAccount(record: AccountRecord): SyncedAccount {
  const { snapshotId: _snapshot, emailLower: _email, ...account } = record;
  return account;
}

export async function getActiveSnapshotId(store: Store, site: SiteUrl): Promise<string | null> {
  return (await store.db.get('connections', site))?.activeSnapshotId ?? null;
}

const byAccountId = (a: AccountRecord, b: AccountRecord) => compareKeys(a.accountId, b.accountId);

/** All accounts of the active snapshot, by accountId (empty before the first complete sync). */
export async function getActiveAccounts(store: Store, site: SiteUrl): Promise<SyncedAccount[]> {
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null) return [];
  const chunks = await store.db.getAll('accounts', prefixRange(snapshotId));
  return chunks.flatMap((c) => c.accounts).sort(byAccountId).map(toSyncedAccount);
}

/** One account of the active snapshot: chunk 0 gives the bucket count, then one more read at most. */
export async function getActiveAccount(
  store: Store,
  site: SiteUrl,
  accountId: string,
): Promise<SyncedAccount | undefined> {
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null) return undefined;
  const tx = store.db.transaction('accounts');
  const first = await tx.store.get([snapshotId, 0]);
  const bucket = first ? bucketOf(accountId, first.buckets) : 0;
  const chunk = bucket === 0 ? first : await tx.store.get([snapshotId, bucket]);
  await tx.done;
  const record = chunk?.accounts.find((a) => a.accountId === accountId);
  return record && toSyncedAccount(record);
}

/**
 * "Why is this account missing?": accounts of the active snapshot whose id equals the query,
 * whose email equals it (case-insensitive), or whose display/public name contains it (case and
 * accents ignored). Exact id and email hits come first. Scans the snapshot chunk by chunk: this
 * is a rare, on-demand question, not worth an index kept up to date by every sync.
 */
export async function lookupAccounts(store: Store, site: SiteUrl, query: string): Promise<SyncedAccount[]> {
  const q = query.trim();
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null || q === '') return [];

  const email = q.toLowerCase();
  const needle = foldForSearch(q);
  const byId: AccountRecord[] = [];
  const byEmail: AccountRecord[] = [];
  const byName: AccountRecord[] = [];
  let cursor = await store.db.transaction('accounts').store.openCursor(prefixRange(snapshotId));
  while (cursor) {
    for (const r of cursor.value.accounts) {
      if (r.accountId === q) byId.push(r);
      else if (r.emailLower === email) byEmail.push(r);
      else if (needle !== '' &&
          (foldForSearch(r.displayName).includes(needle) || foldForSearch(r.publicName).includes(needle))) {
        byName.push(r);
      }
    }
    cursor = await cursor.continue();
  }
  return [...byId, ...byEmail.sort(byAccountId), ...byName.sort(byAccountId)].map(toSyncedAccount);
}
