// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { computeActivityFlags } from '../../../lib/activity/flags';
import { runActivityPhase, type FetchedActivity } from '../../../lib/activity/phase';
import { mergeActivity } from '../../../lib/activity/types';
import { activitySourceOf, parseUserExport } from '../../../lib/activity/user-export';
import { generateOrganisation, organisationFor, parseScenario, startFakeAtlassian, userExportFor, withOrganisation } from '../../fake-atlassian';
import { OrganisationSchema } from '../../fake-atlassian/org-scenario';
import { wire } from '../activity/org-support';

const TODAY = '2026-11-27';
const scenario = generateOrganisation({ seed: 7, groups: 10, accounts: 80, sites: 2, siteName: 'acme' });
const organisation = organisationFor(scenario, { today: TODAY, seed: 3, apiKey: 'acme-org-key' });

describe('organisationFor', () => {
  it('is deterministic for a seed, valid, and accepted as a scenario\'s organisation', () => {
    expect(organisationFor(scenario, { today: TODAY, seed: 3, apiKey: 'acme-org-key' })).toEqual(organisation);
    expect(organisationFor(scenario, { today: TODAY, seed: 4 })).not.toEqual(organisation);
    expect(OrganisationSchema.safeParse(organisation).success).toBe(true);
    expect(parseScenario(withOrganisation(scenario, { today: TODAY })).organisation?.users.length).toBeGreaterThan(0);
  });

  it('has the cases the review is about: dormant, never used, recent joiners, admins without 2SV', () => {
    const confluenceOnAcme = (u: (typeof organisation.users)[number]) => u.productAccess.find((p) => p.key === 'confluence' && p.site === 'acme')?.lastActive;
    const dates = organisation.users.map(confluenceOnAcme);
    expect(dates.some((d) => d !== undefined && d < '2026-08-28')).toBe(true); // older than 90 days
    expect(dates.some((d) => d !== undefined && d >= '2026-10-01')).toBe(true);
    expect(organisation.users.some((u) => u.productAccess.length === 0)).toBe(true);
    expect(organisation.users.some((u) => u.addedToOrg > '2026-11-01')).toBe(true);
    const admins = scenario.sites[0]?.users.filter((u) => u.operations.some((o) => o.operation === 'administer')).map((u) => u.accountId) ?? [];
    expect(organisation.users.some((u) => admins.includes(u.accountId) && u.managed && !u.mfaEnabled)).toBe(true);
    expect(organisation.users.some((u) => !u.managed)).toBe(true);
    // Every date is on or before the data date.
    for (const u of organisation.users) for (const p of u.productAccess) expect(p.lastActive <= TODAY).toBe(true);
  });
});

