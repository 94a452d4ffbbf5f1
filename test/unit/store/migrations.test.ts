/**
 * Upgrading a database that earlier versions of the extension created and filled. Each version
 * change adds a case here: create the older database exactly as that version did (frozen below,
 * not derived from today's STORES), fill it, open it with today's code, check nothing was lost.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { getActiveAccounts } from '../../../lib/store/accounts';
import { getConnection } from '../../../lib/store/connections';
import { getCredentials } from '../../../lib/store/credentials';
import { listGroups } from '../../../lib/store/groups';
import { listMarks } from '../../../lib/store/marks';
import { DB_VERSION, openStore } from '../../../lib/store/open';
import { getRoster } from '../../../lib/store/roster';
import { listRuns } from '../../../lib/store/runs';
import { STORE_NAMES, STORES } from '../../../lib/store/schema';
import { getSettings } from '../../../lib/store/settings';
import { deleteSiteData } from '../../../lib/store/site-data';
import { listReviewSummaries, putReviewSummary } from '../../../lib/store/summaries';
import { emptyCounts } from '../../../lib/review/filters';
import { account, connection } from './helpers';
import { getAuditHead, readAuditChain } from '../../../lib/store/audit';
import { listCampaigns, readCampaignRows, readDecisions, writeCampaign } from '../../../lib/store/campaigns';
import { getCadence } from '../../../lib/store/settings';
import { buildReview } from '../../../lib/review/build-review';
import { nextEntry } from '../../../lib/audit/chain';
import { appendAuditEntry } from '../../../lib/store/audit';
import type { CampaignRecord } from '../../../lib/campaign/types';

const SITE = 'https://acme.atlassian.net';

/** Version 1 as it shipped (lib/store/open.ts at commit 869cb47…ddbcdd6). */
function createVersion1(db: IDBPDatabase): void {
  db.createObjectStore('connections', { keyPath: 'site' });
  db.createObjectStore('credentials', { keyPath: 'site' });
  db.createObjectStore('groups', { keyPath: ['site', 'id'] }).createIndex('site', 'site');
  db.createObjectStore('accounts', { keyPath: ['snapshotId', 'bucket'] });
  db.createObjectStore('pages', { keyPath: ['snapshotId', 'groupId', 'start'] });
  db.createObjectStore('fragments', { keyPath: ['snapshotId', 'bucket', 'batch'] });
  const runs = db.createObjectStore('syncRuns', { keyPath: 'id' });
  runs.createIndex('site', 'site');
  runs.createIndex('siteStartedAt', ['site', 'startedAt']);
  db.createObjectStore('people', { keyPath: 'chunk' });
  db.createObjectStore('marks', { keyPath: ['site', 'accountId'] }).createIndex('site', 'site');
  db.createObjectStore('meta', { keyPath: 'key' });
}

async function fillVersion1(name: string): Promise<void> {
  const db = await openDB(name, 1, { upgrade: (d) => createVersion1(d) });
  const tx = db.transaction([...db.objectStoreNames], 'readwrite');
  await Promise.all([
    tx.objectStore('connections').put(connection(SITE, { activeSnapshotId: 'run-1', lastSyncedAt: '2026-11-01T00:00:00.000Z' })),
    tx.objectStore('credentials').put({ site: SITE, kind: 'apiToken', email: 'it-admin@acme.test', apiToken: 'secret' }),
    tx.objectStore('groups').put({ site: SITE, id: 'g1', name: 'confluence-users' }),
    tx.objectStore('accounts').put({ snapshotId: 'run-1', bucket: 0, buckets: 1, accounts: [{ ...account(SITE, 'u1'), snapshotId: 'run-1', emailLower: null }] }),
    tx.objectStore('syncRuns').put({
      id: 'run-1', site: SITE, startedAt: '2026-11-01T00:00:00.000Z', endedAt: '2026-11-01T00:01:00.000Z', status: 'succeeded',
      trigger: 'manual', error: null, notes: [], groups: [], accounts: 1, requests: 3, checkpoint: null,
    }),
    tx.objectStore('people').put({ chunk: 0, people: [{ id: 'email:u1@acme.test', name: 'User One', workEmail: 'u1@acme.test', altEmails: [], status: 'Active', statusTerminated: false, endDate: null, startDate: null, employeeType: null, department: null, manager: null, row: 2 }] }),
    tx.objectStore('marks').put({ site: SITE, accountId: 'u1', mark: { kind: 'service', reason: 'bot', at: '2026-11-02T00:00:00.000Z' } }),
    tx.objectStore('meta').put({ key: 'settings', value: { graceDays: 9, dormantDays: 90 } }),
    tx.objectStore('meta').put({ key: 'roster', value: { fileName: 'hr.csv', importedAt: '2026-11-01T00:00:00.000Z', people: 1 } }),
    tx.done,
  ]);
  db.close();
}

