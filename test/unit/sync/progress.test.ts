import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../lib/messages';
import type { StoredSyncRun } from '../../../lib/store/schema';
import { progressReporter } from '../../../lib/sync/context';

const run: StoredSyncRun = {
  id: 'r', site: 's', startedAt: 't0', endedAt: null, status: 'running', trigger: 'manual', error: null,
  groups: [{ id: 'a', name: 'a', members: 5, done: true }, { id: 'b', name: 'b', members: 0, done: false }],
  accounts: 5, requests: 1, notes: [],
  checkpoint: { snapshotId: 'r', phase: 'members', nextStart: { b: 0 }, cursor: null, useJira: false, jiraDisabled: false },
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
});