describe('userExportFor: the product parses what it generates', () => {
  it('user-management shape, read for each site exactly, agreeing with the organisation', () => {
    const text = userExportFor(scenario, organisation, { shape: 'user-management' });
    expect(text.split('\r\n')[0]).toBe(
      'User id,User name,email,User status,Added to org,Org role,Confluence - acme,Last seen in Confluence - acme,Jira - acme,Last seen in Jira - acme,Confluence - acme-labs,Last seen in Confluence - acme-labs',
    );
    for (const site of ['acme', 'acme-labs']) {
      const r = parseUserExport(text, { siteName: site, fileName: `export-users-${TODAY}.csv` });
      expect(r.errors).toEqual([]);
      expect(r.siteColumn).toBe(`Last seen in Confluence - ${site}`);
      expect(r.meta?.dataDate).toBe(TODAY);
      for (const a of r.accounts) {
        const truth = organisation.users.find((u) => u.accountId === a.accountId)?.productAccess.find((p) => p.key === 'confluence' && p.site === site)?.lastActive;
        if (truth !== undefined) expect(a.lastActive).toBe(truth);
        else expect(a.lastActive === 'never' || a.lastActive === null).toBe(true);
      }
      expect(r.preview.lastActiveNever).toBeGreaterThan(0);
    }
  });

  it('with one row per group, the same accounts', () => {
    const plain = parseUserExport(userExportFor(scenario, organisation, { shape: 'user-management' }), { siteName: 'acme' });
    const grouped = parseUserExport(userExportFor(scenario, organisation, { shape: 'user-management', withGroups: true }), { siteName: 'acme' });
    expect(grouped.errors).toEqual([]);
    expect(grouped.rowCount).toBeGreaterThan(plain.rowCount);
    expect(grouped.accounts).toEqual(plain.accounts);
  });

  it('managed-accounts shape: managed accounts only, 2SV and organisation-wide last activity', () => {
    const r = parseUserExport(userExportFor(scenario, organisation, { shape: 'managed-accounts' }), { siteName: 'acme' });
    expect(r.errors).toEqual([]);
    expect(r.shape).toBe('managed-accounts');
    const managed = organisation.users.filter((u) => u.managed);
    expect(r.accounts.map((a) => a.accountId).sort()).toEqual(managed.map((u) => u.accountId).sort());
    for (const a of r.accounts) {
      const u = managed.find((m) => m.accountId === a.accountId);
      expect(a.mfa).toBe(u?.mfaEnabled ? 'on' : 'off');
      const latest = u?.productAccess.reduce<string | null>((m, p) => (m === null || p.lastActive > m ? p.lastActive : m), null) ?? null;
      expect(a.lastActive).toBe(latest ?? 'never');
      expect(a.lastActiveScope).toBe('organisation');
    }
  });

  it('the export raises both flags for accounts of the generated site', () => {
    const users = parseUserExport(userExportFor(scenario, organisation, { shape: 'user-management' }), { siteName: 'acme', fileName: `x-${TODAY}.csv` });
    const managed = parseUserExport(userExportFor(scenario, organisation, { shape: 'managed-accounts' }), { siteName: 'acme', fileName: `y-${TODAY}.csv` });
    if (users.meta === null || managed.meta === null) throw new Error('expected clean parses');
    const sources = [{ accounts: users.accounts, source: activitySourceOf(users.meta, TODAY) }, { accounts: managed.accounts, source: activitySourceOf(managed.meta, TODAY) }];
    const counts = { dormant: 0, admin_without_2sv: 0, none: 0 };
    for (const u of scenario.sites[0]?.users ?? []) {
      if (u.accountType !== 'atlassian' || u.accountStatus !== 'active') continue;
      const reports = sources.flatMap(({ accounts, source }) => accounts.filter((a) => a.accountId === u.accountId).map((activity) => ({ activity, source })));
      const role = u.operations.some((o) => o.operation === 'administer') ? 'admin' : 'write';
      const flags = computeActivityFlags({ account: { status: 'active', filteredReason: null, role, groups: [] }, facts: mergeActivity(reports), settings: { dormantDays: 90 }, today: TODAY });
      for (const f of flags) counts[f.flag]++;
      if (flags.length === 0) counts.none++;
    }
    expect(counts.dormant).toBeGreaterThan(0);
    expect(counts.admin_without_2sv).toBeGreaterThan(0);
    expect(counts.none).toBeGreaterThan(counts.dormant);
  });
});

describe('the export and the fake\'s admin API tell the same story', () => {
  it('for every account whose export cell has a value, the API phase finds the same last activity and 2SV', async () => {
    const fake = await startFakeAtlassian({ scenario: withOrganisation(scenario, { today: TODAY, seed: 3, apiKey: 'acme-org-key' }) });
    try {
      const org = fake.admin.organisation;
      if (org === null) throw new Error('no organisation');
      const exported = parseUserExport(userExportFor(scenario, org, { shape: 'user-management' }), { siteName: 'acme' });
      const managed = parseUserExport(userExportFor(scenario, org, { shape: 'managed-accounts' }), { siteName: 'acme' });
      const w = wire(fake, { apiKey: 'acme-org-key', orgId: org.id });
      const records = new Map<string, FetchedActivity>();
      const r = await runActivityPhase({
        api: w.api,
        cloudId: scenario.sites[0]?.cloudId ?? '',
        accountIds: exported.accounts.map((a) => a.accountId),
        checkpoint: null,
        storage: { fetchedAt: async () => new Map(), saveBatch: async (batch) => batch.forEach((b) => records.set(b.accountId, b)) },
        now: w.clock.now,
      });
      expect(r.outcome).toBe('done');
      let compared = 0;
      for (const a of exported.accounts) {
        if (a.lastActive === null) continue;
        expect(records.get(a.accountId)?.lastActive).toBe(a.lastActive);
        compared++;
      }
      for (const m of managed.accounts) expect(records.get(m.accountId)?.mfa).toBe(m.mfa);
      expect(compared).toBeGreaterThan(20);
    } finally {
      await fake.close();
    }
  });
});
