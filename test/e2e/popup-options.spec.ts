/// <reference types="chrome" />
import type { StateResponse } from '../../lib/messages';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, DEMO, waitForSyncIdle, reviewOf } from '../support/driver';

test.describe('with a slow site', () => {
  test.use({ fakeOptions: { faults: { seed: 11, latencyMs: 120 } } });

  test('popup Sync now shows progress, then Last synced; the side panel opens from the popup', async ({
    openPage,
    serviceWorker,
  }) => {
    const options = await openPage('options');
    await connectWithApiToken(options);
    await options.getByRole('button', { name: 'Save groups' }).click();
    await waitForSyncIdle(serviceWorker);

    const popup = await openPage('popup');
    await expect(popup.getByText(/^Last synced /)).toBeVisible();
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect(popup.getByText(/Syncing/)).toBeVisible();
    await waitForSyncIdle(serviceWorker);
    await expect(popup.getByText(/Syncing/)).toBeHidden();
    await expect(popup.getByText(/^Last synced /)).toBeVisible();
    const diag = await ask<{ history: { trigger: string; status: string }[] }>(popup, { type: 'getDiagnostics', site: DEMO.siteUrl });
    expect(diag.history.slice(0, 2).map((r) => [r.trigger, r.status])).toEqual([
      ['manual', 'succeeded'],
      ['groups-saved', 'succeeded'],
    ]);

    // The button calls chrome.sidePanel.open in the click's user gesture.
    await popup.getByRole('button', { name: 'Open side panel' }).click();
    await expect
      .poll(() =>
        serviceWorker.evaluate(async () =>
          (await chrome.runtime.getContexts({})).filter((c) => c.contextType === 'SIDE_PANEL').map((c) => c.documentUrl),
        ),
      )
      .toEqual([expect.stringContaining('/sidepanel.html')]);
  });
});

test('edit tracked groups, why-missing lookup and disconnect keeping the data', async ({ openPage, serviceWorker, fake }) => {
  // Someone who is only in an unmonitored group (marketing).
  const marketing = fake.state.site('acme').site.groups.find((g) => g.name === 'marketing')!;
  const outsiderId = '557058:0e0e0e0e-1111-4222-8333-444455556666';
  fake.state.addUser('acme', {
    ...fake.state.site('acme').site.users.find((u) => u.accountType === 'atlassian' && u.accountStatus === 'active')!,
    accountId: outsiderId,
    displayName: 'Morgan Marketing',
    publicName: 'Morgan Marketing',
  });
  fake.state.addMember('acme', marketing.id, outsiderId);

  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  // An app account is filtered out of the review, and the lookup says why.
  const groups = fake.state.site('acme').site;
  const app = groups.users.find((u) => u.accountType === 'app' && groups.groups.some((g) => g.name === 'confluence-users-acme' && g.members.includes(u.accountId)));
  expect(app).toBeTruthy();
  await options.getByRole('textbox', { name: 'Why is this account missing?' }).fill(app!.accountId);
  await options.getByRole('button', { name: 'Look up' }).click();
  await expect(options.getByText(/app\/bot account/i)).toBeVisible();

  // Someone only in an unmonitored group: not in the review, and the answer says what to do.
  await options.getByRole('textbox', { name: 'Why is this account missing?' }).fill('Morgan Marketing');
  await options.getByRole('button', { name: 'Look up' }).click();
  await expect(options.getByText(/group you do not monitor/)).toBeVisible();

  // Stop tracking confluence-guests-acme: members only there leave the review after the re-sync.
  await options.getByRole('button', { name: 'Edit tracked groups' }).click();
  await options.getByRole('checkbox', { name: 'confluence-guests-acme', exact: true }).uncheck();
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  const { rows } = await reviewOf(options, DEMO.siteUrl);
  expect(rows.some((r) => r.account.groups.some((g) => g.name === 'confluence-guests-acme'))).toBe(false);
  expect(rows.length).toBeGreaterThan(0);

  // Disconnect, keeping the data: credentials go, the last snapshot stays for the auditor.
  await options.getByRole('button', { name: 'Disconnect' }).click();
  await options.getByRole('button', { name: 'Confirm' }).click();
  await expect(options.getByText('Disconnected', { exact: true }).first()).toBeVisible();
  const state = await ask<StateResponse>(options, { type: 'getState' });
  expect(state.sites[0]!.status).toBe('disconnected');
  const after = await reviewOf(options, DEMO.siteUrl);
  expect(after.rows.length).toBe(rows.length);
  const refused = await ask<{ error?: string }>(options, { type: 'syncNow', site: DEMO.siteUrl });
  expect(refused.error).toMatch(/disconnected/i);

  // Disconnect again, deleting the data this time.
  await options.getByRole('button', { name: 'Disconnect' }).click();
  await options.getByLabel("Also delete this site's synced data").check();
  await options.getByRole('button', { name: 'Confirm' }).click();
  await expect(options.getByText('No site connected yet. Connect one below.')).toBeVisible();
  expect((await ask<StateResponse>(options, { type: 'getState' })).sites).toEqual([]);
});

test('an account that cannot view groups gets a clear answer on the options page', async ({ openPage }) => {
  const options = await openPage('options');
  await connectWithApiToken(options, { siteUrl: DEMO.siteUrl, email: 'viewer@acme.test', apiToken: 'acme-viewer-token' });
  const groups = options.getByRole('region', { name: /Groups/ });
  await expect(groups.getByText(/Permission denied for GET \/wiki\/rest\/api\/group/)).toBeVisible();
  await options.screenshot({ path: 'test-results/options-cannot-view-groups.png', fullPage: true });
  // The site card and the diagnostics say why as well.
  const diagnostics = options.getByRole('region', { name: /Diagnostics/ });
  await expect(diagnostics.getByText(/^Last error: Permission denied/)).toBeVisible();
  await expect(options.getByRole('region', { name: 'Connection' }).getByText(/Permission denied/)).toBeVisible();
});
