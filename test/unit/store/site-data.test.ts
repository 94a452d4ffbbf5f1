import { describe, expect, it } from 'vitest';
import { getActiveAccounts } from '../../../lib/store/accounts';
import { getConnection, putConnection } from '../../../lib/store/connections';
import { getCredentials, putCredentials } from '../../../lib/store/credentials';
import { listGroups, replaceGroups } from '../../../lib/store/groups';
import { listMarks, setMark } from '../../../lib/store/marks';
import { getRoster, replaceRoster } from '../../../lib/store/roster';
import { listRuns } from '../../../lib/store/runs';
import type { PackedMember, StoredSyncRun } from '../../../lib/store/schema';
import { deleteSiteData } from '../../../lib/store/site-data';
import { listSnapshotIds } from '../../../lib/store/snapshots';
import { account, connection, freshStore, writeSnapshot } from './helpers';

const A = 'https://a.atlassian.net';
const B = 'https://b.atlassian.net';

function run(id: string, site: string, startedAt: string, status: StoredSyncRun['status'] = 'succeeded'): StoredSyncRun {
  return {
    id, site, startedAt, endedAt: null, status, trigger: 'manual', error: null,
    groups: [], accounts: 0, requests: 0, notes: [], checkpoint: null,
  };
}

async function seedSite(store: Awaited<ReturnType<typeof freshStore>>, site: string, prefix: string) {
  await putConnection(store, connection(site, { activeSnapshotId: `${prefix}-run2` }));
  await putCredentials(store, { site, kind: 'apiToken', email: 'a@b.c', apiToken: 't' });
  await replaceGroups(store, site, [{ id: 'g1', name: 'confluence-users' }]);
  await store.db.put('syncRuns', run(`${prefix}-run1`, site, '2026-01-01T00:00:00.000Z', 'failed'));
  await store.db.put('syncRuns', run(`${prefix}-run2`, site, '2026-01-02T00:00:00.000Z'));
  await writeSnapshot(store, `${prefix}-run1`, [account(site, 'left-over')]);
  await writeSnapshot(store, `${prefix}-run2`, [account(site, 'u1'), account(site, 'u2')]);
  // What a sync of run1 collected: a page and a fragment.
  const staged: PackedMember = ['staged', 'atlassian', null, 'S', null, null, null, null];
  const group = { id: 'g1', name: 'confluence-users' };
  await store.db.put('pages', { snapshotId: `${prefix}-run1`, groupId: group.id, groupName: group.name, start: 0, members: [staged], operations: [] });
  await store.db.put('fragments', { snapshotId: `${prefix}-run1`, bucket: 0, batch: 0, members: [[staged, group]], operations: [] });
  await setMark(store, { site, accountId: 'u1', mark: { kind: 'service', reason: 'bot', at: 't' } });
}

describe('deleteSiteData', () => {
  it('removes the connection, credentials, groups, snapshots, pages, fragments, runs and marks of one site only', async () => {
    const store = await freshStore();
    await seedSite(store, A, 'a');
    await seedSite(store, B, 'b');
    await replaceRoster(store, [], { fileName: 'hr.csv', importedAt: 'now', people: 0 });

    await deleteSiteData(store, A);

    expect(await getConnection(store, A)).toBeUndefined();
    expect(await getCredentials(store, A)).toBeUndefined();
    expect(await listGroups(store, A)).toEqual([]);
    expect(await listRuns(store, A)).toEqual([]);
    expect(await listMarks(store, A)).toEqual([]);
    expect((await listSnapshotIds(store)).sort()).toEqual(['b-run1', 'b-run2']);
    expect((await store.db.getAll('pages')).map((p) => p.snapshotId)).toEqual(['b-run1']);
    expect((await store.db.getAll('fragments')).map((f) => f.snapshotId)).toEqual(['b-run1']);

    expect((await getActiveAccounts(store, B)).map((a) => a.accountId)).toEqual(['u1', 'u2']);
    expect(await getCredentials(store, B)).toBeDefined();
    expect(await listMarks(store, B)).toHaveLength(1);
    expect((await getRoster(store)).meta?.fileName).toBe('hr.csv');
  });
});

describe('listRuns', () => {
  it('lists a site\'s runs newest first, at most `limit`', async () => {
    const store = await freshStore();
    await store.db.put('syncRuns', run('r2', A, '2026-01-02T00:00:00.000Z'));
    await store.db.put('syncRuns', run('r3', A, '2026-01-03T00:00:00.000Z'));
    await store.db.put('syncRuns', run('r1', A, '2026-01-01T00:00:00.000Z'));
    await store.db.put('syncRuns', run('x', B, '2026-01-09T00:00:00.000Z'));
    expect((await listRuns(store, A)).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect((await listRuns(store, A, 2)).map((r) => r.id)).toEqual(['r3', 'r2']);
  });
});
