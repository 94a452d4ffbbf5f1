/**
 * Issue 10, "Roster files people actually have", end to end: a Google Workspace user export
 * (Admin console → Directory → Users → Download users; its header as Google writes it) imported
 * through the options page is recognised without correction, its Suspended and Archived users
 * count as left — and become "Should revoke" in the review — and files that cannot reveal leavers
 * are imported with a warning, never refused.
 *
 * Who should be flagged is worked out here from the demo scenario, not from the product's code.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loadScenario } from '../fake-atlassian/scenario';
import { connectWithApiToken, DEMO, reviewOf, waitForSyncIdle } from '../support/driver';

/** The columns of Google's download (support.google.com/a/answer/7348070), in its order. */
const GOOGLE_HEADER = [
  'First Name [Required]', 'Last Name [Required]', 'Email Address [Required]', 'Password [Required]',
  'Password Hash Function [UPLOAD ONLY]', 'Org Unit Path [Required]', 'New Primary Email [UPLOAD ONLY]', 'Status [READ ONLY]',
  'Last Sign In [READ ONLY]', 'Recovery Email', 'Home Secondary Email', 'Work Secondary Email',
  'Recovery Phone [MUST BE IN THE E.164 FORMAT]', 'Work Phone', 'Home Phone', 'Mobile Phone', 'Work Address', 'Home Address',
  'Employee ID', 'Employee Type', 'Employee Title', 'Manager Email', 'Department', 'Cost Center', '2sv Enrolled [READ ONLY]',
  '2sv Enforced [READ ONLY]', 'Building ID', 'Floor Name', 'Floor Section', 'Email Usage [READ ONLY]', 'Drive Usage [READ ONLY]',
  'Total Storage [READ ONLY]', 'Change Password at Next Sign-In', 'New Status [UPLOAD ONLY]',
];

interface GoogleUser {
  first: string;
  last: string;
  email: string;
  status: string;
}

function googleExport(users: readonly GoogleUser[], columns: readonly string[] = GOOGLE_HEADER): string {
  const cell = (u: GoogleUser, column: string): string =>
    ({
      'First Name [Required]': u.first,
      'Last Name [Required]': u.last,
      'Email Address [Required]': u.email,
      'Password [Required]': '****',
      'Org Unit Path [Required]': u.status === 'Active' ? '/' : '/Former staff',
      'Status [READ ONLY]': u.status,
      'Last Sign In [READ ONLY]': '2026/11/20 09:14:00',
      'Employee Type': 'Employee',
      'Change Password at Next Sign-In': 'False',
    })[column] ?? '';
  return [columns.join(','), ...users.map((u) => columns.map((c) => cell(u, c)).join(','))].join('\r\n') + '\r\n';
}

async function pick(options: Page, name: string, csv: string): Promise<void> {
  await options.getByLabel('Personnel roster').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(options.getByRole('heading', { name: `Preview of ${name}` })).toBeVisible();
}

const warningsOf = (options: Page) => options.getByRole('list', { name: 'Roster warnings' }).getByRole('listitem');

test('files that cannot reveal leavers: recognised, warned, still importable, and the preview passes axe', async ({ openPage }) => {
  const options = await openPage('options');
  const ada = { first: 'Ada', last: 'Lovelace', email: 'ada@acme.test', status: 'Active' };
  const bob = { first: 'Bob', last: 'Stone', email: 'bob@acme.test', status: 'Active' };

  // Downloaded with only some columns shown: no Status [READ ONLY], no end date.
  await pick(options, 'some-columns.csv', googleExport([ada, bob], GOOGLE_HEADER.slice(0, 6)));
  await expect(options.getByTestId('roster-preset')).toHaveText('Recognised: Google Workspace user export');
  await expect(warningsOf(options)).toHaveText([/^Warning: No status or end-date column found: a list of current staff cannot reveal leavers\./]);
  await expect(options.getByRole('button', { name: 'Import roster' })).toBeEnabled();

  // Every column, everyone Active.
  await pick(options, 'all-active.csv', googleExport([ada, bob]));
  await expect(options.getByTestId('roster-preset')).toContainText('Recognised: Google Workspace user export');
  await expect(options.getByRole('status').filter({ hasText: 'rows read' })).toHaveText('2 rows read, 2 people, no errors');
  await expect(warningsOf(options)).toHaveText([/^Warning: Every person in the file is active/]);
  for (const colorScheme of ['light', 'dark'] as const) {
    await options.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page: options }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.help}`), colorScheme).toEqual([]);
  }

  // A warning is not an error: the file imports.
  await options.getByRole('button', { name: 'Import roster' }).click();
  await expect(options.getByTestId('roster-status')).toHaveText(/^Roster: all-active\.csv — 2 people, imported /);
});

test('a Google Workspace export with Suspended and Archived users: recognised, counted as left, flagged Should revoke', async ({
  openPage,
  serviceWorker,
}) => {
  const site = loadScenario('demo').sites[0]!;
  const members = new Set(site.groups.find((g) => g.name === 'confluence-users-acme')!.members);
  const [active, suspended, archived] = site.users.filter(
    (u) => members.has(u.accountId) && u.accountType === 'atlassian' && u.accountStatus === 'active' && !u.isGuest && !!u.email && u.displayName.split(' ').length === 2,
  );
  if (!active || !suspended || !archived) throw new Error('the demo scenario has fewer than three plain active members');
  const asGoogle = (u: typeof active, status: string): GoogleUser => {
    const [first = '', last = ''] = u.displayName.split(' ');
    return { first, last, email: u.email ?? '', status };
  };

  const options = await openPage('options');
  await connectWithApiToken(options);
  await options.getByRole('button', { name: 'Save groups' }).click();
  await waitForSyncIdle(serviceWorker);

  await pick(
    options,
    'users.csv',
    googleExport([asGoogle(active, 'Active'), asGoogle(suspended, 'Suspended'), asGoogle(archived, 'Archived')]),
  );
  await expect(options.getByTestId('roster-preset')).toHaveText(
    'Recognised: Google Workspace user export — status “Suspended” or “Archived” counts as left in this export.',
  );
  await expect(options.getByRole('status').filter({ hasText: 'rows read' })).toHaveText('3 rows read, 3 people, no errors, 2 already left');
  await expect(options.getByRole('list', { name: 'Roster warnings' })).toHaveCount(0);
  // Nothing to correct: the mapping shows Google's own columns.
  await expect(options.getByLabel('Work email column')).toHaveValue('Email Address [Required]');
  await expect(options.getByLabel('Employment status column')).toHaveValue('Status [READ ONLY]');
  await options.getByRole('button', { name: 'Import roster' }).click();
  await expect(options.getByTestId('roster-status')).toHaveText(/^Roster: users\.csv — 3 people, imported /);

  const { rows } = await reviewOf(options, DEMO.siteUrl);
  const flagsOf = (accountId: string) => rows.find((r) => r.account.accountId === accountId)?.flags.map((f) => f.flag) ?? null;
  expect(flagsOf(active.accountId)).not.toBeNull();
  expect(flagsOf(active.accountId)).not.toContain('should_revoke');
  expect(flagsOf(active.accountId)).not.toContain('unattributed');
  expect(flagsOf(suspended.accountId)).toContain('should_revoke');
  expect(flagsOf(archived.accountId)).toContain('should_revoke');
  const explanation = rows.find((r) => r.account.accountId === suspended.accountId)?.flags.find((f) => f.flag === 'should_revoke')?.explanation;
  expect(explanation).toContain('status "Suspended"');
});
