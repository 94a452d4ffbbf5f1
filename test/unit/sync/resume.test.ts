import { describe, expect, it, vi } from 'vitest';
import type { RawMember } from '../../../lib/atlassian/api';
import type { GroupRef } from '../../../lib/model';
import type { Store } from '../../../lib/store/schema';
import { bucketOf } from '../../../lib/store/buckets';
import { getConnection } from '../../../lib/store/connections';
import { getRun } from '../../../lib/store/runs';
import { listSnapshotIds } from '../../../lib/store/snapshots';
import { SUPERSEDED_MESSAGE } from '../../../lib/sync/engine';
import { SyncStateError } from '../../../lib/sync/errors';
import { collectGarbage, findResumableRun } from '../../../lib/sync/gc';
import { BUCKET_LOOKAHEAD } from '../../../lib/sync/accounts';
import { bucketCount } from '../../../lib/sync/partition';
import { activeAccounts, connectedStore, fragmentRecord, pageRecord, SITE, settle, sync, workRecords } from './engine-helpers';
import { type ApiCall, FakeConfluenceApi, type FakeData, member, members } from './fake-api';

const GROUPS: GroupRef[] = [
  { id: 'g1', name: 'confluence-users' },
  { id: 'g2', name: 'confluence-admins' },
  { id: 'g3', name: 'site-admins' },
];

/** Overlapping groups, hidden emails and mixed statuses, so every phase has work. */
function orgData(): FakeData {
  const shared = members('shared', 120);
  // Hidden emails at both ends of the key order, so the Jira phase spans two scan batches.
  const hidden: RawMember[] = Array.from({ length: 60 }, (_, i) => member(`hid-${i}`, { email: '' }));
  const lateHidden: RawMember[] = Array.from({ length: 60 }, (_, i) => member(`zhid-${i}`, { email: '' }));
  return {
    members: {
      g1: [...members('u', 330), ...shared, ...hidden, ...lateHidden], // 570 → 3 pages
      g2: [...members('adm', 40), ...shared.slice(0, 50)], // 90 → 1 page
      g3: [...members('site', 250), ...shared.slice(60)], // 310 → 2 pages
    },
    bulk: { 'u-0001': { accountStatus: 'closed' }, 'shared-0005': { accountStatus: 'inactive' }, 'adm-0000': { accountType: 'app' } },
    jira: { 'hid-3': { emailAddress: 'hid3@jira.example' }, 'zhid-7': { emailAddress: 'zhid7@jira.example' } },
  };
}

/** 970 memberships (570 + 90 + 310), all distinct (account, group) pairs. */
const MEMBERSHIPS = 970;
/** Small buckets, so this small organisation has several (runs and references alike). */
const PER_BUCKET = 150;
const BUCKETS = bucketCount(MEMBERSHIPS, PER_BUCKET);
const bucket = (accountId: string) => bucketOf(accountId, BUCKETS);

const pageKey = (c: Extract<ApiCall, { method: 'groupMembers' }>) => `${c.groupId}@${c.start}`;
const idsOf = (calls: { ids: string[] }[]) => calls.flatMap((c) => c.ids);

/**
 * The store as a worker that dies on its `n`-th read of member pages sees it: that read never
 * answers (nor does anything after it), like a service worker killed mid-partition.
 */
