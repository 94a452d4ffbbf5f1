/**
 * The partition: member pages (by group) regrouped into fragments (by account bucket), during
 * the members phase when the groups report their sizes, and after it otherwise. Whatever the
 * bucket count and wherever the worker dies, every membership is partitioned exactly once and
 * the snapshot is the same.
 */
import { describe, expect, it, vi } from 'vitest';
import type { GroupRef } from '../../../lib/model';
import { bucketOf } from '../../../lib/store/buckets';
import type { Store } from '../../../lib/store/schema';
import { getRun } from '../../../lib/store/runs';
import { findResumableRun } from '../../../lib/sync/gc';
import { MemberUnpacker } from '../../../lib/sync/member-codec';
import { FRAGMENT_MEMBERSHIPS, writerBatchPages } from '../../../lib/sync/member-writer';
import { bucketCount, PARTITION_MEMBERSHIPS, pagesPerBatch, splitByBucket } from '../../../lib/sync/partition';
import { activeAccounts, connectedStore, pageRecord, SITE, settle, sync, workRecords } from './engine-helpers';
import { type ApiCall, FakeConfluenceApi, type FakeData, type Interceptor, member, members, SizedFakeApi } from './fake-api';

const GROUPS: GroupRef[] = [
  { id: 'g1', name: 'confluence-users' },
  { id: 'g2', name: 'confluence-admins' },
  { id: 'g3', name: 'site-admins' },
];
/** 1,000 memberships (600 + 100 + 300) of 750 accounts: 250 are in two groups. */
const MEMBERSHIPS = 1000;

function orgData(): FakeData {
  const shared = members('shared', 250);
  return {
    members: {
      g1: [...members('u', 350), ...shared],
      g2: [...members('adm', 50), ...shared.slice(0, 50)],
      g3: [...members('site', 100), ...shared.slice(50)],
    },
    bulk: { 'shared-0001': { accountStatus: 'inactive' } },
  };
}

describe('bucket sizing', () => {
  it('aims at PARTITION_MEMBERSHIPS memberships per bucket, at least one bucket', () => {
    expect(PARTITION_MEMBERSHIPS).toBe(4000);
    expect(bucketCount(0)).toBe(1);
    expect(bucketCount(4000)).toBe(1);
    expect(bucketCount(4001)).toBe(2);
    expect(bucketCount(65_000)).toBe(17);
    expect(bucketCount(1000, 150)).toBe(7);
    expect(pagesPerBatch()).toBe(20);
    expect(pagesPerBatch(150)).toBe(1);
  });

  it('during the members phase, grows batches with the bucket count so fragments keep about FRAGMENT_MEMBERSHIPS memberships', () => {
    expect(FRAGMENT_MEMBERSHIPS).toBe(100);
    // 20,000 accounts in 100 groups: ~66,000 memberships, 17 buckets — the minimum batch.
    expect(writerBatchPages(pagesPerBatch(), bucketCount(66_000), 200)).toBe(20);
    // 100,000 accounts in 200 groups: ~330,000 memberships, 83 buckets — 42 pages, ~100 per fragment.
    expect(writerBatchPages(pagesPerBatch(), bucketCount(330_000), 200)).toBe(42);
  });
});

describe('splitByBucket', () => {
  it('puts every membership with an account id in its bucket once, in page order, with its group', () => {
    const g1 = GROUPS[0] as GroupRef;
    const g2 = GROUPS[1] as GroupRef;
    const pages = [
      pageRecord('s', g1, 0, [...members('a', 30), member('', { publicName: 'no id' })]),
      pageRecord('s', g2, 0, [member('a-0003', { operations: null }), ...members('b', 10)]),
    ];
    const parts = splitByBucket(pages, 3);
    const unpacker = new MemberUnpacker();
    const seen: string[] = [];
    for (const [bucket, part] of parts) {
      const entries = part.members.map(([m, group]) => ({ member: unpacker.unpack(m, part.operations.lists), group }));
      for (const { member: m, group } of entries) {
        expect(bucketOf(m.accountId, 3)).toBe(bucket);
        seen.push(`${m.accountId}@${group.id}`);
      }
      // Page order within the bucket: group g1's page comes first.
      const groups = entries.map((e) => e.group.id);
      expect(groups).toEqual([...groups].sort());
    }
    expect(seen.sort()).toEqual([...members('a', 30).map((m) => `${m.accountId}@g1`), 'a-0003@g2', ...members('b', 10).map((m) => `${m.accountId}@g2`)].sort());
    // What the member said survives the split, per membership.
    const a3 = [...parts.values()].flatMap((p) => p.members.map(([m, g]) => ({ m: unpacker.unpack(m, p.operations.lists), g })))
      .filter((e) => e.m.accountId === 'a-0003');
    expect(a3.map((e) => [e.g.id, e.m.operations])).toEqual([['g1', member('x').operations], ['g2', null]]);
  });
});

