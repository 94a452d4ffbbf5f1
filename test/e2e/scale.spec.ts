/**
 * Issue 10 at size: the side panel with 100,000 synced accounts, scrolled to the end from the
 * keyboard. Only the rows in sight are in the page; the background answers a page at a time.
 */
import { generateOrganisation } from '../fake-atlassian/index';
import { expect, test } from './fixtures';
import { connectWithApiToken, waitForSyncIdle } from '../support/driver';

const ACCOUNTS = 100_000;
test.use({ fakeOptions: { scenario: generateOrganisation({ seed: 3, groups: 8, accounts: ACCOUNTS }) } });
test.setTimeout(20 * 60_000);

test('the side panel with 100,000 accounts, scrolled to the end', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  const save = options.getByRole('button', { name: 'Save groups' });
  await expect(save).toBeEnabled({ timeout: 60_000 });
  await save.click();
  await waitForSyncIdle(serviceWorker);

  const panel = await openPage('sidepanel');
  await panel.setViewportSize({ width: 400, height: 900 });
  const status = panel.getByRole('status').filter({ hasText: /accounts?$/ });
  await expect(status).toHaveText(/^\d{2},\d{3} accounts$/, { timeout: 60_000 });
  const total = Number((await status.textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(80_000);

  const list = panel.getByRole('list', { name: 'Accounts' });
  await list.getByRole('button').first().focus();
  await panel.keyboard.press('End');
  const last = list.locator(`li[aria-posinset="${total}"]`);
  await expect(last.getByRole('button')).toBeFocused({ timeout: 30_000 });
  await expect(last).toHaveAttribute('aria-setsize', String(total));
  // A window of rows, not 100,000 of them.
  expect(await list.locator('li').count()).toBeLessThan(60);
  // Scrolled by hand back to the middle, rows load there too.
  await panel.locator('.list-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  const middle = Math.round(total / 2);
  await expect(list.locator('li').filter({ has: panel.locator('button.account') }).first()).toBeVisible();
  const positions = await list.locator('li:has(button.account)').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('aria-posinset'))));
  expect(positions.some((p) => Math.abs(p - middle) < 30)).toBe(true);
});
