import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../lib/messages';
import type { StoredSyncRun } from '../../../lib/store/schema';
import { progressReporter } from '../../../lib/sync/context';

const run: StoredSyncRun = {
  id: 'r', site: 's', startedAt: 't0', endedAt: null, status: 'running', trigger: 'manual', error: null,
  groups: [{ id: 'a', name: 'a', members: 5, done: true }, { id: 'b', name: 'b', members: 0, done: false }],
  accounts: 5, requests: 1, notes: [],
  checkpoint: {
    snapshotId: 'r', phase: 'members', nextStart: { b: 0 }, buckets: 0, nextBatch: 0, nextBucket: 0, accounts: 0,
    useJira: false, jiraDisabled: false,
  },
};

describe('progressReporter', () => {
  it('reports at most once per interval unless forced', () => {
    let now = 1000;
    const seen: SyncProgress[] = [];
    const report = progressReporter((p) => seen.push(p), 100, () => now);
    report(run);
    now += 50;
    report(run);
    now += 20;
    report(run, true);
    now += 99;
    report(run);
    now += 1;
    report(run);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual({ runId: 'r', startedAt: 't0', groupsDone: 1, groupsTotal: 2, accountsFetched: 5, phase: 'members' });
  });

  it('shows the partition and accounts phases as the status lookups, and an ended run as finishing', () => {
    const phases: SyncProgress['phase'][] = [];
    const report = progressReporter((p) => phases.push(p.phase), 100, () => 0);
    const at = (phase: 'members' | 'partition' | 'accounts') => ({ ...run, checkpoint: run.checkpoint && { ...run.checkpoint, phase } });
    report(at('members'), true);
    report(at('partition'), true);
    report(at('accounts'), true);
    report({ ...run, checkpoint: null }, true);
    expect(phases).toEqual(['members', 'status', 'status', 'finishing']);
  });
});
