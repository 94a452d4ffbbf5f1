/**
 * Phase 1: members of the selected groups, page by page. Pages are committed, each with its
 * checkpoint, by the phase's writer (./member-writer.ts), so a killed worker resumes after the
 * last committed page and a page is never stored twice.
 * Facts: ../shared/atlassian-api.md §3.2–3.3 (membersByGroupId, limit ≤ 200, `_links.next`).
 */
import { MAX_PAGE_LIMIT } from '../atlassian/confluence';
import type { MemberPage } from '../atlassian/api';
import { NotFoundError } from '../atlassian/errors';
import { createLimiter, type Limiter } from '../atlassian/limiter';
import type { GroupRef } from '../model';
import type { StoredSyncRun } from '../store/schema';
import type { SyncContext } from './context';
import { abortable, SyncStateError, throwIfAborted } from './errors';
import type { MemberWriter } from './member-writer';
import { runPool } from './pool';

export { missingGroupNote } from './member-writer';

/** The largest page membersByGroupId serves (atlassian-api.md §3.2: limit > 200 → 400). */
export const MEMBERS_PAGE_SIZE = MAX_PAGE_LIMIT;

/** What the rest of the sync learns from the members phase as it goes. */
export interface MembersHooks {
  /** A group's first page (of this run's life) reported the group's size (§3.2 `totalSize`). */
  onTotalSize?(groupId: string, totalSize: number): void;
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
 * are handed to the writer strictly in order and commit in that order (the checkpoint holds one
 * `nextStart` per group); with a total size the following pages are fetched ahead, up to
 * `concurrency` at once. Lanes never wait for a commit: the requests are the phase's pace, and
 * IndexedDB's latency stays off their path. A page is held from its answer to its commit, and
 * the writer lets no lane ask for more while MAX_UNCOMMITTED_PAGES wait (./member-writer.ts): a
 * bounded handful, whatever the organisation's size.
 */
export async function fetchMembers(ctx: SyncContext, run: StoredSyncRun, writer: MemberWriter, hooks: MembersHooks = {}): Promise<void> {
  const requests = createLimiter(ctx.concurrency);
  const pending = run.groups.filter((g) => !g.done);
  // Every 'first' item is taken before any 'rest' item, so a group's first page is on its way
  // (in `firstPages`) when its rest starts.
  const firstPages = new Map<string, Promise<FirstPage>>();
  const work = [
    ...pending.map((group) => ({ group, part: 'first' as const })),
    ...pending.map((group) => ({ group, part: 'rest' as const })),
  ];
  await runPool(work, ctx.concurrency * GROUP_LANES_PER_SLOT, async ({ group, part }, stopped) => {
    const lane: GroupRun = { requests, stopped, writer, hooks };
    if (part === 'first') {
      const first = fetchFirstPage(ctx, group, run.checkpoint?.nextStart[group.id] ?? 0, lane);
      firstPages.set(group.id, first);
      await first;
      return;
    }
    const first = await firstPages.get(group.id);
    if (first) await fetchRest(ctx, group, first, lane);
  }, () => hooks.stop?.() === true || writer.failed);
}

interface GroupRun {
  requests: Limiter;
  stopped: () => boolean;
  writer: MemberWriter;
  hooks: MembersHooks;
}

/** The monitored group was deleted on the site: its members are not read (issue 8, item 9). */
class GroupMissingError extends Error {}

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
      // No further page while the writer is this far behind: pages wait in memory until written.
      await lane.writer.room();
      // The slot is free once the answer is in: the next request need not wait for this one's parsing.
      return await lane.requests.runReleasable(async (answered) => {
        throwIfAborted(ctx.signal);
        const options = withTotalSize ? { withTotalSize: true, onAnswered: answered } : { onAnswered: answered };
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
    lane.writer.missing(group).catch(() => undefined);
    return { nextStart: null, totalSize: 0, step: 0 };
  }
  if (page.totalSize !== undefined) lane.hooks.onTotalSize?.(group.id, page.totalSize);
  throwIfAborted(ctx.signal);
  lane.writer.check();
  lane.writer.page(group, from, page).catch(() => undefined); // a failed write fails the writer, and so the phase
  return { nextStart: page.nextStart, totalSize: page.totalSize, step: page.members.length + page.skipped };
}

async function fetchRest(ctx: SyncContext, group: GroupRef, first: FirstPage, lane: GroupRun): Promise<void> {
  const fetchPage = pageFetcher(ctx, group, lane);
  // Pages go to the writer in order (it keeps its queue's order) and the lane moves on: a failed
  // write fails the writer, which stops the phase and fails it at its end.
  const commit = async (start: number, page: MemberPage) => {
    throwIfAborted(ctx.signal);
    lane.writer.check();
    lane.writer.page(group, start, page).catch(() => undefined);
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
  } catch (error) {
    // Deleted during the sync: the pages read before stay (they were its members then).
    if (error instanceof GroupMissingError) {
      throwIfAborted(ctx.signal);
      lane.writer.missing(group).catch(() => undefined);
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

