import { activitySettingsSchema } from '../../../lib/activity/settings';
import { describe, expect, it } from 'vitest';
import {
  computeActivityFlags,
  describeSource,
  formatDay,
  type ActivityFlagInput,
} from '../../../lib/activity/flags';
import { mergeActivity, type AccountActivity, type ActivityFacts, type ActivitySource, type LastActiveFact } from '../../../lib/activity/types';
import type { SyncedAccount } from '../../../lib/model';

const TODAY = '2026-11-27';
const EXPORT: ActivitySource = { kind: 'user-export', date: '2026-11-27' };
const MANAGED: ActivitySource = { kind: 'managed-accounts-export', date: '2026-11-20' };
const API: ActivitySource = { kind: 'org-api', date: '2026-11-26' };

type Account = ActivityFlagInput['account'];
const member: Account = { status: 'active', filteredReason: null, role: 'write', groups: [{ id: 'g1', name: 'confluence-users' }] };
const admin: Account = { ...member, role: 'admin' };

function seen(value: string | 'never', extra: Partial<LastActiveFact> = {}): ActivityFacts {
  return { lastActive: { value, scope: 'site', source: EXPORT, addedToOrg: null, ...extra }, mfa: null };
}

function flags(account: Account, facts: ActivityFacts, dormantDays = 90, today = TODAY) {
  return computeActivityFlags({ account, facts, settings: { dormantDays }, today });
}

const flagNames = (...args: Parameters<typeof flags>) => flags(...args).map((f) => f.flag);

describe('dormant: thresholds at the day\'s edges', () => {
  it('exactly 90 days ago is not dormant, 91 days ago is', () => {
    // 29 Aug → 27 Nov is 90 days (31 + 30 + 29).
    expect(flagNames(member, seen('2026-08-29'))).toEqual([]);
    expect(flagNames(member, seen('2026-08-28'))).toEqual(['dormant']);
  });

  it('counts calendar days across a year end and a leap day', () => {
    expect(flagNames(member, seen('2026-12-31'), 1, '2027-01-01')).toEqual([]);
    expect(flagNames(member, seen('2026-12-30'), 1, '2027-01-01')).toEqual(['dormant']);
    // 2028 is a leap year: 28 Feb → 1 Mar is 2 days.
    expect(flagNames(member, seen('2028-02-28'), 2, '2028-03-01')).toEqual([]);
    expect(flagNames(member, seen('2028-02-27'), 2, '2028-03-01')).toEqual(['dormant']);
  });

  it('follows the "Dormant after (days)" setting', () => {
    expect(flagNames(member, seen('2026-10-27'), 30)).toEqual(['dormant']); // 31 days
    expect(flagNames(member, seen('2026-10-28'), 30)).toEqual([]); // 30 days
    expect(flagNames(member, seen('2026-10-27'), 31)).toEqual([]);
  });

  it('activity today, or dated after today (time zones, clock skew), is not dormant', () => {
    expect(flagNames(member, seen(TODAY))).toEqual([]);
    expect(flagNames(member, seen('2026-11-28'))).toEqual([]);
  });

  it('never used is dormant, unless the account joined no more than the threshold ago', () => {
    expect(flagNames(member, seen('never'))).toEqual(['dormant']);
    expect(flagNames(member, seen('never', { addedToOrg: '2026-08-29' }))).toEqual([]); // joined 90 days ago
    expect(flagNames(member, seen('never', { addedToOrg: '2026-08-28' }))).toEqual(['dormant']); // 91 days ago
  });

  it('is raised only when activity data exists for the account', () => {
    expect(flags(member, { lastActive: null, mfa: null })).toEqual([]);
    expect(flags(member, { lastActive: null, mfa: { value: 'on', source: MANAGED } })).toEqual([]);
  });

  it('filtered and inactive accounts get no flag; an account of unknown status does', () => {
    expect(flags({ ...member, filteredReason: 'app' }, seen('never'))).toEqual([]);
    expect(flags({ ...member, status: 'inactive', filteredReason: 'inactive' }, seen('never'))).toEqual([]);
    expect(flags({ ...member, status: 'inactive' }, seen('never'))).toEqual([]);
    expect(flagNames({ ...member, status: 'unknown' }, seen('never'))).toEqual(['dormant']);
  });

  it('an organisation-wide last-active date proves dormancy, a recent one proves nothing', () => {
    const org = (value: string): ActivityFacts => ({ lastActive: { value, scope: 'organisation', source: MANAGED, addedToOrg: null }, mfa: null });
    expect(flagNames(member, org('2026-01-05'))).toEqual(['dormant']);
    expect(flagNames(member, org('2026-11-20'))).toEqual([]);
  });
});

