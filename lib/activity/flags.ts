/**
 * The two activity flags of issue 11, as pure rules with one line of explanation each:
 *
 * - `dormant`: an account in the review (not filtered, not inactive) whose last Confluence activity
 *   on this site is more than "Dormant after (days)" days before today, or who never used it.
 *   Raised only when activity data exists for the account. An organisation-wide last-active date
 *   (managed-accounts export) can prove dormancy too: the account's last Confluence activity cannot
 *   be later than its last activity anywhere. "Never used" is not dormant while the account joined
 *   the organisation no more than the threshold ago (when the source says when it joined): it has
 *   not had the time to be dormant yet.
 * - `admin_without_2sv`: an account in the review whose role is admin or that is in an admin group
 *   (lib/review/admin-groups.ts), and whose two-step verification is known to be off.
 *
 * Day counting is the review's: calendar days from the activity date to the admin's local today
 * (`daysBetween`, lib/roster/dates.ts), so "more than 90 days" means 91 or more.
 *
 * Integration: `computeActivityFlags({ account, facts: mergeActivity(reports), settings, today })`
 * next to `computeFlags` for rows with `filteredReason === null`; the flags join the row's flags.
 */
import type { GroupRef, SyncedAccount } from '../model';
import { daysBetween } from '../roster/dates';
import { isAdminGroupName } from '../review/admin-groups';
import type { ActivityFacts, ActivitySource, LastActiveFact, MfaFact } from './types';

export type ActivityFlag = 'dormant' | 'admin_without_2sv';
export const ACTIVITY_FLAGS: readonly ActivityFlag[] = ['admin_without_2sv', 'dormant'];

export interface ActivityFlagResult {
  flag: ActivityFlag;
  explanation: string;
}

export const DEFAULT_DORMANT_DAYS = 90;

/** What the dormant rule needs from the review settings ("Dormant after (days)", lib/activity/settings.ts). */
export interface ActivitySettings {
  dormantDays: number;
}

export interface ActivityFlagInput {
  account: Pick<SyncedAccount, 'status' | 'filteredReason' | 'role' | 'groups'>;
  facts: ActivityFacts;
  settings: ActivitySettings;
  /** YYYY-MM-DD in the admin's time zone (see `todayIn`). */
  today: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-12-14` → `14 Dec 2025`, the way Atlassian's exports write dates. */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? '?'} ${y}`;
}

/** `the user export of 27 Nov 2026`, `Atlassian's admin API on 27 Nov 2026`. */
export function describeSource(source: ActivitySource): string {
  switch (source.kind) {
    case 'user-export':
      return `the user export of ${formatDay(source.date)}`;
    case 'managed-accounts-export':
      return `the managed-accounts export of ${formatDay(source.date)}`;
    case 'org-api':
      return `Atlassian's admin API on ${formatDay(source.date)}`;
  }
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * Whether the last activity makes the account dormant on `today`: more than `dormantDays` days
 * ago, or never (unless the account joined the organisation no more than `dormantDays` ago).
 */
export function isDormant(fact: LastActiveFact, dormantDays: number, today: string): boolean {
  if (fact.value === 'never') return fact.addedToOrg === null || daysBetween(fact.addedToOrg, today) > dormantDays;
  return daysBetween(fact.value, today) > dormantDays;
}

/**
 * e.g. `No Confluence activity on this site for 348 days (more than 90): last seen 14 Dec 2025
 * per the user export of 27 Nov 2026`.
 */
export function dormantExplanation(fact: LastActiveFact, dormantDays: number, today: string): string {
  const per = `per ${describeSource(fact.source)}`;
  const site = fact.scope === 'site';
  if (fact.value === 'never') {
    const joined = fact.addedToOrg === null ? '' : ` since joining the organisation on ${formatDay(fact.addedToOrg)}`;
    return site
      ? `Never used Confluence on this site${joined} ${per}`
      : `Never active in any Atlassian product${joined} ${per}`;
  }
  const age = daysBetween(fact.value, today);
  return site
    ? `No Confluence activity on this site for ${days(age)} (more than ${dormantDays}): last seen ${formatDay(fact.value)} ${per}`
    : `No activity in any Atlassian product for ${days(age)} (more than ${dormantDays}): last active ${formatDay(fact.value)} ${per}`;
}

/** The admin groups the account is in, by name. */
function adminGroups(groups: readonly GroupRef[]): string[] {
  return groups.filter((g) => isAdminGroupName(g.name)).map((g) => g.name);
}

/** e.g. `Admin (role admin; in confluence-admins) without two-step verification per the managed-accounts export of 27 Nov 2026`. */
export function adminWithout2svExplanation(account: Pick<SyncedAccount, 'role' | 'groups'>, mfa: MfaFact): string {
  const why: string[] = [];
  if (account.role === 'admin') why.push('role admin');
  const groups = adminGroups(account.groups);
  if (groups.length > 0) why.push(`in ${groups.join(', ')}`);
  return `Admin (${why.join('; ')}) without two-step verification per ${describeSource(mfa.source)}`;
}

export function computeActivityFlags(input: ActivityFlagInput): ActivityFlagResult[] {
  const { account, facts, settings, today } = input;
  if (account.filteredReason !== null || account.status === 'inactive') return [];
  const flags: ActivityFlagResult[] = [];

  const mfa = facts.mfa;
  // Which groups grant administration is asked only of an account without 2SV: most have no
  // MFA fact at all, and the group-name patterns ran for every account of every build.
  if (mfa !== null && mfa.value === 'off' && (account.role === 'admin' || account.groups.some((g) => isAdminGroupName(g.name)))) {
    flags.push({ flag: 'admin_without_2sv', explanation: adminWithout2svExplanation(account, mfa) });
  }

  const lastActive = facts.lastActive;
  if (lastActive !== null && isDormant(lastActive, settings.dormantDays, today)) {
    flags.push({ flag: 'dormant', explanation: dormantExplanation(lastActive, settings.dormantDays, today) });
  }
  return flags;
}
