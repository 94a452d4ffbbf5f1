/// <reference types="chrome" />
/**
 * Chaos (issue 12): the real extension in Chromium against the strict fake, with Atlassian and the
 * browser misbehaving the ways they do —
 * 1. 429s (with Retry-After), 503s and dropped connections throughout a 5,000-account sync: the
 *    export is exactly the fault-free one;
 * 2. the service worker stopped three times during one sync: the same result, no duplicate, and
 *    nothing committed (no finished group) fetched again;
 * 3. two pages and an alarm needing the OAuth token at the moment it expires: one refresh, and
 *    the rotated refresh token never spent twice (atlassian-api.md §1.4);
 * 4. malformed answers (a missing field, a wrong type, truncated JSON, HTML instead of JSON): the
 *    sync fails naming the endpoint, and the previous snapshot stays.
 */
import fs from 'node:fs';
import type { Page, Worker } from '@playwright/test';
import type { DiagnosticsResponse, StateResponse } from '../../lib/messages';
import type { SyncRunRecord } from '../../lib/model';
import { generateOrganisation, rosterFor, type FakeAtlassian, type MalformedKind } from '../fake-atlassian/index';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, connectWithOAuth, DEMO, importRoster, reviewOf, stopServiceWorker, waitForSyncIdle } from '../support/driver';

/** Endpoint keys of the fake's request log. */
const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';
const USERS_BULK = 'POST /wiki/api/v2/users-bulk';
const TOKEN = 'POST /oauth/token';
const HOUR = 3_600_000;

async function state(page: Page): Promise<StateResponse['sites'][number]> {
  const [site] = (await ask<StateResponse>(page, { type: 'getState' })).sites;
  if (!site) throw new Error('no site is connected');
  return site;
}

async function history(page: Page): Promise<SyncRunRecord[]> {
  return (await ask<DiagnosticsResponse>(page, { type: 'getDiagnostics', site: DEMO.siteUrl })).history;
}

/** The export as the side panel fetches it: `exportReview` part by part (components/ExportButtons.tsx). */
async function exportOf(page: Page, format: 'csv' | 'json'): Promise<string> {
  type Part = { exportId: string; parts: number; text: string } | { error: string };
  const first = await ask<Part>(page, { type: 'exportReview', site: DEMO.siteUrl, format, part: 0 });
  if ('error' in first) throw new Error(`exportReview failed: ${first.error}`);
  const texts = [first.text];
  for (let part = 1; part < first.parts; part++) {
    const next = await ask<Part>(page, { type: 'exportReview', site: DEMO.siteUrl, format, part, exportId: first.exportId });
    if ('error' in next) throw new Error(`exportReview part ${part} failed: ${next.error}`);
    texts.push(next.text);
  }
  return texts.join('');
}

/** The export downloaded with the side panel's "Export CSV" / "Export JSON" button. */
async function downloadExport(panel: Page, format: 'csv' | 'json'): Promise<string> {
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: format === 'csv' ? 'Export CSV' : 'Export JSON' }).click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

/**
 * The JSON export with its time fields (lib/review/export.ts: `exportedAt`, `lastSyncedAt`, and
 * with a roster its `importedAt`) replaced by a placeholder, and those times — everything else
 * stays byte for byte. Each time field must be there exactly once.
 */
function withoutTimes(json: string, { roster = false } = {}): { text: string; times: Record<string, string> } {
  const times: Record<string, string> = {};
  let text = json;
  const fields = [['exportedAt', '  '], ['lastSyncedAt', '  '], ...(roster ? [['importedAt', '    ']] : [])];
  expect(text).toContain(roster ? '"roster": {' : '"roster": null');
  for (const [name, indent] of fields as [string, string][]) {
    const re = new RegExp(`^${indent}"${name}": "([^"]+)"`, 'gm');
    const found = [...text.matchAll(re)];
    expect(found, `${name} in the JSON export`).toHaveLength(1);
    times[name] = found[0]![1]!;
    expect(Date.parse(times[name]!), name).not.toBeNaN();
    text = text.replace(re, `${indent}"${name}": "<time>"`);
  }
  return { text, times };
}

