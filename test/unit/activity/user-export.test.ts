import { describe, expect, it } from 'vitest';
import {
  accountActivitySchema,
  type AccountActivity,
} from '../../../lib/activity/types';
import {
  activitySourceOf,
  compareWithReview,
  parseUserExport,
  userExportMetaSchema,
  type ParseUserExportOptions,
} from '../../../lib/activity/user-export';

const A = '5b10ac8d82e05b22cc7d4ef5';
const B = '557058:f6688130-1b2c-4d5e-8f90-0123456789ab';
const C = '712020:0b6ad0ef-1cd3-4e0b-9a57-5b2b8a0c0e11';
const D = '5f64a069a1048d0069073500';

const parse = (text: string, opts: Partial<ParseUserExportOptions> = {}) => parseUserExport(text, { siteName: 'acme', ...opts });

/** A user-management export of an organisation with the sites acme, acme-labs and beta. */
const USER_MANAGEMENT = [
  'User id,User name,email,User status,Added to org,Org role,Confluence - acme-labs,Last seen in Confluence - acme-labs,Confluence - acme,Last seen in Confluence - acme,Jira - acme,Last seen in Jira - acme,Last seen in Confluence - beta',
  `${A},Ada Lovelace,ada@acme.test,Active,3 Mar 2021,Member,User,2 Jan 2026,User,14 Dec 2023,User,1 Nov 2026,Never accessed`,
  `${B},Bob Roe,bob@acme.test,Active,15 Jun 2022,,User,Never accessed,User,Never Accessed,,,`,
  `${C},Cy Twombly,cy@acme.test,Deactivated,1 Feb 2020,,User,5 May 2025,,,User,4 Dec 2023,`,
  `${D},Dee Admin,dee@acme.test,Active,2 Feb 2020,Organization admin,User,,Admin,4 Nov 2026,Admin,20 Nov 2026,`,
].join('\n');

function byId(accounts: readonly AccountActivity[]): Record<string, AccountActivity> {
  return Object.fromEntries(accounts.map((a) => [a.accountId, a]));
}

