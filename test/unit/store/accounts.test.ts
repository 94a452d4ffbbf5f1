import { describe, expect, it } from 'vitest';
import {
  getActiveAccount,
  getActiveAccounts,
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
});

describe('active snapshot accessors over several chunks', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `557058:${String(i).padStart(4, '0')}`);

  async function chunkedSite(buckets: number) {
    const store = await freshStore();
    await putConnection(store, connection(SITE, { activeSnapshotId: 'snap' }));
    await writeSnapshot(store, 'snap', [...ids].reverse().map((id, i) => account(SITE, id, {
      displayName: i === 7 ? 'Zoë Kowalski' : `User ${id}`,
      email: i === 11 ? 'Zoe.K@Acme.com' : null,
    })), buckets);
    await writeSnapshot(store, 'other', [account(SITE, 'zzz-not-active')], buckets);
    return store;
  }

  it('store one record per bucket', async () => {
    const store = await chunkedSite(6);
    expect(await store.db.count('accounts')).toBe(12); // 6 per snapshot, empty ones included
  });

  it('getActiveAccounts returns every account once, in accountId order, whatever the bucket count', async () => {
    for (const buckets of [1, 3, 6]) {
      const store = await chunkedSite(buckets);
      expect((await getActiveAccounts(store, SITE)).map((a) => a.accountId)).toEqual(ids);
    }
  });

  it('getActiveAccount finds an account in any bucket, and nothing of another snapshot', async () => {
    const store = await chunkedSite(6);
    for (const id of ids) expect((await getActiveAccount(store, SITE, id))?.accountId).toBe(id);
    expect(await getActiveAccount(store, SITE, 'zzz-not-active')).toBeUndefined();
    expect(await getActiveAccount(store, SITE, 'missing')).toBeUndefined();
  });

  it('lookupAccounts scans every chunk: id first, then email, then names', async () => {
    const store = await chunkedSite(6);
    const email = ids[40 - 1 - 11] as string;
    const named = ids[40 - 1 - 7] as string;
    expect((await lookupAccounts(store, SITE, 'zoe.k@acme.com')).map((a) => a.accountId)).toEqual([email]);
    expect((await lookupAccounts(store, SITE, 'zoe')).map((a) => a.accountId)).toEqual([named]);
    // A query that is an id and part of other accounts' names: the id's account comes first.
    const byId = await lookupAccounts(store, SITE, ids[5] as string);
    expect(byId.map((a) => a.accountId)).toEqual([ids[5]]);
    const many = await lookupAccounts(store, SITE, 'User 557058:003');
    expect(many.map((a) => a.accountId)).toEqual(ids.slice(30, 40));
  });

  it('lookupAccounts puts the exact id and email hits before name hits that sort earlier', async () => {
    const store = await freshStore();
    await putConnection(store, connection(SITE, { activeSnapshotId: 's' }));
    await writeSnapshot(store, 's', [
      account(SITE, 'aaa', { displayName: 'Ops zeta@acme.com' }),
      account(SITE, 'mmm', { email: 'zeta@acme.com' }),
      account(SITE, 'zeta@acme.com', { displayName: 'Odd id' }),
    ], 3);
    expect((await lookupAccounts(store, SITE, 'zeta@acme.com')).map((a) => a.accountId)).toEqual(['zeta@acme.com', 'mmm', 'aaa']);
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