/** The account ids the fake says are members of the groups the site tracks. */
async function expectedMembers(page: Page, fake: FakeAtlassian): Promise<Set<string>> {
  const tracked = (await state(page)).selectedGroupIds;
  return new Set(fake.state.site('acme').site.groups.filter((g) => tracked.includes(g.id)).flatMap((g) => g.members));
}

/** The worker-only test hook (entrypoints/background/index.ts): no page can reach it. */
async function workerHook(worker: Worker, call: { advanceClock: number } | { fireAlarm: string }): Promise<void> {
  await worker.evaluate((c) => {
    const hook = (globalThis as { accessLensTest?: { advanceClock(ms: number): void; fireAlarm(name: string): void } }).accessLensTest!;
    if ('advanceClock' in c) hook.advanceClock(c.advanceClock);
    else hook.fireAlarm(c.fireAlarm);
  }, call);
}

async function syncNow(page: Page): Promise<void> {
  const answer = await ask<{ started: string[] } | { error: string }>(page, { type: 'syncNow', site: DEMO.siteUrl });
  expect(answer).toEqual({ started: [DEMO.siteUrl] });
}

// ------------------------------------------------------------------------------------------------
// 1. Faults throughout a 5,000-account sync

const ORG_5000 = generateOrganisation({ seed: 12, groups: 16, accounts: 5000, jiraEmailRate: 0.3 });

test.describe('a 5,000-account organisation', () => {
  test.use({ fakeOptions: { scenario: ORG_5000 } });

  test('10% 429 (Retry-After), 5% 503 and 2% dropped connections during the sync: exactly the fault-free export', async ({
    openPage,
    serviceWorker,
    fake,
  }) => {
    test.setTimeout(90_000);
    const rosterFile = test.info().outputPath('roster-5000.csv');
    fs.writeFileSync(rosterFile, rosterFor(ORG_5000));
    const options = await openPage('options');
    await connectWithApiToken(options);
    await importRoster(options, rosterFile);
    await expect(options.getByTestId('roster-status')).toContainText('Roster: roster-5000.csv');
    await options.getByRole('button', { name: 'Save groups' }).click();
    await waitForSyncIdle(serviceWorker);
    const [clean] = await history(options);
    expect(clean).toMatchObject({ status: 'succeeded' });
    expect(clean!.accounts).toBeGreaterThan(4500);
    expect(fake.log.entries.filter((e) => e.status !== 200)).toEqual([]);

    const panel = await openPage('sidepanel');
    await expect(panel.getByText(/Last synced/)).toBeVisible();
    const csvClean = await downloadExport(panel, 'csv');
    const jsonClean = withoutTimes(await downloadExport(panel, 'json'), { roster: true });

    // The same organisation again, through faults (atlassian-api.md §5: 429 and 503 carry
    // Retry-After; a connection can drop).
    fake.log.reset();
    fake.setFaults({ seed: 12, rate429: 0.1, rate503: 0.05, rateDrop: 0.02, retryAfterSec: 1 });
    const popup = await openPage('popup');
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await waitForSyncIdle(serviceWorker);
    const [faulty] = await history(popup);
    expect(faulty).toMatchObject({ status: 'succeeded', error: null });
    expect(faulty!.id).not.toBe(clean!.id);
    expect(faulty!.notes.join('\n')).toMatch(/Atlassian's rate limit: \d+ requests? answered 429/);
    const statuses = fake.log.entries.map((e) => e.status);
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect(count(429), 'throttled answers').toBeGreaterThan(0);
    expect(count(503), 'unavailable answers').toBeGreaterThan(0);
    expect(count(0), 'dropped connections').toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200, 429, 503, 0]));

    const panelAfter = await openPage('sidepanel');
    await expect(panelAfter.getByText(/Last synced/)).toBeVisible();
    const csvFaulty = await downloadExport(panelAfter, 'csv');
    const jsonFaulty = withoutTimes(await downloadExport(panelAfter, 'json'), { roster: true });
    // The faulty sync's own snapshot, not the clean one left in place.
    expect(Date.parse(jsonFaulty.times.lastSyncedAt!)).toBeGreaterThan(Date.parse(jsonClean.times.lastSyncedAt!));
    expect(csvFaulty.split('\r\n').length - 2).toBe(clean!.accounts);
    expect(csvFaulty).toBe(csvClean);
    expect(jsonFaulty.text).toBe(jsonClean.text);
    // And both are what the fake holds: every member of the tracked groups, once.
    const ids = (JSON.parse(jsonFaulty.text) as { rows: { account_id: string }[] }).rows.map((r) => r.account_id);
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(await expectedMembers(popup, fake));
  });
});

