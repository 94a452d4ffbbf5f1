/**
 * What the fake Atlassian knows: sites with their groups and users, the identities that connect
 * (API token and/or OAuth), and the registered OAuth apps. Scenario files are JSON validated by
 * `ScenarioSchema`; `ScenarioState` is the mutable, indexed copy a running fake serves from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { OrganisationSchema } from './org-scenario';

/** atlassian-api.md §8: legacy 24-hex or `<number>:<uuid>`. */
export const ACCOUNT_ID_RE = /^(?:[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** atlassian-api.md §3.4: the OperationCheckResult enums. */
export const OPERATIONS = [
  'administer', 'archive', 'clear_permissions', 'copy', 'create', 'create_space', 'delete', 'export', 'move',
  'purge', 'purge_version', 'read', 'restore', 'restrict_content', 'update', 'use',
] as const;
export const TARGET_TYPES = ['application', 'page', 'blogpost', 'comment', 'attachment', 'space'] as const;

const OperationSchema = z.object({ operation: z.enum(OPERATIONS), targetType: z.enum(TARGET_TYPES) });

const UserSchema = z.object({
  accountId: z.string().regex(ACCOUNT_ID_RE, 'accountId must be 24-hex or <number>:<uuid>'),
  /**
   * `customer` is a service-desk portal account (v2 and Jira list it, §4, §10 "Account types");
   * v1's enum does not, but a real site returns what the account is — the product must cope.
   */
  accountType: z.enum(['atlassian', 'app', 'customer']),
  /** Confluence may append "(Unlicensed)" etc. (§3.6). */
  displayName: z.string(),
  publicName: z.string().min(1),
  /**
   * What Confluence shows an API-token caller: an address, or `""` / null when the user's profile
   * visibility hides it from everyone (§3.5).
   */
  email: z.union([z.email(), z.literal('')]).nullable(),
  /**
   * The email's profile visibility (§10 "Emails"): OAuth (3LO) apps see it only when it is
   * "anyone"; API-token callers (people of the organisation) see `email` either way.
   */
  emailVisibility: z.enum(['anyone', 'organisation']).default('anyone'),
  /**
   * What Jira's user API shows an API-token caller. Absent: same as `email` (hidden → null). Lets
   * a scenario hide an email from Confluence while Jira still returns it (off by default in
   * generated organisations). OAuth callers get it only with visibility "anyone", as in Confluence.
   */
  jiraEmail: z.email().nullable().optional(),
  /** Ground truth for roster generation; never sent by any endpoint. */
  workEmail: z.email().optional(),
  accountStatus: z.enum(['active', 'inactive', 'closed']),
  isGuest: z.boolean().default(false),
  timeZone: z.string().nullable().default(null),
  /** `expand=operations` result; `[]` for deactivated / unlicensed accounts (§3.6). */
  operations: z.array(OperationSchema),
});

/**
 * Entries a member page may hold that are not usable members (the v1 spec marks `User` items
 * and `accountId` nullable, §10): `null`, or a user object without an accountId.
 */
export const ODD_MEMBER_ENTRIES = ['$null', '$no-account-id'] as const;
export type OddMemberEntry = (typeof ODD_MEMBER_ENTRIES)[number];
export const isOddEntry = (id: string): id is OddMemberEntry => (ODD_MEMBER_ENTRIES as readonly string[]).includes(id);

const GroupSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** accountIds (or an ODD_MEMBER_ENTRIES marker), in the order Confluence pages them. */
  members: z.array(z.string()),
});

const SiteSchema = z.object({
  /** Subdomain: the site is `https://<name>.atlassian.net`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  cloudId: z.uuid(),
  displayName: z.string().min(1),
  jira: z.boolean(),
  /** What a site without Jira answers under its Jira base (issue 8: "401 or 404 as a scenario chooses"). */
  jiraAbsentStatus: z.union([z.literal(401), z.literal(404)]).default(404),
  /**
   * The site lets anonymous users in: `user/current` with credentials it does not accept answers
   * an anonymous user without an accountId (issue 8, item 8) instead of 401.
   */
  anonymousAccess: z.boolean().default(false),
  /**
   * Sites of one organisation share their group list: `GET /wiki/rest/api/group` on any of them
   * lists every site's groups (§10 "The group list spans the organisation"). Absent: the site is
   * an organisation of its own.
   */
  organisation: z.string().optional(),
  groups: z.array(GroupSchema),
  users: z.array(UserSchema),
});

const SitePermissionSchema = z.object({
  site: z.string(),
  /** false → 403 on the group endpoints. */
  canViewGroups: z.boolean().default(true),
  /** Jira "Browse users and groups"; false → 403 on Jira user lookups (§4). */
  jiraBrowseUsers: z.boolean().default(true),
});

