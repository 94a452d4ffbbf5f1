/**
 * Phase 1: members of the selected groups, page by page, into the `pages` store. Each page and
 * its checkpoint are one transaction, so a killed worker resumes after the last committed page
 * and a page is never stored twice.
 * Facts: ../shared/atlassian-api.md §3.2–3.3 (membersByGroupId, limit ≤ 200, `_links.next`).
 */
import { MAX_PAGE_LIMIT } from '../atlassian/confluence';
import type { MemberPage, RawMember } from '../atlassian/api';
import { NotFoundError } from '../atlassian/errors';
import { createLimiter, type Limiter } from '../atlassian/limiter';
import type { GroupRef } from '../model';
import type { StoredSyncRun } from '../store/schema';
import { addNote, type SyncContext, updateRun, updateRunInTx } from './context';
import { abortable, SyncStateError, throwIfAborted } from './errors';
import { runPool } from './pool';
import { allRequests, inTransaction } from '../store/tx';
import { OperationsTable, packMember } from './member-codec';

/** The largest page membersByGroupId serves (atlassian-api.md §3.2: limit > 200 → 400). */
export const MEMBERS_PAGE_SIZE = MAX_PAGE_LIMIT;

/** What the rest of the sync learns from the members phase as it goes. */
export interface MembersHooks {
  /** A group's first page (of this run's life) reported the group's size (§3.2 `totalSize`). */
  onTotalSize?(groupId: string, totalSize: number): void;
  /** A non-empty page was stored. */
  onPageStored?(): void;
  /** Start no further group when this says so (a failure elsewhere). */
  stop?(): boolean;
}

/** Groups in progress per request slot: enough that a group waiting on a commit leaves no slot idle. */
const GROUP_LANES_PER_SLOT = 2;

/** What a group's first page (of this run's life) says about the rest. */
interface FirstPage {
  /** Where paging continues (null: the group is complete). */
  nextStart: number | null;
  totalSize: number | undefined;
  /** Members per page, as the first page had them. */
  step: number;
}

/**
 * Two sweeps over the groups, `concurrency × GROUP_LANES_PER_SLOT` groups at a time, sharing one
 * request limiter of `concurrency` slots: first every group's first page (asking its
 * `totalSize`, §3.2 `shouldReturnTotalSize`), so every group's size is known early (it fixes the
 * bucket count, ./background-partition.ts); then the rest of each group. Within a group, pages
 * commit strictly in order (the checkpoint holds one `nextStart` per group), but the request for
 * the next page is already out while the previous page commits, and with a total size the
 * following pages are fetched ahead, up to `concurrency` at once. A page is held from its answer
 * to its commit, and only the groups in progress have pages: a bounded handful, whatever the
 * organisation's size.
 */
export async function fetchMembers(ctx: SyncContext, run: StoredSyncRun, hooks: MembersHooks = {}): Promise<StoredSyncRun> {
  let latest = run;
  const requests = createLimiter(ctx.concurrency);
  const onCommitted = (updated: StoredSyncRun) => {
    latest = updated;
    ctx.report(updated);
  };
  const pending = run.groups.filter((g) => !g.done);
  // Every 'first' item is taken before any 'rest' item, so a group's first page is on its way
  // (in `firstPages`) when its rest starts.
  const firstPages = new Map<string, Promise<FirstPage>>();
  const work = [
    ...pending.map((group) => ({ group, part: 'first' as const })),
    ...pending.map((group) => ({ group, part: 'rest' as const })),
  ];
  await runPool(work, ctx.concurrency * GROUP_LANES_PER_SLOT, async ({ group, part }, stopped) => {
    const lane: GroupRun = { requests, stopped, onCommitted, hooks };
    if (part === 'first') {
      const first = fetchFirstPage(ctx, group, latest.checkpoint?.nextStart[group.id] ?? 0, lane);
      firstPages.set(group.id, first);
      await first;
      return;
    }
    const first = await firstPages.get(group.id);
    if (first) await fetchRest(ctx, group, first, lane);
  }, () => hooks.stop?.() === true);
  return latest;
}

interface GroupRun {
  requests: Limiter;
  stopped: () => boolean;
  onCommitted: (run: StoredSyncRun) => void;
  hooks: MembersHooks;
}

/** The monitored group was deleted on the site: its members are not read (issue 8, item 9). */
class GroupMissingError extends Error {}

/** The words diagnostics and history use for a deleted group. */
export function missingGroupNote(group: GroupRef): string {
  return `Group "${group.name}" no longer exists (GET group/by-id answered 404): its members were not read`;
}

/**
 * Whether the group still exists, asked through the shared limiter: `GET group/by-id` has a
 * documented 404 for a deleted group, while membersByGroupId's answer for one is UNCONFIRMED
 * (atlassian-api.md §3.1, §3.2) — so both its 404 and an empty first page are checked here.
 */
async function groupGone(ctx: SyncContext, group: GroupRef, lane: GroupRun): Promise<boolean> {
  return !(await lane.requests.run(() => abortable(ctx.api.groupExists(group.id), ctx.signal)));
}

/** One page request of `group` through the shared limiter. */
function pageFetcher(ctx: SyncContext, group: GroupRef, lane: GroupRun) {
  return async (start: number, withTotalSize = false): Promise<MemberPage> => {
    try {
      return await lane.requests.run(async () => {
        throwIfAborted(ctx.signal);
        const options = withTotalSize ? { withTotalSize: true } : undefined;
        const page = await abortable(ctx.api.groupMembers(group.id, start, MEMBERS_PAGE_SIZE, options), ctx.signal);
        if (page.nextStart !== null && page.nextStart <= start) {
          throw new SyncStateError(`Member paging of group "${group.name}" did not advance (start ${start})`);
        }
        return page;
      });
    } catch (error) {
      if (error instanceof NotFoundError && (await groupGone(ctx, group, lane))) throw new GroupMissingError();
      throw error;
    }
  };
}

