import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { OwnerMark, Person, ReviewRow, SyncedAccount } from '../../../lib/model';
import { buildReview } from '../../../lib/review/build-review';
import { neutraliseCsvFormulas, toCsv, toJson } from '../../../lib/review/export';
import { createRng, pick, randInt } from '../../fake-atlassian/prng';
import { SITE, account, person } from '../match/fixtures';

const HEADER =
  'site,account_id,display_name,email,email_source,account_type,status,groups,role,owner_type,person_name,person_email,match,flags,filtered_reason,decision,note,last_active,mfa';

const lee = person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', endDate: '2025-01-01', row: 3 });

function rows(accounts: SyncedAccount[], people: Person[] = [lee], marks = new Map<string, OwnerMark>()): ReviewRow[] {
  return buildReview({ accounts, people, marks, settings: { graceDays: 3, dormantDays: 90 }, today: '2025-03-10' });
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
      'https://acme.atlassian.net,acc-1,Lee Park,lee@acme.com,jira,atlassian,active,confluence-users;site-admins,admin,person,Lee Park,lee@acme.com,email,privileged_guest;revoke_overdue;should_revoke,,,,,',
    );
  });

  it('writes a filtered, unmatched account with empty person fields', () => {
    const acc = account({ accountId: 'app-1', displayName: 'Bot', accountType: 'app', status: 'unknown', role: 'none', groups: [], filteredReason: 'app' });
    expect(toCsv(rows([acc]), SITE).split('\r\n')[1]).toBe(
      'https://acme.atlassian.net,app-1,Bot,,none,app,unknown,,none,none,,,none,,app,,,,',
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
    ['=', '=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+', '+1 555 0100', "'+1 555 0100"],
    ['-', '-2+3', "'-2+3"],
    ['@', '@SUM(A1)', "'@SUM(A1)"],
    // A tab also splits the cell where a spreadsheet splits on tabs, so what follows it is escaped too.
    ['tab', '\t=cmd', "'\t'=cmd"],
    ['carriage return', '\r=cmd', "'\r'=cmd"],
  ])('escapes a display name starting with %s', (_l, name, escaped) => {
    const csv = toCsv(rows([account({ accountId: 'a', displayName: name })]), SITE);
    expect(parseCsv(csv)[1]?.[2]).toBe(escaped);
  });

  it('escapes formula characters in every column, e.g. a person name from the roster', () => {
    const evil = person({ id: 'email:e@x.io', name: '=cmd|x', workEmail: 'e@x.io', row: 2 });
    const csv = toCsv(rows([account({ accountId: 'a', displayName: 'Evil', email: 'e@x.io', emailSource: 'confluence' })], [evil]), SITE);
    expect(parseCsv(csv)[1]?.[10]).toBe("'=cmd|x");
  });

  it('escapes a formula inside a cell: a display name, a roster name and a later group of the list', () => {
    const evil = person({ id: 'email:e@x.io', name: 'Bob, @SUM(A1)', workEmail: 'e@x.io', row: 2 });
    const acc = account({
      accountId: 'a',
      displayName: 'Bob;=1+1',
      email: 'e@x.io',
      emailSource: 'confluence',
      // Sorted, the list is "0-team;=HYPERLINK(…)": the second element starts with "=".
      groups: [{ id: '2', name: '=HYPERLINK("http://x")' }, { id: '1', name: '0-team' }],
    });
    const row = parseCsv(toCsv(rows([acc], [evil]), SITE))[1];
    expect(row?.[2]).toBe("Bob;'=1+1");
    expect(row?.[7]).toBe(`0-team;'=HYPERLINK("http://x")`);
    expect(row?.[10]).toBe("Bob, '@SUM(A1)");
  });

  it('keeps the export byte-identical for clean data with separators, dashes and apostrophes', () => {
    const acc = account({
      accountId: '557058:1f2e-3d',
      displayName: "Doe, Jane-Marie O'Brien; QA - Ops",
      email: 'jane-marie.doe@acme.com',
      emailSource: 'confluence',
      groups: [{ id: '1', name: 'confluence-users' }, { id: '2', name: 'confluence-admins-eu' }],
    });
    expect(toCsv(rows([acc], []), SITE).split('\r\n')[1]).toBe(
      `https://acme.atlassian.net,557058:1f2e-3d,"Doe, Jane-Marie O'Brien; QA - Ops",jane-marie.doe@acme.com,confluence,atlassian,active,confluence-admins-eu;confluence-users,read,none,,,none,unattributed,,,,,`,
    );
  });

  it('leaves safe values alone', () => {
    expect(neutraliseCsvFormulas('Jane')).toBe('Jane');
    expect(neutraliseCsvFormulas('a=b')).toBe('a=b');
    expect(neutraliseCsvFormulas('Jean-Luc;Mary-Ann, -x-')).toBe("Jean-Luc;Mary-Ann, '-x-");
    expect(neutraliseCsvFormulas("O'Brien, 2+2")).toBe("O'Brien, 2+2");
    expect(neutraliseCsvFormulas('')).toBe('');
  });
});

