/**
 * Deterministic organisations for the demo, tests and benchmarks: up to 200 groups and 100,000
 * accounts with the mess a real site has (hidden emails, app accounts, guests, deactivated and
 * unlicensed accounts, name collisions, big and empty groups), and by default what a real site
 * shows an admin (issue 8, ../shared/atlassian-api.md §10):
 * - most emails hidden from OAuth apps (visibility other than "anyone"); Jira shows no email
 *   Confluence hides unless `jiraEmailRate` asks for it;
 * - operations as the real samples carry them (atlassian-samples/users0.json): `use` on
 *   `application` for members, plus `administer` for admins; content-level operations only with
 *   `contentOperations`;
 * - default groups suffixed with the site's name (`confluence-users-acme`), team groups named
 *   after the team, and one organisation for all the sites, so each site's group list also shows
 *   the other sites' groups (§10 "The group list spans the organisation").
 */
import { OAUTH_CALLBACK_URL } from '../../lib/extension-identity';
import { createRng, hex, pick, randInt, uuid, type Rng } from './prng';
import type { Scenario, ScenarioGroup, ScenarioIdentity, ScenarioOperation, ScenarioSite, ScenarioUser } from './scenario';

export interface GenerateOptions {
  seed: number;
  /** Groups on the main site (≤ 200). */
  groups: number;
  /** Accounts on the main site (≤ 100,000), including the admin identity's own account. */
  accounts: number;
  /** Number of sites (default 1). Extra sites are small: `<name>-labs`, `<name>-3`, … */
  sites?: number;
  /** Main site subdomain (default 'acme'). */
  siteName?: string;
  /** Share of accounts whose email Confluence hides from everyone (default 0.15). */
  hiddenEmailRate?: number;
  /**
   * Share of the other accounts whose email visibility is "anyone" — the only emails an OAuth app
   * sees (§10 "Emails"; default 0.25).
   */
  anyoneEmailRate?: number;
  /** Share of hidden-email accounts whose email Jira still returns to API tokens (default 0: off). */
  jiraEmailRate?: number;
  /** Give members content-level operations (create/update pages…) as well (default false). */
  contentOperations?: boolean;
  appRate?: number;
  guestRate?: number;
  /** Share of inactive or closed accounts (default 0.05). */
  inactiveRate?: number;
  /** Share of active accounts without a Confluence licence, "(Unlicensed)" (default 0.02). */
  unlicensedRate?: number;
}

export const MAX_GROUPS = 200;

/**
 * The granular scopes of the reads a review makes (atlassian-api.md §2, "Granular" column):
 * groups, members, the caller (`read:content-details:confluence`, sic), status, and Jira users.
 */
export const SCOPED_TOKEN_GRANULAR_SCOPES = [
  'read:group:confluence',
  'read:user:confluence',
  'read:content-details:confluence',
  'read:user:jira',
  'read:group:jira',
  'read:avatar:jira',
  'read:application-role:jira',
] as const;
export const MAX_ACCOUNTS = 100_000;

const FIRST = ['Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Dana', 'David', 'Diego', 'Elena', 'Emma', 'Farah', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Ivan', 'Jade', 'James', 'Jin', 'Julia', 'Kai', 'Kamala', 'Karin', 'Leo', 'Lina', 'Lucas', 'Maya', 'Mei', 'Mia', 'Nadia', 'Nate', 'Noah', 'Nora', 'Olga', 'Omar', 'Priya', 'Quinn', 'Rafael', 'Rosa', 'Ruth', 'Sam', 'Sara', 'Sofia', 'Tariq', 'Theo', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe'];
const LAST = ['Abbott', 'Adeyemi', 'Almeida', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castro', 'Chen', 'Cohen', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Ito', 'Jansen', 'Kaur', 'Khan', 'Kim', 'Kowalski', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Meyer', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Torres', 'Walker', 'Wang', 'Weber', 'Wilson', 'Yamamoto', 'Zhang'];
const TEAMS = ['engineering', 'product', 'design', 'sales', 'support', 'finance', 'legal', 'people', 'data', 'security', 'platform', 'mobile', 'web', 'infra', 'qa', 'research', 'ops', 'marketing-ops', 'partnerships', 'education', 'docs', 'growth', 'billing', 'compliance', 'facilities', 'procurement', 'analytics', 'devrel', 'sre', 'payments'];
const APPS = ['Automation for Confluence', 'Slack', 'Jira Cloud for Microsoft Teams', 'Draw.io', 'Gliffy', 'Comala Workflows', 'Opsgenie', 'Statuspage', 'Zapier', 'GitHub for Atlassian'];
const TIME_ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'];