describe('migrations', () => {
  it('the frozen version 1 has every store today’s STORES declares since version 1', async () => {
    const name = `v1-${crypto.randomUUID()}`;
    await fillVersion1(name);
    const db = await openDB(name, 1);
    expect([...db.objectStoreNames].sort()).toEqual(STORE_NAMES.filter((n) => STORES[n].since === 1).sort());
    db.close();
  });

  it('1 → current: adds the later stores and keeps every record of version 1', async () => {
    const name = `v1-${crypto.randomUUID()}`;
    await fillVersion1(name);
    const store = await openStore(name);
    expect(store.db.version).toBe(DB_VERSION);
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBe('run-1');
    expect((await getCredentials(store, SITE))?.kind).toBe('apiToken');
    expect(await listGroups(store, SITE)).toEqual([{ id: 'g1', name: 'confluence-users' }]);
    expect((await getActiveAccounts(store, SITE)).map((a) => a.accountId)).toEqual(['u1']);
    expect((await listRuns(store, SITE)).map((r) => r.id)).toEqual(['run-1']);
    expect((await getRoster(store)).people.map((p) => p.name)).toEqual(['User One']);
    expect((await listMarks(store, SITE)).map((m) => m.mark.kind)).toEqual(['service']);
    expect(await getSettings(store)).toEqual({ graceDays: 9, dormantDays: 90 });

    // The new store works, and is one of the site's stores when the site is deleted.
    expect(await listReviewSummaries(store)).toEqual(new Map());
    await putReviewSummary(store, { site: SITE, snapshotId: 'run-1', rosterKey: 'r', contextKey: 'c', counts: emptyCounts() });
    expect((await listReviewSummaries(store)).get(SITE)?.snapshotId).toBe('run-1');
    await deleteSiteData(store, SITE);
    expect(await listReviewSummaries(store)).toEqual(new Map());
    expect((await getRoster(store)).people).toHaveLength(1);
    store.close();
  });
});

/** Version 2 as it shipped: version 1 plus the stored review counts. */
function createVersion2(db: IDBPDatabase, oldVersion: number): void {
  if (oldVersion < 1) createVersion1(db);
  db.createObjectStore('reviewSummaries', { keyPath: 'site' });
}

describe('2 → current', () => {
  it('adds the activity stores (user exports, organisation activity and runs, the org key) and keeps version 2', async () => {
    const name = `v2-${crypto.randomUUID()}`;
    const v2 = await openDB(name, 2, { upgrade: (d, old) => createVersion2(d, old) });
    expect(STORE_NAMES.filter((n) => STORES[n].since <= 2).sort()).toEqual([...v2.objectStoreNames].sort());
    await v2.put('connections', connection(SITE, { activeSnapshotId: 'run-1' }));
    await v2.put('reviewSummaries', { site: SITE, snapshotId: 'run-1', rosterKey: 'r', contextKey: 'c', counts: emptyCounts() });
    await v2.put('meta', { key: 'settings', value: { graceDays: 4 } });
    v2.close();

    const store = await openStore(name);
    expect(store.db.version).toBe(DB_VERSION);
    expect((await listReviewSummaries(store)).get(SITE)?.snapshotId).toBe('run-1');
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBe('run-1');
    // Settings saved before "Dormant after (days)" existed get its default.
    expect(await getSettings(store)).toEqual({ graceDays: 4, dormantDays: 90 });
    for (const name of ['userExports', 'orgActivity', 'activityRuns', 'orgKeys'] as const) {
      expect(await store.db.count(name)).toBe(0);
    }
    await store.db.put('orgKeys', { orgId: 'o', apiKey: 'k', savedAt: 'now' });
    // The organisation key is not a site's: deleting the site keeps it.
    await deleteSiteData(store, SITE);
    expect(await store.db.count('orgKeys')).toBe(1);
    store.close();
  });
});

/**
 * Version 3 as it shipped (lib/store/schema.ts at commit ba88719): version 2 plus the activity
 * stores, filled as version 1 and 2 were.
 */
