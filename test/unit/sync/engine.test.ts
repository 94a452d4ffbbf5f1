import { describe, expect, it } from 'vitest';
import { AuthRevokedError, JiraUnavailableError, NotFoundError, PermissionError, RetryExhaustedError, ScopeError } from '../../../lib/atlassian/errors';
import type { SyncProgress } from '../../../lib/messages';
import { getConnection } from '../../../lib/store/connections';
import { getRun } from '../../../lib/store/runs';
import { listSnapshotIds } from '../../../lib/store/snapshots';
import { JIRA_ABSENT_NOTE, JIRA_CHUNK_SIZE, JIRA_FORBIDDEN_NOTE, jiraNote } from '../../../lib/sync/enrich';
import { SyncInterruptedError, SyncStateError } from '../../../lib/sync/errors';
import { deleteSiteData } from '../../../lib/store/site-data';
import { activeAccounts, connectedStore, FIXED_NOW, SITE, settle, sync, workRecords } from './engine-helpers';
import { FakeConfluenceApi, member, members } from './fake-api';

const G1 = { id: 'g1', name: 'confluence-users' };
const G2 = { id: 'g2', name: 'confluence-admins' };

describe('runSync: member paging', () => {
  it.each([
    [200, [0]],
    [201, [0, 200]],
    [0, [0]],
    [400, [0, 200]],
    [401, [0, 200, 400]],
  ])('a group of %i members is read with starts %j, limit 200', async (count, starts) => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('m', count) } });
    const run = await sync(store, api, [G1]);
    const calls = api.callsOf('groupMembers');
    expect(calls.map((c) => c.start)).toEqual(starts);
    expect(calls.every((c) => c.limit === 200)).toBe(true);
    expect(run.groups).toEqual([{ id: 'g1', name: 'confluence-users', members: count, done: true }]);
    expect(run.accounts).toBe(count);
    expect(await activeAccounts(store)).toHaveLength(count);
  });

  it('fetches only the selected groups', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: members('a', 2), g2: members('b', 2) } });
    await sync(store, api, [G2]);
    expect(api.callsOf('groupMembers').map((c) => c.groupId)).toEqual(['g2']);
    expect((await activeAccounts(store)).map((a) => a.accountId)).toEqual(['b-0000', 'b-0001']);
  });

  it('keeps one record per account with all its monitored groups, sorted by name', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1'), member('u2')], g2: [member('u2'), member('u3')] } });
    const run = await sync(store, api, [G1, G2]);
    const accounts = await activeAccounts(store);
    expect(accounts.map((a) => a.accountId)).toEqual(['u1', 'u2', 'u3']);
    expect(accounts[1]?.groups).toEqual([G2, G1]);
    expect(accounts[0]?.groups).toEqual([G1]);
    expect(run.accounts).toBe(3);
    expect(run.groups.map((g) => g.members)).toEqual([2, 2]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const store = await connectedStore();
    const groups = Array.from({ length: 8 }, (_, i) => ({ id: `g${i}`, name: `group-${i}` }));
    const api = new FakeConfluenceApi({ members: Object.fromEntries(groups.map((g) => [g.id, members(g.id, 250)])) });
    await sync(store, api, groups, { concurrency: 3 });
    expect(api.maxInFlight).toBeLessThanOrEqual(3);
    expect(api.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(await activeAccounts(store)).toHaveLength(8 * 250);
  });
});

