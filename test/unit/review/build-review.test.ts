import { describe, expect, it } from 'vitest';
import type { Flag, OwnerMark, Person, ReviewRow, SyncedAccount } from '../../../lib/model';
import { isAdminGroupName } from '../../../lib/review/admin-groups';
import { buildReview, summarise } from '../../../lib/review/build-review';
import { account, confirm, external, link, person, service, unlink } from '../match/fixtures';

const TODAY = '2025-03-10';
const settings = { graceDays: 3, dormantDays: 90 };

const active = person({ id: 'email:ann@acme.com', name: 'Ann Lee', workEmail: 'ann@acme.com', status: 'Active', row: 2 });
const leaver = (endDate: string | null, statusTerminated = false, status: string | null = statusTerminated ? 'Terminated' : 'Active'): Person =>
  person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', endDate, statusTerminated, status, row: 3 });

function review(acc: SyncedAccount, people: Person[], mark?: OwnerMark): ReviewRow {
  const marks = new Map<string, OwnerMark>(mark ? [[acc.accountId, mark]] : []);
  const [row] = buildReview({ accounts: [acc], people, marks, settings, today: TODAY });
  if (!row) throw new Error('no row');
  return row;
}
const flagsOf = (row: ReviewRow): Flag[] => row.flags.map((f) => f.flag);
const leeAccount = (patch: Partial<SyncedAccount> = {}) =>
  account({ accountId: 'lee', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'confluence', ...patch });

describe('ownerType', () => {
  it.each<[string, SyncedAccount, OwnerMark | undefined, string, string | null]>([
    ['email match → person', leeAccount(), undefined, 'person', 'email:lee@acme.com'],
    ['unconfirmed name match → person (with needs_confirmation)', account({ accountId: 'x', displayName: 'Ann Lee' }), undefined, 'person', active.id],
    ['manual link → person', account({ accountId: 'x', displayName: 'bot' }), link(active.id), 'person', active.id],
    ['no match → none', account({ accountId: 'x', displayName: 'Nobody' }), undefined, 'none', null],
    ['external mark wins over an email match', leeAccount(), external(), 'external', null],
    ['service mark', account({ accountId: 'x', displayName: 'ci-bot' }), service(), 'service', null],
  ])('%s', (_l, acc, mark, ownerType, personId) => {
    const row = review(acc, [active, leaver(null)], mark);
    expect(row.ownerType).toBe(ownerType);
    expect(row.person?.id ?? null).toBe(personId);
    expect(row.mark).toEqual(mark ?? null);
  });
});

describe('flags', () => {
  it.each<[string, SyncedAccount, Person[], OwnerMark | undefined, Flag[]]>([
    ['unmatched active account → unattributed', account({ accountId: 'x', displayName: 'Nobody' }), [active], undefined, ['unattributed']],
    ['unmatched account with unknown status → unattributed', account({ accountId: 'x', displayName: 'Nobody', status: 'unknown' }), [active], undefined, ['unattributed']],
    ['unmatched inactive (not filtered) account → nothing', account({ accountId: 'x', displayName: 'Nobody', status: 'inactive' }), [active], undefined, []],
    ['external mark suppresses unattributed', account({ accountId: 'x', displayName: 'Nobody' }), [active], external(), []],
    ['service mark suppresses unattributed', account({ accountId: 'x', displayName: 'Nobody' }), [active], service(), []],
    ['unlinked from its only match → unattributed', account({ accountId: 'x', displayName: 'Ann Lee' }), [active], unlink(active.id), ['unattributed']],
    ['email match to an active person → nothing', account({ accountId: 'x', email: 'ann@acme.com', emailSource: 'jira' }), [active], undefined, []],
    ['name match → needs_confirmation', account({ accountId: 'x', displayName: 'Ann Lee' }), [active], undefined, ['needs_confirmation']],
    ['confirmed name match → nothing', account({ accountId: 'x', displayName: 'Ann Lee' }), [active], confirm(active.id), []],
    ['end date yesterday → should_revoke', leeAccount(), [leaver('2025-03-09')], undefined, ['should_revoke']],
    ['end date today → should_revoke', leeAccount(), [leaver('2025-03-10')], undefined, ['should_revoke']],
    ['end date tomorrow → nothing (leaving soon)', leeAccount(), [leaver('2025-03-11')], undefined, []],
    ['exactly graceDays after end date → not overdue', leeAccount(), [leaver('2025-03-07')], undefined, ['should_revoke']],
    ['graceDays + 1 after end date → overdue', leeAccount(), [leaver('2025-03-06')], undefined, ['should_revoke', 'revoke_overdue']],
    ['terminated by status, no end date → should_revoke, never overdue', leeAccount(), [leaver(null, true)], undefined, ['should_revoke']],
    ['terminated by status, future end date → should_revoke, not overdue', leeAccount(), [leaver('2025-04-01', true)], undefined, ['should_revoke']],
    ['terminated person but account already inactive → nothing', leeAccount({ status: 'inactive' }), [leaver('2025-01-01')], undefined, []],
    ['terminated person, unconfirmed name match → both flags', account({ accountId: 'x', displayName: 'Lee Park' }), [leaver('2025-01-01')], undefined, ['should_revoke', 'revoke_overdue', 'needs_confirmation']],
    ['terminated person, account marked external → nothing', leeAccount(), [leaver('2025-01-01')], external(), []],
    ['guest in confluence-admins → privileged_guest', leeAccount({ isGuest: true, groups: [{ id: 'g', name: 'confluence-admins' }] }), [leaver(null)], undefined, ['privileged_guest']],
    ['guest in ordinary group → nothing', leeAccount({ isGuest: true }), [leaver(null)], undefined, []],
    ['non-guest in admin group → nothing', leeAccount({ groups: [{ id: 'g', name: 'site-admins' }] }), [leaver(null)], undefined, []],
    ['unattributed guest admin → both', account({ accountId: 'x', isGuest: true, displayName: 'Ext', groups: [{ id: 'g', name: 'Administrators' }] }), [], undefined, ['unattributed', 'privileged_guest']],
    ['filtered app account → no flags', account({ accountId: 'x', displayName: 'Nobody', accountType: 'app', filteredReason: 'app', filteredDetail: 'App account (accountType "app")' }), [], undefined, []],
    ['filtered inactive account matched to a leaver → no flags', leeAccount({ status: 'inactive', filteredReason: 'inactive', filteredDetail: 'closed' }), [leaver('2025-01-01')], undefined, []],
    ['filtered guest admin → no flags', account({ accountId: 'x', isGuest: true, filteredReason: 'app', groups: [{ id: 'g', name: 'site-admins' }] }), [], undefined, []],
  ])('%s', (_l, acc, people, mark, expected) => {
    expect(flagsOf(review(acc, people, mark))).toEqual(expected);
  });

  it('a filtered account keeps its filtered reason and match', () => {
    const row = review(leeAccount({ filteredReason: 'inactive', filteredDetail: 'users-bulk accountStatus "closed"' }), [leaver('2025-01-01')]);
    expect(row.account.filteredReason).toBe('inactive');
    expect(row.match.rule).toBe('email');
    expect(row.flags).toEqual([]);
  });

  it('explains should_revoke with the person, end date and groups, and overdue with the day count', () => {
    const acc = leeAccount({ groups: [{ id: 'a', name: 'confluence-users' }, { id: 'b', name: 'eng' }] });
    expect(review(acc, [leaver('2025-03-01')]).flags).toEqual([
      { flag: 'should_revoke', explanation: 'Lee Park has left (end date 2025-03-01) but the account is still in confluence-users, eng' },
      { flag: 'revoke_overdue', explanation: 'End date 2025-03-01 was 9 days ago, more than the 3 days grace period' },
    ]);
  });

  it('explains a status termination with the status text', () => {
    expect(review(leeAccount(), [leaver(null, true, 'Resigned')]).flags[0]?.explanation).toBe(
      'Lee Park has left (status "Resigned") but the account is still in confluence-users',
    );
  });

  it('honours a different grace period', () => {
    const [row] = buildReview({
      accounts: [leeAccount()],
      people: [leaver('2025-03-09')],
      marks: new Map(),
      settings: { graceDays: 0, dormantDays: 90 },
      today: TODAY,
    });
    expect(row?.flags.map((f) => f.flag)).toEqual(['should_revoke', 'revoke_overdue']);
  });

  it('explains unattributed and needs_confirmation in one line each', () => {
    expect(review(account({ accountId: 'x', displayName: 'Nobody' }), []).flags).toEqual([
      { flag: 'unattributed', explanation: 'Active account with no roster person, not marked External or Service' },
    ]);
    expect(review(account({ accountId: 'x', displayName: 'Ann Lee' }), [active]).flags).toEqual([
      { flag: 'needs_confirmation', explanation: 'Matched by display name only: Display name "Ann Lee" matches Ann Lee — needs confirmation' },
    ]);
  });
});

