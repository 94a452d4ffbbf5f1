/**
 * A small organisation behind the fake-atlassian test scenario (support.ts), for the admin API
 * tests of the fake, the org API client and the activity phase.
 */
import { OrganisationSchema, type OrganisationInput } from '../../fake-atlassian/org-scenario';
import type { Scenario } from '../../fake-atlassian/scenario';
import type { FakeAtlassian } from '../../fake-atlassian/server';
import { ADMIN_ID, testScenario } from './support';

export const ORG_ID = '44444444-4444-4444-8444-444444444444';
export const ORG_KEY = 'ATCTT3xFfGN0-org-api-key-test';
/** Uses Confluence on acme and acme-labs, Jira on acme; 2SV on; managed. */
export const ACTIVE = '5b10ac8d82e05b22cc7d4ef5';
/** Never used anything. Unmanaged (a partner domain): no 2SV reported. */
export const NEVER = '5b10ac8d82e05b22cc7d4ef6';
/** Last used Confluence on acme long ago; 2SV off. */
export const DORMANT = '712020:0b6ad0ef-1cd3-4e0b-9a57-5b2b8a0c0e11';
/** Used Confluence only on acme-labs. */
export const LABS_ONLY = '5b10ac8d82e05b22cc7d4ef8';
/** On the site, but not in the organisation's directory. */
export const OUTSIDER = '5b10ac8d82e05b22cc7d4ef7';

export function testOrganisation(): OrganisationInput {
  return {
    id: ORG_ID,
    name: 'Acme organization',
    apiKeys: [ORG_KEY],
    users: [
      { accountId: ADMIN_ID, managed: true, mfaEnabled: false, addedToOrg: '2019-01-10', productAccess: [{ key: 'confluence', site: 'acme', lastActive: '2026-11-26' }] },
      {
        accountId: ACTIVE,
        managed: true,
        mfaEnabled: true,
        addedToOrg: '2021-03-03',
        productAccess: [
          { key: 'confluence', site: 'acme', lastActive: '2026-11-20' },
          { key: 'confluence', site: 'acme-labs', lastActive: '2026-10-01' },
          { key: 'jira-software', site: 'acme', lastActive: '2026-11-25' },
        ],
      },
      { accountId: NEVER, managed: false, addedToOrg: '2022-06-15', productAccess: [] },
      { accountId: DORMANT, managed: true, mfaEnabled: false, accountStatus: 'closed', addedToOrg: '2020-02-01', productAccess: [{ key: 'confluence', site: 'acme', lastActive: '2025-12-14' }] },
      { accountId: LABS_ONLY, managed: true, mfaEnabled: true, accountStatus: 'inactive', addedToOrg: '2020-02-02', productAccess: [{ key: 'confluence', site: 'acme-labs', lastActive: '2026-09-09' }] },
    ],
  };
}

export function orgScenario(): Scenario {
  return { ...testScenario(), organisation: OrganisationSchema.parse(testOrganisation()) };
}

export const adminUrl = (path: string) => `https://api.atlassian.com/admin${path}`;
export const lastActiveUrl = (accountId: string, orgId = ORG_ID) => adminUrl(`/v1/orgs/${orgId}/directory/users/${accountId}/last-active-dates`);
export const searchUrl = (orgId = ORG_ID, directoryId = '-') => adminUrl(`/v2/orgs/${orgId}/directories/${directoryId}/users/search`);
export const orgBearer = (key = ORG_KEY) => ({ authorization: `Bearer ${key}` });

/** Puts the fake's admin API back as orgScenario() starts it, and empties the request log. */
export function resetAdmin(fake: FakeAtlassian): void {
  fake.admin.setRateLimit({ limit: 200, windowMs: 60_000 });
  fake.admin.lastActivePageSize = 10;
  fake.admin.searchAvailable = true;
  fake.admin.organisation?.apiKeys.splice(0, Infinity, ORG_KEY);
  fake.log.reset();
}
