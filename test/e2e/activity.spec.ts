/**
 * Last activity and 2SV (issue 11) as an admin brings them in: the user export through the options
 * page, then an organisation API key whose phase runs against the fake's admin API — rate-limited,
 * interrupted by a stopped worker, and never sending the key anywhere but api.atlassian.com/admin.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import type { ReviewQueryResponse } from '../../lib/messages';
import { loadScenario } from '../fake-atlassian/index';
import { userExportFor, withOrganisation } from '../fake-atlassian/user-export';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, DEMO, reviewOf, stopServiceWorker, waitForSyncIdle } from '../support/driver';

const TODAY = new Date().toISOString().slice(0, 10);
const ORG_ID = 'c0ffee00-0000-4000-8000-0000000000e2';
const ORG_KEY = 'ATCTT3xFfGN0-e2e-organization-key';
const scenario = withOrganisation(loadScenario('demo'), { today: TODAY, orgId: ORG_ID, apiKey: ORG_KEY });

test.use({ fakeOptions: { scenario } });

async function counts(page: Page): Promise<ReviewQueryResponse['counts']> {
  return (await ask<ReviewQueryResponse>(page, { type: 'queryReview', site: DEMO.siteUrl, limit: 0 })).counts;
}

function firstItem(panel: Page) {
  return panel.getByRole('list', { name: 'Accounts' }).getByRole('listitem').first();
}

test('an imported user export flags dormant accounts and admins without 2SV in the side panel and the CSV', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  // The managed-accounts export: last activity across the organisation, and two-step verification.
  const file = test.info().outputPath(`acme-users-${TODAY}.csv`);
  fs.writeFileSync(file, userExportFor(fake.state.scenario, fake.state.scenario.organisation!, { shape: 'managed-accounts' }));
  await options.getByLabel('Atlassian user export').setInputFiles(file);
  await expect(options.getByText(/Managed-accounts export: /)).toBeVisible();
  await options.getByRole('button', { name: 'Import user export' }).click();
  await expect(options.getByTestId('user-export-status')).toContainText(`User export: acme-users-${TODAY}.csv`);
  await waitForSyncIdle(serviceWorker);
  // The import is in the site's audit log, as the options page lists it.
  await options.getByLabel('Kind').selectOption('activity_import');
  await expect(options.getByRole('table', { name: 'Audit log' })).toContainText(`acme-users-${TODAY}.csv`);

  const c = await counts(options);
  expect(c.dormant).toBeGreaterThan(0);
  expect(c.admin_without_2sv).toBeGreaterThan(0);

  const panel = await openPage('sidepanel');
  const show = panel.getByRole('combobox', { name: 'Show', exact: true });
  await show.selectOption({ label: 'Dormant' });
  await expect(panel.getByRole('status').filter({ hasText: /accounts?$/ })).toHaveText(`${c.dormant} ${c.dormant === 1 ? 'account' : 'accounts'}`);
  // The list is virtual: it renders what is in sight, and says how many there are.
  await expect(firstItem(panel)).toHaveAttribute('aria-setsize', String(c.dormant));
  await show.selectOption({ label: 'Admins without 2SV' });
  await expect(firstItem(panel)).toHaveAttribute('aria-setsize', String(c.admin_without_2sv));

  // The account view says when, per which source, and how old the data is.
  await show.selectOption({ label: 'Dormant' });
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().click();
  const facts = panel.locator('dl.facts');
  await expect(facts).toContainText(/Last active(never|\d{1,2} \w{3} \d{4} \(\d[\d,]* days ago\)) in any Atlassian product, per the managed-accounts export of /);
  await expect(facts).toContainText(/Two-step verification(on|off) \(per the managed-accounts export of /);
  await expect(panel.getByRole('list', { name: 'Flags' })).toContainText(/Dormant.*per the managed-accounts export of \d{1,2} \w{3} \d{4}/);

  await panel.getByRole('button', { name: '← Back to list' }).click();
  const download = panel.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export CSV' }).click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  const [header, ...lines] = csv.split('\r\n').filter((l) => l !== '');
  expect(header!.endsWith(',decision,note,last_active,mfa')).toBe(true);
  expect(lines.filter((l) => /(^|[,;])dormant([;,]|$)/.test(l))).toHaveLength(c.dormant);
  expect(lines.some((l) => /,(\d{4}-\d{2}-\d{2}|never),(on|off|)$/.test(l))).toBe(true);
});

test.describe('with an organization API key', () => {
  test('the phase runs after a sync within the rate limit, resumes after the worker stops, and the key goes only to api.atlassian.com/admin', async ({
    openPage,
    context,
    extensionId,
    serviceWorker,
    fake,
  }) => {
    const options = await openPage('options');
    await connectWithApiToken(options);
    // A few small groups keep the admin API's ~180 requests a minute to seconds here.
    const groupIds = fake.state.site('acme').site.groups
      .filter((g) => ['confluence-admins-acme', 'confluence-guests-acme', 'marketing', 'design'].includes(g.name))
      .map((g) => g.id);
    // Connected once the group picker offers to save.
    await expect(options.getByRole('button', { name: 'Save groups' })).toBeVisible();
    expect(await ask(options, { type: 'saveGroups', site: DEMO.siteUrl, groupIds })).toEqual({ ok: true });
    await waitForSyncIdle(serviceWorker);
    const inReview = (await reviewOf(options, DEMO.siteUrl)).rows.filter((r) => !r.account.filteredReason).length;
    expect(inReview).toBeGreaterThan(20);

    // Atlassian's limit, made tight: 10 requests per 2 s, answered 429 with Retry-After beyond that.
    fake.admin.setRateLimit({ limit: 10, windowMs: 2000 });
    await options.getByRole('textbox', { name: 'Organization ID' }).fill(ORG_ID);
    await options.getByLabel('Organization API key').fill(ORG_KEY);
    await options.getByRole('button', { name: 'Save key' }).click();
    await expect(options.getByTestId('org-key-status')).toContainText(`Key saved for organization ${ORG_ID}`);
    await expect(options.getByLabel('Organization API key')).toHaveValue('');

    const LAST_ACTIVE = 'GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates';
    await expect.poll(() => fake.log.count(LAST_ACTIVE), { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
    await stopServiceWorker(context, options, extensionId);
    const atStop = fake.log.count(LAST_ACTIVE);
    expect(atStop).toBeLessThan(inReview);

    // The next page's message starts a new worker, which picks the phase up where it stopped.
    const page = await openPage('options');
    await expect(page.getByTestId('activity-phase')).toContainText('Activity fetched', { timeout: 60_000 });
    const answered = fake.log.entries.filter((e) => e.endpoint === LAST_ACTIVE && e.status === 200).map((e) => e.path);
    expect(new Set(answered).size).toBe(inReview);
    // Only the batch in flight at the stop may have been asked for again.
    expect(answered.length - new Set(answered).size).toBeLessThanOrEqual(20);
    expect(fake.log.entries.some((e) => e.host === 'api.atlassian.com' && e.status === 429)).toBe(true);

    expect(fake.admin.keySightings.length).toBeGreaterThan(0);
    for (const s of fake.admin.keySightings) {
      expect(s).toMatchObject({ host: 'api.atlassian.com', where: 'header' });
      expect(s.path.startsWith('/admin/')).toBe(true);
    }
    const rows = (await reviewOf(page, DEMO.siteUrl)).rows;
    expect(rows.filter((r) => r.activity.lastActive?.source.kind === 'org-api').length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Forget key' }).click();
    await expect(page.getByTestId('org-key-status')).toHaveText('No organization API key saved.');
  });
});