describe('dormant: the explanation names the date and the source', () => {
  it('site activity from the user export', () => {
    const [flag] = flags(member, seen('2025-12-14'));
    expect(flag?.explanation).toBe('No Confluence activity on this site for 348 days (more than 90): last seen 14 Dec 2025 per the user export of 27 Nov 2026');
    expect(flag?.explanation).toContain('last seen 14 Dec 2025 per the user export of 27 Nov 2026');
  });

  it('never used, with and without the day the account joined', () => {
    expect(flags(member, seen('never'))[0]?.explanation).toBe('Never used Confluence on this site per the user export of 27 Nov 2026');
    expect(flags(member, seen('never', { addedToOrg: '2025-03-03', source: API }))[0]?.explanation).toBe(
      "Never used Confluence on this site since joining the organisation on 3 Mar 2025 per Atlassian's admin API on 26 Nov 2026",
    );
  });

  it('organisation-wide activity says what it covers', () => {
    const facts: ActivityFacts = { lastActive: { value: '2026-08-27', scope: 'organisation', source: MANAGED, addedToOrg: null }, mfa: null };
    expect(flags(member, facts)[0]?.explanation).toBe('No activity in any Atlassian product for 92 days (more than 90): last active 27 Aug 2026 per the managed-accounts export of 20 Nov 2026');
    const never: ActivityFacts = { lastActive: { value: 'never', scope: 'organisation', source: MANAGED, addedToOrg: null }, mfa: null };
    expect(flags(member, never)[0]?.explanation).toBe('Never active in any Atlassian product per the managed-accounts export of 20 Nov 2026');
  });

  it('formats days the way Atlassian\'s exports do', () => {
    expect(formatDay('2026-01-04')).toBe('4 Jan 2026');
    expect(formatDay('2025-12-14')).toBe('14 Dec 2025');
    expect(describeSource({ kind: 'org-api', date: '2026-02-01' })).toBe("Atlassian's admin API on 1 Feb 2026");
  });
});

describe('admin_without_2sv', () => {
  const off = (source: ActivitySource = MANAGED): ActivityFacts => ({ lastActive: null, mfa: { value: 'off', source } });

  it('role admin with 2SV off', () => {
    expect(flags(admin, off())).toEqual([
      { flag: 'admin_without_2sv', explanation: 'Admin (role admin) without two-step verification per the managed-accounts export of 20 Nov 2026' },
    ]);
  });

  it('a member of an admin group, whatever the role, names the groups', () => {
    const account: Account = { ...member, role: 'read', groups: [{ id: 'g1', name: 'confluence-users' }, { id: 'g2', name: 'confluence-admins-acme' }, { id: 'g3', name: 'site-admins' }] };
    expect(flags(account, off(API))).toEqual([
      { flag: 'admin_without_2sv', explanation: "Admin (in confluence-admins-acme, site-admins) without two-step verification per Atlassian's admin API on 26 Nov 2026" },
    ]);
    expect(flags({ ...account, role: 'admin' }, off())[0]?.explanation).toBe('Admin (role admin; in confluence-admins-acme, site-admins) without two-step verification per the managed-accounts export of 20 Nov 2026');
  });

  it('not raised with 2SV on or unknown, for a non-admin, or for a filtered account', () => {
    expect(flags(admin, { lastActive: null, mfa: { value: 'on', source: MANAGED } })).toEqual([]);
    expect(flags(admin, { lastActive: null, mfa: null })).toEqual([]);
    expect(flags(member, off())).toEqual([]);
    expect(flags({ ...member, groups: [{ id: 'x', name: 'confluence-administrators-fans' }] }, off())).toEqual([]);
    expect(flags({ ...admin, filteredReason: 'inactive', status: 'inactive' }, off())).toEqual([]);
    expect(flags({ ...admin, filteredReason: 'app' }, off())).toEqual([]);
  });

  it('both flags on one account, in a stable order', () => {
    const facts: ActivityFacts = { lastActive: { value: 'never', scope: 'site', source: EXPORT, addedToOrg: null }, mfa: { value: 'off', source: MANAGED } };
    expect(flagNames(admin, facts)).toEqual(['admin_without_2sv', 'dormant']);
  });
});

