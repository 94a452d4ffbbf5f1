/// <reference types="chrome" />
import type { Page } from '@playwright/test';
import type { FakeAtlassian } from '../fake-atlassian/index';
import type { StateResponse } from '../../lib/messages';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, connectWithOAuth, DEMO, groupSelection, waitForSyncIdle, reviewOf } from '../support/driver';

const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';

/** Account ids the fake says are members of the named groups of `acme` (the expectation). */
function membersOf(fake: FakeAtlassian, groupNames: string[]): Set<string> {
  const ids = new Set<string>();
  for (const g of fake.state.site('acme').site.groups) if (groupNames.includes(g.name)) for (const m of g.members) ids.add(m);
  return ids;
}

async function review(page: Page, site = DEMO.siteUrl): ReturnType<typeof reviewOf> {
  return reviewOf(page, site);
}

async function checkedGroups(options: Page): Promise<string[]> {
  return [...(await groupSelection(options))].filter(([, on]) => on).map(([name]) => name);
}

test.describe('OAuth with the consent page', () => {
  test.use({ fakeOptions: { consent: 'page' } });

  test('connects the entered site among several granted ones', async ({ openPage, context, fake }) => {
    const options = await openPage('options');
    // Ask for the second granted site: a product that took "the first one" would get it wrong
    // about half the time, since accessible-resources comes back in no fixed order.
    const authWindow = context.waitForEvent('page', (p) => p.url().startsWith('https://auth.atlassian.com/'));
    await connectWithOAuth(options, { ...DEMO, siteUrl: 'acme-labs.atlassian.net' });
    const consent = await authWindow;
    await consent.getByRole('button', { name: 'Accept' }).click();

    await expect(options.getByText('https://acme-labs.atlassian.net').first()).toBeVisible();
    const state = await ask<StateResponse>(options, { type: 'getState' });
    expect(state.sites.map((s) => [s.site, s.cloudId, s.authMethod, s.status])).toEqual([
      ['https://acme-labs.atlassian.net', fake.state.site('acme-labs').site.cloudId, 'oauth', 'connected'],
    ]);
    // Scopes joined with %20, never '+' (atlassian-api.md §1.1).
    const authorize = fake.log.entries.find((e) => e.endpoint === 'GET /authorize');
    expect(authorize?.query).toContain('scope=read%3Aconfluence-groups%20');
    expect(authorize?.query).toContain('offline_access');
    expect(authorize?.query).not.toContain('+');
    // The secret was used at the token endpoint, and is in no answer a page can read.
    expect(JSON.stringify(state)).not.toContain(DEMO.clientSecret);
  });
});

test('OAuth to a site outside the grant says so and lists the granted sites', async ({ openPage, fake }) => {
  fake.state.oauthUser = 'viewer@acme.test'; // this identity's grant covers only acme
  const options = await openPage('options');
  await connectWithOAuth(options, { ...DEMO, siteUrl: 'https://acme-labs.atlassian.net' });
  await expect(options.getByText(/not acme-labs\.atlassian\.net/)).toBeVisible();
  await expect(options.getByText('https://acme.atlassian.net').first()).toBeVisible();
  const state = await ask<StateResponse>(options, { type: 'getState' });
  expect(state.sites).toEqual([]);
});

