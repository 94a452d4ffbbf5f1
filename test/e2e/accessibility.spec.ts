import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import path from 'node:path';
import { expect, test } from './fixtures';
import { connectWithApiToken, importRoster, waitForSyncIdle } from '../support/driver';
import { REPO_ROOT } from '../support/launch';

/** axe-core's WCAG 2.1 A/AA rules on what the admin sees; every violation is listed on failure. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** Serious and critical violations in the light and in the dark theme (issue 10: none, on every page and state). */
async function checkBothThemes(page: Page, state: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await violations(page), `${state} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe.configure({ timeout: 240_000 });

test('every page with nothing connected, and the side panel before the first sync', async ({ openPage }) => {
  const options = await openPage('options');
  await checkBothThemes(options, 'options, nothing connected');
  const emptyPopup = await openPage('popup');
  await expect(emptyPopup.getByRole('button', { name: 'Connect a site' })).toBeVisible();
  await checkBothThemes(emptyPopup, 'popup, nothing connected');
  const emptyPanel = await openPage('sidepanel');
  await expect(emptyPanel.getByText(/No site connected/)).toBeVisible();
  await checkBothThemes(emptyPanel, 'side panel, nothing connected');

  await connectWithApiToken(options);
  await expect(options.getByRole('button', { name: 'Save groups' })).toBeVisible();
  const unsynced = await openPage('sidepanel');
  await expect(unsynced.getByText(/No sync yet/)).toBeVisible();
  await checkBothThemes(unsynced, 'side panel, not synced yet');
});

async function connectSyncImport(options: Page, worker: Parameters<typeof waitForSyncIdle>[0]): Promise<void> {
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(worker);
  await importRoster(options, path.join(REPO_ROOT, 'test/fake-atlassian/scenarios/demo-roster.csv'));
  await expect(options.getByTestId('roster-status')).toHaveText(/^Roster: /);
}

test('popup, side panel and options page pass axe-core with real data in them', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  await connectSyncImport(options, serviceWorker);
  await checkBothThemes(options, 'options, connected with a roster');

  const popup = await openPage('popup');
  await expect(popup.getByText(/^Last synced /)).toBeVisible();
  await checkBothThemes(popup, 'popup, synced');

  const panel = await openPage('sidepanel');
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.getByLabel('Show').selectOption({ label: 'Flagged' });
  await expect(panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first()).toBeVisible();
  await checkBothThemes(panel, 'side panel, flagged list');
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill('no such person anywhere');
  await expect(panel.getByText('No account matches.')).toBeVisible();
  await checkBothThemes(panel, 'side panel, nothing matches');
  await panel.getByRole('button', { name: 'Clear search and filters' }).click();
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().click();
  await expect(panel.getByRole('button', { name: 'Mark external' })).toBeVisible();
  await checkBothThemes(panel, 'side panel, account');
  await panel.getByRole('button', { name: 'Link to person' }).click();
  await expect(panel.getByLabel('Person', { exact: true })).toBeVisible();
  await checkBothThemes(panel, 'side panel, link to person');
  await panel.getByRole('button', { name: 'Mark external' }).click();
  await panel.getByRole('button', { name: 'Save mark' }).click();
  await expect(panel.getByRole('alert')).toHaveText('A reason is required');
  await checkBothThemes(panel, 'side panel, mark with an error');

  // A group page filter, through the hash the panel keeps.
  const grouped = await openPage('sidepanel');
  await grouped.goto(`${grouped.url()}#group=confluence-admins-acme`);
  await grouped.reload();
  await expect(grouped.getByText('Members of confluence-admins-acme')).toBeVisible();
  await checkBothThemes(grouped, 'side panel, group');
});

test('syncing and an error with the action that fixes it', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  const popup = await openPage('popup');
  await expect(popup.getByText(/^Last synced /)).toBeVisible();
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await expect(popup.getByRole('progressbar', { name: 'Sync progress' })).toBeVisible();
  await checkBothThemes(popup, 'popup, syncing');
  await waitForSyncIdle(serviceWorker);

  await options.getByRole('button', { name: 'Disconnect' }).click();
  await options.getByRole('button', { name: 'Confirm' }).click();
  await expect(popup.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await checkBothThemes(popup, 'popup, disconnected');
});
