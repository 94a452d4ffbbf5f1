/**
 * "Offboarding grace period (days)": a person who left 5 days ago is overdue with the default 3
 * days, and only "should revoke" once the admin allows 10.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { expect, test } from './fixtures';
import { SCENARIO_DIR } from '../fake-atlassian/scenario';
import { ask, connectWithApiToken, DEMO, importRoster, waitForSyncIdle, reviewOf } from '../support/driver';

const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

test('the grace period decides when a leaver becomes Revoke overdue', async ({ openPage, serviceWorker, extensionId, fake }) => {
  // One active employee with an account in a monitored group leaves 5 days ago.
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(path.join(SCENARIO_DIR, 'demo-roster.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const users = fake.state.site('acme').site.users;
  const confluenceUsers = new Set(fake.state.site('acme').site.groups.find((g) => g.name === 'confluence-users-acme')!.members);
  const leaver = rows.find((r) => {
    if (r.Status !== 'Active') return false;
    const u = users.find((x) => x.email?.toLowerCase() === r['Work Email']!.toLowerCase());
    return u && u.accountStatus === 'active' && u.accountType === 'atlassian' && confluenceUsers.has(u.accountId);
  })!;
  expect(leaver).toBeTruthy();
  const account = users.find((x) => x.email?.toLowerCase() === leaver['Work Email']!.toLowerCase())!;
  leaver.Status = 'Terminated';
  leaver['Termination Date'] = localDay(new Date(Date.now() - 5 * 86_400_000));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grace-')), 'roster.csv');
  fs.writeFileSync(file, Papa.unparse(rows));

  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);
  await importRoster(options, file);
  await expect(options.getByTestId('roster-status')).toHaveText(/^Roster: roster\.csv/);

  const flagsOf = async () =>
    (await reviewOf(options, DEMO.siteUrl)).rows
      .find((r) => r.account.accountId === account.accountId)!
      .flags.map((f) => f.flag)
      .sort();
  expect(await flagsOf()).toEqual(['revoke_overdue', 'should_revoke']);

  await options.getByRole('spinbutton', { name: 'Offboarding grace period (days)' }).fill('10');
  await options.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(flagsOf).toEqual(['should_revoke']);

  // The side panel says the same, in words.
  const panel = await options.context().newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill(account.accountId);
  await expect(panel.getByRole('status').filter({ hasText: /accounts?$/ })).toHaveText('1 account');
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').click();
  const flags = panel.getByRole('list', { name: 'Flags' });
  await expect(flags).toContainText(`${leaver['Full Name']} has left`);
  await expect(flags).not.toContainText('Revoke overdue');
});
