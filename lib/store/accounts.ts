/**
 * Reading the accounts of a site's active snapshot — the last complete sync. Partial snapshots
 * of running or failed syncs are never visible here.
 */
import type { SiteUrl, SyncedAccount } from '../model';
import { prefixRange, prefixRangeAfter } from './keys';
import { normalizeName } from './normalize';
import type { AccountRecord, Store } from './schema';

export function toSyncedAccount(record: AccountRecord): SyncedAccount {
  const { snapshotId: _snapshot, emailLower: _email, ...account } = record;
  return account;
}

export async function getActiveSnapshotId(store: Store, site: SiteUrl): Promise<string | null> {
  return (await store.db.get('connections', site))?.activeSnapshotId ?? null;
}

/** All accounts of the active snapshot (empty before the first complete sync). */
export async function getActiveAccounts(store: Store, site: SiteUrl): Promise<SyncedAccount[]> {
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null) return [];
  const records = await store.db.getAll('accounts', prefixRange(snapshotId));
  return records.map(toSyncedAccount);
}

export async function getActiveAccount(
  store: Store,
  site: SiteUrl,
  accountId: string,
): Promise<SyncedAccount | undefined> {
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null) return undefined;
  const record = await store.db.get('accounts', [snapshotId, accountId]);
  return record && toSyncedAccount(record);
}

/**
 * The active snapshot's accounts one by one, reading `batchSize` at a time in short
 * transactions (an IndexedDB transaction cannot stay open while the caller awaits other work).
 * The snapshot id is fixed at the start, so a sync finishing meanwhile does not mix snapshots;
 * if that old snapshot is deleted mid-iteration, the iteration simply ends early.
 */
export async function* iterateActiveAccounts(
  store: Store,
  site: SiteUrl,
  batchSize = 500,
): AsyncGenerator<SyncedAccount> {
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null) return;
  let after: string | null = null;
  for (;;) {
    const batch: AccountRecord[] = await store.db.getAll('accounts', prefixRangeAfter(snapshotId, after), batchSize);
    for (const record of batch) yield toSyncedAccount(record);
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return;
    after = last.accountId;
  }
}

/**
 * "Why is this account missing?": accounts of the active snapshot whose id equals the query,
 * whose email equals it (case-insensitive), or whose display/public name contains it (case and
 * accents ignored). Exact id and email hits come first.
 */
export async function lookupAccounts(store: Store, site: SiteUrl, query: string): Promise<SyncedAccount[]> {
  const q = query.trim();
  const snapshotId = await getActiveSnapshotId(store, site);
  if (snapshotId === null || q === '') return [];

  const tx = store.db.transaction('accounts');
  const found = new Map<string, AccountRecord>();
  const byId = await tx.store.get([snapshotId, q]);
  if (byId) found.set(byId.accountId, byId);
  for (const r of await tx.store.index('snapshotEmail').getAll([snapshotId, q.toLowerCase()])) {
    found.set(r.accountId, r);
  }
  const needle = normalizeName(q);
  if (needle !== '') {
    let cursor = await tx.store.openCursor(prefixRange(snapshotId));
    while (cursor) {
      const r = cursor.value;
      if (!found.has(r.accountId) &&
          (normalizeName(r.displayName).includes(needle) || normalizeName(r.publicName).includes(needle))) {
        found.set(r.accountId, r);
      }
      cursor = await cursor.continue();
    }
  }
  await tx.done;
  return [...found.values()].map(toSyncedAccount);
}