describe('parseUserExport: user-management export', () => {
  it('reads the Confluence column of exactly this site, dates, "Never accessed" and empty cells', () => {
    const r = parse(USER_MANAGEMENT, { fileName: 'export-users.csv' });
    expect(r.errors).toEqual([]);
    expect(r.shape).toBe('user-management');
    expect(r.siteColumn).toBe('Last seen in Confluence - acme');
    expect(r.needsSiteChoice).toBe(false);
    expect(r.siteCandidates).toEqual(['Last seen in Confluence - acme-labs', 'Last seen in Confluence - acme', 'Last seen in Confluence - beta']);
    expect(r.accounts).toEqual([
      { accountId: A, lastActive: '2023-12-14', lastActiveScope: 'site', mfa: null, status: 'active', addedToOrg: '2021-03-03' },
      { accountId: B, lastActive: 'never', lastActiveScope: 'site', mfa: null, status: 'active', addedToOrg: '2022-06-15' },
      // No Confluence access on acme: the empty cell says nothing (acme-labs' 5 May 2025 is not acme's).
      { accountId: C, lastActive: null, lastActiveScope: 'site', mfa: null, status: 'inactive', addedToOrg: '2020-02-01' },
      { accountId: D, lastActive: '2026-11-04', lastActiveScope: 'site', mfa: null, status: 'active', addedToOrg: '2020-02-02' },
    ]);
    expect(r.preview).toEqual({ accounts: 4, lastActiveDated: 2, lastActiveNever: 1, lastActiveUnknown: 1, mfaOn: 0, mfaOff: 0, latestActivity: '2026-11-04' });
    expect(r.meta).toMatchObject({ shape: 'user-management', siteColumn: 'Last seen in Confluence - acme', rowCount: 4, accountCount: 4, fileName: 'export-users.csv' });
    expect(r.warnings).toContain('Only "Last seen in Confluence - acme" is read; the columns of the organisation\'s other sites (acme-labs, beta) are ignored');
  });

  it('a site whose name another site\'s name starts with is matched exactly, both ways round', () => {
    const labs = parse(USER_MANAGEMENT, { siteName: 'acme-labs' });
    expect(labs.errors).toEqual([]);
    expect(labs.siteColumn).toBe('Last seen in Confluence - acme-labs');
    expect(byId(labs.accounts)[A]?.lastActive).toBe('2026-01-02');
    expect(byId(labs.accounts)[C]?.lastActive).toBe('2025-05-05');
    expect(byId(labs.accounts)[D]?.lastActive).toBeNull();

    // Only acme-labs in the file: the acme site must not take it as its own.
    const onlyLabs = `User id,Last seen in Confluence - acme-labs\n${A},2 Jan 2026`;
    const r = parse(onlyLabs, { siteName: 'acme' });
    expect(r.needsSiteChoice).toBe(true);
    expect(r.siteColumn).toBeNull();
    expect(r.accounts).toEqual([]);
    expect(r.meta).toBeNull();
  });

  it('matches the site name case-insensitively, and the column written with the host name', () => {
    const r = parse(`User id,LAST SEEN IN CONFLUENCE - Acme.Atlassian.Net\n${A},14 Dec 2023`);
    expect(r.errors).toEqual([]);
    expect(r.siteColumn).toBe('LAST SEEN IN CONFLUENCE - Acme.Atlassian.Net');
    expect(r.accounts[0]?.lastActive).toBe('2023-12-14');
  });

  it('asks for the column when no site matches exactly, then reads the chosen one', () => {
    const first = parse(USER_MANAGEMENT, { siteName: 'gamma' });
    expect(first.needsSiteChoice).toBe(true);
    expect(first.siteCandidates).toHaveLength(3);
    expect(first.accounts).toEqual([]);
    expect(first.errors).toEqual([
      {
        row: 0,
        column: null,
        reason: 'No "Last seen in Confluence - gamma" column: the export has "Last seen in Confluence - acme-labs", "Last seen in Confluence - acme", "Last seen in Confluence - beta". Choose the column of this site',
      },
    ]);

    const chosen = parse(USER_MANAGEMENT, { siteName: 'gamma', siteColumn: 'Last seen in Confluence - beta' });
    expect(chosen.errors).toEqual([]);
    expect(chosen.siteColumn).toBe('Last seen in Confluence - beta');
    expect(byId(chosen.accounts)[A]?.lastActive).toBe('never');
    expect(byId(chosen.accounts)[B]?.lastActive).toBeNull();
  });

  it('refuses a chosen column that is not a Confluence last-seen column of the file', () => {
    const r = parse(USER_MANAGEMENT, { siteColumn: 'Last seen in Jira - acme' });
    expect(r.errors).toEqual([{ row: 0, column: 'Last seen in Jira - acme', reason: 'Column "Last seen in Jira - acme" is not a "Last seen in Confluence - <site>" column of this file' }]);
    expect(r.accounts).toEqual([]);
  });

  it('says so when the export has no Confluence column at all', () => {
    const r = parse(`User id,User name,Last seen in Jira - acme\n${A},Ada,14 Dec 2023`);
    expect(r.errors).toEqual([{ row: 0, column: null, reason: 'The export has no "Last seen in Confluence - <site>" column: export the users of the site that has Confluence' }]);
    expect(r.needsSiteChoice).toBe(false);
  });

  it('merges a user repeated once per group, and refuses repeats that disagree', () => {
    const header = 'Group id,Group name,User id,User name,email,User status,Added to org,Last seen in Confluence - acme';
    const same = [header, `g1,confluence-users,${A},Ada,ada@acme.test,Active,3 Mar 2021,14 Dec 2023`, `g2,confluence-admins,${A},Ada,ada@acme.test,Active,3 Mar 2021,14 Dec 2023`].join('\n');
    const merged = parse(same);
    expect(merged.errors).toEqual([]);
    expect(merged.rowCount).toBe(2);
    expect(merged.accounts).toHaveLength(1);
    expect(merged.meta?.accountCount).toBe(1);

    const differ = [header, `g1,confluence-users,${A},Ada,ada@acme.test,Active,3 Mar 2021,14 Dec 2023`, `g2,confluence-admins,${A},Ada,ada@acme.test,Active,3 Mar 2021,15 Dec 2023`].join('\n');
    expect(parse(differ).errors).toEqual([{ row: 3, column: 'User id', reason: `Account ${A} appears again with different values (first in row 2)` }]);
  });

  it('reads a BOM, semicolons and CRLF line ends like the roster import', () => {
    const r = parse(`\uFEFFUser id;User status;Last seen in Confluence - acme\r\n${A};Active;Never accessed\r\n`);
    expect(r.errors).toEqual([]);
    expect(r.headers).toEqual(['User id', 'User status', 'Last seen in Confluence - acme']);
    expect(r.accounts[0]?.lastActive).toBe('never');
  });

  it('accepts the date spellings an export may carry and older "Never logged in"', () => {
    const rows = ['14 Dec 2023', '04 Dec 2023', '4 December 2023', 'Dec 4, 2023', '2023-12-04', 'Never logged in', 'never'];
    const csv = ['User id,Last seen in Confluence - acme', ...rows.map((v, i) => `${i.toString(16).padStart(24, '0')},"${v}"`)].join('\n');
    const r = parse(csv);
    expect(r.errors).toEqual([]);
    expect(r.accounts.map((a) => a.lastActive)).toEqual(['2023-12-14', '2023-12-04', '2023-12-04', '2023-12-04', '2023-12-04', 'never', 'never']);
  });
});