/**
 * Runs (or resumes, with `runId`) a sync whose worker dies at the first call `dies` accepts, and
 * returns once what it could commit is committed.
 */
async function killed(
  store: Store,
  makeApi: (intercept: Interceptor) => FakeConfluenceApi,
  dies: (call: ApiCall) => boolean,
  runId?: string,
): Promise<void> {
  let dead = false;
  const api = makeApi((call) => {
    if (dead || dies(call)) {
      dead = true;
      return 'hang';
    }
    return undefined;
  });
  void sync(store, api, GROUPS, { partitionMemberships: 150, runId });
  await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
  await settle();
}

const sized = (intercept: Interceptor) => new SizedFakeApi(orgData(), intercept);
const unsized = (intercept: Interceptor) => new FakeConfluenceApi(orgData(), intercept);
/** g1's last page: by then every group's first page is in, so the sizes are known. */
const atG1LastPage = (call: ApiCall) => call.method === 'groupMembers' && call.groupId === 'g1' && call.start === 400;

/** `accountId@groupId` of every membership stored in pages and fragments. */
async function storedMemberships(store: Store): Promise<string[]> {
  const pages = await store.db.getAll('pages');
  const fragments = await store.db.getAll('fragments');
  return [
    ...pages.flatMap((p) => p.members.map((m) => `${m[0]}@${p.groupId}`)),
    ...fragments.flatMap((f) => f.members.map(([m, g]) => `${m[0]}@${g.id}`)),
  ];
}

describe('partition during and after the members phase', () => {
  it('gives the same snapshot whatever the bucket count', async () => {
    const one = await connectedStore();
    const runOne = await sync(one, new FakeConfluenceApi(orgData()), GROUPS);
    const seven = await connectedStore();
    const runSeven = await sync(seven, new SizedFakeApi(orgData()), GROUPS, { partitionMemberships: 150 });
    expect(await one.db.count('accounts')).toBe(1);
    expect(await seven.db.count('accounts')).toBe(bucketCount(MEMBERSHIPS, 150));
    expect(runSeven.accounts).toBe(750);
    expect(runSeven.accounts).toBe(runOne.accounts);
    expect(await activeAccounts(seven)).toEqual(await activeAccounts(one));
    expect(await workRecords(seven)).toBe(0);
  });

  it('with group sizes reported, splits pages while members are still being fetched', async () => {
    const store = await connectedStore();
    await killed(store, sized, atG1LastPage);
    const run = await findResumableRun(store, SITE);
    expect(run?.checkpoint).toMatchObject({ phase: 'members', buckets: bucketCount(MEMBERSHIPS, 150) });
    expect(run?.checkpoint?.nextBatch).toBeGreaterThan(0);
    expect(await store.db.count('fragments')).toBeGreaterThan(0);
    // Every committed membership is in a page or in a fragment, never in both.
    const stored = await storedMemberships(store);
    expect(stored).toHaveLength(run?.groups.reduce((sum, g) => sum + g.members, 0) ?? -1);
    expect(new Set(stored).size).toBe(stored.length);
  });

  it('without group sizes, leaves the whole partition to after the members phase', async () => {
    const store = await connectedStore();
    await killed(store, unsized, atG1LastPage);
    const run = await findResumableRun(store, SITE);
    expect(run?.checkpoint).toMatchObject({ phase: 'members', buckets: 0, nextBatch: 0 });
    expect(await store.db.count('fragments')).toBe(0);
    expect(await store.db.count('pages')).toBeGreaterThan(0);
  });

  it('a worker killed mid-members resumes with the pages it split and those it did not, each exactly once', async () => {
    const referenceStore = await connectedStore();
    const reference = await sync(referenceStore, new SizedFakeApi(orgData()), GROUPS, { partitionMemberships: 150 });
    const store = await connectedStore();
    await killed(store, sized, atG1LastPage);
    const run = await findResumableRun(store, SITE);
    if (!run) throw new Error('expected a resumable run');
    expect(run.checkpoint?.nextBatch).toBeGreaterThan(0);

    // Second life: the members phase and the partition finish; it dies at its first users-bulk call.
    await killed(store, sized, (call) => call.method === 'usersBulk', run.id);
    expect((await getRun(store, run.id))?.checkpoint).toMatchObject({ phase: 'accounts', nextBucket: 0 });
    expect(await store.db.count('pages')).toBe(0);
    const stored = await storedMemberships(store);
    expect(stored).toHaveLength(MEMBERSHIPS);
    expect(new Set(stored).size).toBe(MEMBERSHIPS);

    // Third life: to the end.
    const resumed = await sync(store, new SizedFakeApi(orgData()), GROUPS, { runId: run.id });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.accounts).toBe(reference.accounts);
    expect(resumed.groups).toEqual(reference.groups);
    expect(await activeAccounts(store)).toEqual(await activeAccounts(referenceStore));
    expect(await workRecords(store)).toBe(0);
  });
});

