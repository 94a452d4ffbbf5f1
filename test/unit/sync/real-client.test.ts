/**
 * The sync through the real Atlassian client against the strict fake (issue 12): a request's slot
 * is given back as soon as its answer has arrived (before it is parsed), and still no more than
 * `concurrency` requests are ever in flight at Atlassian, whatever the phase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfluenceApi } from '../../../lib/atlassian/confluence';
import { generateOrganisation, startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { runSync } from '../../../lib/sync/engine';
import { activeAccounts, connectedStore, FIXED_NOW, SITE } from './engine-helpers';

const scenario = generateOrganisation({ seed: 12, groups: 12, accounts: 3000, siteName: 'acme' });
let fake: FakeAtlassian;

beforeAll(async () => {
  // A little latency, so requests overlap the way they do against Atlassian.
  fake = await startFakeAtlassian({ scenario, faults: { latencyMs: 5 } });
});
afterAll(async () => {
  await fake.close();
});

describe('sync through the real client', () => {
  it('keeps at most 4 requests in flight at Atlassian and reads every member of the selected groups', async () => {
    const site = scenario.sites[0];
    const admin = scenario.identities[0];
    if (!site || !admin?.apiTokens[0]) throw new Error('the generated scenario has no site or admin');
    const api = createConfluenceApi({ fetch: fake.fetch, site: SITE, cloudId: site.cloudId, auth: { kind: 'basic', email: admin.email, apiToken: admin.apiTokens[0] } });
    const store = await connectedStore();
    const groups = site.groups.map((g) => ({ id: g.id, name: g.name }));
    fake.log.reset();

    const run = await runSync({ store, api, site: SITE, groups, trigger: 'manual', concurrency: 4, useJira: true, now: () => FIXED_NOW });

    expect(run.status).toBe('succeeded');
    expect(fake.log.peakConcurrency).toBeLessThanOrEqual(4);
    expect(fake.log.peakConcurrency).toBeGreaterThan(1);
    const members = new Set(site.groups.flatMap((g) => g.members.filter((m) => typeof m === 'string' && m !== '')));
    const accounts = await activeAccounts(store);
    expect(new Set(accounts.map((a) => a.accountId))).toEqual(members);
  });
});
