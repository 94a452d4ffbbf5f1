/// <reference types="chrome" />
/**
 * Issue 10's side panel in Chromium: it follows the tab (person page, admin user page, group
 * pages, an unrelated page), works from the keyboard, keeps its view in the URL hash, and has a
 * dark theme (screenshots in test-results/).
 */
import type { Page } from '@playwright/test';
import type { StateResponse } from '../../lib/messages';
import { expect, test } from './fixtures';
import { ask, connectWithApiToken, DEMO, reviewOf, waitForSyncIdle } from '../support/driver';
import { openSidePanels, sidePanelText } from '../support/inspect';

async function connectAndSync(options: Page, worker: Parameters<typeof waitForSyncIdle>[0]) {
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(worker);
  return (await reviewOf(options, DEMO.siteUrl)).rows;
}

test('the side panel follows the tab: person page, admin user page, group pages, an unrelated page', async ({ openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  const rows = await connectAndSync(options, serviceWorker);
  const inReview = rows.filter((r) => !r.account.filteredReason);
  const [a, b] = inReview;
  // The popup, open in a tab, opens the real side panel of its window; that tab then browses.
  const tab = await openPage('popup');
  await tab.getByRole('button', { name: 'Open side panel' }).click();
  await expect.poll(() => openSidePanels(serviceWorker)).toHaveLength(1);
  const panel = (selector: string) => sidePanelText(tab, selector);

  await tab.goto(`https://acme.atlassian.net/wiki/people/${encodeURIComponent(a!.account.accountId)}?ref=confluence`);
  await expect.poll(() => panel('#detail-name')).toBe(a!.account.displayName);

  await tab.goto(`https://admin.atlassian.com/o/org-1/users/${b!.account.accountId}`);
  await expect.poll(() => panel('#detail-name')).toBe(b!.account.displayName);

  // An admin.atlassian.com group page lists that group's members in the review.
  const admins = fake.state.site('acme').site.groups.find((g) => g.name === 'confluence-admins-acme')!;
  const adminMembers = inReview.filter((r) => r.account.groups.some((g) => g.id === admins.id)).length;
  await tab.goto(`https://admin.atlassian.com/o/org-1/groups/${admins.id}`);
  await expect.poll(() => panel('.group-filter')).toContain('Members of confluence-admins-acme');
  await expect.poll(() => panel('[role="status"].muted')).toBe(`${adminMembers} ${adminMembers === 1 ? 'account' : 'accounts'}`);

  // Confluence's own group page, by name.
  const guests = inReview.filter((r) => r.account.groups.some((g) => g.name === 'confluence-guests-acme')).length;
  await tab.goto('https://acme.atlassian.net/wiki/admin/users/domembersofgroupsearch.action?membersOfGroupTerm=confluence-guests-acme');
  await expect.poll(() => panel('.group-filter')).toContain('Members of confluence-guests-acme');
  await expect.poll(() => panel('[role="status"].muted')).toBe(`${guests} ${guests === 1 ? 'account' : 'accounts'}`);

  // An unrelated page changes nothing.
  await tab.goto('https://acme.atlassian.net/wiki/spaces/ENG/overview');
  await new Promise((r) => setTimeout(r, 1500));
  expect(await panel('.group-filter')).toContain('Members of confluence-guests-acme');
  expect(await panel('#detail-name')).toBeNull();
});

test('keyboard: arrows, Home/End, Enter opens, Escape closes back to the same account; the view survives a reload', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  const rows = await connectAndSync(options, serviceWorker);
  const total = rows.filter((r) => !r.account.filteredReason).length;
  const panel = await openPage('sidepanel');
  await panel.setViewportSize({ width: 400, height: 900 });
  const list = panel.getByRole('list', { name: 'Accounts' });
  await expect(list.getByRole('button').first()).toBeVisible();
  const focused = () => panel.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName, pos: el?.closest('li')?.getAttribute('aria-posinset') ?? null, id: el?.id ?? '', text: el?.textContent ?? '' };
  });

  // Tab from the sort control through the chips reaches the list's one tab stop.
  await list.getByRole('button').first().focus();
  expect((await focused()).pos).toBe('1');
  await panel.keyboard.press('ArrowDown');
  await panel.keyboard.press('ArrowDown');
  expect((await focused()).pos).toBe('3');
  await panel.keyboard.press('ArrowUp');
  expect((await focused()).pos).toBe('2');
  await panel.keyboard.press('End');
  await expect.poll(async () => (await focused()).pos).toBe(String(total));
  await panel.keyboard.press('Home');
  await expect.poll(async () => (await focused()).pos).toBe('1');
  await panel.keyboard.press('ArrowDown');
  const opened = (await focused()).text;

  await panel.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
  expect(opened.startsWith((await panel.locator('#detail-name').textContent())!)).toBe(true);
  await panel.keyboard.press('Escape');
  await expect(list).toBeVisible();
  await expect.poll(async () => (await focused()).pos).toBe('2');

  // Filter, search and sort live in the hash: a reload keeps them.
  await panel.getByRole('combobox', { name: 'Show', exact: true }).selectOption({ label: 'Filtered out' });
  await panel.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Name' });
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill('a');
  await expect(panel).toHaveURL(/#filter=filtered&q=a&sort=name$/);
  await panel.reload();
  await expect(panel.getByRole('combobox', { name: 'Show', exact: true })).toHaveValue('filtered');
  await expect(panel.getByRole('combobox', { name: 'Sort by' })).toHaveValue('name');
  await expect(panel.getByRole('searchbox', { name: 'Search accounts' })).toHaveValue('a');
  await expect(panel.getByRole('button', { name: /^Filtered out/, pressed: true })).toBeVisible();
});

test('dark mode follows the system: side panel, popup and options (screenshots)', async ({ openPage, serviceWorker }) => {
  const options = await openPage('options');
  await connectAndSync(options, serviceWorker);
  const state = await ask<StateResponse>(options, { type: 'getState' });
  expect(state.sites).toHaveLength(1);
  for (const name of ['sidepanel', 'popup', 'options'] as const) {
    const page = await openPage(name);
    await page.emulateMedia({ colorScheme: 'dark' });
    if (name === 'sidepanel') {
      await page.setViewportSize({ width: 400, height: 900 });
      await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption({ label: 'Flagged' });
      await expect(page.getByRole('list', { name: 'Accounts' }).getByRole('button').first()).toBeVisible();
    } else {
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: `test-results/${name}-dark.png`, fullPage: name === 'options' });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(255, 255, 255)');
  }
});