/**
 * Batches of several pages (issue 12): the members phase's writer keeps the pages it committed
 * and splits them once a batch is complete, in the transaction that deletes them; a page that
 * completes a batch is never stored as a page. Wherever the worker dies, every membership is in
 * a page or a fragment exactly once, and the resumed run ends with the same snapshot.
 */
describe('partition in batches of several pages', () => {
  const big = (): FakeData => {
    const shared = members('shared', 300);
    return {
      members: {
        g1: [...members('u', 1100), ...shared], // 1400 → 7 pages
        g2: [...members('adm', 100), ...shared.slice(0, 200)], // 300 → 2 pages
        g3: [...members('site', 200), ...shared.slice(100)], // 400 → 2 pages
      },
      bulk: { 'shared-0001': { accountStatus: 'inactive' } },
    };
  };
  const BIG_MEMBERSHIPS = 2100;
  /** 3 pages per batch, 4 buckets. */
  const PER_BUCKET = 600;

  it('uses batches of several pages', () => {
    expect(pagesPerBatch(PER_BUCKET)).toBe(3);
    expect(bucketCount(BIG_MEMBERSHIPS, PER_BUCKET)).toBe(4);
  });

  it.each([
    ['g1 at 600', (c: ApiCall) => c.method === 'groupMembers' && c.groupId === 'g1' && c.start === 600],
    ['g1 at 1200', (c: ApiCall) => c.method === 'groupMembers' && c.groupId === 'g1' && c.start === 1200],
    ['g3 at 200', (c: ApiCall) => c.method === 'groupMembers' && c.groupId === 'g3' && c.start === 200],
  ])('a worker killed mid-members (%s) resumes with every membership exactly once and the same snapshot', async (_name, dies) => {
    const referenceStore = await connectedStore();
    const reference = await sync(referenceStore, new FakeConfluenceApi(big()), GROUPS);

    const store = await connectedStore();
    let dead = false;
    const first = new SizedFakeApi(big(), (call) => {
      if (dead || dies(call)) {
        dead = true;
        return 'hang';
      }
      return undefined;
    });
    void sync(store, first, GROUPS, { partitionMemberships: PER_BUCKET, concurrency: 2 });
    await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
    await settle();
    const run = await findResumableRun(store, SITE);
    if (!run) throw new Error('expected a resumable run');
    expect(run.checkpoint).toMatchObject({ phase: 'members', buckets: 4 });
    const stored = await storedMemberships(store);
    expect(stored).toHaveLength(run.groups.reduce((sum, g) => sum + g.members, 0));
    expect(new Set(stored).size).toBe(stored.length);
    expect(await store.db.count('fragments')).toBeGreaterThan(0);

    const resumed = await sync(store, new SizedFakeApi(big()), GROUPS, { runId: run.id, concurrency: 2 });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.accounts).toBe(reference.accounts);
    expect(resumed.groups).toEqual(reference.groups);
    expect(await activeAccounts(store)).toEqual(await activeAccounts(referenceStore));
    expect(await workRecords(store)).toBe(0);
  });

  it('a whole sync stores fewer pages than it fetches: a page that completes a batch goes straight to fragments', async () => {
    const store = await connectedStore();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const api = new SizedFakeApi(big());
    const run = await sync(store, api, GROUPS, { partitionMemberships: PER_BUCKET });
    const pagePuts = put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'pages').length;
    const fragmentPuts = put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'fragments').length;
    expect(run.status).toBe('succeeded');
    expect(api.callsOf('groupMembers')).toHaveLength(11);
    expect(pagePuts).toBeGreaterThan(0);
    expect(pagePuts).toBeLessThan(11);
    expect(fragmentPuts).toBeGreaterThan(0);
    expect(await activeAccounts(store)).toHaveLength(1100 + 300 + 100 + 200);
  });
});