describe('isAdminGroupName', () => {
  it.each([
    ['confluence-admins', true],
    ['Confluence-Admins', true],
    ['confluence-admins-acme', true],
    ['administrators', true],
    ['ADMINISTRATORS', true],
    ['site-admins', true],
    // Issue 8, items 7 and 10; atlassian-api.md §10 "Groups that grant administration".
    ['confluence-administrators', true],
    ['system-administrators', true],
    ['org-admins', true],
    ['confluence-user-access-admins', true],
    ['confluence-user-access-admins-acme', true],
    ['confluence-user-access', false],
    ['system-administrators-old', false],
    ['confluence-users', false],
    ['jira-admins', false],
    ['site-admins-old', false],
    ['my-administrators', false],
  ])('%s → %s', (name, expected) => {
    expect(isAdminGroupName(name)).toBe(expected);
  });
});

describe('summarise', () => {
  it('counts rows in and out of the review and by flag', () => {
    const people = [active, leaver('2025-01-01')];
    const accounts = [
      account({ accountId: '1', displayName: 'Nobody' }), // unattributed
      account({ accountId: '2', displayName: 'Other', isGuest: true, groups: [{ id: 'g', name: 'site-admins' }] }), // unattributed + guest
      leeAccount({ accountId: '3' }), // should_revoke + overdue
      account({ accountId: '4', email: 'ann@acme.com', emailSource: 'confluence' }), // clean
      account({ accountId: '5', accountType: 'app', filteredReason: 'app' }),
      account({ accountId: '6', status: 'inactive', filteredReason: 'inactive' }),
    ];
    const rows = buildReview({ accounts, people, marks: new Map(), settings, today: TODAY });
    expect(summarise(rows)).toEqual({
      review: 4,
      filtered: 2,
      flagged: 3,
      unattributed: 2,
      should_revoke: 1,
      revoke_overdue: 1,
      needs_confirmation: 0,
      privileged_guest: 1,
      admin_without_2sv: 0,
      dormant: 0,
      // Access-review filters: only a review's own query counts them.
      undecided: 0,
      new: 0,
    });
  });

  it('is all zeros for no rows', () => {
    expect(summarise([])).toEqual({
      review: 0,
      filtered: 0,
      flagged: 0,
      unattributed: 0,
      should_revoke: 0,
      revoke_overdue: 0,
      needs_confirmation: 0,
      privileged_guest: 0,
      admin_without_2sv: 0,
      dormant: 0,
      // Access-review filters: only a review's own query counts them.
      undecided: 0,
      new: 0,
    });
  });
});
