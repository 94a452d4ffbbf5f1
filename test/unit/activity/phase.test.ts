// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrgApiKeyError } from '../../../lib/activity/org-api';
import {
  activityCheckpointSchema,
  fetchedActivitySchema,
  runActivityPhase,
  sourceOfFetched,
  type ActivityCheckpoint,
  type ActivityPhaseOptions,
  type ActivityPhaseStorage,
  type ActivityProgress,
  type FetchedActivity,
} from '../../../lib/activity/phase';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { ACTIVE, DORMANT, LABS_ONLY, NEVER, ORG_KEY, OUTSIDER, orgScenario, resetAdmin } from '../fake-atlassian/admin-support';
import { ACME_CLOUD_ID, ADMIN_ID } from '../fake-atlassian/support';
import { wire, type Wired } from './org-support';

const ACCOUNTS = [ADMIN_ID, ACTIVE, NEVER, DORMANT, LABS_ONLY, OUTSIDER];
const LAST_ACTIVE = 'GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates';
const SEARCH = 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search';
const DAY = 24 * 60 * 60 * 1000;

let fake: FakeAtlassian;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: orgScenario() });
});
afterAll(() => fake.close());
beforeEach(() => resetAdmin(fake));

/** IndexedDB stand-in: records by account, every checkpoint saved, in order. */
function memoryStorage() {
  const records = new Map<string, FetchedActivity>();
  const saved: { records: FetchedActivity[]; checkpoint: ActivityCheckpoint }[] = [];
  const storage: ActivityPhaseStorage = {
    fetchedAt: async (ids) => new Map(ids.flatMap((id) => (records.has(id) ? [[id, (records.get(id) as FetchedActivity).fetchedAt] as const] : []))),
    saveBatch: async (batch, checkpoint) => {
      for (const r of batch) records.set(r.accountId, r);
      saved.push({ records: [...batch], checkpoint });
    },
  };
  return { records, saved, storage, last: () => saved.at(-1)?.checkpoint ?? null };
}

function run(w: Wired, mem: ReturnType<typeof memoryStorage>, extra: Partial<ActivityPhaseOptions> = {}) {
  const progress: ActivityProgress[] = [];
  const result = runActivityPhase({
    api: w.api,
    cloudId: ACME_CLOUD_ID,
    accountIds: ACCOUNTS,
    checkpoint: mem.last(),
    storage: mem.storage,
    batchSize: 2,
    now: w.clock.now,
    onProgress: (p) => progress.push(p),
    ...extra,
  });
  return { result, progress };
}

/** Accounts whose last-active dates were answered (200, or 404 outside the organisation), in request order. */
const lastActiveOrder = () => fake.log.entries.filter((e) => e.endpoint === LAST_ACTIVE && e.status !== 429).map((e) => decodeURIComponent(e.path.split('/')[7] ?? ''));

describe('runActivityPhase: a whole run', () => {
  it('fetches every account in order, a batch at a time, with progress, and stores what it learnt', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    const { result, progress } = run(w, mem);
    const r = await result;
    expect(r.outcome).toBe('done');
    expect(r.checkpoint).toMatchObject({ total: 6, done: 6, notInOrg: 1, pausedUntil: null, searchUnavailable: false });
    expect(r.checkpoint.finishedAt).not.toBeNull();
    expect(lastActiveOrder()).toEqual(ACCOUNTS);
    expect(fake.log.count(SEARCH)).toBe(3);
    expect(mem.saved.map((s) => s.records.length)).toEqual([2, 2, 2, 0]);
    expect(progress).toEqual([{ done: 0, total: 6 }, { done: 2, total: 6 }, { done: 4, total: 6 }, { done: 6, total: 6 }]);

    const strip = ({ fetchedAt: _, ...rest }: FetchedActivity) => rest;
    expect(strip(mem.records.get(ACTIVE) as FetchedActivity)).toEqual({ accountId: ACTIVE, lastActive: '2026-11-20', lastActiveScope: 'site', mfa: 'on', status: 'active', addedToOrg: '2021-03-03', inOrg: true });
    expect(strip(mem.records.get(NEVER) as FetchedActivity)).toMatchObject({ lastActive: 'never', mfa: null, inOrg: true });
    expect(strip(mem.records.get(DORMANT) as FetchedActivity)).toMatchObject({ lastActive: '2025-12-14', mfa: 'off', status: 'inactive' });
    expect(strip(mem.records.get(LABS_ONLY) as FetchedActivity)).toMatchObject({ lastActive: null, mfa: 'on' });
    expect(strip(mem.records.get(OUTSIDER) as FetchedActivity)).toEqual({ accountId: OUTSIDER, lastActive: null, lastActiveScope: 'site', mfa: null, status: null, addedToOrg: null, inOrg: false });
    for (const rec of mem.records.values()) expect(fetchedActivitySchema.safeParse(rec).success).toBe(true);
    for (const s of mem.saved) expect(activityCheckpointSchema.safeParse(s.checkpoint).success).toBe(true);
  });

  it('sends the key nowhere but api.atlassian.com/admin', async () => {
    const w = wire(fake);
    await run(w, memoryStorage()).result;
    expect(w.sent.length).toBeGreaterThan(0);
    for (const s of w.sent) expect(s.url.startsWith('https://api.atlassian.com/admin/')).toBe(true);
    expect(fake.log.entries.every((e) => e.host === 'api.atlassian.com' && e.path.startsWith('/admin/'))).toBe(true);
  });
});

