/**
 * The sync on a real site (issue 8): deleted groups, odd member entries, users-bulk refused,
 * Atlassian's hour-long rate limit pausing and resuming the run, rate-limit notes.
 */
import { describe, expect, it } from 'vitest';
import { PermissionError, RateLimitedError, XsrfRefusedError } from '../../../lib/atlassian/errors';
import type { GroupRef } from '../../../lib/model';
import { getConnection } from '../../../lib/store/connections';
import { getRun } from '../../../lib/store/runs';
import { listSnapshotIds } from '../../../lib/store/snapshots';
import { statusFallbackNote } from '../../../lib/sync/enrich';
import { skippedMembersNote } from '../../../lib/sync/finish';
import { findResumableRun } from '../../../lib/sync/gc';
import { missingGroupNote } from '../../../lib/sync/members';
import { findPausedRun, pausedText, SyncPausedError } from '../../../lib/sync/pause';
import { activeAccounts, connectedStore, FIXED_NOW, sync } from './engine-helpers';
import { FakeConfluenceApi, member, members } from './fake-api';

const G1: GroupRef = { id: 'g1', name: 'confluence-users-acme' };
const G2: GroupRef = { id: 'g2', name: 'confluence-admins-acme' };
const GONE: GroupRef = { id: 'gone', name: 'confluence-guests-acme' };

describe('a deleted monitored group (issue 8, item 9)', () => {
  it('membersByGroupId 404 + group/by-id 404: "no longer exists" in the run, the rest of the sync completes', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('u', 250), g2: [member('a1')] } });
    const run = await sync(store, api, [G1, GONE, G2]);
    expect(run.status).toBe('succeeded');
    expect(run.missingGroupIds).toEqual(['gone']);
    expect(run.notes).toEqual([missingGroupNote(GONE)]);
    expect(run.notes[0]).toContain('no longer exists');
    expect(run.caveats).toEqual([missingGroupNote(GONE)]);
    expect(run.groups.find((g) => g.id === 'gone')).toEqual({ id: 'gone', name: 'confluence-guests-acme', members: 0, done: true });
    expect(api.callsOf('groupExists').map((c) => c.groupId)).toEqual(['gone']);
    expect(await activeAccounts(store)).toHaveLength(251);
  });

  it('an empty first page is checked with group/by-id too (what Confluence answers for a deleted group is UNCONFIRMED)', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1')], gone: [] } });
    // The group answers like an empty one, but by-id says it is gone.
    api.groupExists = async (groupId) => groupId !== 'gone';
    const run = await sync(store, api, [G1, GONE]);
    expect(run.missingGroupIds).toEqual(['gone']);
    expect(run.notes).toEqual([missingGroupNote(GONE)]);
  });

  it('an empty group that still exists is just empty', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1')], gone: [] } });
    const run = await sync(store, api, [G1, GONE]);
    expect(run.missingGroupIds).toBeUndefined();
    expect(run.notes).toEqual([]);
    expect(api.callsOf('groupExists').map((c) => c.groupId)).toEqual(['gone']);
  });

  it('a group that still exists but answers 404 fails the sync as before', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1')] } });
    api.groupExists = async () => true;
    await expect(sync(store, api, [G1, GONE])).rejects.toThrow(/membersByGroupId/);
  });
});

describe('odd member entries (issue 8, item 6)', () => {
  it('entries the client left out are counted in a note; the sync completes', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('u', 3), g2: [member('a1')] }, skippedPerPage: { g1: 2 } });
    const run = await sync(store, api, [G1, G2]);
    expect(run.status).toBe('succeeded');
    expect(run.skippedMembers).toBe(2);
    expect(run.notes).toEqual([skippedMembersNote(2)]);
    expect(skippedMembersNote(2)).toBe('2 group member entries were left out (null, or without an accountId)');
    expect(skippedMembersNote(1)).toBe('1 group member entry was left out (null, or without an accountId)');
    expect(run.caveats).toEqual([skippedMembersNote(2)]);
    expect(await activeAccounts(store)).toHaveLength(4);
  });
});

describe('users-bulk refused (issue 8, item 4)', () => {
  it.each([
    ['an XSRF refusal', new XsrfRefusedError('POST /wiki/api/v2/users-bulk')],
    ['a 403', new PermissionError('POST /wiki/api/v2/users-bulk', 'Forbidden')],
  ])('%s: statuses come from operations and display names, the run says so, and does not fail', async (_what, error) => {
    const store = await connectedStore();
    const list = [
      member('active-user'),
      member('no-ops', { operations: [] }),
      member('unlicensed', { operations: null, displayName: 'Una (Unlicensed)' }),
      ...members('more', 300),
    ];
    const api = new FakeConfluenceApi({ members: { g1: list } }, (call) => (call.method === 'usersBulk' ? error : undefined));
    const run = await sync(store, api, [G1], { concurrency: 1, partitionMemberships: 100 });
    expect(run.status).toBe('succeeded');
    const note = statusFallbackNote(error);
    expect(run.notes).toEqual([note]);
    expect(run.caveats).toEqual([note]);
    // Once refused, no further users-bulk call in any bucket.
    expect(api.callsOf('usersBulk')).toHaveLength(1);
    const byId = new Map((await activeAccounts(store)).map((a) => [a.accountId, a]));
    expect(byId.get('active-user')).toMatchObject({ status: 'active', statusSignal: 'Confluence operations present (expand=operations)' });
    expect(byId.get('no-ops')).toMatchObject({ status: 'inactive', filteredReason: 'inactive' });
    expect(byId.get('unlicensed')).toMatchObject({ status: 'inactive', statusSignal: expect.stringContaining('(Unlicensed)') });
  });

  it('the note names the XSRF refusal', () => {
    expect(statusFallbackNote(new XsrfRefusedError('POST /wiki/api/v2/users-bulk'))).toBe(
      'Account status lookup (users-bulk) refused by Atlassian (XSRF check failed): status comes from Confluence operations and display names instead',
    );
  });
});

