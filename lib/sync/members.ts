/**
 * Phase 1: members of the selected groups, page by page, into the run's staging snapshot.
 * Each page and its checkpoint are one transaction, so a killed worker resumes after the last
 * committed page and a page is never merged twice.
 * Facts: ../shared/atlassian-api.md §3.2–3.3 (membersByGroupId, limit ≤ 200, `_links.next`).
 */
import type { RawMember } from '../atlassian/api';
import type { GroupRef } from '../model';
import type { StagedAccount, StoredSyncRun } from '../store/schema';
import { type SyncContext, updateRunInTx } from './context';
import { abortable, SyncStateError, throwIfAborted } from './errors';
import { runPool } from './pool';
import { allRequests, inTransaction } from '../store/tx';

/** atlassian-api.md §3.2: limit > 200 → 400. */
export const MEMBERS_PAGE_SIZE = 200;

export async function fetchMembers(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  let latest = run;
  const pending = run.groups.filter((g) => !g.done);
  // One lane per group, pages in order: the api's own limiter caps the real request rate.
  await runPool(pending, ctx.concurrency, async (group, stopped) => {
    let start = latest.checkpoint?.nextStart[group.id] ?? 0;
    for (;;) {
      throwIfAborted(ctx.signal);
      const page = await abortable(ctx.api.groupMembers(group.id, start, MEMBERS_PAGE_SIZE), ctx.signal);
      if (page.nextStart !== null && page.nextStart <= start) {
        throw new SyncStateError(`Member paging of group "${group.name}" did not advance (start ${start})`);
      }
      throwIfAborted(ctx.signal);
      latest = await commitPage(ctx, group, start, page.members, page.nextStart);
      ctx.report(latest);
      if (page.nextStart === null || stopped()) return;
      start = page.nextStart;
    }
  });
  return latest;
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
  const staging = tx.objectStore('staging');
  return inTransaction(tx, async () => {
    const existing = await Promise.all(members.map((m) => staging.get([ctx.snapshotId, m.accountId])));
    const writes = allRequests(members.map((member, i) => {
      const previous = existing[i];
      const record: StagedAccount = previous
        ? { ...previous, member: mergeMember(previous.member, member), groups: withGroup(previous.groups, group) }
        : { snapshotId: ctx.snapshotId, accountId: member.accountId, member, groups: [{ id: group.id, name: group.name }] };
      return staging.put(record);
    }));
    const added = existing.filter((e) => e === undefined).length;
    const run = await updateRunInTx(ctx, tx, (r, checkpoint) => {
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
    await writes;
    return run;
  });
}