describe('runSync: enrichment', () => {
  it('asks users-bulk for every account once, in chunks of at most 250, and applies the status', async () => {
    const store = await connectedStore();
    const list = members('m', 600);
    const api = new FakeConfluenceApi({
      members: { g1: list },
      bulk: { 'm-0000': { accountStatus: 'closed' }, 'm-0001': { accountStatus: 'active' } },
    });
    await sync(store, api, [G1], { concurrency: 2 });
    const bulkCalls = api.callsOf('usersBulk');
    expect(bulkCalls.map((c) => c.ids.length).sort((a, b) => b - a)).toEqual([250, 250, 100]);
    expect(new Set(bulkCalls.flatMap((c) => c.ids)).size).toBe(600);
    const accounts = await activeAccounts(store);
    expect(accounts[0]).toMatchObject({ status: 'inactive', filteredReason: 'inactive', statusSignal: 'users-bulk accountStatus "closed"' });
    expect(accounts[1]).toMatchObject({ status: 'active', statusSignal: 'users-bulk accountStatus "active"' });
    // Not returned by users-bulk: falls back to the operations signal.
    expect(accounts[2]).toMatchObject({ status: 'active', statusSignal: 'Confluence operations present (expand=operations)' });
  });

  it('looks up hidden emails in Jira, ≤ JIRA_CHUNK_SIZE per call, only for Atlassian accounts without a Confluence email', async () => {
    const store = await connectedStore();
    const hidden = Array.from({ length: 70 }, (_, i) => member(`h${String(i).padStart(2, '0')}`, { email: '' }));
    const api = new FakeConfluenceApi({
      members: { g1: [...hidden, member('visible'), member('bot', { accountType: 'app', email: '' })] },
      jira: { h00: { emailAddress: 'h00@jira.example' } },
    });
    await sync(store, api, [G1], { useJira: true });
    const jiraCalls = api.callsOf('jiraUsers');
    expect(jiraCalls.map((c) => c.ids.length).sort((a, b) => b - a)).toEqual([JIRA_CHUNK_SIZE, 70 - JIRA_CHUNK_SIZE]);
    expect(jiraCalls.flatMap((c) => c.ids).sort()).toEqual(hidden.map((m) => m.accountId));
    const accounts = await activeAccounts(store);
    expect(accounts.find((a) => a.accountId === 'h00')).toMatchObject({ email: 'h00@jira.example', emailSource: 'jira' });
    expect(accounts.find((a) => a.accountId === 'h01')).toMatchObject({ email: null, emailSource: 'none' });
    expect(accounts.find((a) => a.accountId === 'visible')).toMatchObject({ emailSource: 'confluence' });
  });

  it('does not call Jira unless asked to', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1', { email: '' })] } });
    await sync(store, api, [G1]);
    expect(api.callsOf('jiraUsers')).toEqual([]);
  });

  it.each([
    ['403', new JiraUnavailableError('forbidden', 'not permitted (Browse users and groups)', 403), JIRA_FORBIDDEN_NOTE],
    ['404', new JiraUnavailableError('absent', 'no Jira on this site (HTTP 404)', 404), JIRA_ABSENT_NOTE],
    ['401', new JiraUnavailableError('unauthorized', 'Jira did not accept the credentials (HTTP 401)', 401), jiraNote('unauthorized', '')],
    ['scope', new JiraUnavailableError('scope', 'the connection lacks the scope "read:jira-user"', 401), jiraNote('scope', 'the connection lacks the scope "read:jira-user"')],
    ['network', new JiraUnavailableError('unreachable', 'Jira did not answer (network error)', null), jiraNote('unreachable', 'Jira did not answer (network error)')],
  ])('Jira %s: stops asking Jira, records a note and a caveat, and completes the sync', async (_label, error, note) => {
    const store = await connectedStore();
    const hidden = Array.from({ length: 3 * JIRA_CHUNK_SIZE }, (_, i) => member(`h${String(i).padStart(2, '0')}`, { email: '' }));
    const api = new FakeConfluenceApi({ members: { g1: hidden } }, (call) => (call.method === 'jiraUsers' ? error : undefined));
    const run = await sync(store, api, [G1], { useJira: true, concurrency: 1 });
    expect(run.status).toBe('succeeded');
    expect(run.notes).toEqual([note]);
    expect(run.caveats).toEqual([note]);
    expect(note).not.toMatch(/connect again/i);
    expect(api.callsOf('jiraUsers')).toHaveLength(1);
    expect((await activeAccounts(store)).every((a) => a.emailSource === 'none')).toBe(true);
  });

  it('an error other than JiraUnavailableError from Jira (e.g. an abort) still ends the sync', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: { g1: [member('u1', { email: '' })] } }, (call) => (call.method === 'jiraUsers' ? new Error('boom') : undefined));
    await expect(sync(store, api, [G1], { useJira: true })).rejects.toThrow('boom');
  });
});

