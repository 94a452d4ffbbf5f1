import { expect, test } from './fixtures';
import { ask, connectWithApiToken, DEMO, waitForSyncIdle, reviewOf } from '../support/driver';

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

test('on a profile page of a synced account, the content script shows its review in a badge', async ({ context, openPage, serviceWorker, fake }) => {
  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  // With no roster imported, every active account in the review is unattributed.
  const { rows } = await reviewOf(options, DEMO.siteUrl);
  const row = rows.find((r) => !r.account.filteredReason && r.flags.some((f) => f.flag === 'unattributed'))!;

  const page = await context.newPage();
  await page.goto(`https://acme.atlassian.net/wiki/people/${encodeURIComponent(row.account.accountId)}?ref=confluence`);
  await expect(page.locator('html')).toHaveAttribute('data-access-lens', 'loaded');
  // The badge lives in a closed shadow root (the page cannot read it); CDP can.
  const cdp = await context.newCDPSession(page);
  type DomNode = { nodeValue?: string; children?: DomNode[]; shadowRoots?: DomNode[] };
  const texts = (n: DomNode): string[] => [
    ...(n.nodeValue ? [n.nodeValue] : []),
    ...[...(n.children ?? []), ...(n.shadowRoots ?? [])].flatMap(texts),
  ];
  const badgeText = async () => {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    return texts(root as DomNode).find((t) => t.startsWith('Access Lens: ')) ?? '';
  };
  await expect.poll(badgeText).toContain(`Access Lens: ${row.account.displayName}, no known owner — flagged: unattributed`);
  expect(fake.log.entries.some((e) => e.path.startsWith('/wiki/people/'))).toBe(true);

  // A page about no particular account shows nothing.
  await page.goto('https://acme.atlassian.net/wiki/spaces/ENG/overview');
  await expect(page.locator('html')).toHaveAttribute('data-access-lens', 'loaded');
  await expect.poll(badgeText).toBe('');
});
