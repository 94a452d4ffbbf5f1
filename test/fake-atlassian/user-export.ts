/**
 * An organisation behind a scenario (`organisationFor`: last activity per product and site, 2SV,
 * status, join dates, with the cases issue 11 is about: dormant and never-used accounts, admins
 * without two-step verification, accounts that joined recently) and the admin user exports of it
 * (`userExportFor`), in both known shapes (atlassian-api.md §11):
 *
 * - `user-management`: Atlassian Administration > Users > Export users: `User id`, `User name`,
 *   `email`, `User status`, `Added to org`, `Org role`, then per site (in site order) `<App> - <site>`
 *   (access: `User`, `Admin`, `Guest` or empty) and `Last seen in <App> - <site>` (`14 Dec 2023`,
 *   `Never accessed`, or empty without access), for Confluence and, where the site has it, Jira.
 *   `withGroups` repeats each user once per group (`Group id`, `Group name`), as that export does.
 * - `managed-accounts`: the managed accounts export: `Atlassian ID`, `Name`, `Email`, `Status`,
 *   `Last active date [UTC]` (yyyy-MM-dd over every product, empty when never active),
 *   `Two-step verification` (`Enabled`/`Disabled`), and per product the sites used
 *   (support.atlassian.com "Export managed accounts", "Export accounts from domains").
 *
 * The same `Organisation` feeds the fake's admin API (admin.ts), so an export and the API agree.
 * Deterministic for a seed.
 */
import { createRng, pick, randInt, type Rng } from './prng';
import type { Organisation, OrgProductAccess, OrgUser } from './org-scenario';
import type { Scenario, ScenarioSite, ScenarioUser } from './scenario';

export interface OrganisationOptions {
  /** The day the data is as of (YYYY-MM-DD): activity dates are drawn before it. */
  today: string;
  seed?: number;
  orgId?: string;
  apiKey?: string;
  /** Share of accounts whose last Confluence activity is older than 90 days (default 0.15). */
  dormantRate?: number;
  /** Share of accounts that never used Confluence (default 0.06). */
  neverRate?: number;
  /** Share of managed accounts without two-step verification (default 0.2); admins get at least one. */
  mfaOffRate?: number;
}

export interface UserExportOptions {
  shape: 'user-management' | 'managed-accounts';
  /** user-management: one row per user and group, with `Group id` and `Group name` first. */
  withGroups?: boolean;
}

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NAME_SUFFIX_RE = /\s*\((?:Unlicensed|Deactivated|System|Former user)\)$/;

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `2023-12-14` → `14 Dec 2023`, as the user-management export writes dates. */
export function exportDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function isAdmin(u: ScenarioUser): boolean {
  return u.operations.some((o) => o.operation === 'administer' && o.targetType === 'application');
}

function isLicensed(u: ScenarioUser): boolean {
  return u.operations.length > 0;
}

interface Human {
  user: ScenarioUser;
  /** The sites the account is on, with its user record there (operations differ per site). */
  sites: { site: ScenarioSite; user: ScenarioUser }[];
}

/** Every human account of the scenario, once, with the sites it is on. */
function humans(scenario: Scenario): Human[] {
  const byId = new Map<string, Human>();
  for (const site of scenario.sites) {
    for (const u of site.users) {
      if (u.accountType !== 'atlassian') continue;
      const entry = byId.get(u.accountId) ?? { user: u, sites: [] };
      entry.sites.push({ site, user: u });
      byId.set(u.accountId, entry);
    }
  }
  return [...byId.values()];
}

function mainDomain(scenario: Scenario): string {
  return `${scenario.sites[0]?.name ?? 'example'}.test`;
}

/** A deterministic organisation for `scenario`, as of `opts.today`. */
export function organisationFor(scenario: Scenario, opts: OrganisationOptions): Organisation {
  const rng = createRng(opts.seed ?? 11);
  const dormantRate = opts.dormantRate ?? 0.15;
  const neverRate = opts.neverRate ?? 0.06;
  const mfaOffRate = opts.mfaOffRate ?? 0.2;
  const domain = mainDomain(scenario);
  let adminWithout2sv = false;

  const users: OrgUser[] = humans(scenario).map(({ user, sites }, i) => {
    const managed = (user.workEmail ?? user.email ?? '').endsWith(`@${domain}`);
    const admin = isAdmin(user);
    let mfaEnabled = managed && rng() >= mfaOffRate;
    // Always at least one admin without 2SV (never the first, the connecting admin): the flag must show.
    if (managed && admin && i > 0 && !adminWithout2sv) {
      mfaEnabled = false;
      adminWithout2sv = true;
    }
    const kind = rng();
    const joinedRecently = kind < neverRate * 0.3;
    const addedToOrg = joinedRecently ? addDays(opts.today, -(1 + randInt(rng, 20))) : addDays(opts.today, -(120 + randInt(rng, 2000)));
    const productAccess: OrgProductAccess[] = [];
    const active = user.accountStatus === 'active';
    for (const { site, user: siteUser } of sites) {
      const never = i > 0 && (kind < neverRate || !isLicensed(siteUser));
      if (!never) productAccess.push({ key: 'confluence', site: site.name, lastActive: activityDate(rng, opts.today, addedToOrg, i > 0 && (kind < neverRate + dormantRate || !active)) });
      if (site.jira && rng() < 0.6) productAccess.push({ key: 'jira-software', site: site.name, lastActive: activityDate(rng, opts.today, addedToOrg, rng() < 0.3) });
    }
    return {
      accountId: user.accountId,
      managed,
      mfaEnabled,
      accountStatus: user.accountStatus,
      addedToOrg,
      productAccess,
    };
  });

  return {
    id: opts.orgId ?? uuidFrom(rng),
    name: `${scenario.sites[0]?.displayName ?? 'Example'} organization`,
    apiKeys: [opts.apiKey ?? `${scenario.sites[0]?.name ?? 'example'}-org-api-key`],
    users,
  };
}

