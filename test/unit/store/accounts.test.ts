import { describe, expect, it } from 'vitest';
import {
  getActiveAccount,
  getActiveAccounts,
  iterateActiveAccounts,
  lookupAccounts,
} from '../../../lib/store/accounts';
import { putConnection } from '../../../lib/store/connections';
import { account, connection, freshStore, writeSnapshot } from './helpers';

const SITE = 'https://acme.atlassian.net';

async function siteWithSnapshot() {
  const store = await freshStore();
  await putConnection(store, connection(SITE, { activeSnapshotId: 'snap-2' }));
  await writeSnapshot(store, 'snap-2', [
    account(SITE, '557058:aaaa', { displayName: 'José Núñez', publicName: 'jose', email: 'Jose.Nunez@Acme.com', emailSource: 'confluence' }),
    account(SITE, '5b10ac8d82e05b22cc7d4ef5', { displayName: 'Ann Lee', publicName: 'Annie' }),
    account(SITE, 'bot-1', { displayName: 'Deploy Bot', publicName: 'Deploy Bot', accountType: 'app', filteredReason: 'app' }),
  ]);
  // An older (inactive) snapshot must never be visible.
  await writeSnapshot(store, 'snap-1', [account(SITE, 'old-only', { displayName: 'Old Timer' })]);
  return store;
}

describe('active snapshot accessors', () => {
  it('return only the active snapshot, as SyncedAccount without storage fields', async () => {
    const store = await siteWithSnapshot();
    const accounts = await getActiveAccounts(store, SITE);
    expect(accounts.map((a) => a.accountId).sort()).toEqual(['557058:aaaa', '5b10ac8d82e05b22cc7d4ef5', 'bot-1']);
    expect(accounts[0]).not.toHaveProperty('snapshotId');
    expect(accounts[0]).not.toHaveProperty('emailLower');
    expect((await getActiveAccount(store, SITE, 'bot-1'))?.accountType).toBe('app');
    expect(await getActiveAccount(store, SITE, 'old-only')).toBeUndefined();
  });

  it('return nothing before the first complete sync', async () => {
    const store = await freshStore();
    await putConnection(store, connection(SITE));
    await writeSnapshot(store, 'partial', [account(SITE, 'u1')]);
    expect(await getActiveAccounts(store, SITE)).toEqual([]);
    expect(await lookupAccounts(store, SITE, 'u1')).toEqual([]);
  });

  it('iterate a large snapshot in batches, each account exactly once, in key order', async () => {
    const store = await freshStore();
    await putConnection(store, connection(SITE, { activeSnapshotId: 's' }));
    const ids = Array.from({ length: 23 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    await writeSnapshot(store, 's', ids.map((id) => account(SITE, id)));
    await writeSnapshot(store, 't', [account(SITE, 'zzz-other-snapshot')]);
    const seen: string[] = [];
    for await (const a of iterateActiveAccounts(store, SITE, 5)) seen.push(a.accountId);
    expect(seen).toEqual(ids);
  });
});

describe('lookupAccounts', () => {
  it('matches the account id exactly', async () => {
    const store = await siteWithSnapshot();
    expect((await lookupAccounts(store, SITE, '5b10ac8d82e05b22cc7d4ef5')).map((a) => a.displayName)).toEqual(['Ann Lee']);
    expect(await lookupAccounts(store, SITE, '5b10ac8d82e05b22cc7d4ef')).toEqual([]);
  });

  it('matches the email case-insensitively (whole address only)', async () => {
    const store = await siteWithSnapshot();
    expect((await lookupAccounts(store, SITE, '  jose.nunez@ACME.com ')).map((a) => a.accountId)).toEqual(['557058:aaaa']);
    expect(await lookupAccounts(store, SITE, 'nunez@acme.com')).toEqual([]);
  });

  it('matches display or public names as substrings, ignoring case and accents', async () => {
    const store = await siteWithSnapshot();
    expect((await lookupAccounts(store, SITE, 'jose nunez')).map((a) => a.accountId)).toEqual(['557058:aaaa']);
    expect((await lookupAccounts(store, SITE, 'NÚÑ')).map((a) => a.accountId)).toEqual(['557058:aaaa']);
    expect((await lookupAccounts(store, SITE, 'annie')).map((a) => a.accountId)).toEqual(['5b10ac8d82e05b22cc7d4ef5']);
    expect((await lookupAccounts(store, SITE, 'bot')).map((a) => a.accountId)).toEqual(['bot-1']);
  });

  it('never finds accounts of a non-active snapshot or another site', async () => {
    const store = await siteWithSnapshot();
    expect(await lookupAccounts(store, SITE, 'Old Timer')).toEqual([]);
    expect(await lookupAccounts(store, 'https://other.atlassian.net', 'Ann')).toEqual([]);
    expect(await lookupAccounts(store, SITE, '   ')).toEqual([]);
  });
});