const op = (operation: ScenarioOperation['operation'], targetType: ScenarioOperation['targetType']): ScenarioOperation => ({ operation, targetType });
/**
 * Operation lists as real member samples show them (atlassian-samples/users0.json, §10
 * "Operations"): `use` on `application` for a member, `administer` on `application` for an admin.
 * Shared arrays: 100k users must not cost 100k copies.
 */
export const MEMBER_OPERATIONS: ScenarioOperation[] = [op('use', 'application')];
export const SITE_ADMIN_OPERATIONS: ScenarioOperation[] = [op('administer', 'application'), op('use', 'application')];
/** Content-level lists (§3.4 enums), only for scenarios that ask for them (`contentOperations`). */
export const ADMIN_OPERATIONS: ScenarioOperation[] = [
  op('administer', 'application'), op('use', 'application'), op('create_space', 'application'),
  op('create', 'page'), op('update', 'page'), op('delete', 'page'), op('create', 'blogpost'), op('update', 'blogpost'), op('delete', 'blogpost'),
];
export const WRITER_OPERATIONS: ScenarioOperation[] = [
  op('use', 'application'), op('create', 'page'), op('update', 'page'), op('delete', 'page'), op('create', 'blogpost'), op('update', 'blogpost'), op('delete', 'blogpost'),
];
export const READER_OPERATIONS: ScenarioOperation[] = [op('use', 'application'), op('read', 'space')];
export const NO_OPERATIONS: ScenarioOperation[] = [];

/** atlassian-api.md §8: legacy 24-hex ids and `<number>:<uuid>` ids both occur. */
function accountId(rng: Rng): string {
  const r = rng();
  if (r < 0.3) return hex(rng, 24);
  return `${r < 0.85 ? '557058' : '712020'}:${uuid(rng)}`;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
}

interface Built {
  users: ScenarioUser[];
  admins: string[];
  guests: string[];
  apps: string[];
  licensed: string[];
  people: string[];
}

function buildUsers(rng: Rng, o: Required<Omit<GenerateOptions, 'sites' | 'siteName' | 'groups'>> & { domain: string; adminId: string }): Built {
  const adminOps = o.contentOperations ? ADMIN_OPERATIONS : SITE_ADMIN_OPERATIONS;
  const b: Built = { users: [], admins: [], guests: [], apps: [], licensed: [], people: [] };
  const emailsTaken = new Map<string, number>();
  const uniqueEmail = (local: string, domain: string) => {
    const key = `${local}@${domain}`;
    const n = (emailsTaken.get(key) ?? 0) + 1;
    emailsTaken.set(key, n);
    return n === 1 ? key : `${local}${n}@${domain}`;
  };
  const adminCount = Math.max(3, Math.round(o.accounts * 0.01));
  for (let i = 0; i < o.accounts; i++) {
    const id = i === 0 ? o.adminId : accountId(rng);
    const timeZone = pick(rng, TIME_ZONES);
    if (i === 0) {
      b.users.push({ accountId: id, accountType: 'atlassian', displayName: 'Avery Admin', publicName: 'Avery Admin', email: `it-admin@${o.domain}`, emailVisibility: 'organisation', workEmail: `it-admin@${o.domain}`, accountStatus: 'active', isGuest: false, timeZone, operations: adminOps });
      b.admins.push(id);
      b.licensed.push(id);
      continue;
    }
    const kind = rng();
    if (kind < o.appRate) {
      const name = `${pick(rng, APPS)}${i % 7 === 0 ? ` ${i}` : ''}`;
      b.users.push({ accountId: id, accountType: 'app', displayName: name, publicName: name, email: `${slug(name)}.${i}@connect.atlassian.com`, emailVisibility: 'anyone', accountStatus: 'active', isGuest: false, timeZone: null, operations: o.contentOperations ? WRITER_OPERATIONS : MEMBER_OPERATIONS });
      b.apps.push(id);
      continue;
    }
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const name = `${first} ${last}`;
    const guest = kind < o.appRate + o.guestRate;
    const realEmail = guest ? uniqueEmail(slug(name), 'partner.test') : uniqueEmail(slug(name), o.domain);
    const s = rng();
    const accountStatus = s < o.inactiveRate * 0.3 ? 'closed' : s < o.inactiveRate ? 'inactive' : 'active';
    const unlicensed = accountStatus === 'active' && rng() < o.unlicensedRate;
    const hidden = rng() < o.hiddenEmailRate;
    const jiraOnly = hidden && o.jiraEmailRate > 0 && rng() < o.jiraEmailRate;
    const anyone = !hidden && rng() < o.anyoneEmailRate;
    const isAdmin = !guest && accountStatus === 'active' && !unlicensed && b.admins.length < adminCount && rng() < 0.2;
    // §3.6: deactivated/unlicensed accounts have an empty operations array, and the name may carry a suffix.
    const content = o.contentOperations && rng() >= 0.35;
    const operations = accountStatus !== 'active' || unlicensed
      ? NO_OPERATIONS
      : isAdmin ? adminOps : o.contentOperations ? (guest || !content ? READER_OPERATIONS : WRITER_OPERATIONS) : MEMBER_OPERATIONS;
    const suffix = unlicensed ? ' (Unlicensed)' : accountStatus !== 'active' && rng() < 0.5 ? ' (Deactivated)' : '';
    b.users.push({
      accountId: id,
      accountType: 'atlassian',
      displayName: `${name}${suffix}`,
      publicName: suffix === ' (Deactivated)' ? `${name}${suffix}` : name,
      email: hidden ? (rng() < 0.7 ? '' : null) : realEmail,
      emailVisibility: anyone ? 'anyone' : 'organisation',
      ...(jiraOnly ? { jiraEmail: realEmail } : {}),
      workEmail: realEmail,
      accountStatus,
      isGuest: guest,
      timeZone: hidden ? null : timeZone,
      operations,
    });
    b.people.push(id);
    if (isAdmin) b.admins.push(id);
    if (guest) b.guests.push(id);
    else if (operations.length > 0) b.licensed.push(id);
  }
  return b;
}

