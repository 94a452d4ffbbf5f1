/** Shared set-up for engine tests. */
import type { RawMember } from '../../../lib/atlassian/api';
import type { GroupRef, SyncedAccount } from '../../../lib/model';
import { getActiveAccounts } from '../../../lib/store/accounts';
import { putConnection } from '../../../lib/store/connections';
import { openStore } from '../../../lib/store/open';
import type { FragmentRecord, MemberPageRecord, Store } from '../../../lib/store/schema';
import { OperationsTable, packMember } from '../../../lib/sync/member-codec';
import { runSync, type SyncOptions } from '../../../lib/sync/engine';
import { connection } from '../store/helpers';
import type { FakeConfluenceApi } from './fake-api';

export const SITE = 'https://acme.atlassian.net';
export const FIXED_NOW = new Date('2026-03-01T12:00:00.000Z');

export async function connectedStore(): Promise<Store> {
  const store = await openStore(`test-${crypto.randomUUID()}`);
  await putConnection(store, connection(SITE));
  return store;
}

export function sync(store: Store, api: FakeConfluenceApi, groups: GroupRef[], extra: Partial<SyncOptions> = {}) {
  return runSync({ store, api, site: SITE, groups, trigger: 'manual', now: () => FIXED_NOW, ...extra });
}

export async function activeAccounts(store: Store): Promise<SyncedAccount[]> {
  return (await getActiveAccounts(store, SITE)).sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/** Lets abandoned engine work (already answered calls) commit before the test goes on. */
export function settle(ms = 60): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Pages and fragments stored (a finished or failed sync leaves none). */
export async function workRecords(store: Store): Promise<number> {
  return (await store.db.count('pages')) + (await store.db.count('fragments'));
}

/** A stored page of `members` of `group` (as the members phase writes it). */
export function pageRecord(snapshotId: string, group: GroupRef, start: number, members: RawMember[]): MemberPageRecord {
  const operations = new OperationsTable();
  const packed = members.map((m) => packMember(m, operations));
  return { snapshotId, groupId: group.id, groupName: group.name, start, members: packed, operations: operations.lists };
}

/** A stored fragment of `members` seen in `group` (as the partition phase writes it). */
export function fragmentRecord(snapshotId: string, bucket: number, batch: number, group: GroupRef, members: RawMember[]): FragmentRecord {
  const operations = new OperationsTable();
  return { snapshotId, bucket, batch, members: members.map((m) => [packMember(m, operations), group]), operations: operations.lists };
}
