import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../../../lib/store/schema';
import { defaultPatternSuffix, defaultSelection, type DiagnosableRun, diagnose, groupDefaults } from '../../../lib/sync/diagnostics';

describe('defaultSelection', () => {
  const cases: [string, boolean][] = [
    ['confluence-users', true],
    ['confluence-users-eng', true],
    ['confluence-usersx', false],
    ['confluence-users-', true],
    ['confluence-admins', true],
    ['CONFLUENCE-GUESTS-Partners', true],
    ['Confluence-Users', true],
    ['confluence-admins-acme', true],
    ['confluence-guests', true],
    ['administrators', true],
    ['ADMINISTRATORS', true],
    ['site-admins', true],
    ['site-admins-2', false],
    // Issue 8, item 7: the admin groups of older sites.
    ['confluence-administrators', true],
    ['System-Administrators', true],
    ['system-administrators-x', false],
    ['administrators-old', false],
    ['my-confluence-users', false],
    ['jira-users', false],
    ['confluence-user', false],
  ];
  it.each(cases)('%s → %s', (name, selected) => {
    expect(defaultSelection([{ id: 'x', name }])).toEqual(selected ? ['x'] : []);
  });

  it('keeps the input order', () => {
    expect(defaultSelection([
      { id: '1', name: 'site-admins' }, { id: '2', name: 'other' }, { id: '3', name: 'confluence-users' },
    ])).toEqual(['1', '3']);
  });
});

describe('groupDefaults: groups of other sites (issue 8, item 10)', () => {
  const g = (...names: string[]) => names.map((name, i) => ({ id: `g${i}`, name }));
  const named = (groups: { id: string; name: string }[], ids: string[]) => ids.map((id) => groups.find((x) => x.id === id)!.name);

  it('with this site\'s suffix present, pre-selects it and the unsuffixed ones, and marks other suffixes', () => {
    const groups = g('confluence-users-acme', 'confluence-users-acme-labs', 'confluence-admins-acme', 'confluence-admins-beta', 'site-admins', 'confluence-users', 'engineering');
    const d = groupDefaults(groups, 'acme');
    expect(named(groups, d.selected)).toEqual(['confluence-users-acme', 'confluence-admins-acme', 'site-admins', 'confluence-users']);
    expect(named(groups, d.otherSite)).toEqual(['confluence-users-acme-labs', 'confluence-admins-beta']);
  });

  it('matches the site name case-insensitively', () => {
    const groups = g('Confluence-Users-ACME', 'confluence-users-other');
    expect(groupDefaults(groups, 'acme')).toEqual({ selected: ['g0'], otherSite: ['g1'] });
  });

  it('with no group carrying this site\'s suffix, behaves as before: every default-pattern group', () => {
    const groups = g('confluence-users', 'confluence-users-eng', 'confluence-admins-acme-labs', 'marketing');
    expect(groupDefaults(groups, 'acme')).toEqual({ selected: ['g0', 'g1', 'g2'], otherSite: [] });
    expect(defaultSelection(groups)).toEqual(['g0', 'g1', 'g2']);
  });

  it('defaultPatternSuffix names the suffix, "" for none, null for no default pattern', () => {
    expect(defaultPatternSuffix('confluence-guests-acme-labs')).toBe('acme-labs');
    expect(defaultPatternSuffix('confluence-users')).toBe('');
    expect(defaultPatternSuffix('system-administrators')).toBe('');
    expect(defaultPatternSuffix('jira-users')).toBeNull();
  });
});

const SITE = 'https://acme.atlassian.net';

function conn(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    site: SITE, siteName: 'acme', cloudId: null, authMethod: 'oauth', status: 'connected', lastError: null,
    connectedAs: null, createdAt: '2026-01-01T00:00:00.000Z', selectedGroupIds: ['g1', 'g2'], syncIntervalHours: 24,
    activeSnapshotId: null, lastSyncedAt: null, ...overrides,
  };
}

function run(overrides: Partial<DiagnosableRun>): DiagnosableRun {
  return {
    id: crypto.randomUUID(), site: SITE, startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, status: 'succeeded',
    trigger: 'manual', error: null, notes: [], accounts: 0, requests: 0,
    groups: [{ id: 'g1', name: 'confluence-users', members: 3, done: true }, { id: 'g2', name: 'confluence-admins', members: 1, done: true }],
    ...overrides,
  };
}

const groups = [{ id: 'g1', name: 'confluence-users' }, { id: 'g2', name: 'confluence-admins' }];