/** Picks a team index skewed towards the first teams (a few big teams, a long tail). */
function teamIndex(rng: Rng, teams: number): number {
  return Math.min(teams - 1, Math.floor(teams * rng() ** 2));
}

/** Team group names (plain team names, as an organisation names its own groups). */
export function teamGroupName(t: number): string {
  return TEAMS[t] ?? `team-${t + 1}`;
}

/** Whether `name` is one of the generated team groups (for the roster's departments). */
export function isTeamGroupName(name: string): boolean {
  return TEAMS.includes(name) || /^team-\d+$/.test(name);
}

function buildGroups(rng: Rng, b: Built, groupCount: number, siteName: string): ScenarioGroup[] {
  const group = (name: string, members: string[]): ScenarioGroup => ({ id: uuid(rng), name, members });
  const guests = new Set(b.guests);
  const priority: ScenarioGroup[] = [
    // §3.6: deactivated users stay in their groups; admins add bots to the default group too.
    group(`confluence-users-${siteName}`, [...b.people.filter((id) => !guests.has(id)), ...b.apps]),
    group(`confluence-admins-${siteName}`, b.admins),
    group('administrators', b.admins.slice(0, Math.max(2, Math.ceil(b.admins.length / 2)))),
    group('site-admins', b.admins.slice(0, 2)),
    group(`confluence-guests-${siteName}`, b.guests),
    group('jira-software-users', b.users.filter((_, i) => i % 10 < 7).map((u) => u.accountId)),
    group('former-contractors', []),
    group('marketing', b.people.filter((_, i) => i % 23 === 0)),
    // An older site's admin group, as in the real groups sample (§10).
    group('system-administrators', b.admins.slice(0, 1)),
  ];
  const fixed = priority.slice(0, Math.min(priority.length, groupCount));
  const teamCount = Math.max(0, groupCount - fixed.length);
  const teams: ScenarioGroup[] = Array.from({ length: teamCount }, (_, t) => group(teamGroupName(t), []));
  if (teams.length > 0) {
    for (const id of [...b.people, ...b.apps]) {
      const t = teamIndex(rng, teams.length);
      teams[t]?.members.push(id);
      // Overlap: some people sit in two teams.
      if (rng() < 0.15) {
        const u = randInt(rng, teams.length);
        if (u !== t) teams[u]?.members.push(id);
      }
    }
  }
  return [...fixed, ...teams];
}

