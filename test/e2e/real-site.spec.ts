/// <reference types="chrome" />
/**
 * Issue 8 end to end, against the fake in the scenarios that show each real-site behaviour:
 * a scoped API token connects through the gateway; a Confluence-only site syncs with Jira
 * unavailable; a refresh refused with `unauthorized_client` leaves the site Disconnected with its
 * snapshot; an hour-long 429 pauses the sync, which resumes from its checkpoint when the alarm
 * fires (both clocks driven forward); a `customer` member does not abort the sync.
 */
import type { Page, Worker } from '@playwright/test';
import type { DiagnosticsResponse, StateResponse } from '../../lib/messages';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, connectWithOAuth, DEMO, reviewOf, waitForSyncIdle } from '../support/driver';

const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';
const SERVICE_ACCOUNT = { siteUrl: DEMO.siteUrl, email: 'access-lens@acme.serviceaccount.atlassian.test', apiToken: 'acme-scoped-token' };
const HOUR = 3_600_000;

async function state(page: Page): Promise<StateResponse> {
  return ask<StateResponse>(page, { type: 'getState' });
}

async function history(page: Page, site = DEMO.siteUrl): Promise<DiagnosticsResponse['history']> {
  return (await ask<DiagnosticsResponse>(page, { type: 'getDiagnostics', site })).history;
}

/** The worker-only test hook (entrypoints/background.ts): no page can reach it. */
async function workerHook(worker: Worker, call: { advanceClock: number } | { fireAlarm: string }): Promise<void> {
  await worker.evaluate((c) => {
    const hook = (globalThis as { accessLensTest?: { advanceClock(ms: number): void; fireAlarm(name: string): void } }).accessLensTest!;
    if ('advanceClock' in c) hook.advanceClock(c.advanceClock);
    else hook.fireAlarm(c.fireAlarm);
  }, call);
}

test('a scoped API token (service account) connects through api.atlassian.com and syncs there', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await expect(options.getByTestId('scoped-token-help')).toContainText('read:group:confluence');
  await connectWithApiToken(options, SERVICE_ACCOUNT);
  const connection = options.getByRole('region', { name: 'Connection' });
  await expect(connection.getByText(/Scoped API token \(through api\.atlassian\.com\)/)).toBeVisible();

  // The site refused the scoped token; the gateway took it, with the cloudId from tenant_info.
  const current = fake.log.entries.filter((e) => e.endpoint === 'GET /wiki/rest/api/user/current');
  expect(current.map((e) => [e.host, e.status])).toEqual([['acme.atlassian.net', 401], ['api.atlassian.com', 200]]);
  const [site] = (await state(options)).sites;
  expect(site).toMatchObject({ apiBase: 'gateway', authMethod: 'apiToken', cloudId: fake.state.site('acme').site.cloudId });

  fake.log.reset();
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  expect((await history(options))[0]).toMatchObject({ status: 'succeeded' });
  const product = fake.log.entries.filter((e) => e.endpoint.includes('/wiki/') || e.endpoint.includes('/rest/api/3/'));
  expect(product.length).toBeGreaterThan(0);
  expect(product.every((e) => e.host === 'api.atlassian.com' && e.auth === 'basic')).toBe(true);
  // The POST carried X-Atlassian-Token (the fake refuses it otherwise, atlassian-api.md §10).
  expect(product.filter((e) => e.method === 'POST').every((e) => e.status === 200)).toBe(true);
  expect((await reviewOf(options, DEMO.siteUrl)).rows.length).toBeGreaterThan(200);
  await expect(options.getByRole('region', { name: /Diagnostics/ }).getByText('Scoped API token (through api.atlassian.com)')).toBeVisible();
});