describe('runSync: atomic switch', () => {
  it('activates the new snapshot, records the run, and deletes the previous snapshot and the sync\'s pages and fragments', async () => {
    const store = await connectedStore();
    const first = await sync(store, new FakeConfluenceApi({ members: { g1: [member('old')] } }), [G1]);
    const api = new FakeConfluenceApi({ members: { g1: members('m', 250) } });
    const second = await sync(store, api, [G1]);

    const connection = await getConnection(store, SITE);
    expect(connection?.activeSnapshotId).toBe(second.id);
    expect(connection?.lastSyncedAt).toBe(FIXED_NOW.toISOString());
    expect(second).toMatchObject({ status: 'succeeded', endedAt: FIXED_NOW.toISOString(), error: null, checkpoint: null, accounts: 250 });
    expect(second.requests).toBe(api.requestCount);
    expect(second.requests).toBe(3); // 2 member pages + 1 users-bulk
    expect(await getRun(store, first.id)).toMatchObject({ status: 'succeeded' });
    expect(await listSnapshotIds(store)).toEqual([second.id]);
    expect(await workRecords(store)).toBe(0);
  });

  it.each([
    ['RetryExhaustedError', new RetryExhaustedError('/wiki/rest/api/group/g1/membersByGroupId', 5, 'HTTP 503', 503)],
    ['AuthRevokedError', new AuthRevokedError()],
    ['ScopeError', new ScopeError('/wiki/api/v2/users-bulk', 'read:user:confluence')],
    ['PermissionError', new PermissionError('/wiki/rest/api/group/g1/membersByGroupId', 'cannot view groups')],
  ])('a %s mid-sync leaves the previous snapshot active; the run fails with its message', async (kind, error) => {
    const store = await connectedStore();
    const first = await sync(store, new FakeConfluenceApi({ members: { g1: [member('keep-me')] } }), [G1]);
    const before = await activeAccounts(store);

    // Fail on the second member page, or on users-bulk for the scope error.
    const api = new FakeConfluenceApi({ members: { g1: members('m', 450) } }, (call) =>
      (call.method === 'groupMembers' && call.start === 200) || (kind === 'ScopeError' && call.method === 'usersBulk') ? error : undefined);
    const attempt = sync(store, api, [G1]);
    await expect(attempt).rejects.toBe(error);

    expect(await activeAccounts(store)).toEqual(before);
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBe(first.id);
    const runs = await store.db.getAll('syncRuns');
    const failed = runs.find((r) => r.id !== first.id);
    expect(failed).toMatchObject({ status: 'failed', error: error.message, checkpoint: null, failure: { kind } });
    expect(failed?.endedAt).toBe(FIXED_NOW.toISOString());
    expect(await listSnapshotIds(store)).toEqual([first.id]);
  });

  it('an abort fails the run as "Sync interrupted" and keeps the previous snapshot', async () => {
    const store = await connectedStore();
    const first = await sync(store, new FakeConfluenceApi({ members: { g1: [member('keep-me')] } }), [G1]);
    const controller = new AbortController();
    // The second page never answers; the abort must not wait for it.
    const api = new FakeConfluenceApi({ members: { g1: members('m', 450) } }, (call) => {
      if (call.method === 'groupMembers' && call.start === 200) {
        setTimeout(() => controller.abort(), 5);
        return 'hang';
      }
      return undefined;
    });
    await expect(sync(store, api, [G1], { signal: controller.signal })).rejects.toBeInstanceOf(SyncInterruptedError);
    const runs = await store.db.getAll('syncRuns');
    expect(runs.find((r) => r.id !== first.id)).toMatchObject({ status: 'failed', error: 'Sync interrupted' });
    expect((await activeAccounts(store)).map((a) => a.accountId)).toEqual(['keep-me']);
    expect(await listSnapshotIds(store)).toEqual([first.id]);
  });

  it('reports progress through each phase, ending with every group done', async () => {
    const store = await connectedStore();
    const seen: SyncProgress[] = [];
    const api = new FakeConfluenceApi({ members: { g1: members('a', 300), g2: members('b', 10) } });
    const run = await sync(store, api, [G1, G2], { onProgress: (p) => seen.push(p) });
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['members', 'status', 'finishing']);
    expect(seen.at(-1)).toEqual({ runId: run.id, startedAt: run.startedAt, groupsDone: 2, groupsTotal: 2, accountsFetched: 310, phase: 'finishing' });
    expect(seen[0]).toMatchObject({ groupsDone: 0, groupsTotal: 2, accountsFetched: 0, phase: 'members' });
  });

  it('with no groups selected, completes with an empty snapshot and no requests', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: {} });
    const run = await sync(store, api, []);
    expect(run).toMatchObject({ status: 'succeeded', accounts: 0, requests: 0, groups: [] });
    expect((await getConnection(store, SITE))?.activeSnapshotId).toBe(run.id);
  });

  it('a site deleted mid-sync ends the sync without resurrecting any of its data', async () => {
    const store = await connectedStore();
    let deletion: Promise<void> | undefined;
    const api = new FakeConfluenceApi({ members: { g1: members('m', 450) } }, (call) => {
      if (call.method === 'groupMembers' && call.start === 200) deletion = deleteSiteData(store, SITE);
      return undefined;
    });
    await expect(sync(store, api, [G1])).rejects.toBeInstanceOf(SyncStateError);
    await deletion;
    expect(await getConnection(store, SITE)).toBeUndefined();
    expect(await store.db.count('syncRuns')).toBe(0);
    expect(await listSnapshotIds(store)).toEqual([]);
  });

  it('refuses to sync a site that is not connected', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi({ members: {} });
    await expect(sync(store, api, [G1], { site: 'https://nobody.atlassian.net' })).rejects.toThrow(/No connection/);
    expect(api.requestCount).toBe(0);
  });
});

describe('runSync: settles before cleanup', () => {
  it('a failure in one group stops the other lanes before the partial snapshot is deleted', async () => {
    const store = await connectedStore();
    const api = new FakeConfluenceApi(
      { members: { g1: members('a', 2000), g2: members('b', 10) } },
      (call) => (call.method === 'groupMembers' && call.groupId === 'g2' ? new RetryExhaustedError('x', 3, 'HTTP 500', 500) : undefined),
    );
    await expect(sync(store, api, [G1, G2])).rejects.toBeInstanceOf(RetryExhaustedError);
    await settle();
    expect(await workRecords(store)).toBe(0);
    expect(await listSnapshotIds(store)).toEqual([]);
  });
});