async function fillVersion3(name: string): Promise<void> {
  await fillVersion1(name);
  const db = await openDB(name, 3, {
    upgrade: (d) => {
      d.createObjectStore('reviewSummaries', { keyPath: 'site' });
      d.createObjectStore('userExports', { keyPath: ['site', 'chunk'] }).createIndex('site', 'site');
      d.createObjectStore('orgActivity', { keyPath: ['site', 'accountId'] }).createIndex('site', 'site');
      d.createObjectStore('activityRuns', { keyPath: 'site' });
      d.createObjectStore('orgKeys', { keyPath: 'orgId' });
    },
  });
  await db.put('reviewSummaries', { site: SITE, snapshotId: 'run-1', rosterKey: 'r', contextKey: 'c', counts: emptyCounts() });
  await db.put('orgKeys', { orgId: 'o', apiKey: 'k', savedAt: '2026-11-02T00:00:00.000Z' });
  db.close();
}

function campaignRecord(): CampaignRecord {
  return {
    id: 'review-1', site: SITE, siteName: 'acme', cloudId: null, status: 'open', startedAt: '2026-11-03T00:00:00.000Z', completedAt: null,
    reviewer: { name: 'Avery Admin', accountId: 'admin-1' }, sync: { runId: 'run-1', syncedAt: '2026-11-01T00:01:00.000Z' },
    frozenAt: '2026-11-03T00:00:00.000Z', groups: [{ id: 'g1', name: 'confluence-users' }], roster: null, graceDays: 9, today: '2026-11-03',
    accounts: 1, inReview: 1, rowChunks: 1, decisionBuckets: 1, refreshes: [], diff: null, signOff: null, seal: null, remediation: [], extensionVersion: 'test',
  };
}

describe('migrations 3 → 4', () => {
  it('the current version is 4', () => {
    expect(DB_VERSION).toBe(4);
  });

  it('adds the access review and audit log stores and keeps every record of version 3', async () => {
    const name = `v3-${crypto.randomUUID()}`;
    await fillVersion3(name);
    const store = await openStore(name);
    expect(store.db.version).toBe(4);
    expect(await store.db.count('orgKeys')).toBe(1);
    expect([...store.db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBe('run-1');
    expect((await getCredentials(store, SITE))?.kind).toBe('apiToken');
    expect((await getActiveAccounts(store, SITE)).map((a) => a.accountId)).toEqual(['u1']);
    expect((await listMarks(store, SITE)).map((m) => m.mark.kind)).toEqual(['service']);
    expect(await getSettings(store)).toEqual({ graceDays: 9, dormantDays: 90 });
    expect((await listReviewSummaries(store)).get(SITE)?.snapshotId).toBe('run-1');
    // The cadence was never saved: defaults.
    expect(await getCadence(store)).toEqual({ reviewEveryDays: 90, remediationDueDays: 14 });

    // The new stores work…
    const rows = buildReview({ accounts: [account(SITE, 'u1')], people: [], marks: new Map(), settings: { graceDays: 9, dormantDays: 90 }, today: '2026-11-03' });
    await writeCampaign(store, campaignRecord(), rows, [
      { accountId: 'u1', decision: 'keep', note: '', removeFromGroups: [], decidedBy: { name: 'Avery Admin', accountId: 'admin-1' }, decidedAt: '2026-11-03T00:00:00.000Z' },
    ]);
    expect((await listCampaigns(store, SITE)).map((c) => c.id)).toEqual(['review-1']);
    expect((await readCampaignRows(store, 'review-1')).map((r) => r.account.accountId)).toEqual(['u1']);
    expect((await readDecisions(store, 'review-1')).map((d) => d.decision)).toEqual(['keep']);
    const entry = await nextEntry(null, { chain: SITE, at: '2026-11-03T00:00:00.000Z', actor: { name: 'Avery Admin', accountId: null }, kind: 'review_start', details: {} });
    expect(await appendAuditEntry(store, entry, null)).toBe(true);

    // …the reviews are the site's data; the audit log outlives it.
    await deleteSiteData(store, SITE);
    expect(await listCampaigns(store, SITE)).toEqual([]);
    expect(await readCampaignRows(store, 'review-1')).toEqual([]);
    expect(await readDecisions(store, 'review-1')).toEqual([]);
    expect((await readAuditChain(store, SITE)).map((e) => e.kind)).toEqual(['review_start']);
    expect((await getAuditHead(store, SITE))?.seq).toBe(1);
    store.close();
  });
});