test('a Confluence-only site syncs with Jira unavailable, and a Jira refusing mid-sync only turns Jira off', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  // acme-labs has no Jira: its grant lists no Jira scope, so Jira is off from the start.
  await connectWithOAuth(options, { ...DEMO, siteUrl: DEMO.otherSiteUrl });
  await expect(options.getByRole('region', { name: 'Connection' }).getByText(/No Jira email lookup/)).toBeVisible();
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  expect((await history(options, DEMO.otherSiteUrl))[0]).toMatchObject({ status: 'succeeded' });
  expect(fake.log.entries.filter((e) => e.path.startsWith('/ex/jira/'))).toEqual([]);

  // acme has Jira when connecting; then Jira answers 401 (as a site without it may).
  await connectWithApiToken(options);
  await options.getByRole('combobox', { name: 'Site' }).selectOption(DEMO.siteUrl);
  await expect(options.getByRole('heading', { name: 'Groups — Acme' })).toBeVisible();
  Object.assign(fake.state.site('acme').site, { jira: false, jiraAbsentStatus: 401 });
  // A hidden email, so the sync asks Jira.
  const acme = fake.state.site('acme');
  const hidden = acme.site.users.find((u) => u.accountType === 'atlassian' && u.accountStatus === 'active' && acme.site.groups[0]!.members.includes(u.accountId))!;
  fake.state.updateUser('acme', hidden.accountId, { email: '' });
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  const [run] = await history(options);
  expect(run).toMatchObject({ status: 'succeeded' });
  expect(run!.notes.join('\n')).toMatch(/Jira user lookup turned off for this sync: Jira did not accept the credentials \(HTTP 401\)/);
  const sites = (await state(options)).sites;
  expect(sites.find((s) => s.site === DEMO.siteUrl)).toMatchObject({ status: 'connected', lastError: null });
  await expect(options.getByRole('table', { name: 'Sync history' })).toContainText('Jira user lookup turned off');
});

test.describe('a refresh answered unauthorized_client', () => {
  test.use({ fakeOptions: { refreshFailure: 'unauthorized_client' } });

  test('leaves the site Disconnected with its snapshot, and asks to connect again', async ({ openPage, serviceWorker, fake }) => {
    const options = await openPage('options');
    await connectWithOAuth(options);
    await options.getByRole('button', { name: 'Save groups' }).click();
    await waitForSyncIdle(serviceWorker);
    const before = await reviewOf(options, DEMO.siteUrl);
    expect(before.rows.length).toBeGreaterThan(0);

    fake.revokeAllGrants();
    const popup = await openPage('popup');
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await waitForSyncIdle(serviceWorker);

    await expect(popup.getByText(/Disconnected/).first()).toBeVisible();
    const refused = fake.log.entries.filter((e) => e.endpoint === 'POST /oauth/token' && e.status === 403);
    expect(refused).toHaveLength(1);
    const [site] = (await state(popup)).sites;
    expect(site).toMatchObject({ status: 'disconnected', lastSyncedAt: before.lastSyncedAt });
    expect(site!.lastError).toMatch(/Connect again/);
    expect(site!.lastError).not.toMatch(/secret/i);
    const after = await reviewOf(popup, DEMO.siteUrl);
    expect(after.rows.map((r) => r.account.accountId).sort()).toEqual(before.rows.map((r) => r.account.accountId).sort());
    // The schedule is stopped.
    expect(await serviceWorker.evaluate(async (s) => (await chrome.alarms.get(`sync:${s}`)) ?? null, DEMO.siteUrl)).toBeNull();
  });
});