const IdentitySchema = z.object({
  accountId: z.string().regex(ACCOUNT_ID_RE),
  email: z.email(),
  displayName: z.string().min(1),
  /** Valid (classic, unscoped) API tokens for Basic auth `email:token` against `<site>.atlassian.net`. */
  apiTokens: z.array(z.string().min(1)).default([]),
  /**
   * Scoped API tokens (§10): Basic `email:token` accepted only through the gateway
   * `api.atlassian.com/ex/{product}/{cloudId}`, with the token's (granular) scopes checked like a
   * bearer token's; the site host answers them 401.
   */
  scopedApiTokens: z.array(z.object({ token: z.string().min(1), scopes: z.array(z.string()) })).default([]),
  /** Sites where this account has "Can use"; absent → 403 from that site's product APIs. */
  sites: z.array(SitePermissionSchema).default([]),
  /** Sites an OAuth consent by this identity adds to the grant (may include sites without access). */
  oauthSites: z.array(z.string()).default([]),
});

const OAuthAppSchema = z.object({
  name: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** §1.1: the registered callback URL(s); redirect_uri must equal one of them. */
  callbackUrls: z.array(z.url()).min(1),
  /** Scopes configured for the app in the developer console; absent = any scope may be requested. */
  scopes: z.array(z.string()).optional(),
});

export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    sites: z.array(SiteSchema).min(1),
    identities: z.array(IdentitySchema).min(1),
    oauthApps: z.array(OAuthAppSchema).default([]),
    /** Email of the identity "logged in" at auth.atlassian.com, i.e. who consents. */
    oauthUser: z.email(),
    /** The organisation admin API's view (admin.ts); absent = no admin API. */
    organisation: OrganisationSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const sites = new Set(s.sites.map((x) => x.name));
    if (!s.identities.some((i) => i.email === s.oauthUser)) {
      ctx.addIssue({ code: 'custom', path: ['oauthUser'], message: `no identity has email ${s.oauthUser}` });
    }
    s.identities.forEach((id, i) => {
      for (const name of [...id.sites.map((p) => p.site), ...id.oauthSites]) {
        if (!sites.has(name)) ctx.addIssue({ code: 'custom', path: ['identities', i], message: `unknown site "${name}"` });
      }
    });
    s.organisation?.users.forEach((u, i) => {
      for (const p of u.productAccess) {
        if (!sites.has(p.site)) ctx.addIssue({ code: 'custom', path: ['organisation', 'users', i], message: `unknown site "${p.site}"` });
      }
    });
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioSite = Scenario['sites'][number];
export type ScenarioUser = ScenarioSite['users'][number];
export type ScenarioGroup = ScenarioSite['groups'][number];
export type ScenarioIdentity = Scenario['identities'][number];
export type SitePermission = ScenarioIdentity['sites'][number];
export type OAuthApp = Scenario['oauthApps'][number];
export type ScenarioOperation = ScenarioUser['operations'][number];

export const SCENARIO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');