describe('runActivityPhase: at most daily', () => {
  it('a second run the same day sends no request; a day later every account is fetched again', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    await run(w, mem).result;
    fake.log.reset();

    const again = await run(w, mem).result;
    expect(again).toMatchObject({ outcome: 'done', checkpoint: { total: 0, done: 0 } });
    expect(fake.log.count()).toBe(0);

    await w.clock.sleep(DAY);
    const tomorrow = await run(w, mem).result;
    expect(tomorrow.checkpoint).toMatchObject({ total: 6, done: 6 });
    expect(fake.log.count(LAST_ACTIVE)).toBe(6);
  });

  it('only the accounts fetched more than a day ago are due', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    const t = w.clock.now();
    const stale: FetchedActivity = { accountId: ACTIVE, lastActive: null, lastActiveScope: 'site', mfa: null, status: null, addedToOrg: null, fetchedAt: t - DAY - 1, inOrg: true };
    mem.records.set(ACTIVE, stale);
    mem.records.set(NEVER, { ...stale, accountId: NEVER, fetchedAt: t - DAY + 60_000 });
    const r = await run(w, mem).result;
    expect(r.checkpoint.total).toBe(5);
    expect(lastActiveOrder()).not.toContain(NEVER);
    expect(lastActiveOrder()).toContain(ACTIVE);
  });
});

describe('runActivityPhase: resumable', () => {
  it('after an abort (the worker stopping), a call with the stored checkpoint goes on where the last batch ended', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    const controller = new AbortController();
    const storage: ActivityPhaseStorage = {
      fetchedAt: mem.storage.fetchedAt,
      saveBatch: async (records, checkpoint) => {
        await mem.storage.saveBatch(records, checkpoint);
        if (mem.saved.length === 2) controller.abort();
      },
    };
    const first = await run(w, mem, { storage, signal: controller.signal }).result;
    expect(first).toMatchObject({ outcome: 'aborted', checkpoint: { done: 4, total: 6, finishedAt: null } });
    expect(lastActiveOrder()).toEqual(ACCOUNTS.slice(0, 4));
    fake.log.reset();

    const { result, progress } = run(w, mem);
    const second = await result;
    expect(second).toMatchObject({ outcome: 'done', checkpoint: { done: 6, total: 6, startedAt: first.checkpoint.startedAt } });
    expect(lastActiveOrder()).toEqual(ACCOUNTS.slice(4));
    expect(progress[0]).toEqual({ done: 4, total: 6 });
  });

  it('a batch that was never stored is fetched again', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    let calls = 0;
    const dying: ActivityPhaseStorage = {
      fetchedAt: mem.storage.fetchedAt,
      saveBatch: async (records, checkpoint) => {
        if (++calls === 2) throw new Error('the worker was stopped');
        await mem.storage.saveBatch(records, checkpoint);
      },
    };
    await expect(run(w, mem, { storage: dying }).result).rejects.toThrow('the worker was stopped');
    fake.log.reset();
    const r = await run(w, mem).result;
    expect(r.checkpoint).toMatchObject({ done: 6, total: 6 });
    expect(lastActiveOrder()).toEqual(ACCOUNTS.slice(2));
  });

  it('a finished run, or another organisation\'s checkpoint, starts a new run', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    const done = await run(w, mem).result;
    await w.clock.sleep(DAY);
    const next = await run(w, mem, { checkpoint: done.checkpoint }).result;
    expect(next.checkpoint.startedAt).toBeGreaterThan(done.checkpoint.startedAt);
    expect(next.checkpoint.done).toBe(6);
    await w.clock.sleep(DAY);
    const foreign = await run(w, mem, { checkpoint: { ...next.checkpoint, orgId: 'another-org', finishedAt: null, done: 5 } }).result;
    expect(foreign.checkpoint).toMatchObject({ done: 6, total: 6 });
  });
});

