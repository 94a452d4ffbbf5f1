/**
 * Issue 12, hostile input in the real extension: an account whose Atlassian fields carry HTML,
 * script, a `javascript:` URL, an RLO and a NUL renders as text in the side panel and
 * the page badge; nothing runs, no dialog opens, and the RLO is shown, not obeyed.
 */
import { expect, test } from './fixtures';
import { connectWithApiToken, waitForSyncIdle } from '../support/driver';
import { pageBadges } from '../support/inspect';

const ID = '557058:0e0e0e0e-1111-4222-8333-444455550001';
const NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Eve \u202Egpj.exe\u0000';
const EMAIL = 'eve\u202Emoc.live@acme.test';

test('hostile Atlassian fields render as text in the side panel and the page badge', async ({ context, openPage, serviceWorker, fake }) => {
  const acme = fake.state.site('acme').site;
  const template = acme.users.find((u) => u.accountType === 'atlassian' && u.accountStatus === 'active' && !u.isGuest && u.operations.length > 0)!;
  fake.state.addUser('acme', { ...template, accountId: ID, displayName: NAME, publicName: 'javascript:alert(1)', email: EMAIL, workEmail: EMAIL });
  fake.state.addMember('acme', acme.groups.find((g) => g.name === 'confluence-users-acme')!.id, ID);
  const dialogs: string[] = [];
  context.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  const panel = await openPage('sidepanel');
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill(ID);
  const button = panel.getByRole('list', { name: 'Accounts' }).getByRole('button');
  await expect(button).toHaveCount(1);
  const shown = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Eve ⟨RLO⟩gpj.exe␀';
  await expect(button.locator('.name')).toHaveText(shown);
  await expect(button.locator('.meta')).toContainText('eve⟨RLO⟩moc.live@acme.test');
  await button.click();
  await expect(panel.locator('#detail-name')).toHaveText(shown);
  expect(await panel.evaluate(() => ({ pwned: (window as { __pwned?: number }).__pwned ?? null, imgs: document.querySelectorAll('img, script:not([src])').length }))).toEqual({ pwned: null, imgs: 0 });

  const page = await context.newPage();
  const index = fake.state.site('acme').site.users.findIndex((u) => u.accountId === ID);
  await page.goto(`https://acme.atlassian.net/wiki/spaces/ENG/pages/1/Team?from=${index}&people=1&late=0`);
  await expect.poll(async () => (await pageBadges(page)).map((b) => b.name)).toEqual(['Access Lens: Unattributed']);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned ?? null)).toBeNull();
  expect(dialogs).toEqual([]);
});