describe('parseUserExport: managed-accounts export', () => {
  const MANAGED = [
    'Atlassian ID,Name,Email,Status,Last active date [UTC],Billable,SAML single sign-on,Two-step verification,Confluence,Jira',
    `${A},Ada Lovelace,ada@acme.test,Active,2026-11-20,Yes,No,Enabled,"acme.atlassian.net, acme-labs.atlassian.net",acme.atlassian.net`,
    `${B},Bob Roe,bob@acme.test,Active,,Yes,No,Disabled,acme.atlassian.net,`,
    `${C},Cy Twombly,cy@acme.test,Deactivated,2024-02-29,No,No,,,`,
  ].join('\n');

  it('reads organisation-wide last activity (empty = never), 2SV and status', () => {
    const r = parse(MANAGED, { fileName: 'managed-accounts-2026-11-27.csv' });
    expect(r.errors).toEqual([]);
    expect(r.shape).toBe('managed-accounts');
    expect(r.siteColumn).toBeNull();
    expect(r.accounts).toEqual([
      { accountId: A, lastActive: '2026-11-20', lastActiveScope: 'organisation', mfa: 'on', status: 'active', addedToOrg: null },
      { accountId: B, lastActive: 'never', lastActiveScope: 'organisation', mfa: 'off', status: 'active', addedToOrg: null },
      { accountId: C, lastActive: '2024-02-29', lastActiveScope: 'organisation', mfa: null, status: 'inactive', addedToOrg: null },
    ]);
    expect(r.preview).toMatchObject({ mfaOn: 1, mfaOff: 1, lastActiveNever: 1, lastActiveDated: 2 });
    expect(r.meta).toMatchObject({ shape: 'managed-accounts', dataDate: '2026-11-27', dataDateSource: 'file-name' });
  });

  it('reads "Two-step verification enabled" with Yes/No, and a file with 2SV but no last-active column', () => {
    const r = parse(`Atlassian ID,Name,Two-step verification enabled\n${A},Ada,Yes\n${B},Bob,no`);
    expect(r.errors).toEqual([]);
    // Without a last-active column nothing is known about activity (not "never").
    expect(r.accounts.map((a) => [a.mfa, a.lastActive])).toEqual([['on', null], ['off', null]]);
  });

  it('refuses a managed-accounts file with neither activity nor 2SV', () => {
    const r = parse(`Atlassian ID,Name,Email\n${A},Ada,ada@acme.test`);
    expect(r.errors).toEqual([{ row: 0, column: null, reason: 'The managed accounts export has neither a "Last active date [UTC]" nor a "Two-step verification" column' }]);
  });
});