describe('neutraliseCsvFormulas', () => {
  it('gives what the full rule gives, fast path or not, over random cells of the characters that matter', () => {
    // The rule as documented, applied to every cell (the function skips it when it cannot match).
    const rule = (text: string) => text.replace(/(?<=^|[,;\t\r\n])[\p{Zs}\p{Cf}]*(?=[=+\-@\t\r])/gu, "$&'");
    const alphabet = ['a', 'Z', '7', ' ', '\u00a0', '\u200b', '\u3000', '\u00ad', '=', '+', '-', '@', '\t', '\r', '\n', ',', ';', "'", '"', 'é', '😀', ':'];
    let seed = 99;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(neutraliseCsvFormulas(text), JSON.stringify(text)).toBe(rule(text));
    }
  });

  it.each([
    ['after ;', 'Bob;=1+1', "Bob;'=1+1"],
    ['after ,', 'Bob,+1', "Bob,'+1"],
    ['after a tab', 'a\t-1', "a\t'-1"],
    ['after a line break', 'a\n@b', "a\n'@b"],
    ['after a CR LF', 'a\r\n=b', "a\r\n'=b"],
    ['after spaces', 'a;   =b', "a;   '=b"],
    ['at the start, after spaces', '  =b', "  '=b"],
    ['after a no-break space', 'a;\u00a0=b', "a;\u00a0'=b"],
    ['after invisible format characters', 'a,\u200b\u202e=b', "a,\u200b\u202e'=b"],
    ['at the start and after every separator', '=a;=b,+c\t@d', "'=a;'=b,'+c\t'@d"],
    ['after empty pieces', 'a;;,=b', "a;;,'=b"],
    ['a tab after a separator', 'a; \t=b', "a; '\t'=b"],
    ['a CR after a separator', 'a;\r=b', "a;'\r'=b"],
  ])('escapes a formula %s', (_label, text, escaped) => {
    expect(neutraliseCsvFormulas(text)).toBe(escaped);
  });

  /**
   * An independent reading of the rule, character by character: at the start of the text and
   * after each `,` `;` tab CR LF, spaces and format characters are skipped; the next character
   * must not start a formula.
   */
  function startsAFormulaPiece(text: string): boolean {
    let atPieceStart = true;
    for (const c of text) {
      if (atPieceStart && /[\p{Zs}\p{Cf}]/u.test(c)) continue;
      if (atPieceStart && '=+-@\t\r'.includes(c)) return true;
      atPieceStart = ',;\t\r\n'.includes(c);
    }
    return false;
  }

  it('on random text: no piece starts a formula, only apostrophes are added, clean text is unchanged, twice = once', () => {
    const rng = createRng(12);
    const alphabet = ['a', 'Z', '1', "'", '"', '=', '+', '-', '@', '\t', '\r', '\n', ',', ';', ' ', '\u00a0', '\u200b', '\u202e', 'é'];
    const failures: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: randInt(rng, 12) }, () => pick(rng, alphabet)).join('');
      const out = neutraliseCsvFormulas(text);
      const ok =
        !startsAFormulaPiece(out) &&
        out.replaceAll("'", '') === text.replaceAll("'", '') &&
        (startsAFormulaPiece(text) || out === text) &&
        neutraliseCsvFormulas(out) === out;
      if (!ok) failures.push(`${JSON.stringify(text)} → ${JSON.stringify(out)}`);
    }
    expect(failures).toEqual([]);
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
      last_active: null,
      mfa: null,
      explanations: {
        match: "Email lee@acme.com (from Confluence) matches the roster's work email of Lee Park",
        flags: [
          { flag: 'should_revoke', explanation: 'Lee Park has left (end date 2025-01-01) but the account is still in a-group, z-group' },
          { flag: 'revoke_overdue', explanation: 'End date 2025-01-01 was 68 days ago, more than the 3 days grace period' },
        ],
        filtered: null,
        activity: null,
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

describe('activity columns', () => {
  const facts = (lastActive: string | 'never' | null, mfa: 'on' | 'off' | null) => ({
    lastActive: lastActive === null ? null : { value: lastActive, scope: 'site' as const, source: { kind: 'user-export' as const, date: '2026-11-27' }, addedToOrg: null },
    mfa: mfa === null ? null : { value: mfa, source: { kind: 'org-api' as const, date: '2026-11-30' } },
  });
  const withActivity = (activity: Map<string, ReturnType<typeof facts>>) =>
    buildReview({
      accounts: [account({ accountId: 'a', displayName: 'A' }), account({ accountId: 'b', displayName: 'B' }), account({ accountId: 'c', displayName: 'C' })],
      people: [],
      marks: new Map(),
      settings: { graceDays: 3, dormantDays: 90 },
      today: '2026-12-01',
      activity,
    });

  it('last_active is the ISO date, never, or empty; mfa is on, off or empty', () => {
    const csv = toCsv(withActivity(new Map([['a', facts('2025-12-14', 'off')], ['b', facts('never', 'on')]])), SITE);
    const [, a, b, c] = parseCsv(csv);
    expect(a?.slice(-2)).toEqual(['2025-12-14', 'off']);
    expect(b?.slice(-2)).toEqual(['never', 'on']);
    expect(c?.slice(-2)).toEqual(['', '']);
    expect(a?.[13]).toBe('dormant;unattributed');
  });

  it('the JSON export says where the activity facts come from', () => {
    const doc = JSON.parse(toJson(withActivity(new Map([['a', facts('2025-12-14', 'off')]])), SITE, { exportedAt: 'x', lastSyncedAt: null, roster: null }));
    expect(doc.rows[0].last_active).toBe('2025-12-14');
    expect(doc.rows[0].explanations.activity).toBe(
      'last seen in Confluence 14 Dec 2025 per the user export of 27 Nov 2026; two-step verification off per Atlassian\'s admin API on 30 Nov 2026',
    );
    expect(doc.rows[1].explanations.activity).toBeNull();
  });
});

describe('toJson caveats (issue 8, item 4)', () => {
  it('carries the caveats of the sync that made the data, in order', () => {
    const caveats = ['Account status lookup (users-bulk) refused by Atlassian (XSRF check failed): status comes from Confluence operations and display names instead'];
    const doc = JSON.parse(toJson(rows([account({ accountId: 'a' })]), SITE, { exportedAt: '2026-03-01T00:00:00.000Z', lastSyncedAt: null, roster: null, caveats }));
    expect(doc.caveats).toEqual(caveats);
  });
});