test('API token connect, default groups pre-selected, sync, popup shows Last synced', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);

  const selected = await checkedGroups(options);
  // The default patterns (issue #3, issue 8 item 7). The list spans the organisation
  // (atlassian-api.md §10): acme's own default groups carry its name, so acme-labs' are left
  // unchecked, marked as possibly another site's (issue 8, item 10).
  const allNames = fake.state.site('acme').site.groups.map((g) => g.name);
  const expectedDefault = allNames.filter((n) =>
    /^(confluence-(admins|guests|users)(-acme)?|administrators|site-admins|confluence-administrators|system-administrators)$/i.test(n),
  );
  expect(expectedDefault).toContain('confluence-users-acme');
  expect(selected.sort()).toEqual(expectedDefault.sort());
  expect(selected).not.toContain('jira-software-users');
  expect(selected).not.toContain('marketing');
  for (const other of fake.state.site('acme-labs').site.groups.map((g) => g.name)) {
    const box = options.getByRole('checkbox', { name: other, exact: true });
    await expect(box).not.toBeChecked();
    await expect(box).toHaveAccessibleDescription('may belong to another site of your organisation');
  }

  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  await expect(options.getByRole('button', { name: 'Edit tracked groups' })).toBeVisible();

  const popup = await openPage('popup');
  await expect(popup.getByText(/^Last synced /)).toBeVisible();
  const { rows } = await review(popup);
  expect(new Set(rows.map((r) => r.account.accountId))).toEqual(membersOf(fake, expectedDefault));
  // Never content: the sync touched only group and user endpoints.
  expect(fake.log.entries.filter((e) => /\/content|\/space|\/pages/.test(e.path))).toEqual([]);
});

test.describe('rate limits', () => {
  test.use({ fakeOptions: { faults: { seed: 7, rate429: 0.25, retryAfterSec: 1 } } });

  test('a sync with a group of more than 200 members and injected 429s ends with exactly the right accounts', async ({
    openPage,
    serviceWorker,
    fake,
  }) => {
    const big = fake.state.site('acme').site.groups.find((g) => g.members.length > 200);
    expect(big, 'the demo has a group of more than 200 members').toBeTruthy();
    const options = await openPage('options');
    await connectWithApiToken(options);
    await options.getByRole('button', { name: 'Save groups' }).click();
    await waitForSyncIdle(serviceWorker);

    const tracked = (await ask<StateResponse>(options, { type: 'getState' })).sites[0]!.selectedGroupIds;
    const trackedNames = fake.state.site('acme').site.groups.filter((g) => tracked.includes(g.id)).map((g) => g.name);
    expect(trackedNames).toContain(big!.name);
    const { rows } = await review(options);
    const ids = rows.map((r) => r.account.accountId);
    expect(ids.length).toBe(new Set(ids).size); // one record per account
    expect(new Set(ids)).toEqual(membersOf(fake, trackedNames));
    const bigRow = rows.find((r) => big!.members.includes(r.account.accountId));
    expect(bigRow?.account.groups.map((g) => g.name)).toContain(big!.name);

    const throttled = fake.log.entries.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    // Retry-After (1 s) was honoured: no retry of a throttled request was sent sooner.
    const url = (e: { path: string; query: string }) => e.path + e.query;
    for (const hit of throttled.filter((e) => e.method === 'GET')) {
      const retry = fake.log.entries.find((e) => url(e) === url(hit) && e.at > hit.at);
      expect(retry, `retry of ${url(hit)}`).toBeTruthy();
      const retrySentAt = retry!.at - retry!.durationMs;
      expect(retrySentAt - hit.at).toBeGreaterThanOrEqual(950);
    }
  });
});

test.describe('revoked grant', () => {
  test.use({ fakeOptions: { faults: { seed: 3, latencyMs: 30 } } });

  test('a token revoked mid-sync leaves the previous snapshot intact and the site Disconnected', async ({
    openPage,
    serviceWorker,
    fake,
  }) => {
    const options = await openPage('options');
    await connectWithOAuth(options);
    await options.getByRole('button', { name: 'Save groups' }).click();
    await waitForSyncIdle(serviceWorker);
    const before = await review(options);
    expect(before.rows.length).toBeGreaterThan(0);

    fake.setFaults({ seed: 3, latencyMs: 30, revokeAtRequest: 5 });
    const popup = await openPage('popup');
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await waitForSyncIdle(serviceWorker);

    await expect(popup.getByText(/Disconnected/).first()).toBeVisible();
    const state = await ask<StateResponse>(popup, { type: 'getState' });
    expect(state.sites[0]!.status).toBe('disconnected');
    expect(state.sites[0]!.lastSyncedAt).toBe(before.lastSyncedAt);
    const after = await review(popup);
    expect(after.rows.map((r) => r.account.accountId).sort()).toEqual(before.rows.map((r) => r.account.accountId).sort());
    // The refresh after the 401 was refused (invalid_grant): the sync stopped instead of looping.
    const refusedRefreshes = fake.log.entries.filter((e) => e.endpoint === 'POST /oauth/token' && e.status === 403);
    expect(refusedRefreshes.length).toBe(1);
  });
});