/** Returns the scenario with `organisationFor(scenario, opts)` as its organisation. */
export function withOrganisation(scenario: Scenario, opts: OrganisationOptions): Scenario {
  return { ...scenario, organisation: organisationFor(scenario, opts) };
}

function activityDate(rng: Rng, today: string, addedToOrg: string, dormant: boolean): string {
  const daysAgo = dormant ? 91 + randInt(rng, 500) : randInt(rng, 60);
  const date = addDays(today, -daysAgo);
  return date < addedToOrg ? addedToOrg : date;
}

function uuidFrom(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => randInt(rng, 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function lastSeen(org: OrgUser, key: OrgProductAccess['key'], site: string): string | null {
  return org.productAccess.find((p) => p.key === key && p.site === site)?.lastActive ?? null;
}

function displayName(u: ScenarioUser): string {
  return u.displayName.replace(NAME_SUFFIX_RE, '');
}

/** The admin user export of `scenario`'s organisation (which `organisation` describes), in one of the two shapes. */
export function userExportFor(scenario: Scenario, organisation: Organisation, opts: UserExportOptions): string {
  const orgUsers = new Map(organisation.users.map((u) => [u.accountId, u]));
  const people = humans(scenario).filter((h) => orgUsers.has(h.user.accountId));
  return opts.shape === 'user-management' ? userManagementExport(scenario, people, orgUsers, opts.withGroups ?? false) : managedAccountsExport(people, orgUsers);
}

function userManagementExport(
  scenario: Scenario,
  people: Human[],
  orgUsers: Map<string, OrgUser>,
  withGroups: boolean,
): string {
  const products = scenario.sites.flatMap((site) => [
    { app: 'Confluence', key: 'confluence' as const, site },
    ...(site.jira ? [{ app: 'Jira', key: 'jira-software' as const, site }] : []),
  ]);
  const header = [
    ...(withGroups ? ['Group id', 'Group name'] : []),
    'User id', 'User name', 'email', 'User status', 'Added to org', 'Org role',
    ...products.flatMap((p) => [`${p.app} - ${p.site.name}`, `Last seen in ${p.app} - ${p.site.name}`]),
  ];
  const rows: string[][] = [header];
  const adminId = scenario.identities[0]?.accountId;
  const groupsOf = new Map<string, { id: string; name: string }[]>();
  if (withGroups) {
    for (const site of scenario.sites) {
      for (const g of site.groups) {
        for (const m of g.members) {
          const list = groupsOf.get(m);
          if (list) list.push({ id: g.id, name: g.name });
          else groupsOf.set(m, [{ id: g.id, name: g.name }]);
        }
      }
    }
  }
  for (const { user, sites } of people) {
    const org = orgUsers.get(user.accountId) as OrgUser;
    const cells = [
      user.accountId,
      displayName(user),
      user.workEmail ?? (user.email || ''),
      org.accountStatus === 'active' ? 'Active' : 'Deactivated',
      exportDate(org.addedToOrg),
      user.accountId === adminId ? 'Organization admin' : '',
      ...products.flatMap((p) => {
        const siteUser = sites.find((s) => s.site === p.site)?.user;
        const hasAccess = siteUser !== undefined && (p.key !== 'confluence' || isLicensed(siteUser) || lastSeen(org, p.key, p.site.name) !== null);
        if (!hasAccess) return ['', ''];
        const access = p.key === 'confluence' && siteUser.isGuest ? 'Guest' : p.key === 'confluence' && isAdmin(siteUser) ? 'Admin' : 'User';
        const seen = lastSeen(org, p.key, p.site.name);
        return [access, seen === null ? 'Never accessed' : exportDate(seen)];
      }),
    ];
    if (!withGroups) {
      rows.push(cells);
      continue;
    }
    const groups = groupsOf.get(user.accountId) ?? [];
    if (groups.length === 0) rows.push(['', '', ...cells]);
    for (const g of groups) rows.push([g.id, g.name, ...cells]);
  }
  return csv(rows);
}

function managedAccountsExport(people: Human[], orgUsers: Map<string, OrgUser>): string {
  const header = ['Atlassian ID', 'Name', 'Email', 'Status', 'Last active date [UTC]', 'Claimed', 'Billable', 'Policy type', 'SAML single sign-on', 'Two-step verification', 'Verified email', 'Confluence', 'Jira'];
  const rows: string[][] = [header];
  const host = (name: string) => `${name}.atlassian.net`;
  for (const { user } of people) {
    const org = orgUsers.get(user.accountId) as OrgUser;
    if (!org.managed) continue; // only accounts of the organisation's verified domains
    const last = org.productAccess.reduce<string | null>((m, p) => (m === null || p.lastActive > m ? p.lastActive : m), null);
    const sitesOf = (key: OrgProductAccess['key']) => [...new Set(org.productAccess.filter((p) => p.key === key).map((p) => host(p.site)))].join(', ');
    rows.push([
      user.accountId,
      displayName(user),
      user.workEmail ?? (user.email || ''),
      org.accountStatus === 'active' ? 'Active' : 'Deactivated',
      last ?? '',
      'Yes',
      org.accountStatus === 'active' ? 'Yes' : 'No',
      'Billable',
      'No',
      org.mfaEnabled ? 'Enabled' : 'Disabled',
      'Yes',
      sitesOf('confluence'),
      sitesOf('jira-software'),
    ]);
  }
  return csv(rows);
}
