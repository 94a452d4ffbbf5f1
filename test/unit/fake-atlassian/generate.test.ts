// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { generateOrganisation, loadScenario, parseScenario, rosterFor, ROSTER_HEADER, type Scenario } from '../../fake-atlassian';
import { buildDemo } from '../../fake-atlassian/demo';
import { isTeamGroupName } from '../../fake-atlassian/generate';
import { ACCOUNT_ID_RE, SCENARIO_DIR } from '../../fake-atlassian/scenario';

const small = () => generateOrganisation({ seed: 5, groups: 20, accounts: 2000, sites: 2 });

describe('generateOrganisation', () => {
  it('is deterministic per seed', () => {
    expect(small()).toEqual(small());
    expect(generateOrganisation({ seed: 6, groups: 20, accounts: 2000 }).sites[0]!.users[5]).not.toEqual(small().sites[0]!.users[5]);
  });

  it('produces a valid scenario', () => {
    expect(() => parseScenario(small())).not.toThrow();
  });

  it('has the mess of a real site', () => {
    const site = small().sites[0]!;
    const humans = site.users.filter((u) => u.accountType === 'atlassian');
    const hidden = humans.filter((u) => u.email === '' || u.email === null);
    expect(hidden.length / humans.length).toBeGreaterThan(0.08);
    expect(hidden.some((u) => u.email === '') && hidden.some((u) => u.email === null)).toBe(true);
    // Jira-only emails are a scenario option, off by default (issue 8).
    expect(humans.some((u) => u.jiraEmail)).toBe(false);
    expect(generateOrganisation({ seed: 5, groups: 20, accounts: 2000, jiraEmailRate: 0.4 }).sites[0]!.users.some((u) => u.jiraEmail)).toBe(true);
    expect(site.users.some((u) => u.accountType === 'app')).toBe(true);
    expect(site.users.some((u) => u.isGuest)).toBe(true);
    const gone = site.users.filter((u) => u.accountStatus !== 'active');
    expect(gone.some((u) => u.accountStatus === 'closed') && gone.some((u) => u.accountStatus === 'inactive')).toBe(true);
    expect(gone.every((u) => u.operations.length === 0)).toBe(true);
    expect(site.users.some((u) => u.displayName.endsWith('(Unlicensed)') && u.operations.length === 0)).toBe(true);
    expect(site.users.some((u) => u.operations.some((o) => o.operation === 'administer' && o.targetType === 'application'))).toBe(true);
    expect(site.users.every((u) => ACCOUNT_ID_RE.test(u.accountId))).toBe(true);
    expect(site.users.some((u) => /^[0-9a-f]{24}$/.test(u.accountId)) && site.users.some((u) => u.accountId.includes(':'))).toBe(true);
  });

  it('shows an OAuth app few emails: most visibilities are not "anyone" (§10)', () => {
    const humans = small().sites[0]!.users.filter((u) => u.accountType === 'atlassian' && u.email);
    const anyone = humans.filter((u) => u.emailVisibility === 'anyone');
    expect(anyone.length / humans.length).toBeGreaterThan(0.1);
    expect(anyone.length / humans.length).toBeLessThan(0.4);
  });

  it('gives operations as the real samples show them: use, plus administer for admins (§10)', () => {
    const users = small().sites[0]!.users;
    const lists = new Set(users.map((u) => JSON.stringify(u.operations)));
    expect([...lists].sort()).toEqual([
      '[]',
      '[{"operation":"administer","targetType":"application"},{"operation":"use","targetType":"application"}]',
      '[{"operation":"use","targetType":"application"}]',
    ]);
    const content = generateOrganisation({ seed: 5, groups: 20, accounts: 2000, contentOperations: true }).sites[0]!.users;
    expect(content.some((u) => u.operations.some((o) => o.targetType === 'page'))).toBe(true);
  });

  it('has typical, big, overlapping and empty groups, default groups suffixed with the site name', () => {
    const groups = small().sites[0]!.groups;
    const names = groups.map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining([
      'confluence-users-acme', 'confluence-admins-acme', 'confluence-guests-acme', 'administrators', 'site-admins', 'system-administrators', 'jira-software-users', 'marketing',
    ]));
    expect(groups.filter((g) => g.members.length > 200).length).toBeGreaterThanOrEqual(2);
    expect(groups.some((g) => g.members.length === 0)).toBe(true);
    const teams = groups.filter((g) => isTeamGroupName(g.name));
    expect(teams.length).toBeGreaterThan(5);
    const seen = new Map<string, number>();
    for (const g of teams) for (const m of g.members) seen.set(m, (seen.get(m) ?? 0) + 1);
    expect([...seen.values()].some((n) => n > 1)).toBe(true);
  });

  it('builds 200 groups and 100,000 accounts quickly', () => {
    const started = performance.now();
    const big = generateOrganisation({ seed: 1, groups: 200, accounts: 100_000 });
    const elapsed = performance.now() - started;
    expect(big.sites[0]!.users).toHaveLength(100_000);
    expect(big.sites[0]!.groups).toHaveLength(200);
    expect(new Set(big.sites[0]!.users.map((u) => u.accountId)).size).toBe(100_000);
    // Generous for a loaded 2-core CI machine; about 0.3-1 s when idle.
    expect(elapsed).toBeLessThan(8000);
  });

  it('puts every site in one organisation; the other sites are Confluence-only, with suffixed default groups', () => {
    const org = small();
    expect(new Set(org.sites.map((s) => s.organisation))).toEqual(new Set(['acme-org']));
    expect(org.sites[1]).toMatchObject({ name: 'acme-labs', jira: false });
    expect(org.sites[1]!.groups.map((g) => g.name)).toEqual(['confluence-users-acme-labs', 'confluence-admins-acme-labs']);
  });

  it('has a service account with a scoped API token and no classic one', () => {
    const sa = small().identities.find((i) => i.scopedApiTokens.length > 0)!;
    expect(sa.apiTokens).toEqual([]);
    expect(sa.scopedApiTokens[0]!.scopes).toEqual(expect.arrayContaining(['read:group:confluence', 'read:user:confluence', 'read:content-details:confluence']));
  });

  it('refuses sizes beyond the limits', () => {
    expect(() => generateOrganisation({ seed: 1, groups: 201, accounts: 10 })).toThrow(/groups/);
    expect(() => generateOrganisation({ seed: 1, groups: 10, accounts: 100_001 })).toThrow(/accounts/);
  });
});