/** Ends a deleted group's paging: done, its pages so far kept, and the run says it is gone. */
async function commitMissingGroup(ctx: SyncContext, group: GroupRef, lane: GroupRun): Promise<void> {
  const run = await updateRun(ctx, (r, checkpoint) => {
    if (checkpoint.phase !== 'members') throw new SyncStateError(`Group "${group.name}" found deleted after the members phase`);
    const entry = r.groups.find((g) => g.id === group.id);
    if (entry) entry.done = true;
    delete checkpoint.nextStart[group.id];
    const missing = (r.missingGroupIds ??= []);
    if (!missing.includes(group.id)) missing.push(group.id);
    addNote(r, missingGroupNote(group), { caveat: true });
  });
  lane.onCommitted(run);
}

/** Commits the page and reports it; resolves once committed. */
async function storePage(ctx: SyncContext, group: GroupRef, start: number, page: MemberPage, lane: GroupRun): Promise<void> {
  const run = await commitPage(ctx, group, start, page.members, page.nextStart, page.skipped);
  lane.onCommitted(run);
  if (page.members.length > 0) lane.hooks.onPageStored?.();
}

async function fetchFirstPage(ctx: SyncContext, group: GroupRef, from: number, lane: GroupRun): Promise<FirstPage> {
  let page: MemberPage;
  try {
    page = await pageFetcher(ctx, group, lane)(from, true);
    // An empty group, or a deleted one answered as empty: only group/by-id tells them apart.
    const empty = page.members.length === 0 && page.skipped === 0 && page.nextStart === null;
    if (empty && from === 0 && (await groupGone(ctx, group, lane))) throw new GroupMissingError();
  } catch (error) {
    if (!(error instanceof GroupMissingError)) throw error;
    lane.hooks.onTotalSize?.(group.id, 0);
    throwIfAborted(ctx.signal);
    await commitMissingGroup(ctx, group, lane);
    return { nextStart: null, totalSize: 0, step: 0 };
  }
  if (page.totalSize !== undefined) lane.hooks.onTotalSize?.(group.id, page.totalSize);
  throwIfAborted(ctx.signal);
  await storePage(ctx, group, from, page, lane);
  return { nextStart: page.nextStart, totalSize: page.totalSize, step: page.members.length + page.skipped };
}

async function fetchRest(ctx: SyncContext, group: GroupRef, first: FirstPage, lane: GroupRun): Promise<void> {
  const fetchPage = pageFetcher(ctx, group, lane);
  // Commits of this group, one at a time and in page order; `committing` is the latest one.
  let committing: Promise<void> = Promise.resolve();
  const commit = async (start: number, page: MemberPage) => {
    await committing;
    throwIfAborted(ctx.signal);
    committing = storePage(ctx, group, start, page, lane);
    committing.catch(() => undefined); // awaited by the next commit or at the end
  };

  try {
    let expected = first.nextStart;
    if (expected !== null && first.totalSize !== undefined && !lane.stopped()) {
      expected = await fetchAhead(first.step, expected, first.totalSize, fetchPage, commit, lane.stopped, ctx.concurrency);
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
    // Deleted during the sync: the pages read before stay (they were its members then).
    if (error instanceof GroupMissingError) {
      throwIfAborted(ctx.signal);
      await commitMissingGroup(ctx, group, lane);
      return;
    }
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
  step: number,
  from: number,
  totalSize: number,
  fetchPage: (start: number) => Promise<MemberPage>,
  commit: (start: number, page: MemberPage) => Promise<void>,
  stopped: () => boolean,
  window: number,
): Promise<number | null> {
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

/**
 * Stores one page as one record (members packed, ./member-codec.ts), with its checkpoint, in one
 * transaction: IndexedDB costs about the same per request whatever the record's size, so a page
 * is one write, not one per member.
 * Accounts are merged across groups later, bucket by bucket (./accounts.ts). `run.accounts`
 * counts memberships until then: distinct accounts are known only once every page is in.
 */
async function commitPage(
  ctx: SyncContext,
  group: GroupRef,
  start: number,
  members: RawMember[],
  nextStart: number | null,
  skipped: number,
): Promise<StoredSyncRun> {
  const tx = ctx.store.db.transaction(['pages', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    const operations = new OperationsTable();
    const packed = members.map((m) => packMember(m, operations));
    const stored = allRequests(members.length > 0
      ? [tx.objectStore('pages').put({
          snapshotId: ctx.snapshotId,
          groupId: group.id,
          groupName: group.name,
          start,
          members: packed,
          operations: operations.lists,
        })]
      : []);
    const run = await updateRunInTx(ctx, tx, (r, checkpoint) => {
      if (checkpoint.phase !== 'members' || checkpoint.nextStart[group.id] !== start) {
        throw new SyncStateError(`Checkpoint of group "${group.name}" moved; page at ${start} not applied`);
      }
      const entry = r.groups.find((g) => g.id === group.id);
      if (entry) {
        entry.members += members.length;
        entry.done = nextStart === null;
      }
      if (nextStart === null) delete checkpoint.nextStart[group.id];
      else checkpoint.nextStart[group.id] = nextStart;
      r.accounts += members.length;
      if (skipped > 0) r.skippedMembers = (r.skippedMembers ?? 0) + skipped;
    });
    await stored;
    return run;
  });
}
