import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { OwnerMark, Person, ReviewRow, SyncedAccount } from '../../../lib/model';
import { buildReview } from '../../../lib/review/build-review';
import { escapeFormula, toCsv, toJson } from '../../../lib/review/export';
import { SITE, account, person } from '../match/fixtures';

const HEADER =
  'site,account_id,display_name,email,email_source,account_type,status,groups,role,owner_type,person_name,person_email,match,flags,filtered_reason,decision,note';

const lee = person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', endDate: '2025-01-01', row: 3 });

function rows(accounts: SyncedAccount[], people: Person[] = [lee], marks = new Map<string, OwnerMark>()): ReviewRow[] {
  return buildReview({ accounts, people, marks, settings: { graceDays: 3 }, today: '2025-03-10' });
}

const parseCsv = (csv: string) => Papa.parse<string[]>(csv, { header: false, skipEmptyLines: true }).data;

describe('toCsv', () => {
  it('starts with the exact header and uses CRLF', () => {
    const csv = toCsv([], SITE);
    expect(csv).toBe(`${HEADER}\r\n`);
    const withRows = toCsv(rows([account({ accountId: 'a', displayName: 'A' }), account({ accountId: 'b', displayName: 'B' })]), SITE);
    const lines = withRows.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(withRows.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes every value of a flagged, matched account', () => {
    const acc = account({
      accountId: 'acc-1',
      displayName: 'Lee Park',
      email: 'lee@acme.com',
      emailSource: 'jira',
      isGuest: true,
      role: 'admin',
      groups: [
        { id: '2', name: 'site-admins' },
        { id: '1', name: 'confluence-users' },
      ],
    });
    const csv = toCsv(rows([acc]), SITE);
    expect(csv.split('\r\n')[1]).toBe(
      'https://acme.atlassian.net,acc-1,Lee Park,lee@acme.com,jira,atlassian,active,confluence-users;site-admins,admin,person,Lee Park,lee@acme.com,email,privileged_guest;revoke_overdue;should_revoke,,,',
    );
  });

  it('writes a filtered, unmatched account with empty person fields', () => {
    const acc = account({ accountId: 'app-1', displayName: 'Bot', accountType: 'app', status: 'unknown', role: 'none', groups: [], filteredReason: 'app' });
    expect(toCsv(rows([acc]), SITE).split('\r\n')[1]).toBe(
      'https://acme.atlassian.net,app-1,Bot,,none,app,unknown,,none,none,,,none,,app,,',
    );
  });

  it('sorts rows by display name (case-insensitive) then account id', () => {
    const csv = toCsv(
      rows([
        account({ accountId: 'z', displayName: 'bob' }),
        account({ accountId: 'b', displayName: 'Ann' }),
        account({ accountId: 'a', displayName: 'Bob' }),
        account({ accountId: 'c', displayName: 'ann' }),
      ]),
      SITE,
    );
    expect(parseCsv(csv).slice(1).map((r) => r[1])).toEqual(['b', 'c', 'a', 'z']);
  });

  it('quotes commas, quotes and newlines (RFC 4180) and round-trips', () => {
    const nasty = 'Doe, "JD"\nJane';
    const csv = toCsv(rows([account({ accountId: 'a', displayName: nasty })]), SITE);
    expect(csv).toContain('"Doe, ""JD""\nJane"');
    expect(parseCsv(csv)[1]?.[2]).toBe(nasty);
  });

  it.each([
    ['=', '=HYPERLINK("http://x")'],
    ['+', '+1 555 0100'],
    ['-', '-2+3'],
    ['@', '@SUM(A1)'],
    ['tab', '\t=cmd'],
    ['carriage return', '\r=cmd'],
  ])('escapes a display name starting with %s', (_l, name) => {
    const csv = toCsv(rows([account({ accountId: 'a', displayName: name })]), SITE);
    expect(parseCsv(csv)[1]?.[2]).toBe(`'${name}`);
  });

  it('escapes formula characters in every column, e.g. a person name from the roster', () => {
    const evil = person({ id: 'email:e@x.io', name: '=cmd|x', workEmail: 'e@x.io', row: 2 });
    const csv = toCsv(rows([account({ accountId: 'a', displayName: 'Evil', email: 'e@x.io', emailSource: 'confluence' })], [evil]), SITE);
    expect(parseCsv(csv)[1]?.[10]).toBe("'=cmd|x");
  });

  it('leaves safe values alone', () => {
    expect(escapeFormula('Jane')).toBe('Jane');
    expect(escapeFormula('a=b')).toBe('a=b');
    expect(escapeFormula('')).toBe('');
  });
});

describe('toJson', () => {
  const meta = {
    exportedAt: '2025-03-10T12:00:00.000Z',
    lastSyncedAt: '2025-03-10T11:00:00.000Z',
    roster: { fileName: 'hr.csv', importedAt: '2025-03-09T09:00:00.000Z' },
  };

  it('has the listed top-level keys, the CSV columns, and typed row values with explanations', () => {
    const accs = [
      account({ accountId: 'acc-1', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'confluence', groups: [{ id: '1', name: 'a-group' }, { id: '2', name: 'z-group' }] }),
      account({ accountId: 'app', displayName: 'Bot', filteredReason: 'app', filteredDetail: 'App account (accountType "app")' }),
    ];
    const doc = JSON.parse(toJson(rows(accs), SITE, meta));
    expect(Object.keys(doc)).toEqual(['site', 'exportedAt', 'lastSyncedAt', 'roster', 'caveats', 'columns', 'rows']);
    expect(doc.caveats).toEqual([]);
    expect(doc.site).toBe(SITE);
    expect(doc.roster).toEqual(meta.roster);
    expect(doc.columns.join(',')).toBe(HEADER);
    expect(doc.rows).toHaveLength(2);
    const [bot, leeRow] = doc.rows;
    expect(leeRow).toEqual({
      site: SITE,
      account_id: 'acc-1',
      display_name: 'Lee Park',
      email: 'lee@acme.com',
      email_source: 'confluence',
      account_type: 'atlassian',
      status: 'active',
      groups: ['a-group', 'z-group'],
      role: 'read',
      owner_type: 'person',
      person_name: 'Lee Park',
      person_email: 'lee@acme.com',
      match: 'email',
      flags: ['revoke_overdue', 'should_revoke'],
      filtered_reason: null,
      decision: null,
      note: null,
      explanations: {
        match: "Email lee@acme.com (from Confluence) matches the roster's work email of Lee Park",
        flags: [
          { flag: 'should_revoke', explanation: 'Lee Park has left (end date 2025-01-01) but the account is still in a-group, z-group' },
          { flag: 'revoke_overdue', explanation: 'End date 2025-01-01 was 68 days ago, more than the 3 days grace period' },
        ],
        filtered: null,
      },
    });
    expect(bot.filtered_reason).toBe('app');
    expect(bot.explanations.filtered).toBe('App account (accountType "app")');
    expect(bot.flags).toEqual([]);
  });

  it('does not formula-escape JSON values and allows a null roster', () => {
    const doc = JSON.parse(toJson(rows([account({ accountId: 'a', displayName: '=x' })]), SITE, { ...meta, roster: null }));
    expect(doc.roster).toBeNull();
    expect(doc.rows[0].display_name).toBe('=x');
  });

  it('does not leak roster details beyond the owner, nor mark timestamps', () => {
    const secretive = person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', department: 'SECRET-DEPT', manager: 'SECRET-MGR', altEmails: ['private@home.io'], row: 3 });
    const marks = new Map<string, OwnerMark>([['a', { kind: 'external', reason: 'Vendor', at: 'SECRET-TIME' }]]);
    const json = toJson(rows([account({ accountId: 'a', email: 'lee@acme.com', emailSource: 'jira' }), account({ accountId: 'b', email: 'lee@acme.com', emailSource: 'jira' })], [secretive], marks), SITE, meta);
    expect(json).not.toMatch(/SECRET|private@home/);
  });
});

describe('toJson caveats (issue 8, item 4)', () => {
  it('carries the caveats of the sync that made the data, in order', () => {
    const caveats = ['Account status lookup (users-bulk) refused by Atlassian (XSRF check failed): status comes from Confluence operations and display names instead'];
    const doc = JSON.parse(toJson(rows([account({ accountId: 'a' })]), SITE, { exportedAt: '2026-03-01T00:00:00.000Z', lastSyncedAt: null, roster: null, caveats }));
    expect(doc.caveats).toEqual(caveats);
  });
});