describe('diagnose', () => {
  it('reports nothing when all is well', () => {
    expect(diagnose({ connection: conn(), lastRuns: [run({})], groups })).toEqual([]);
  });

  it('reports no selection (never chosen or chosen none)', () => {
    expect(diagnose({ connection: conn({ selectedGroupIds: null }), lastRuns: [], groups })).toEqual(['No groups are selected — choose the groups to monitor']);
    expect(diagnose({ connection: conn({ selectedGroupIds: [] }), lastRuns: [], groups })).toEqual(['No groups are selected — choose the groups to monitor']);
  });

  it('reports that all selected groups are empty', () => {
    const empty = run({ groups: [{ id: 'g1', name: 'confluence-users', members: 0, done: true }, { id: 'g2', name: 'confluence-admins', members: 0, done: true }] });
    expect(diagnose({ connection: conn(), lastRuns: [empty], groups })).toEqual(['The selected groups are empty (the last sync found no members in any of them)']);
  });

  it('names the empty groups when only some are empty', () => {
    const some = run({ groups: [{ id: 'g1', name: 'confluence-users', members: 4, done: true }, { id: 'g2', name: 'confluence-admins', members: 0, done: true }] });
    expect(diagnose({ connection: conn(), lastRuns: [some], groups })).toEqual(['Selected group "confluence-admins" is empty (no members in the last sync)']);
  });

  it('reports a selected group that no longer exists, by its last known name', () => {
    const lines = diagnose({ connection: conn(), lastRuns: [run({})], groups: [{ id: 'g1', name: 'confluence-users' }] });
    expect(lines).toEqual(['Selected group "confluence-admins" no longer exists on the site']);
  });

  it('reports a disconnected site with its reason', () => {
    expect(diagnose({ connection: conn({ status: 'disconnected', lastError: 'Grant revoked' }), lastRuns: [run({})], groups })).toEqual(['Disconnected: Grant revoked']);
  });

  it('reports the last sync failure, and a groups permission failure as "cannot read groups"', () => {
    const ok = run({ startedAt: '2026-01-01T00:00:00.000Z' });
    const failed = run({ startedAt: '2026-01-02T00:00:00.000Z', status: 'failed', error: 'still failing after 5 attempts' });
    expect(diagnose({ connection: conn(), lastRuns: [ok, failed], groups })).toEqual(['Last sync failed: still failing after 5 attempts']);
    const denied = run({
      startedAt: '2026-01-03T00:00:00.000Z', status: 'failed', error: 'Permission denied for GET /wiki/rest/api/group/{id}/membersByGroupId: no',
      failure: { kind: 'PermissionError', endpoint: 'GET /wiki/rest/api/group/{id}/membersByGroupId' },
    });
    expect(diagnose({ connection: conn(), lastRuns: [denied, ok], groups })).toEqual([
      'Cannot read groups: Permission denied for GET /wiki/rest/api/group/{id}/membersByGroupId: no',
    ]);
  });

  it('ignores a failure older than the latest success', () => {
    const failed = run({ startedAt: '2026-01-01T00:00:00.000Z', status: 'failed', error: 'x' });
    const ok = run({ startedAt: '2026-01-02T00:00:00.000Z' });
    expect(diagnose({ connection: conn(), lastRuns: [failed, ok], groups })).toEqual([]);
  });
});

describe('diagnose: real-site problems (issue 8)', () => {
  it('says a selected group no longer exists when the last sync found it deleted, once', () => {
    const last = run({ missingGroupIds: ['g2'], groups: [{ id: 'g1', name: 'confluence-users', members: 3, done: true }, { id: 'g2', name: 'confluence-admins', members: 0, done: true }] });
    expect(diagnose({ connection: conn(), lastRuns: [last], groups: [{ id: 'g1', name: 'confluence-users' }] })).toEqual([
      'Selected group "confluence-admins" no longer exists (the last sync found it deleted; group/by-id answered 404)',
    ]);
  });

  it('says the sync is paused by Atlassian\'s rate limit, until when and why', () => {
    const paused = run({ status: 'running', startedAt: '2026-02-01T00:00:00.000Z', pausedUntil: '2026-02-01T01:00:00.000Z', rateLimitReasons: ['confluence-quota-based'] });
    expect(diagnose({ connection: conn(), lastRuns: [paused, run({})], groups })).toEqual([
      "Paused by Atlassian's rate limit until 2026-02-01T01:00:00.000Z (RateLimit-Reason: confluence-quota-based)",
    ]);
  });
});

describe('diagnose: errors outside a sync', () => {
  it('reports the connection\'s last error when no failed run already says it', () => {
    const c = conn({ lastError: 'Permission denied for GET /wiki/rest/api/group: cannot view groups' });
    expect(diagnose({ connection: c, lastRuns: [], groups: [] })).toContain(
      'Last error: Permission denied for GET /wiki/rest/api/group: cannot view groups',
    );
  });

  it('does not repeat the error of the failed last run', () => {
    const failed = run({ status: 'failed', error: 'boom', startedAt: '2026-02-01T00:00:00.000Z' });
    const problems = diagnose({ connection: conn({ lastError: 'boom' }), lastRuns: [failed], groups: [] });
    expect(problems.filter((p) => p.includes('boom'))).toEqual(['Last sync failed: boom']);
  });
});