test("an hour-long 429 pauses the sync, and the alarm at the reset resumes it from the checkpoint", async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await connectWithOAuth(options);
  await expect(options.getByRole('button', { name: 'Save groups' })).toBeVisible();
  // The hourly quota (atlassian-api.md §10) runs out after a few member pages.
  fake.setFaults({ quotaAfterRequests: 3, quotaWindowSec: 3600, quotaReason: 'confluence-quota-based' });
  await options.getByRole('button', { name: 'Save groups' }).click();

  await expect.poll(async () => (await state(options)).sites[0]!.pausedUntil, { timeout: 30_000 }).not.toBeNull();
  const [paused] = (await state(options)).sites;
  const until = Date.parse(paused!.pausedUntil!);
  expect(until - Date.now()).toBeGreaterThan(HOUR - 2 * 60_000);
  expect(paused).toMatchObject({ status: 'connected', lastError: null, lastSyncedAt: null, sync: null });
  const [run] = await history(options);
  expect(run).toMatchObject({ status: 'running' });
  expect(run!.notes.join('\n')).toContain('RateLimit-Reason: confluence-quota-based');
  // The status in the options page and the popup; the resume alarm is set for the reset.
  await expect(options.getByRole('region', { name: 'Connection' }).getByText(/^Paused by Atlassian's rate limit until /)).toBeVisible();
  const popup = await openPage('popup');
  await expect(popup.getByTestId('sync-paused')).toHaveText(/^Paused by Atlassian's rate limit until /);
  await expect(popup.getByRole('button', { name: 'Sync now' })).toBeDisabled();
  const alarm = await serviceWorker.evaluate(async (s) => (await chrome.alarms.get(`rate-limit:${s}`)) ?? null, DEMO.siteUrl);
  expect(alarm).not.toBeNull();
  expect(Math.abs(alarm!.scheduledTime - until)).toBeLessThan(5_000);
  const pagesAtPause = fake.log.entries.filter((e) => e.endpoint === MEMBERS && e.status === 200).map((e) => e.path + e.query);
  expect(pagesAtPause.length).toBeGreaterThan(0);

  // An hour later, on both clocks; Chrome would now fire the alarm.
  fake.advanceClock(HOUR + 60_000);
  await workerHook(serviceWorker, { advanceClock: HOUR + 60_000 });
  await workerHook(serviceWorker, { fireAlarm: `rate-limit:${DEMO.siteUrl}` });
  await expect.poll(async () => (await state(popup)).sites[0]!.lastSyncedAt, { timeout: 45_000 }).not.toBeNull();
  await waitForSyncIdle(serviceWorker);

  const [done] = await history(popup);
  expect(done).toMatchObject({ id: run!.id, status: 'succeeded' });
  expect(done!.notes.some((n) => n.startsWith('Resumed at '))).toBe(true);
  // Pages committed before the pause were not asked for again.
  const pagesAfter = fake.log.entries.filter((e) => e.endpoint === MEMBERS && e.status === 200).map((e) => e.path + e.query);
  expect(pagesAfter.slice(pagesAtPause.length).filter((p) => pagesAtPause.includes(p))).toEqual([]);
  await expect(popup.getByTestId('sync-paused')).toBeHidden();
  await expect(popup.getByText(/^Last synced /)).toBeVisible();
  const { rows } = await reviewOf(popup, DEMO.siteUrl);
  const tracked = (await state(popup)).sites[0]!.selectedGroupIds;
  const expected = new Set(fake.state.site('acme').site.groups.filter((g) => tracked.includes(g.id)).flatMap((g) => g.members));
  expect(new Set(rows.map((r) => r.account.accountId))).toEqual(expected);
});

test('a customer member and odd entries do not abort the sync', async ({ openPage, serviceWorker, fake }) => {
  const users = fake.state.site('acme');
  const group = users.site.groups.find((g) => g.name === 'confluence-users-acme')!;
  const customerId = '557058:c0c0c0c0-1111-4222-8333-444455556666';
  fake.state.addUser('acme', {
    accountId: customerId, accountType: 'customer', displayName: 'Portal Pat', publicName: 'Portal Pat', email: 'pat@customer.test',
    emailVisibility: 'anyone', accountStatus: 'active', isGuest: false, timeZone: null, operations: [],
  });
  fake.state.addMember('acme', group.id, customerId);
  fake.state.addMember('acme', group.id, '$null');
  fake.state.addMember('acme', group.id, '$no-account-id');

  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  const [run] = await history(options);
  expect(run).toMatchObject({ status: 'succeeded' });
  expect(run!.notes).toContain('2 group member entries were left out (null, or without an accountId)');
  const { rows, caveats } = await reviewOf(options, DEMO.siteUrl);
  expect(rows.find((r) => r.account.accountId === customerId)?.account).toMatchObject({ accountType: 'unknown', displayName: 'Portal Pat' });
  expect(caveats).toContain('2 group member entries were left out (null, or without an accountId)');
});
