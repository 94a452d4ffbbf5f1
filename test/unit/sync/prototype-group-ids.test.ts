/**
 * Security finding 3, beyond the roster: the members checkpoint (`SyncCheckpoint.nextStart`) is a
 * plain object keyed by group ids, which come from Atlassian (`z.string().min(1)`, any text). It
 * must work for ids spelled like inherited properties (`constructor`, `__proto__`…), through a
 * worker death and a resume from IndexedDB too.
 */
import { describe, expect, it, vi } from 'vitest';
import type { GroupRef } from '../../../lib/model';
import { findResumableRun } from '../../../lib/sync/gc';
import { activeAccounts, connectedStore, settle, SITE, sync, workRecords } from './engine-helpers';
import { type ApiCall, FakeConfluenceApi, type FakeData, members } from './fake-api';

const GROUPS: GroupRef[] = Object.getOwnPropertyNames(Object.prototype).map((id) => ({ id, name: `group-${id}` }));

/** 250 members per group: two pages each, so each group has a checkpoint between its pages. */
function data(): FakeData {
  return { members: Object.fromEntries(GROUPS.map((g) => [g.id, members(g.id.replace(/_/g, 'x'), 250)])) };
}

describe('group ids spelled like Object.prototype properties', () => {
  it('sync every group completely', async () => {
    const store = await connectedStore();
    const run = await sync(store, new FakeConfluenceApi(data()), GROUPS);
    expect(run.status).toBe('succeeded');
    expect(run.groups).toEqual(GROUPS.map((g) => ({ ...g, members: 250, done: true })));
    expect(await activeAccounts(store)).toHaveLength(250 * GROUPS.length);
  });

  it('resume after the worker died mid-members with the same result, no page fetched twice', async () => {
    const reference = await connectedStore();
    await sync(reference, new FakeConfluenceApi(data()), GROUPS);

    const store = await connectedStore();
    let dead = false;
    let memberCalls = 0;
    const first = new FakeConfluenceApi(data(), (call: ApiCall) => {
      if (call.method === 'groupMembers' && ++memberCalls >= GROUPS.length + 3) dead = true;
      return dead ? 'hang' : undefined;
    });
    void sync(store, first, GROUPS, { concurrency: 2 });
    await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
    await settle();
    const interrupted = await findResumableRun(store, SITE);
    expect(interrupted?.checkpoint?.phase).toBe('members');
    expect(interrupted?.groups.some((g) => g.done)).toBe(true);
    expect(interrupted?.groups.some((g) => !g.done)).toBe(true);

    const second = new FakeConfluenceApi(data());
    const resumed = await sync(store, second, GROUPS, { runId: interrupted?.id, concurrency: 2 });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.groups).toEqual(GROUPS.map((g) => ({ ...g, members: 250, done: true })));
    const pageKey = (c: ApiCall) => (c.method === 'groupMembers' ? `${c.groupId}@${c.start}` : '');
    const done = new Set(interrupted?.groups.filter((g) => g.done).map((g) => g.id));
    for (const c of second.calls) if (c.method === 'groupMembers') expect(done.has(c.groupId), pageKey(c)).toBe(false);
    expect(await activeAccounts(store)).toEqual(await activeAccounts(reference));
    expect(await workRecords(store)).toBe(0);
  });
});
