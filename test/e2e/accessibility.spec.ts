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

test('popup, side panel and options page pass axe-core with real data in them', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  expect(await violations(options)).toEqual([]);

  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  await importRoster(options, path.join(REPO_ROOT, 'test/fake-atlassian/scenarios/demo-roster.csv'));
  await expect(options.getByTestId('roster-status')).toHaveText(/^Roster: /);
  expect(await violations(options)).toEqual([]);

  const popup = await openPage('popup');
  await expect(popup.getByText(/^Last synced /)).toBeVisible();
  expect(await violations(popup)).toEqual([]);

  const panel = await openPage('sidepanel');
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.getByLabel('Show').selectOption({ label: 'Flagged' });
  expect(await violations(panel)).toEqual([]);
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().click();
  await expect(panel.getByRole('button', { name: 'Mark external' })).toBeVisible();
  expect(await violations(panel)).toEqual([]);
});