describe("Atlassian's hour-long rate limit (issue 8, item 5)", () => {
  const HOUR = 3_600_000;
  const UNTIL = FIXED_NOW.getTime() + HOUR;

  it('pauses the run with its checkpoint and snapshot, resumes only when due, and finishes from the checkpoint', async () => {
    const store = await connectedStore();
    const data = { members: { g1: members('u', 600), g2: members('a', 50) } };
    let limited = true;
    const first = new FakeConfluenceApi(data, (call) =>
      limited && call.method === 'groupMembers' && call.start === 400 ? new RateLimitedError('GET /wiki/rest/api/group/{id}/membersByGroupId', UNTIL, 'confluence-quota-based', 429) : undefined,
    );
    first.rateLimit.throttled = 1;
    first.rateLimit.reasons.push('confluence-quota-based');
    const paused = await sync(store, first, [G1, G2], { concurrency: 1 }).catch((e: unknown) => e);
    expect(paused).toBeInstanceOf(SyncPausedError);
    expect(paused).toMatchObject({ until: new Date(UNTIL), reason: 'confluence-quota-based' });
    expect((paused as Error).message).toBe(pausedText(new Date(UNTIL), 'confluence-quota-based'));

    const run = (await findResumableRun(store, 'https://acme.atlassian.net'))!;
    expect(run).toMatchObject({ status: 'running', pausedUntil: new Date(UNTIL).toISOString(), rateLimitReasons: ['confluence-quota-based'] });
    expect(run.checkpoint?.phase).toBe('members');
    expect(run.notes).toContain(pausedText(new Date(UNTIL), 'confluence-quota-based'));
    expect(run.notes).toContain("Atlassian's rate limit: 1 request answered 429; RateLimit-Reason: confluence-quota-based");
    expect(await findPausedRun(store, 'https://acme.atlassian.net')).toMatchObject({ until: new Date(UNTIL) });
    // The snapshot being filled is kept; the review still shows nothing new.
    expect(await listSnapshotIds(store)).toContain(run.id);
    expect((await getConnection(store, 'https://acme.atlassian.net'))?.activeSnapshotId).toBeNull();
    const fetched = new Set(first.callsOf('groupMembers').map((c) => `${c.groupId}@${c.start}`));

    // Too early: nothing is asked, the pause stands.
    const early = new FakeConfluenceApi(data);
    await expect(sync(store, early, [], { runId: run.id, now: () => new Date(UNTIL - 1000) })).rejects.toBeInstanceOf(SyncPausedError);
    expect(early.requestCount).toBe(0);

    // Due: resumes from the checkpoint; committed pages are not fetched again.
    limited = false;
    const second = new FakeConfluenceApi(data);
    const done = await sync(store, second, [], { runId: run.id, now: () => new Date(UNTIL + 1000) });
    expect(done).toMatchObject({ status: 'succeeded', pausedUntil: null, accounts: 650 });
    expect(done.notes.some((n) => n.startsWith('Resumed at '))).toBe(true);
    const refetched = second.callsOf('groupMembers').filter((c) => c.groupId === 'g1' && c.start < 400 && fetched.has(`${c.groupId}@${c.start}`));
    expect(refetched).toEqual([]);
    expect(await activeAccounts(store)).toHaveLength(650);
    expect((await getRun(store, run.id))?.status).toBe('succeeded');
  });

  it('a manual run superseding a paused one ends the paused one', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('u', 10) } }, (call) =>
      call.method === 'usersBulk' ? new RateLimitedError('POST /wiki/api/v2/users-bulk', UNTIL, null, 429) : undefined,
    );
    const paused = (await sync(store, api, [G1]).catch((e: unknown) => e)) as SyncPausedError;
    expect(paused).toBeInstanceOf(SyncPausedError);
    const next = await sync(store, new FakeConfluenceApi({ members: { g1: members('u', 10) } }), [G1]);
    expect(next.status).toBe('succeeded');
    expect((await getRun(store, paused.runId))?.status).toBe('failed');
    expect(await findPausedRun(store, 'https://acme.atlassian.net')).toBeNull();
  });

  it('records the 429s, slow-downs and reasons of a run that succeeded', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('u', 3) } });
    Object.assign(api.rateLimit, { throttled: 2, nearLimit: 1, reasons: ['confluence-burst-based'] });
    const run = await sync(store, api, [G1]);
    expect(run.rateLimitReasons).toEqual(['confluence-burst-based']);
    expect(run.notes).toEqual(["Atlassian's rate limit: 2 requests answered 429; slowed down 1 time near the limit (X-RateLimit-NearLimit); RateLimit-Reason: confluence-burst-based"]);
  });
});