function smallSite(rng: Rng, name: string, displayName: string, main: ScenarioSite, adminId: string, size: number, organisation: string): ScenarioSite {
  const users = [main.users[0] as ScenarioUser, ...main.users.slice(1, size)];
  const ids = users.map((u) => u.accountId);
  return {
    name,
    cloudId: uuid(rng),
    displayName,
    // A Confluence-only site: its Jira base answers 404.
    jira: false,
    jiraAbsentStatus: 404,
    anonymousAccess: false,
    organisation,
    users,
    groups: [
      { id: uuid(rng), name: `confluence-users-${name}`, members: ids.filter((id) => (main.users.find((u) => u.accountId === id)?.operations.length ?? 0) > 0) },
      { id: uuid(rng), name: `confluence-admins-${name}`, members: [adminId] },
    ],
  };
}

export function generateOrganisation(opts: GenerateOptions): Scenario {
  if (opts.groups < 1 || opts.groups > MAX_GROUPS) throw new Error(`groups must be 1..${MAX_GROUPS}`);
  if (opts.accounts < 1 || opts.accounts > MAX_ACCOUNTS) throw new Error(`accounts must be 1..${MAX_ACCOUNTS}`);
  const rng = createRng(opts.seed);
  const siteName = opts.siteName ?? 'acme';
  const domain = `${siteName}.test`;
  const adminId = `557058:${uuid(rng)}`;
  const built = buildUsers(rng, {
    seed: opts.seed,
    accounts: opts.accounts,
    hiddenEmailRate: opts.hiddenEmailRate ?? 0.15,
    anyoneEmailRate: opts.anyoneEmailRate ?? 0.25,
    jiraEmailRate: opts.jiraEmailRate ?? 0,
    contentOperations: opts.contentOperations ?? false,
    appRate: opts.appRate ?? 0.03,
    guestRate: opts.guestRate ?? 0.03,
    inactiveRate: opts.inactiveRate ?? 0.05,
    unlicensedRate: opts.unlicensedRate ?? 0.02,
    domain,
    adminId,
  });
  const title = siteName.charAt(0).toUpperCase() + siteName.slice(1);
  const organisation = `${siteName}-org`;
  const main: ScenarioSite = {
    name: siteName,
    cloudId: uuid(rng),
    displayName: title,
    jira: true,
    jiraAbsentStatus: 404,
    anonymousAccess: false,
    organisation,
    users: built.users,
    groups: buildGroups(rng, built, opts.groups, siteName),
  };
  const sites = [main];
  for (let k = 1; k < (opts.sites ?? 1); k++) {
    const name = k === 1 ? `${siteName}-labs` : `${siteName}-${k + 1}`;
    sites.push(smallSite(rng, name, `${title} ${k === 1 ? 'Labs' : k + 1}`, main, adminId, Math.min(40, opts.accounts), organisation));
  }
  const allSites = sites.map((s) => s.name);
  const identities: ScenarioIdentity[] = [
    {
      accountId: adminId,
      email: `it-admin@${domain}`,
      displayName: 'Avery Admin',
      apiTokens: [`${siteName}-api-token`],
      scopedApiTokens: [],
      sites: allSites.map((site) => ({ site, canViewGroups: true, jiraBrowseUsers: true })),
      oauthSites: allSites,
    },
    {
      // An account that may use Confluence but neither view groups nor browse Jira users.
      // Not in any group, so /user/current describes it from the identity itself.
      accountId: `557058:${uuid(rng)}`,
      email: `viewer@${domain}`,
      displayName: 'Vic Viewer',
      apiTokens: [`${siteName}-viewer-token`],
      scopedApiTokens: [],
      sites: [{ site: siteName, canViewGroups: false, jiraBrowseUsers: false }],
      oauthSites: [siteName],
    },
    {
      // A service account: it can only have scoped API tokens, which work only through the
      // gateway (§10 "Scoped API tokens"). Its token carries the granular scopes of §2.
      accountId: `557058:${uuid(rng)}`,
      email: `access-lens@${siteName}.serviceaccount.atlassian.test`,
      displayName: 'Access Lens (service account)',
      apiTokens: [],
      scopedApiTokens: [{ token: `${siteName}-scoped-token`, scopes: [...SCOPED_TOKEN_GRANULAR_SCOPES] }],
      sites: allSites.map((site) => ({ site, canViewGroups: true, jiraBrowseUsers: true })),
      oauthSites: [],
    },
  ];
  return {
    name: `${siteName}-${opts.seed}`,
    sites,
    identities,
    oauthApps: [{ name: 'Access Lens', clientId: `${siteName}-client-id`, clientSecret: `${siteName}-client-secret`, callbackUrls: [OAUTH_CALLBACK_URL] }],
    oauthUser: `it-admin@${domain}`,
  };
}
