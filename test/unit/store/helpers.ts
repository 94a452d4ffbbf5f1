/** Shared fixtures for store tests: a fresh database per test, plus record builders. */
import { openStore } from '../../../lib/store/open';
import { chunkAccounts } from '../../../lib/store/account-chunks';
import type { ConnectionRecord, Store } from '../../../lib/store/schema';
import type { SyncedAccount } from '../../../lib/model';

export async function freshStore(): Promise<Store> {
  return openStore(`test-${crypto.randomUUID()}`);
}

export function connection(site: string, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    site,
    siteName: site.replace('https://', '').split('.')[0] ?? site,
    cloudId: null,
    authMethod: 'apiToken',
    status: 'connected',
    lastError: null,
    connectedAs: 'admin@example.com',
    createdAt: '2026-01-01T00:00:00.000Z',
    selectedGroupIds: null,
    syncIntervalHours: 24,
    activeSnapshotId: null,
    lastSyncedAt: null,
    ...overrides,
  };
}

export function account(site: string, accountId: string, overrides: Partial<SyncedAccount> = {}): SyncedAccount {
  return {
    site,
    accountId,
    displayName: `User ${accountId}`,
    publicName: `User ${accountId}`,
    email: null,
    emailSource: 'none',
    accountType: 'atlassian',
    status: 'active',
    statusSignal: 'users-bulk accountStatus "active"',
    isGuest: false,
    groups: [{ id: 'g1', name: 'confluence-users' }],
    role: 'read',
    operations: [{ operation: 'use', targetType: 'application' }],
    filteredReason: null,
    filteredDetail: null,
    ...overrides,
  };
}

/** Writes accounts as snapshot `snapshotId` in `buckets` chunks (without activating it). */
export async function writeSnapshot(store: Store, snapshotId: string, accounts: SyncedAccount[], buckets = 1): Promise<void> {
  const tx = store.db.transaction('accounts', 'readwrite');
  await Promise.all([...chunkAccounts(snapshotId, accounts, buckets).map((chunk) => tx.store.put(chunk)), tx.done]);
}