describe('parseUserExport: files it must refuse, with row and column', () => {
  it('an HR roster or any other CSV is not an Atlassian export', () => {
    const r = parse('Work Email,Full Name\nada@acme.test,Ada');
    expect(r.shape).toBeNull();
    expect(r.errors).toEqual([
      {
        row: 0,
        column: null,
        reason: 'This is not an Atlassian user export: expected a "User id" column (Atlassian Administration > Users > Export users) or an "Atlassian ID" column (managed accounts export). Found: Work Email, Full Name',
      },
    ]);
  });

  it('both id columns at once', () => {
    expect(parse(`User id,Atlassian ID,Last seen in Confluence - acme\n${A},${A},Never accessed`).errors[0]?.reason).toMatch(/both a "User id" and an "Atlassian ID" column/);
  });

  it('empty file, header only', () => {
    expect(parse('').errors).toEqual([{ row: 0, column: null, reason: 'The file is empty' }]);
    expect(parse('User id,Last seen in Confluence - acme\n').errors).toEqual([{ row: 0, column: null, reason: 'The file has a header but no data rows' }]);
  });

  it('a column it reads that appears twice', () => {
    const r = parse(`User id,Last seen in Confluence - acme,Last seen in Confluence - acme\n${A},14 Dec 2023,15 Dec 2023`);
    expect(r.errors).toEqual([{ row: 1, column: 'Last seen in Confluence - acme', reason: 'Column "Last seen in Confluence - acme" appears 2 times (columns 2, 3)' }]);
  });

  it('lists every malformed row and imports nothing', () => {
    const csv = [
      'User id,User status,Added to org,Last seen in Confluence - acme,Two-step verification',
      `${A},Active,3 Mar 2021,14 Dec 2023,Enabled`, // row 2: fine
      `${B},Active,3 Mar 2021,yesterday,Enabled`, // row 3: bad date
      `,Active,3 Mar 2021,14 Dec 2023,`, // row 4: no id
      `Ada Lovelace,Active,3 Mar 2021,14 Dec 2023,`, // row 5: a name is not an id
      `${C},Active,31 Feb 2021,14 Dec 2023,maybe`, // row 6: impossible date, bad 2SV
      `${D},Active,3 Mar 2021,14 Dec 2023`, // row 7: a value missing
      '',
      `${D},Active,3 Mar 2021,03/04/2024,`, // row 9: ambiguous date
      `${D},Active,3 Mar 2021,"14 Dec 2023,Enabled`, // row 10: unterminated quote
    ].join('\n');
    const r = parse(csv);
    expect(r.meta).toBeNull();
    expect(r.errors).toEqual([
      { row: 3, column: 'Last seen in Confluence - acme', reason: 'Unrecognised date "yesterday" — write it as YYYY-MM-DD (Atlassian writes dates like 14 Dec 2023)' },
      { row: 4, column: 'User id', reason: 'No account id' },
      { row: 5, column: 'User id', reason: '"Ada Lovelace" is not an Atlassian account id' },
      { row: 6, column: 'Two-step verification', reason: '"maybe" is not a two-step verification state (expected Enabled or Disabled, On or Off, Yes or No)' },
      { row: 6, column: 'Added to org', reason: '"31 Feb 2021" is not a calendar date (Atlassian writes dates like 14 Dec 2023)' },
      { row: 7, column: null, reason: 'Row has 4 values but the header has 5 columns (a missing or extra delimiter or quote?)' },
      { row: 9, column: 'Last seen in Confluence - acme', reason: 'Ambiguous date "03/04/2024": 3 April or March 4 — write it as YYYY-MM-DD (Atlassian writes dates like 14 Dec 2023)' },
      { row: 10, column: null, reason: 'Unterminated quoted field: a cell opens a " that never closes, so the rest of the file is unreadable' },
    ]);
    // The preview still shows what the good rows hold.
    expect(r.accounts.map((a) => a.accountId)).toEqual([A]);
  });

  it('refuses an overlong cell rather than storing it', () => {
    const r = parse(`User id,Last seen in Confluence - acme\n${A},${'x'.repeat(1001)}`);
    expect(r.errors).toEqual([{ row: 2, column: 'Last seen in Confluence - acme', reason: 'Value is longer than 1000 characters' }]);
  });

  it('keeps an unknown status as unknown, with a warning, without refusing the file', () => {
    const r = parse(`User id,User status,Last seen in Confluence - acme\n${A},Pending invite,Never accessed\n${B},Pending invite,Never accessed`);
    expect(r.errors).toEqual([]);
    expect(r.accounts.map((a) => a.status)).toEqual([null, null]);
    expect(r.warnings).toEqual(['Unrecognised status "Pending invite" (2): their status is left unknown']);
  });
});

