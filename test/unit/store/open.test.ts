import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStore } from '../../../lib/store/open';

describe('openStore', () => {
  it('creates every object store and index of version 1', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const store = await openStore(name);
    expect(DB_VERSION).toBe(1);
    expect([...store.db.objectStoreNames].sort()).toEqual(
      ['accounts', 'connections', 'credentials', 'groups', 'marks', 'meta', 'people', 'staging', 'syncRuns'],
    );
    const tx = store.db.transaction(['accounts', 'syncRuns', 'groups', 'marks']);
    expect([...tx.objectStore('accounts').indexNames].sort()).toEqual(['snapshotEmail', 'snapshotId']);
    expect([...tx.objectStore('syncRuns').indexNames].sort()).toEqual(['site', 'siteStartedAt']);
    expect([...tx.objectStore('groups').indexNames]).toEqual(['site']);
    expect([...tx.objectStore('marks').indexNames]).toEqual(['site']);
    store.close();
  });

  it('reopens an existing database with its data intact', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = await openStore(name);
    await first.db.put('meta', { key: 'settings', value: { graceDays: 9 } });
    first.close();
    const second = await openStore(name);
    expect(await second.db.get('meta', 'settings')).toEqual({ key: 'settings', value: { graceDays: 9 } });
    second.close();
  });
});
