/**
 * Phase 1: members of the selected groups, page by page, into the run's staging snapshot.
 * Each page and its checkpoint are one transaction, so a killed worker resumes after the last
 * committed page and a page is never merged twice.
 * Facts: ../shared/atlassian-api.md §3.2–3.3 (membersByGroupId, limit ≤ 200, `_links.next`).
 */
import type { MemberPage, RawMember } from '../atlassian/api';
import { createLimiter, type Limiter } from '../atlassian/limiter';
import type { GroupRef } from '../model';
import type { StagedAccount, StoredSyncRun } from '../store/schema';
import { type SyncContext, updateRunInTx } from './context';
import { abortable, SyncStateError, throwIfAborted } from './errors';
import { runPool } from './pool';
import { inTransaction } from '../store/tx';
import { getMany, putMany, rawStore } from './bulk';

/** atlassian-api.md §3.2: limit > 200 → 400. */
export const MEMBERS_PAGE_SIZE = 200;

/**
 * Groups run `concurrency` at a time and share one request limiter of the same size. Within a
 * group, pages commit strictly in order (the checkpoint holds one `nextStart` per group), but the
 * request for the next page is already out while the previous page commits, and when the first
 * page reports `totalSize` (§3.2 `shouldReturnTotalSize`) the following pages are fetched ahead,
 * up to `concurrency` at once. At most a handful of pages per group are held in memory, whatever
 * the group's size.
 */
export async function fetchMembers(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  let latest = run;
  const requests = createLimiter(ctx.concurrency);
  const onCommitted = (updated: StoredSyncRun) => {
    latest = updated;
    ctx.report(updated);
  };
  const pending = run.groups.filter((g) => !g.done);
  await runPool(pending, ctx.concurrency, async (group, stopped) => {
    const from = latest.checkpoint?.nextStart[group.id] ?? 0;
    await fetchGroup(ctx, group, from, { requests, stopped, onCommitted });
  });
  return latest;
}

interface GroupRun {
  requests: Limiter;
  stopped: () => boolean;
  onCommitted: (run: StoredSyncRun) => void;
}

async function fetchGroup(ctx: SyncContext, group: GroupRef, from: number, lane: GroupRun): Promise<void> {
  const fetchPage = (start: number, withTotalSize = false) =>
    lane.requests.run(async () => {
      throwIfAborted(ctx.signal);
      const options = withTotalSize ? { withTotalSize: true } : undefined;
      const page = await abortable(ctx.api.groupMembers(group.id, start, MEMBERS_PAGE_SIZE, options), ctx.signal);
      if (page.nextStart !== null && page.nextStart <= start) {
        throw new SyncStateError(`Member paging of group "${group.name}" did not advance (start ${start})`);
      }
      return page;
    });

  // Commits of this group, one at a time and in page order; `committing` is the latest one.
  let committing: Promise<void> = Promise.resolve();
  const commit = async (start: number, page: MemberPage) => {
    await committing;
    throwIfAborted(ctx.signal);
    committing = commitPage(ctx, group, start, page.members, page.nextStart).then(lane.onCommitted);
    committing.catch(() => undefined); // awaited by the next commit or at the end
  };

  try {
    const first = await fetchPage(from, true);
    await commit(from, first);
    let expected = first.nextStart;
    if (expected !== null && first.totalSize !== undefined && !lane.stopped()) {
      expected = await fetchAhead(first, expected, first.totalSize, fetchPage, commit, lane.stopped, ctx.concurrency);
    }
    // One page after another (no total size, or the group grew since it was reported).
    while (expected !== null && !lane.stopped()) {
      const start = expected;
      const page = await fetchPage(start);
      await commit(start, page);
      expected = page.nextStart;
    }
    await committing;
  } catch (error) {
    // Nothing of this group may still be writing when the caller cleans up.
    await committing.catch(() => undefined);
    throw error;
  }
}

/**
 * Fetches the pages the total size predicts, `window` ahead, and commits them in order. A page
 * is committed only where the previous one said the next starts (`_links.next`, §3.3): if the
 * group changed since its size was reported, the rest of the prediction is dropped. Returns where
 * paging continues (null when the group is complete).
 */
async function fetchAhead(
  first: MemberPage,
  from: number,
  totalSize: number,
  fetchPage: (start: number) => Promise<MemberPage>,
  commit: (start: number, page: MemberPage) => Promise<void>,
  stopped: () => boolean,
  window: number,
): Promise<number | null> {
  const step = first.members.length;
  if (step === 0) return from;
  const starts: number[] = [];
  for (let s = from; s < totalSize; s += step) starts.push(s);
  const ahead: { start: number; page: Promise<MemberPage> }[] = [];
  let next = 0;
  const refill = () => {
    while (ahead.length < window && next < starts.length && !stopped()) {
      const start = starts[next++] as number;
      const page = fetchPage(start);
      page.catch(() => undefined); // awaited in order below, or settled when dropped
      ahead.push({ start, page });
    }
  };
  let expected: number | null = from;
  try {
    refill();
    for (let head = ahead[0]; head; head = ahead[0]) {
      if (expected === null || head.start !== expected || stopped()) break;
      ahead.shift();
      const page = await head.page;
      await commit(head.start, page);
      expected = page.nextStart;
      refill();
    }
  } finally {
    await Promise.allSettled(ahead.map((a) => a.page));
  }
  return expected;
}

/** Later fields win unless empty: the same account seen through another group fills gaps only. */
function mergeMember(previous: RawMember, next: RawMember): RawMember {
  const merged: RawMember = { ...previous };
  for (const key of Object.keys(next) as (keyof RawMember)[]) {
    const value = next[key];
    if (value !== null && value !== '') (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function withGroup(groups: GroupRef[], group: GroupRef): GroupRef[] {
  return groups.some((g) => g.id === group.id) ? groups : [...groups, { id: group.id, name: group.name }];
}

async function commitPage(
  ctx: SyncContext,
  group: GroupRef,
  start: number,
  rawMembers: RawMember[],
  nextStart: number | null,
): Promise<StoredSyncRun> {
  // An account listed twice in one page is merged once; accounts without an id cannot be keyed.
  const members = [...new Map(rawMembers.filter((m) => m.accountId !== '').map((m) => [m.accountId, m])).values()];
  const tx = ctx.store.db.transaction(['staging', 'syncRuns'], 'readwrite');
  const staging = rawStore(tx.objectStore('staging'));
  return inTransaction(tx, async () => {
    const existing = await getMany<StagedAccount>(staging, members.map((m) => [ctx.snapshotId, m.accountId]));
    putMany(staging, members.map((member, i): StagedAccount => {
      const previous = existing[i];
      return previous
        ? { ...previous, member: mergeMember(previous.member, member), groups: withGroup(previous.groups, group) }
        : { snapshotId: ctx.snapshotId, accountId: member.accountId, member, groups: [{ id: group.id, name: group.name }] };
    }));
    const added = existing.filter((e) => e === undefined).length;
    return updateRunInTx(ctx, tx, (r, checkpoint) => {
      if (checkpoint.phase !== 'members' || checkpoint.nextStart[group.id] !== start) {
        throw new SyncStateError(`Checkpoint of group "${group.name}" moved; page at ${start} not applied`);
      }
      const entry = r.groups.find((g) => g.id === group.id);
      if (entry) {
        entry.members += rawMembers.length;
        entry.done = nextStart === null;
      }
      if (nextStart === null) delete checkpoint.nextStart[group.id];
      else checkpoint.nextStart[group.id] = nextStart;
      r.accounts += added;
    });
  });
}
