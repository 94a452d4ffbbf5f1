/**
 * Member paging with a reported total size (atlassian-api.md §3.2 `shouldReturnTotalSize`): the
 * pages after a group's first are fetched ahead, in parallel, yet committed strictly in order,
 * and a stale total (the group changed) never loses or invents members.
 */
import { describe, expect, it, vi } from 'vitest';
import type { GroupMembersOptions, MemberPage } from '../../../lib/atlassian/api';
import { findResumableRun } from '../../../lib/sync/gc';
import { activeAccounts, connectedStore, settle, sync } from './engine-helpers';
import { FakeConfluenceApi, type FakeData, type Interceptor, members } from './fake-api';

const G1 = { id: 'g1', name: 'confluence-users' };

/** Answers `totalSize` when asked: the group's real size, or `reportedTotal` (a stale figure). */
class TotalSizeApi extends FakeConfluenceApi {
  readonly askedTotal: number[] = [];
  /** Most member pages requested at once (maxInFlight also counts the users-bulk phase). */
  maxPagesInFlight = 0;
  private pagesInFlight = 0;
  constructor(
    private readonly groups: FakeData,
    private readonly reportedTotal?: number,
    intercept?: Interceptor,
  ) {
    super(groups, intercept);
  }

  override async groupMembers(groupId: string, start: number, limit = 200, options?: GroupMembersOptions): Promise<MemberPage> {
    this.maxPagesInFlight = Math.max(this.maxPagesInFlight, ++this.pagesInFlight);
    const page = await super.groupMembers(groupId, start, limit).finally(() => this.pagesInFlight--);
    if (!options?.withTotalSize) return page;
    this.askedTotal.push(start);
    return { ...page, totalSize: this.reportedTotal ?? this.groups.members[groupId]?.length ?? 0 };
  }
}

const starts = (api: FakeConfluenceApi) => api.callsOf('groupMembers').map((c) => c.start);

async function reference(count: number) {
  const store = await connectedStore();
  await sync(store, new FakeConfluenceApi({ members: { g1: members('u', count) } }), [G1]);
  return activeAccounts(store);
}

describe('member paging with a total size', () => {
  it('fetches the later pages of one group in parallel, asks the total only once, and ends like page-by-page paging', async () => {
    const store = await connectedStore();
    const api = new TotalSizeApi({ members: { g1: members('u', 1000) } });
    const run = await sync(store, api, [G1], { concurrency: 4 });
    expect(api.askedTotal).toEqual([0]);
    expect([...starts(api)].sort((a, b) => a - b)).toEqual([0, 200, 400, 600, 800]);
    expect(api.maxPagesInFlight).toBeGreaterThanOrEqual(2);
    expect(api.maxPagesInFlight).toBeLessThanOrEqual(4);
    expect(run.groups).toEqual([{ ...G1, members: 1000, done: true }]);
    expect(await activeAccounts(store)).toEqual(await reference(1000));
  });

  it('a group that shrank since its total was reported ends at its real last page', async () => {
    const store = await connectedStore();
    const api = new TotalSizeApi({ members: { g1: members('u', 650) } }, 1400);
    const run = await sync(store, api, [G1], { concurrency: 4 });
    expect(run.status).toBe('succeeded');
    expect(run.groups).toEqual([{ ...G1, members: 650, done: true }]);
    expect(await activeAccounts(store)).toEqual(await reference(650));
  });

  it('a group that grew since its total was reported is read to its end, page by page', async () => {
    const store = await connectedStore();
    const api = new TotalSizeApi({ members: { g1: members('u', 900) } }, 400);
    const run = await sync(store, api, [G1], { concurrency: 4 });
    expect(run.groups).toEqual([{ ...G1, members: 900, done: true }]);
    expect(starts(api).slice(-3)).toEqual([400, 600, 800]);
    expect(await activeAccounts(store)).toEqual(await reference(900));
  });

  it('pages fetched ahead are not committed before the page they follow; a resume starts at that page', async () => {
    const store = await connectedStore();
    let dead = false;
    const first = new TotalSizeApi({ members: { g1: members('u', 1000) } }, undefined, (call) => {
      if (call.method === 'groupMembers' && call.start === 400) dead = true;
      return call.method === 'groupMembers' && call.start === 400 ? 'hang' : undefined;
    });
    void sync(store, first, [G1], { concurrency: 4 });
    await vi.waitFor(() => expect(dead).toBe(true), { timeout: 5000, interval: 5 });
    await vi.waitFor(() => expect(starts(first)).toEqual(expect.arrayContaining([600, 800])), { timeout: 5000, interval: 5 });
    await settle();
    const run = await findResumableRun(store, 'https://acme.atlassian.net');
    expect(run?.checkpoint?.nextStart).toEqual({ g1: 400 });
    expect(run?.groups).toEqual([{ ...G1, members: 400, done: false }]);

    const again = new TotalSizeApi({ members: { g1: members('u', 1000) } });
    const resumed = await sync(store, again, [G1], { runId: run?.id, concurrency: 4 });
    expect(Math.min(...starts(again))).toBe(400);
    expect(resumed.groups).toEqual([{ ...G1, members: 1000, done: true }]);
    expect(await activeAccounts(store)).toEqual(await reference(1000));
  });
});
