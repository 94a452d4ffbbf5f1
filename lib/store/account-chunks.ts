/** Building the chunk records a snapshot's accounts are stored in (see AccountChunk). Pure. */
import type { SyncedAccount } from '../model';
import { bucketOf, compareKeys } from './buckets';
import type { AccountChunk, AccountRecord } from './schema';

export function toAccountRecord(snapshotId: string, account: SyncedAccount): AccountRecord {
  return { ...account, snapshotId, emailLower: account.email?.toLowerCase() ?? null };
}

/** One bucket's chunk, its accounts sorted by id (IndexedDB key order). */
export function accountChunk(snapshotId: string, bucket: number, buckets: number, accounts: AccountRecord[]): AccountChunk {
  return { snapshotId, bucket, buckets, accounts: [...accounts].sort((a, b) => compareKeys(a.accountId, b.accountId)) };
}

/** Every chunk of a snapshot of `accounts` split into `buckets` (empty buckets included). */
export function chunkAccounts(snapshotId: string, accounts: readonly SyncedAccount[], buckets: number): AccountChunk[] {
  const parts = Array.from({ length: Math.max(1, buckets) }, () => [] as AccountRecord[]);
  for (const account of accounts) parts[bucketOf(account.accountId, parts.length)]?.push(toAccountRecord(snapshotId, account));
  return parts.map((records, bucket) => accountChunk(snapshotId, bucket, parts.length, records));
}