test.describe('service worker stopped mid-sync', () => {
  test.use({ fakeOptions: { faults: { seed: 5, latencyMs: 150 } } });

  test('resumes after a restart to the same result, without refetching finished pages', async ({
    openPage,
    context,
    extensionId,
    serviceWorker,
    fake,
  }) => {
    const options = await openPage('options');
    await connectWithApiToken(options);
    // Four member pages are answered; every later one arrives and waits, so the sync is
    // certainly unfinished when the worker stops (it once finished first, and the test failed).
    const hold = fake.hold(MEMBERS, 4);
    await options.getByRole('button', { name: 'Save groups' }).click();

    // Let a few pages land, then stop the worker the way Chrome does when it idles it out.
    await expect.poll(() => fake.log.count(MEMBERS), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    await expect.poll(() => hold.waiting, { timeout: 20_000 }).toBeGreaterThan(0);
    const cdp = await context.newCDPSession(options);
    let versions: { versionId: string; scriptURL: string; runningStatus: string }[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      versions = e.versions;
    });
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => versions.some((v) => v.scriptURL.includes(extensionId) && v.runningStatus === 'running')).toBe(true);
    const version = versions.find((v) => v.scriptURL.includes(extensionId))!;
    await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
    await expect.poll(() => versions.find((v) => v.versionId === version.versionId)?.runningStatus).toBe('stopped');
    const requestsAtStop = fake.log.count(MEMBERS);
    expect(requestsAtStop).toBe(4);
    // The stopped worker's held requests are gone with it; the next worker's pass freely.
    hold.release();

    // Chromium at times closes the extension's open pages when its worker is stopped this way
    // (seen about once in five runs), so carry on from a freshly opened page. Its message is also the
    // event that starts a new worker, which finds the interrupted run and resumes it.
    const page = await openPage('popup');
    expect((await ask<StateResponse>(page, { type: 'getState' })).sites[0]!.lastSyncedAt).toBeNull();
    await expect
      .poll(async () => (await ask<StateResponse>(page, { type: 'getState' })).sites[0]!.lastSyncedAt, { timeout: 45_000 })
      .not.toBeNull();

    const state = await ask<StateResponse>(page, { type: 'getState' });
    const tracked = state.sites[0]!.selectedGroupIds;
    const trackedNames = fake.state.site('acme').site.groups.filter((g) => tracked.includes(g.id)).map((g) => g.name);
    const { rows } = await review(page);
    const ids = rows.map((r) => r.account.accountId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(membersOf(fake, trackedNames));

    // Pages committed before the stop were not asked for again; only the few in flight were.
    const pages = fake.log.entries.filter((e) => e.endpoint === MEMBERS && e.status === 200).map((e) => e.path + e.query);
    const repeats = pages.length - new Set(pages).size;
    expect(repeats).toBeLessThanOrEqual(4);
    expect(fake.log.count(MEMBERS)).toBeGreaterThan(requestsAtStop);
    const history = (await ask<{ history: { status: string; notes: string[] }[] }>(page, { type: 'getDiagnostics', site: DEMO.siteUrl })).history;
    expect(history[0]!.status).toBe('succeeded');
    expect(history[0]!.notes).toEqual([expect.stringMatching(/^Resumed at /)]);
  });
});
