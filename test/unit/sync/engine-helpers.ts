/** Shared set-up for engine tests. */
import type { GroupRef, SyncedAccount } from '../../../lib/model';
import { getActiveAccounts } from '../../../lib/store/accounts';
import { putConnection } from '../../../lib/store/connections';
import { openStore } from '../../../lib/store/open';
import type { Store } from '../../../lib/store/schema';
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