describe('mergeActivity: one account, several sources', () => {
  const record = (patch: Partial<AccountActivity>): AccountActivity => ({ accountId: 'a', lastActive: null, lastActiveScope: 'site', mfa: null, status: null, addedToOrg: null, ...patch });

  it('a site-scoped date beats an organisation-wide one, even an older source', () => {
    const facts = mergeActivity([
      { activity: record({ lastActive: '2026-11-20', lastActiveScope: 'organisation', mfa: 'off' }), source: MANAGED },
      { activity: record({ lastActive: '2025-01-01', lastActiveScope: 'site' }), source: { kind: 'user-export', date: '2026-10-01' } },
    ]);
    expect(facts.lastActive).toEqual({ value: '2025-01-01', scope: 'site', source: { kind: 'user-export', date: '2026-10-01' }, addedToOrg: null });
    expect(facts.mfa).toEqual({ value: 'off', source: MANAGED });
  });

  it('the newer source wins between equals; a source that does not know never hides one that does', () => {
    const facts = mergeActivity([
      { activity: record({ lastActive: '2026-01-01', mfa: 'off' }), source: EXPORT },
      { activity: record({ lastActive: '2026-11-25', mfa: null, addedToOrg: '2020-01-01' }), source: { kind: 'org-api', date: '2026-11-28' } },
      { activity: record({ lastActive: null, mfa: 'on' }), source: { kind: 'org-api', date: '2026-11-29' } },
    ]);
    expect(facts.lastActive).toEqual({ value: '2026-11-25', scope: 'site', source: { kind: 'org-api', date: '2026-11-28' }, addedToOrg: '2020-01-01' });
    expect(facts.mfa).toEqual({ value: 'on', source: { kind: 'org-api', date: '2026-11-29' } });
    expect(mergeActivity([])).toEqual({ lastActive: null, mfa: null });
  });
});

describe('"Dormant after (days)" setting', () => {
  it('defaults to 90 and refuses nonsense', () => {
    expect(activitySettingsSchema.parse({})).toEqual({ dormantDays: 90 });
    expect(activitySettingsSchema.safeParse({ dormantDays: 0 }).success).toBe(false);
    expect(activitySettingsSchema.safeParse({ dormantDays: 1.5 }).success).toBe(false);
    expect(activitySettingsSchema.safeParse({ dormantDays: 30 }).success).toBe(true);
  });

  it('accepts a real synced account', () => {
    const account: SyncedAccount = {
      site: 'https://acme.atlassian.net', accountId: 'a', displayName: 'A', publicName: 'A', email: null, emailSource: 'none',
      accountType: 'atlassian', status: 'active', statusSignal: null, isGuest: false, groups: [{ id: 'g', name: 'administrators' }],
      role: 'write', operations: [], filteredReason: null, filteredDetail: null,
    };
    expect(flagNames(account, { lastActive: null, mfa: { value: 'off', source: MANAGED } })).toEqual(['admin_without_2sv']);
  });
});