function dyingOnPagesRead(store: Store, n: number): { store: Store; dead: () => boolean } {
  let reads = 0;
  let dead = false;
  const db = new Proxy(store.db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === 'getAll') {
        return (name: string, ...rest: unknown[]) => {
          if (dead || (name === 'pages' && ++reads >= n)) {
            dead = true;
            return new Promise(() => undefined);
          }
          return (target.getAll as (...args: unknown[]) => Promise<unknown>)(name, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: { db, close: () => store.close() }, dead: () => dead };
}

/**
 * Starts a sync whose api "dies" (never answers again, like a killed service worker) at the
 * first call `dies` accepts — `nth` counts calls of the same method, from 1 — and returns once
 * the abandoned engine has committed what it could.
 */
async function crashedSync(dies: (call: ApiCall, nth: number) => boolean, concurrency = 2) {
  const store = await connectedStore();
  let dead = false;
  const perMethod = new Map<string, number>();
  const api = new FakeConfluenceApi(orgData(), (call) => {
    const nth = (perMethod.get(call.method) ?? 0) + 1;
    perMethod.set(call.method, nth);
    if (dead || dies(call, nth)) {
      dead = true;
      return 'hang';
    }
    return undefined;
  });
  void sync(store, api, GROUPS, { useJira: true, concurrency, partitionMemberships: PER_BUCKET });
  await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
  await settle();
  const resumable = await findResumableRun(store, SITE);
  if (!resumable) throw new Error('expected a resumable run');
  return { store, firstApi: api, run: resumable };
}

async function uninterrupted() {
  const store = await connectedStore();
  const api = new FakeConfluenceApi(orgData());
  const run = await sync(store, api, GROUPS, { useJira: true, concurrency: 2, partitionMemberships: PER_BUCKET });
  return { run, accounts: await activeAccounts(store), api };
}

describe('resume after the worker was killed', () => {
  it('during members: skips finished groups and committed pages, and ends with the same snapshot', async () => {
    const reference = await uninterrupted();
    const { store, firstApi, run } = await crashedSync((call, nth) => call.method === 'groupMembers' && nth >= 4);
    expect(run.status).toBe('running');
    expect(run.checkpoint?.phase).toBe('members');
    const committed = run.groups.filter((g) => g.done).map((g) => g.id);
    expect(committed.length).toBeGreaterThan(0);
    const nextStart = { ...run.checkpoint?.nextStart };
    expect(Object.keys(nextStart).length).toBeGreaterThan(0);
    // Before resuming, the previous state (none) is what the review shows.
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBeNull();

    const api = new FakeConfluenceApi(orgData());
    const resumed = await sync(store, api, GROUPS, { runId: run.id, concurrency: 2 });

    const memberCalls = api.callsOf('groupMembers');
    for (const id of committed) expect(memberCalls.some((c) => c.groupId === id)).toBe(false);
    for (const c of memberCalls) expect(c.start).toBeGreaterThanOrEqual(nextStart[c.groupId] ?? Infinity);
    // Every page requested exactly once over both lives (pages answered but not committed excepted).
    const firstAnswered = new Set(firstApi.callsOf('groupMembers').map(pageKey));
    const all = [...firstAnswered, ...memberCalls.map(pageKey)];
    expect(new Set(all)).toEqual(new Set(reference.api.callsOf('groupMembers').map(pageKey)));

    expect(resumed.status).toBe('succeeded');
    expect(resumed.id).toBe(run.id);
    expect(resumed.groups).toEqual(reference.run.groups);
    expect(resumed.accounts).toBe(reference.run.accounts);
    expect(resumed.notes[0]).toMatch(/^Resumed at .* \(phase members\)$/);
    expect(resumed.requests).toBeGreaterThanOrEqual(api.requestCount + 4);
    expect(await activeAccounts(store)).toEqual(reference.accounts);
    expect(await listSnapshotIds(store)).toEqual([run.id]);
    expect(await workRecords(store)).toBe(0);
  });

  it('during partition: continues after the last committed batch, with every membership in exactly one fragment', async () => {
    const reference = await uninterrupted();
    const store = await connectedStore();
    // 6 pages, 1 per batch: dies reading the second batch, after the first one committed.
    const dying = dyingOnPagesRead(store, 2);
    const firstApi = new FakeConfluenceApi(orgData());
    void sync(dying.store, firstApi, GROUPS, { useJira: true, concurrency: 2, partitionMemberships: PER_BUCKET });
    await vi.waitFor(() => expect(dying.dead()).toBe(true), { timeout: 5000, interval: 5 });
    await settle();
    const run = await findResumableRun(store, SITE);
    expect(run?.checkpoint).toMatchObject({ phase: 'partition', buckets: BUCKETS, nextBatch: 1 });
    expect(await store.db.count('pages')).toBe(5); // the first batch's page split and deleted

    // Second life: the partition finishes, then the worker dies at its first users-bulk call.
    const second = new FakeConfluenceApi(orgData(), (call) => (call.method === 'usersBulk' ? 'hang' : undefined));
    void sync(store, second, GROUPS, { runId: run?.id });
    await vi.waitFor(() => expect(second.callsOf('usersBulk').length).toBeGreaterThan(0), { timeout: 5000, interval: 5 });
    await settle();
    expect(second.callsOf('groupMembers')).toEqual([]);
    expect((await getRun(store, run?.id ?? ''))?.checkpoint).toMatchObject({ phase: 'accounts', buckets: BUCKETS, nextBucket: 0 });
    expect(await store.db.count('pages')).toBe(0);
    const fragments = await store.db.getAll('fragments');
    const pairs = fragments.flatMap((f) => f.members.map(([m, group]) => `${m[0]}@${group.id}`));
    expect(pairs).toHaveLength(MEMBERSHIPS);
    expect(new Set(pairs).size).toBe(MEMBERSHIPS);
    for (const f of fragments) expect(f.members.every(([m]) => bucket(m[0]) === f.bucket)).toBe(true);

    // Third life: to the end.
    const third = new FakeConfluenceApi(orgData());
    const resumed = await sync(store, third, GROUPS, { runId: run?.id });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.accounts).toBe(reference.run.accounts);
    expect(resumed.groups).toEqual(reference.run.groups);
    expect(idsOf(third.callsOf('usersBulk')).sort()).toEqual(reference.accounts.map((a) => a.accountId).sort());
    expect(await activeAccounts(store)).toEqual(reference.accounts);
    expect(await workRecords(store)).toBe(0);
  });

  it('during accounts: does not ask users-bulk again for committed buckets', async () => {
    const reference = await uninterrupted();
    // Dies at the first users-bulk call of bucket BUCKET_LOOKAHEAD, which starts only once bucket 0
    // is ready: at least bucket 0 commits.
    expect(BUCKETS).toBeGreaterThan(BUCKET_LOOKAHEAD);
    const { store, firstApi, run } = await crashedSync((call) => call.method === 'usersBulk' && bucket(call.ids[0] ?? '') === BUCKET_LOOKAHEAD, 2);
    expect(run.checkpoint).toMatchObject({ phase: 'accounts', buckets: BUCKETS });
    const committed = run.checkpoint?.nextBucket ?? 0;
    expect(committed).toBeGreaterThanOrEqual(1);
    const askedBefore = new Set(idsOf(firstApi.callsOf('usersBulk')).filter((id) => bucket(id) < committed));
    expect(askedBefore.size).toBeGreaterThan(0);
    expect(await store.db.count('accounts')).toBe(committed);

    const api = new FakeConfluenceApi(orgData());
    const resumed = await sync(store, api, GROUPS, { runId: run.id, concurrency: 1 });
    expect(api.callsOf('groupMembers')).toEqual([]);
    const askedAfter = idsOf(api.callsOf('usersBulk'));
    expect(askedAfter.filter((id) => askedBefore.has(id))).toEqual([]);
    expect(askedBefore.size + askedAfter.length).toBe(reference.run.accounts);
    expect(resumed.notes[0]).toMatch(/^Resumed at .* \(phase accounts\)$/);
    expect(resumed.accounts).toBe(reference.run.accounts);
    expect(await activeAccounts(store)).toEqual(reference.accounts);
  });

  it('during Jira emails: continues with the remaining buckets and keeps useJira from the run', async () => {
    const reference = await uninterrupted();
    // Dies at the first Jira call of bucket BUCKET_LOOKAHEAD or later: those start only once
    // bucket 0 is ready, so at least bucket 0 commits.
    const { store, run } = await crashedSync((call) => call.method === 'jiraUsers' && bucket(call.ids[0] ?? '') >= BUCKET_LOOKAHEAD, 2);
    expect(run.checkpoint).toMatchObject({ phase: 'accounts', jiraDisabled: false });
    const committed = run.checkpoint?.nextBucket ?? 0;
    expect(committed).toBeGreaterThanOrEqual(1);

    const api = new FakeConfluenceApi(orgData());
    await sync(store, api, GROUPS, { runId: run.id, concurrency: 1, useJira: false });
    expect(api.callsOf('groupMembers')).toEqual([]);
    expect(idsOf(api.callsOf('usersBulk')).every((id) => bucket(id) >= committed)).toBe(true);
    const hiddenLater = reference.accounts
      .filter((a) => /^z?hid-/.test(a.accountId) && bucket(a.accountId) >= committed)
      .map((a) => a.accountId);
    expect(hiddenLater.length).toBeGreaterThan(0);
    expect(idsOf(api.callsOf('jiraUsers')).sort()).toEqual(hiddenLater.sort());
    expect(await activeAccounts(store)).toEqual(reference.accounts);
  });

  it('refuses to resume a run that is not running', async () => {
    const store = await connectedStore();
    const done = await sync(store, new FakeConfluenceApi({ members: { g1: [member('a')] } }), GROUPS.slice(0, 1));
    await expect(sync(store, new FakeConfluenceApi({ members: {} }), [], { runId: done.id })).rejects.toBeInstanceOf(SyncStateError);
    await expect(sync(store, new FakeConfluenceApi({ members: {} }), [], { runId: 'nope' })).rejects.toBeInstanceOf(SyncStateError);
  });

  it('a new sync supersedes an interrupted run instead of leaving it running forever', async () => {
    const { store, run } = await crashedSync((call) => call.method === 'groupMembers' && call.start === 200);
    const fresh = await sync(store, new FakeConfluenceApi(orgData()), GROUPS);
    expect(await getRun(store, run.id)).toMatchObject({ status: 'failed', error: SUPERSEDED_MESSAGE });
    expect(await findResumableRun(store, SITE)).toBeUndefined();
    expect(await listSnapshotIds(store)).toEqual([fresh.id]);
  });
});

describe('collectGarbage', () => {
  it('removes snapshots neither active nor owned by a running run', async () => {
    const { store, run } = await crashedSync((call) => call.method === 'groupMembers' && call.start === 200);
    await store.db.put('pages', pageRecord('orphan', GROUPS[0] as GroupRef, 0, [member('x')]));
    const { account } = await import('../store/helpers');
    const { chunkAccounts } = await import('../../../lib/store/account-chunks');
    for (const chunk of chunkAccounts('failed-run', [account(SITE, 'y')], 1)) await store.db.put('accounts', chunk);

    const deleted = await collectGarbage(store, SITE);
    expect(deleted.sort()).toEqual(['failed-run', 'orphan']);
    expect(await listSnapshotIds(store)).toEqual([run.id]);
    expect(await store.db.count('pages')).toBeGreaterThan(0); // the running run's, kept
  });

  it('keeps the active snapshot but drops pages and fragments left behind under it', async () => {
    const store = await connectedStore();
    const done = await sync(store, new FakeConfluenceApi({ members: { g1: [member('a')] } }), GROUPS.slice(0, 1));
    await store.db.put('pages', pageRecord(done.id, GROUPS[0] as GroupRef, 0, [member('a')]));
    await store.db.put('fragments', fragmentRecord(done.id, 0, 0, GROUPS[0] as GroupRef, [member('a')]));
    expect(await collectGarbage(store, SITE)).toEqual([]);
    expect(await workRecords(store)).toBe(0);
    expect((await activeAccounts(store)).map((a) => a.accountId)).toEqual(['a']);
  });
});