// ------------------------------------------------------------------------------------------------
// 2. The service worker stopped three times during one sync

const ORG_3000 = generateOrganisation({ seed: 23, groups: 14, accounts: 3000 });

interface Stop {
  /** When the worker was stopped (the fake's clock; nothing moves it here). */
  at: number;
  /** Per group of the run: members committed at the stop, and whether the group was done. */
  groups: Map<string, { members: number; done: boolean }>;
}

/** Group id and `start` of a membersByGroupId request. */
function memberPage(e: { path: string; query: string }): { groupId: string; start: number } {
  const groupId = decodeURIComponent(/\/group\/([^/]+)\/membersByGroupId$/.exec(e.path)![1]!);
  return { groupId, start: Number(new URLSearchParams(e.query).get('start') ?? '0') };
}

test.describe('a 3,000-account organisation', () => {
  test.use({ fakeOptions: { scenario: ORG_3000, faults: { latencyMs: 20 } } });

  test('the service worker stopped three times during one sync: the same result, no duplicate, nothing finished fetched again', async ({
    openPage,
    context,
    extensionId,
    serviceWorker,
    fake,
  }) => {
    test.setTimeout(90_000);
    const options = await openPage('options');
    await connectWithApiToken(options);
    await expect(options.getByRole('button', { name: 'Save groups' })).toBeEnabled();

    /**
     * Waits until `hold` keeps a request of the running sync waiting, stops the worker (CDP) and
     * starts the next one with a message from a new page. The hold still holds, so the new worker,
     * which resumes the run at once, commits nothing while the run's committed state is read; then
     * `next` (the hold for the following stop, if any) is set and this one released.
     */
    const stops: Stop[] = [];
    async function stopWhileHeld(hold: ReturnType<FakeAtlassian['hold']>, next: () => void): Promise<Page> {
      await expect.poll(() => hold.waiting, { timeout: 45_000 }).toBeGreaterThan(0);
      const pages = context.pages().filter((p) => p.url().startsWith(`chrome-extension://${extensionId}/`));
      await stopServiceWorker(context, pages.at(-1) ?? (await openPage('popup')), extensionId);
      const at = Date.now();
      const page = await openPage('popup');
      const [run] = await history(page);
      expect(run).toMatchObject({ status: 'running' });
      stops.push({ at, groups: new Map(run!.groups.map((g) => [g.id, { members: g.members, done: g.done }])) });
      next();
      hold.release();
      return page;
    }

    // Stops 1 and 2 in the members phase, three pages after the start and six after the resume
    // (the big group's first pages among them); stop 3 in the accounts phase, with one status
    // lookup answered.
    const first = fake.hold(MEMBERS, 3);
    let second!: ReturnType<FakeAtlassian['hold']>;
    let third!: ReturnType<FakeAtlassian['hold']>;
    await options.getByRole('button', { name: 'Save groups' }).click();
    await stopWhileHeld(first, () => (second = fake.hold(MEMBERS, 6)));
    await stopWhileHeld(second, () => (third = fake.hold(USERS_BULK, 1)));
    const page = await stopWhileHeld(third, () => undefined);
    expect(stops[0]!.at).toBeLessThan(stops[1]!.at);
    // Stop 2 came while groups were still unread, stop 3 after every group was done.
    expect([...stops[1]!.groups.values()].some((g) => !g.done)).toBe(true);
    expect([...stops[2]!.groups.values()].every((g) => g.done)).toBe(true);

    await expect.poll(async () => (await state(page)).lastSyncedAt, { timeout: 60_000 }).not.toBeNull();
    await waitForSyncIdle(await context.serviceWorkers().at(-1)!);
    const runs = await history(page);
    // One run, resumed three times: no second run, no duplicate snapshot.
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(runs[0]!.notes.filter((n) => n.startsWith('Resumed at '))).toHaveLength(3);

    // Nothing committed before a stop was asked for again after it: no page below a group's
    // committed count, and nothing at all of a finished group.
    const pages = fake.log.entries.filter((e) => e.endpoint === MEMBERS);
    for (const [i, stop] of stops.entries()) {
      const refetched = pages
        .filter((e) => e.arrivedAt > stop.at)
        .map(memberPage)
        .filter(({ groupId, start }) => {
          const committed = stop.groups.get(groupId);
          return committed !== undefined && (committed.done || start < committed.members);
        });
      expect(refetched, `pages committed before stop ${i + 1} and fetched after it`).toEqual([]);
    }
    expect(pages.filter((e) => e.arrivedAt > stops[2]!.at)).toEqual([]);

    // The same result: every member once, and exactly the export of an uninterrupted sync.
    const interrupted = { csv: await exportOf(page, 'csv'), json: withoutTimes(await exportOf(page, 'json')) };
    const { rows } = await reviewOf(page, DEMO.siteUrl);
    const ids = rows.map((r) => r.account.accountId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(await expectedMembers(page, fake));
    await syncNow(page);
    await waitForSyncIdle(await context.serviceWorkers().at(-1)!);
    expect((await history(page)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(await exportOf(page, 'csv')).toBe(interrupted.csv);
    expect(withoutTimes(await exportOf(page, 'json')).text).toBe(interrupted.json.text);
  });
});

// ------------------------------------------------------------------------------------------------
// 3. Two pages and an alarm at the moment the token expires

test('two pages and an alarm asking for a token as it expires: one refresh, the rotated refresh token never spent twice', async ({
  openPage,
  serviceWorker,
  fake,
}) => {
  const options = await openPage('options');
  await connectWithOAuth(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  expect((await history(options))[0]).toMatchObject({ status: 'succeeded' });
  const popup = await openPage('popup');
  const refreshes = () => fake.tokenExchanges.filter((x) => x.grantType === 'refresh_token');
  expect(refreshes()).toEqual([]);

  /** The two pages refresh the group list and the schedule's alarm fires a sync, all at once. */
  async function allAtOnce(): Promise<void> {
    const [a, b] = await Promise.all([
      ask<{ groups: unknown[] } | { error: string }>(options, { type: 'listGroups', site: DEMO.siteUrl, refresh: true }),
      ask<{ groups: unknown[] } | { error: string }>(popup, { type: 'listGroups', site: DEMO.siteUrl, refresh: true }),
      workerHook(serviceWorker, { fireAlarm: `sync:${DEMO.siteUrl}` }),
    ]);
    for (const answer of [a, b]) expect(answer).toMatchObject({ groups: expect.any(Array) });
    await waitForSyncIdle(serviceWorker);
    const [run] = await history(popup);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule' });
  }

  // The hour is up on both clocks: the background knows the token has expired before using it.
  fake.log.reset();
  fake.advanceClock(HOUR);
  await workerHook(serviceWorker, { advanceClock: HOUR });
  await allAtOnce();
  expect(refreshes()).toHaveLength(1);
  expect(fake.log.entries.filter((e) => e.status === 401)).toEqual([]);

  // The hour is up at Atlassian only (the worker's clock is 5 minutes behind): every request
  // meets a 401 at about the same time, and still only one of them refreshes.
  fake.log.reset();
  fake.advanceClock(HOUR);
  await workerHook(serviceWorker, { advanceClock: HOUR - 5 * 60_000 });
  await allAtOnce();
  expect(fake.log.entries.filter((e) => e.status === 401).length).toBeGreaterThan(0);
  expect(refreshes()).toHaveLength(2);

  // §1.4: each refresh spent the refresh token the previous exchange issued, once; none was
  // reused or refused, and the site stayed connected.
  const exchanges = fake.tokenExchanges;
  expect(exchanges.map((x) => x.outcome)).toEqual(['issued', 'issued', 'issued']);
  for (let i = 1; i < exchanges.length; i++) expect(exchanges[i]!.refreshToken).toBe(exchanges[i - 1]!.issued);
  const spent = exchanges.map((x) => x.refreshToken).filter((t) => t !== null);
  expect(new Set(spent).size).toBe(spent.length);
  expect(fake.log.count(TOKEN)).toBe(1);
  expect(await state(popup)).toMatchObject({ status: 'connected', lastError: null });
});

// ------------------------------------------------------------------------------------------------
// 4. Malformed answers

test('malformed answers (a missing field, a wrong type, truncated JSON, HTML) fail the sync naming the endpoint, and the previous snapshot stays', async ({
  openPage,
  serviceWorker,
  fake,
}) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  const popup = await openPage('popup');
  const before = await state(popup);
  expect(before.lastSyncedAt).not.toBeNull();
  const csvBefore = await exportOf(popup, 'csv');
  const jsonBefore = withoutTimes(await exportOf(popup, 'json'));
  expect(csvBefore.split('\r\n').length - 2).toBeGreaterThan(300);

  const cases: { endpoint: string; kind: MalformedKind; after: number; field?: string; names: string; detail: RegExp }[] = [
    { endpoint: MEMBERS, kind: 'missing-field', after: 2, names: 'GET /wiki/rest/api/group/{id}/membersByGroupId', detail: /results/ },
    { endpoint: MEMBERS, kind: 'wrong-type', after: 0, field: 'size', names: 'GET /wiki/rest/api/group/{id}/membersByGroupId', detail: /size/ },
    { endpoint: USERS_BULK, kind: 'truncated', after: 0, names: 'POST /wiki/api/v2/users-bulk', detail: /JSON body is truncated/ },
    { endpoint: MEMBERS, kind: 'html', after: 3, names: 'GET /wiki/rest/api/group/{id}/membersByGroupId', detail: /HTML page, not JSON/ },
  ];
  for (const c of cases) {
    const label = `${c.kind} from ${c.endpoint}`;
    fake.log.reset();
    fake.setFaults({ malformed: { endpoint: c.endpoint, kind: c.kind, after: c.after, ...(c.field ? { field: c.field } : {}) } });
    await syncNow(popup);
    await waitForSyncIdle(serviceWorker);
    // The fault was met: the endpoint answered more than `after` times.
    expect(fake.log.count(c.endpoint), label).toBeGreaterThan(c.after);

    const [run] = await history(popup);
    expect(run, label).toMatchObject({ status: 'failed' });
    expect(run!.error, label).toContain(c.names);
    expect(run!.error, label).toMatch(c.detail);
    const site = await state(popup);
    expect(site.lastError, label).toBe(run!.error);
    expect(site, label).toMatchObject({ status: 'connected', lastSyncedAt: before.lastSyncedAt });
    await expect(popup.getByText(`Last sync failed: ${run!.error}`), label).toBeVisible();
    // The previous snapshot, untouched.
    expect(await exportOf(popup, 'csv'), label).toBe(csvBefore);
    expect(withoutTimes(await exportOf(popup, 'json')).text, label).toBe(jsonBefore.text);
  }
  const runs = await history(popup);
  expect(runs.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'succeeded']);

  // Well-formed answers again: the next sync succeeds.
  fake.setFaults({});
  await syncNow(popup);
  await waitForSyncIdle(serviceWorker);
  expect(await state(popup)).toMatchObject({ lastError: null });
  expect((await history(popup))[0]).toMatchObject({ status: 'succeeded' });
  expect(await exportOf(popup, 'csv')).toBe(csvBefore);
});