/** Parses and validates a scenario; errors name the offending path. */
export function parseScenario(raw: unknown): Scenario {
  const result = ScenarioSchema.safeParse(raw);
  if (!result.success) throw new Error(`Invalid scenario: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** `name` is a file in scenarios/ (without .json) or a path to a JSON file. */
export function loadScenario(name: 'demo' | string): Scenario {
  const file = name.endsWith('.json') ? path.resolve(name) : path.join(SCENARIO_DIR, `${name}.json`);
  return parseScenario(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/**
 * A copy the fake may mutate without touching the caller's scenario. Users are copied shallowly:
 * their `operations` arrays are shared (generated scenarios share a few lists among 100k users),
 * so change operations by replacing the array (`updateUser`), never by pushing into it.
 */
function cloneScenario(s: Scenario): Scenario {
  return {
    ...s,
    sites: s.sites.map((site) => ({
      ...site,
      users: site.users.map((u) => ({ ...u })),
      groups: site.groups.map((g) => ({ ...g, members: g.members.slice() })),
    })),
    identities: structuredClone(s.identities),
    oauthApps: structuredClone(s.oauthApps),
  };
}

/** One site with lookups by accountId and groupId. */
export class SiteState {
  readonly usersById = new Map<string, ScenarioUser>();
  readonly groupsById = new Map<string, ScenarioGroup>();

  constructor(readonly site: ScenarioSite) {
    for (const u of site.users) this.usersById.set(u.accountId, u);
    for (const g of site.groups) {
      this.groupsById.set(g.id, g);
      for (const m of g.members) {
        if (!this.usersById.has(m) && !isOddEntry(m)) throw new Error(`site ${site.name}: group ${g.name} lists unknown account ${m}`);
      }
    }
  }

  get url(): string {
    return `https://${this.site.name}.atlassian.net`;
  }

  /** §3.1: the group list is sorted alphabetically by name. */
  groupsSortedByName(): ScenarioGroup[] {
    return this.site.groups.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * The running fake's mutable copy of a scenario. Mutate through the methods so the lookups stay
 * right (e.g. add or remove a member between two syncs in a test).
 */
export class ScenarioState {
  readonly scenario: Scenario;
  private readonly sitesByName = new Map<string, SiteState>();
  private readonly sitesByCloudId = new Map<string, SiteState>();

  constructor(scenario: Scenario) {
    this.scenario = cloneScenario(scenario);
    for (const s of this.scenario.sites) {
      const st = new SiteState(s);
      this.sitesByName.set(s.name, st);
      this.sitesByCloudId.set(s.cloudId.toLowerCase(), st);
    }
  }

  get oauthUser(): string {
    return this.scenario.oauthUser;
  }

  set oauthUser(email: string) {
    this.identity(email); // throws if unknown
    this.scenario.oauthUser = email;
  }

  siteByName(name: string): SiteState | undefined {
    return this.sitesByName.get(name);
  }

  siteByCloudId(cloudId: string): SiteState | undefined {
    return this.sitesByCloudId.get(cloudId.toLowerCase());
  }

  /** The sites whose groups `site`'s group list shows: its organisation's (§10), itself first. */
  organisationOf(site: SiteState): SiteState[] {
    const org = site.site.organisation;
    if (org === undefined) return [site];
    return [site, ...[...this.sitesByName.values()].filter((s) => s !== site && s.site.organisation === org)];
  }

  /** A group of `site`'s organisation by id, with the site that owns it (its members are that site's users). */
  orgGroup(site: SiteState, groupId: string): { group: ScenarioGroup; owner: SiteState } | undefined {
    for (const owner of this.organisationOf(site)) {
      const group = owner.groupsById.get(groupId);
      if (group) return { group, owner };
    }
    return undefined;
  }

  /** The site state, or throws (for test set-up code). */
  site(name: string): SiteState {
    const s = this.sitesByName.get(name);
    if (!s) throw new Error(`no site "${name}" in scenario`);
    return s;
  }

  identity(email: string): ScenarioIdentity {
    const id = this.findIdentity(email);
    if (!id) throw new Error(`no identity "${email}" in scenario`);
    return id;
  }

  findIdentity(email: string): ScenarioIdentity | undefined {
    const lower = email.toLowerCase();
    return this.scenario.identities.find((i) => i.email.toLowerCase() === lower);
  }

  oauthApp(clientId: string): OAuthApp | undefined {
    return this.scenario.oauthApps.find((a) => a.clientId === clientId);
  }

  addUser(siteName: string, user: ScenarioUser): void {
    const st = this.site(siteName);
    if (st.usersById.has(user.accountId)) throw new Error(`account ${user.accountId} already on ${siteName}`);
    st.site.users.push(user);
    st.usersById.set(user.accountId, user);
  }

  /** Changes fields of a user in place (e.g. accountStatus, email, operations). */
  updateUser(siteName: string, accountId: string, patch: Partial<Omit<ScenarioUser, 'accountId'>>): ScenarioUser {
    const user = this.site(siteName).usersById.get(accountId);
    if (!user) throw new Error(`no account ${accountId} on ${siteName}`);
    Object.assign(user, patch);
    return user;
  }

  addGroup(siteName: string, group: ScenarioGroup): void {
    const st = this.site(siteName);
    if (st.groupsById.has(group.id)) throw new Error(`group ${group.id} already on ${siteName}`);
    for (const m of group.members) if (!st.usersById.has(m)) throw new Error(`unknown account ${m}`);
    st.site.groups.push(group);
    st.groupsById.set(group.id, group);
  }

  removeGroup(siteName: string, groupId: string): void {
    const st = this.site(siteName);
    st.site.groups = st.site.groups.filter((g) => g.id !== groupId);
    st.groupsById.delete(groupId);
  }

  addMember(siteName: string, groupId: string, accountId: string): void {
    const st = this.site(siteName);
    const group = st.groupsById.get(groupId);
    if (!group) throw new Error(`no group ${groupId} on ${siteName}`);
    if (!st.usersById.has(accountId) && !isOddEntry(accountId)) throw new Error(`no account ${accountId} on ${siteName}`);
    if (!group.members.includes(accountId)) group.members.push(accountId);
  }

  removeMember(siteName: string, groupId: string, accountId: string): void {
    const group = this.site(siteName).groupsById.get(groupId);
    if (!group) throw new Error(`no group ${groupId} on ${siteName}`);
    group.members = group.members.filter((m) => m !== accountId);
  }
}
