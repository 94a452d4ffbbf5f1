import { expect, test } from './fixtures';

test('popup, side panel and options page render with no connection', async ({ openPage }) => {
  const popup = await openPage('popup');
  await expect(popup.getByRole('button', { name: 'Connect a site' })).toBeVisible();

  const panel = await openPage('sidepanel');
  await expect(panel.getByText(/No site connected/)).toBeVisible();

  const options = await openPage('options');
  await expect(options.getByRole('heading', { name: 'Access Lens — settings' })).toBeVisible();
  await expect(options.getByRole('textbox', { name: 'Site URL' })).toBeVisible();
  await expect(options.getByText('https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/')).toBeVisible();
});

test('the content script runs on a site page served by the fake', async ({ context, fake }) => {
  const page = await context.newPage();
  await page.goto('https://acme.atlassian.net/wiki/home');
  await expect(page.locator('html')).toHaveAttribute('data-access-lens', 'loaded');
  expect(fake.log.entries.some((e) => e.host === 'acme.atlassian.net' && e.path.startsWith('/wiki/home'))).toBe(true);
});