describe('runActivityPhase: Atlassian\'s rate limit', () => {
  it('with a budget under the limit, never gets a 429', async () => {
    fake.admin.setRateLimit({ limit: 5, windowMs: 60_000 });
    const w = wire(fake, { perMinute: 4 });
    const r = await run(w, memoryStorage()).result;
    expect(r.outcome).toBe('done');
    expect(fake.log.entries.some((e) => e.status === 429)).toBe(false);
    expect(fake.log.count()).toBe(9);
  });

  it('with a budget over the limit, waits out each 429 (Retry-After) and still finishes', async () => {
    fake.admin.setRateLimit({ limit: 5, windowMs: 60_000 });
    const w = wire(fake, { perMinute: 1000 });
    const mem = memoryStorage();
    const r = await run(w, mem).result;
    expect(r.outcome).toBe('done');
    expect(mem.records.size).toBe(6);
    const statuses = fake.log.entries.map((e) => e.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(9);
    expect(w.clock.sleeps.some((ms) => ms >= 50_000)).toBe(true);
  });

  it('a long wait pauses the run with the time to resume; an early call sends nothing; a call then finishes it', async () => {
    fake.admin.setRateLimit({ limit: 4, windowMs: 10 * 60_000 });
    const w = wire(fake, { perMinute: 1000 });
    const mem = memoryStorage();
    const first = await run(w, mem, { batchSize: 6 }).result;
    if (first.outcome !== 'paused') throw new Error(`expected paused, got ${first.outcome}`);
    expect(first.checkpoint).toMatchObject({ done: 3, pausedUntil: first.resumeAt });
    expect(first.resumeAt - w.clock.now()).toBeGreaterThan(9 * 60_000);
    expect(mem.records.size).toBe(3);
    fake.log.reset();

    const early = await run(w, mem, { batchSize: 6 }).result;
    expect(early).toMatchObject({ outcome: 'paused', resumeAt: first.resumeAt });
    expect(fake.log.count()).toBe(0);

    await w.clock.sleep(first.resumeAt - w.clock.now());
    const last = await run(w, mem, { batchSize: 6 }).result;
    expect(last).toMatchObject({ outcome: 'done', checkpoint: { done: 6, total: 6, pausedUntil: null } });
    expect(fake.log.entries.some((e) => e.status === 429)).toBe(false);
  });
});

describe('runActivityPhase: failures', () => {
  it('a revoked key fails the run with a message free of the key, keeping what was fetched', async () => {
    const w = wire(fake);
    const mem = memoryStorage();
    const storage: ActivityPhaseStorage = {
      fetchedAt: mem.storage.fetchedAt,
      saveBatch: async (records, checkpoint) => {
        await mem.storage.saveBatch(records, checkpoint);
        if (mem.saved.length === 1) fake.admin.organisation?.apiKeys.splice(0, Infinity, 'a-new-key');
      },
    };
    const r = await run(w, mem, { storage }).result;
    if (r.outcome !== 'failed') throw new Error(`expected failed, got ${r.outcome}`);
    expect(r.error).toBeInstanceOf(OrgApiKeyError);
    expect(r.error.message).not.toContain(ORG_KEY);
    expect(r.checkpoint).toMatchObject({ done: 2, finishedAt: null });
    expect([...mem.records.keys()]).toEqual(ACCOUNTS.slice(0, 2));
  });

  it('an organisation without the user search still gets last activity; 2SV stays unknown; asked once', async () => {
    fake.admin.searchAvailable = false;
    const w = wire(fake);
    const mem = memoryStorage();
    const r = await run(w, mem).result;
    expect(r).toMatchObject({ outcome: 'done', checkpoint: { done: 6, searchUnavailable: true } });
    expect(fake.log.count(SEARCH)).toBe(1);
    expect([...mem.records.values()].every((rec) => rec.mfa === null)).toBe(true);
    expect(mem.records.get(DORMANT)?.lastActive).toBe('2025-12-14');
  });
});

describe('sourceOfFetched', () => {
  it('cites the API on the admin\'s local day of the fetch', () => {
    const fetchedAt = Date.UTC(2026, 10, 26, 23, 30);
    expect(sourceOfFetched({ fetchedAt }, 'UTC')).toEqual({ kind: 'org-api', date: '2026-11-26' });
    expect(sourceOfFetched({ fetchedAt }, 'Asia/Tokyo')).toEqual({ kind: 'org-api', date: '2026-11-27' });
  });
});
