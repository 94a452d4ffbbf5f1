/** Several sites: each its own connection, groups and data; the pages let the admin pick one. */
import type { StateResponse } from '../../lib/messages';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, connectWithOAuth, DEMO, waitForSyncIdle, reviewOf } from '../support/driver';

test('two connected sites keep separate groups and accounts', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  await connectWithOAuth(options, { ...DEMO, siteUrl: DEMO.otherSiteUrl });
  await expect(options.getByRole('combobox', { name: 'Site' })).toBeVisible();
  await options.getByRole('combobox', { name: 'Site' }).selectOption(DEMO.otherSiteUrl);
  await expect(options.getByRole('heading', { name: 'Groups — Acme Labs' })).toBeVisible();
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  const state = await ask<StateResponse>(options, { type: 'getState' });
  expect(state.sites.map((s) => [s.site, s.authMethod, !!s.lastSyncedAt]).sort()).toEqual([
    [DEMO.otherSiteUrl, 'oauth', true],
    [DEMO.siteUrl, 'apiToken', true],
  ]);
  for (const [site, name] of [[DEMO.siteUrl, 'acme'], [DEMO.otherSiteUrl, 'acme-labs']] as const) {
    const expected = new Set(fake.state.site(name).site.groups.flatMap((g) => g.members));
    const { rows } = await reviewOf(options, site);
    const ids = new Set(rows.map((r) => r.account.accountId));
    for (const id of ids) expect(expected.has(id), `${id} belongs to ${name}`).toBe(true);
    expect(rows.every((r) => r.account.site === site)).toBe(true);
  }

  // The side panel offers both sites and shows the chosen one's accounts.
  const panel = await openPage('sidepanel');
  await panel.getByRole('combobox', { name: 'Site' }).selectOption(DEMO.otherSiteUrl);
  const labs = (await reviewOf(panel, DEMO.otherSiteUrl)).rows.filter((r) => !r.account.filteredReason);
  await expect(panel.getByRole('status').filter({ hasText: /accounts?$/ })).toHaveText(`${labs.length} accounts`);
});
