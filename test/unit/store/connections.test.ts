import { describe, expect, it } from 'vitest';
import {
  deleteConnection,
  getConnection,
  listConnections,
  putConnection,
  updateConnection,
} from '../../../lib/store/connections';
import { deleteCredentials, getCredentials, putCredentials } from '../../../lib/store/credentials';
import { listGroups, replaceGroups } from '../../../lib/store/groups';
import { clearMark, getMark, listMarks, setMark } from '../../../lib/store/marks';
import { getSettings, putSettings } from '../../../lib/store/settings';
import { connection, freshStore } from './helpers';

const A = 'https://a.atlassian.net';
const B = 'https://b.atlassian.net';

describe('connections', () => {
  it('puts, gets, lists by site and deletes', async () => {
    const store = await freshStore();
    await putConnection(store, connection(B));
    await putConnection(store, connection(A, { selectedGroupIds: ['g1'] }));
    expect((await getConnection(store, A))?.selectedGroupIds).toEqual(['g1']);
    expect((await listConnections(store)).map((c) => c.site)).toEqual([A, B]);
    await deleteConnection(store, A);
    expect(await getConnection(store, A)).toBeUndefined();
    expect((await listConnections(store)).map((c) => c.site)).toEqual([B]);
  });

  it('updateConnection changes the stored record and ignores unknown sites', async () => {
    const store = await freshStore();
    await putConnection(store, connection(A));
    const updated = await updateConnection(store, A, (c) => ({ ...c, syncIntervalHours: 6 }));
    expect(updated?.syncIntervalHours).toBe(6);
    expect((await getConnection(store, A))?.syncIntervalHours).toBe(6);
    expect(await updateConnection(store, B, (c) => c)).toBeUndefined();
    expect(await getConnection(store, B)).toBeUndefined();
  });
});

describe('credentials', () => {
  it('stores oauth and api-token credentials per site', async () => {
    const store = await freshStore();
    await putCredentials(store, {
      site: A,
      kind: 'oauth',
      clientId: 'id',
      clientSecret: 'secret',
      tokens: { accessToken: 'at', refreshToken: null, expiresAt: 1, scope: ['read:me'] },
    });
    await putCredentials(store, { site: B, kind: 'apiToken', email: 'x@example.com', apiToken: 'tok' });
    expect((await getCredentials(store, A))?.kind).toBe('oauth');
    expect(await getCredentials(store, B)).toEqual({ site: B, kind: 'apiToken', email: 'x@example.com', apiToken: 'tok' });
    await deleteCredentials(store, A);
    expect(await getCredentials(store, A)).toBeUndefined();
  });
});

describe('groups', () => {
  it('replaces all groups of one site, leaves other sites alone, lists sorted by name', async () => {
    const store = await freshStore();
    await replaceGroups(store, A, [{ id: '1', name: 'zeta' }, { id: '2', name: 'alpha' }]);
    await replaceGroups(store, B, [{ id: '9', name: 'b-group' }]);
    await replaceGroups(store, A, [{ id: '3', name: 'gamma' }, { id: '2', name: 'alpha-renamed' }]);
    expect(await listGroups(store, A)).toEqual([{ id: '2', name: 'alpha-renamed' }, { id: '3', name: 'gamma' }]);
    expect(await listGroups(store, B)).toEqual([{ id: '9', name: 'b-group' }]);
    await replaceGroups(store, A, []);
    expect(await listGroups(store, A)).toEqual([]);
  });
});

describe('marks', () => {
  it('sets, replaces, clears and lists marks per site', async () => {
    const store = await freshStore();
    await setMark(store, { site: A, accountId: 'u1', mark: { kind: 'service', reason: 'CI bot', at: 't1' } });
    await setMark(store, { site: A, accountId: 'u1', mark: { kind: 'link', personId: 'email:x@y.z', at: 't2' } });
    await setMark(store, { site: A, accountId: 'u2', mark: { kind: 'external', reason: 'vendor', at: 't3' } });
    await setMark(store, { site: B, accountId: 'u1', mark: { kind: 'external', reason: 'other', at: 't4' } });
    expect((await getMark(store, A, 'u1'))?.mark).toEqual({ kind: 'link', personId: 'email:x@y.z', at: 't2' });
    expect((await listMarks(store, A)).map((m) => m.accountId).sort()).toEqual(['u1', 'u2']);
    await clearMark(store, A, 'u1');
    expect(await getMark(store, A, 'u1')).toBeUndefined();
    expect((await listMarks(store, A)).map((m) => m.accountId)).toEqual(['u2']);
    expect(await listMarks(store, B)).toHaveLength(1);
  });
});

describe('settings', () => {
  it('defaults to a 3-day grace period and stores changes', async () => {
    const store = await freshStore();
    expect(await getSettings(store)).toEqual({ graceDays: 3, dormantDays: 90 });
    await putSettings(store, { graceDays: 10, dormantDays: 90 });
    expect(await getSettings(store)).toEqual({ graceDays: 10, dormantDays: 90 });
  });
});