describe('parseUserExport: the date of the data', () => {
  const csv = `User id,Added to org,Last seen in Confluence - acme\n${A},3 Mar 2021,14 Dec 2025\n${B},1 Oct 2026,Never accessed`;

  it('takes a date in the file name first', () => {
    const r = parse(csv, { fileName: 'export-users-2026-11-27.csv', fileLastModified: Date.UTC(2026, 11, 30, 12) });
    expect(r.meta).toMatchObject({ dataDate: '2026-11-27', dataDateSource: 'file-name' });
  });

  it('then the day the file was last modified, in the given time zone', () => {
    const r = parse(csv, { fileName: 'export-users (20).csv', fileLastModified: Date.UTC(2026, 10, 27, 23, 30), timeZone: 'Asia/Tokyo' });
    expect(r.meta).toMatchObject({ dataDate: '2026-11-28', dataDateSource: 'file-modified' });
  });

  it('then the latest date the file contains (added to org counts)', () => {
    const r = parse(csv, { fileName: 'users.csv' });
    expect(r.meta).toMatchObject({ dataDate: '2026-10-01', dataDateSource: 'latest-date-in-file' });
  });

  it('never a date earlier than the file\'s own content, and says why', () => {
    const r = parse(csv, { fileName: 'export-2026-01-01.csv' });
    expect(r.meta).toMatchObject({ dataDate: '2026-10-01', dataDateSource: 'latest-date-in-file' });
    expect(r.warnings).toContain('The file contains dates up to 2026-10-01, later than its date 2026-01-01; 2026-10-01 is used as the date of the data');
  });

  it('cites the data date, or the import day when there is none', () => {
    const meta = parse(csv, { fileName: 'export-users-2026-11-27.csv' }).meta;
    if (meta === null) throw new Error('expected a clean parse');
    expect(activitySourceOf(meta, '2026-12-01T09:00:00.000Z')).toEqual({ kind: 'user-export', date: '2026-11-27' });
    expect(activitySourceOf({ ...meta, shape: 'managed-accounts', dataDate: null }, '2026-12-01T09:00:00.000Z')).toEqual({ kind: 'managed-accounts-export', date: '2026-12-01' });
  });
});

describe('rows for accounts not in the review; matching by account id only', () => {
  it('counts matched rows, rows of accounts outside the review, and review accounts without a row', () => {
    const r = parse(USER_MANAGEMENT);
    expect(compareWithReview(r.accounts, [A, D, '5b10ac8d82e05b22cc7d4eff'])).toEqual({ matched: 2, notInReview: 2, reviewWithoutRow: 1 });
  });

  it('never matches by name or email: a review account with the same email but another id has no row', () => {
    // "ada@acme.test" is A's email in the export; the review's account with that email is another id.
    const r = parse(USER_MANAGEMENT);
    expect(compareWithReview(r.accounts, ['5b10ac8d82e05b22cc7d4e00'])).toEqual({ matched: 0, notInReview: 4, reviewWithoutRow: 1 });
    expect(r.accounts.some((a) => JSON.stringify(a).includes('ada@acme.test'))).toBe(false);
  });
});

describe('the parse output crosses the message boundary as validated data', () => {
  it('every account and the meta pass their schemas; a tampered record does not', () => {
    const r = parse(USER_MANAGEMENT, { fileName: 'export-users-2026-11-27.csv' });
    for (const a of r.accounts) expect(accountActivitySchema.safeParse(a).success).toBe(true);
    expect(userExportMetaSchema.safeParse(r.meta).success).toBe(true);
    expect(accountActivitySchema.safeParse({ ...r.accounts[0], lastActive: '14 Dec 2023' }).success).toBe(false);
    expect(accountActivitySchema.safeParse({ ...r.accounts[0], mfa: 'maybe' }).success).toBe(false);
  });
});
