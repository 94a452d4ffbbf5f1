import { describe, expect, it, vi } from 'vitest';
import type { RawMember } from '../../../lib/atlassian/api';
import type { GroupRef } from '../../../lib/model';
import { getConnection } from '../../../lib/store/connections';
import { getRun } from '../../../lib/store/runs';
import { listSnapshotIds } from '../../../lib/store/snapshots';
import { SUPERSEDED_MESSAGE } from '../../../lib/sync/engine';
import { SyncStateError } from '../../../lib/sync/errors';
import { collectGarbage, findResumableRun } from '../../../lib/sync/gc';
import { activeAccounts, connectedStore, SITE, settle, sync } from './engine-helpers';
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

const pageKey = (c: Extract<ApiCall, { method: 'groupMembers' }>) => `${c.groupId}@${c.start}`;

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
  void sync(store, api, GROUPS, { useJira: true, concurrency });
  await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
  await settle();
  const resumable = await findResumableRun(store, SITE);
  if (!resumable) throw new Error('expected a resumable run');
  return { store, firstApi: api, run: resumable };
}

async function uninterrupted() {
  const store = await connectedStore();
  const api = new FakeConfluenceApi(orgData());
  const run = await sync(store, api, GROUPS, { useJira: true, concurrency: 2 });
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
    expect(await store.db.count('staging')).toBe(0);
  });

  it('during status: does not ask users-bulk again for committed batches', async () => {
    const reference = await uninterrupted();
    const { store, firstApi, run } = await crashedSync((call, nth) => call.method === 'usersBulk' && nth >= 2, 1);
    expect(run.checkpoint?.phase).toBe('status');
    expect(run.checkpoint?.cursor).not.toBeNull();
    const askedBefore = new Set(firstApi.callsOf('usersBulk').slice(0, 1).flatMap((c) => c.ids));

    const api = new FakeConfluenceApi(orgData());
    await sync(store, api, GROUPS, { runId: run.id, concurrency: 1 });
    expect(api.callsOf('groupMembers')).toEqual([]);
    const askedAfter = api.callsOf('usersBulk').flatMap((c) => c.ids);
    expect(askedAfter.filter((id) => askedBefore.has(id))).toEqual([]);
    expect(askedBefore.size + askedAfter.length).toBe(reference.run.accounts);
    expect(await activeAccounts(store)).toEqual(reference.accounts);
  });

  it('during Jira emails: continues with the remaining accounts and keeps useJira from the run', async () => {
    const reference = await uninterrupted();
    // Calls 1–2 cover the first batch (hid-*), call 3 would start the second (zhid-*).
    const { store, run } = await crashedSync((call, nth) => call.method === 'jiraUsers' && nth >= 3, 1);
    expect(run.checkpoint?.phase).toBe('email');
    expect(run.checkpoint?.cursor).not.toBeNull();

    const api = new FakeConfluenceApi(orgData());
    await sync(store, api, GROUPS, { runId: run.id, concurrency: 1, useJira: false });
    expect(api.callsOf('groupMembers')).toEqual([]);
    expect(api.callsOf('usersBulk')).toEqual([]);
    const askedAfter = api.callsOf('jiraUsers').flatMap((c) => c.ids);
    expect(askedAfter.length).toBe(60);
    expect(askedAfter.every((id) => id.startsWith('zhid-'))).toBe(true);
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
    const orphan = { snapshotId: 'orphan', accountId: 'x', member: member('x'), groups: [] };
    await store.db.put('staging', orphan);
    const { account } = await import('../store/helpers');
    await store.db.put('accounts', { ...account(SITE, 'y'), snapshotId: 'failed-run', emailLower: null });

    const deleted = await collectGarbage(store, SITE);
    expect(deleted.sort()).toEqual(['failed-run', 'orphan']);
    expect(await listSnapshotIds(store)).toEqual([run.id]);
    expect(await store.db.count('staging')).toBeGreaterThan(0); // the running run's, kept
  });

  it('keeps the active snapshot but drops staging records left behind under it', async () => {
    const store = await connectedStore();
    const done = await sync(store, new FakeConfluenceApi({ members: { g1: [member('a')] } }), GROUPS.slice(0, 1));
    await store.db.put('staging', { snapshotId: done.id, accountId: 'a', member: member('a'), groups: [] });
    expect(await collectGarbage(store, SITE)).toEqual([]);
    expect(await store.db.count('staging')).toBe(0);
    expect((await activeAccounts(store)).map((a) => a.accountId)).toEqual(['a']);
  });
});

