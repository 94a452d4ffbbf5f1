import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStore } from '../../../lib/store/open';

describe('openStore', () => {
  it('creates every object store and index of the current version', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const store = await openStore(name);
    expect(DB_VERSION).toBe(4);
    expect([...store.db.objectStoreNames].sort()).toEqual(
      [
        'accounts', 'activityRuns', 'auditHeads', 'auditLog', 'campaignDecisions', 'campaignRows', 'campaigns', 'connections',
        'credentials', 'fragments', 'groups', 'marks', 'meta', 'orgActivity', 'orgKeys', 'pages', 'people', 'reviewSummaries',
        'syncRuns', 'userExports',
      ],
    );
    const reviews = store.db.transaction(['campaigns', 'campaignRows', 'campaignDecisions', 'auditLog', 'auditHeads']);
    expect([...reviews.objectStore('campaigns').indexNames]).toEqual(['site']);
    expect(reviews.objectStore('campaignRows').keyPath).toEqual(['campaignId', 'chunk']);
    expect(reviews.objectStore('campaignDecisions').keyPath).toEqual(['campaignId', 'bucket']);
    expect(reviews.objectStore('auditLog').keyPath).toEqual(['chain', 'seq']);
    expect(reviews.objectStore('auditHeads').keyPath).toBe('chain');
    const tx = store.db.transaction(['accounts', 'pages', 'fragments', 'syncRuns', 'groups', 'marks']);
    // Snapshots are stored in chunks keyed by bucket; no per-account index.
    expect(tx.objectStore('accounts').keyPath).toEqual(['snapshotId', 'bucket']);
    expect([...tx.objectStore('accounts').indexNames]).toEqual([]);
    expect(tx.objectStore('pages').keyPath).toEqual(['snapshotId', 'groupId', 'start']);
    expect(tx.objectStore('fragments').keyPath).toEqual(['snapshotId', 'bucket', 'batch']);
    expect([...tx.objectStore('syncRuns').indexNames].sort()).toEqual(['site', 'siteStartedAt']);
    expect([...tx.objectStore('groups').indexNames]).toEqual(['site']);
    expect([...tx.objectStore('marks').indexNames]).toEqual(['site']);
    store.close();
  });

  it('reopens an existing database with its data intact', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = await openStore(name);
    await first.db.put('meta', { key: 'settings', value: { graceDays: 9, dormantDays: 90 } });
    first.close();
    const second = await openStore(name);
    expect(await second.db.get('meta', 'settings')).toEqual({ key: 'settings', value: { graceDays: 9, dormantDays: 90 } });
    second.close();
  });
});