describe('rosterFor', () => {
  const scenario: Scenario = small();
  const rows = Papa.parse<Record<string, string>>(rosterFor(scenario), { header: true, skipEmptyLines: true }).data;
  const humans = scenario.sites[0]!.users.filter((u) => u.accountType === 'atlassian');

  it('has the HR columns', () => {
    expect(Object.keys(rows[0]!)).toEqual([...ROSTER_HEADER]);
  });

  it('matches most accounts by email, hidden-email accounts only by name, and leaves some unattributed', () => {
    const byEmail = new Set(rows.map((r) => r['Work Email']!.toLowerCase()));
    const byName = new Set(rows.map((r) => r['Full Name']));
    const visible = humans.filter((u) => u.email);
    const matched = visible.filter((u) => byEmail.has(u.email!.toLowerCase()));
    expect(matched.length / visible.length).toBeGreaterThan(0.9);
    expect(matched.length).toBeLessThan(visible.length);
    const hiddenMatchedByName = humans.filter((u) => !u.email && byName.has(u.displayName.replace(/ \(.*\)$/, '')));
    expect(hiddenMatchedByName.length).toBeGreaterThan(0);
  });

  it('lists terminated people, some of whose accounts are still active', () => {
    const terminated = rows.filter((r) => r.Status === 'Terminated');
    expect(terminated.length).toBeGreaterThan(0);
    expect(terminated.every((r) => /^\d{4}-\d\d-\d\d$/.test(r['Termination Date']!))).toBe(true);
    const active = new Set(humans.filter((u) => u.accountStatus === 'active').map((u) => u.workEmail));
    expect(terminated.some((r) => active.has(r['Work Email']))).toBe(true);
  });

  it('has name collisions', () => {
    const names = rows.map((r) => r['Full Name']);
    expect(new Set(names).size).toBeLessThan(names.length);
  });

  it('is deterministic', () => {
    expect(rosterFor(scenario)).toBe(rosterFor(scenario));
    expect(rosterFor(scenario, { seed: 2 })).not.toBe(rosterFor(scenario));
  });
});

describe('committed demo scenario', () => {
  it('loads, validates, and equals what demo.ts generates (run it after changing the generator)', () => {
    const { scenario, roster } = buildDemo();
    expect(loadScenario('demo')).toEqual(parseScenario(scenario));
    expect(fs.readFileSync(path.join(SCENARIO_DIR, 'demo-roster.csv'), 'utf8')).toBe(roster);
  });

  it('has one site acme with Jira, acme-labs in the OAuth grant, an OAuth app and an API-token identity', () => {
    const demo = loadScenario('demo');
    expect(demo.sites.map((s) => s.name)).toEqual(['acme', 'acme-labs']);
    expect(demo.sites[0]!.users.length).toBeGreaterThan(200);
    const admin = demo.identities.find((i) => i.email === demo.oauthUser)!;
    expect(admin.oauthSites).toEqual(['acme', 'acme-labs']);
    expect(admin.apiTokens.length).toBeGreaterThan(0);
    expect(demo.oauthApps[0]!.callbackUrls).toEqual(['https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/']);
  });
});

describe('parseScenario', () => {
  it('names the offending field', () => {
    const bad = structuredClone(small()) as unknown as { sites: { users: { accountId: string }[] }[] };
    bad.sites[0]!.users[3]!.accountId = 'not-an-id';
    expect(() => parseScenario(bad)).toThrow(/accountId/);
  });

  it('rejects identities that refer to unknown sites', () => {
    const bad = small();
    bad.identities[0]!.oauthSites = ['nowhere'];
    expect(() => parseScenario(bad)).toThrow(/unknown site "nowhere"/);
  });
});
