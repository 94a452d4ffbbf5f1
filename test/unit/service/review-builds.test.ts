// @vitest-environment node
/**
 * What one action costs the background: the warm review model is built once per site and then
 * updated, a mark re-matches one account, and the popup's `getState` matches nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRoster } from '../../../lib/roster';
import { rosterFor, type Scenario } from '../../fake-atlassian';
import { ACME, ACME_LABS, demoScenario, startHarness, type Harness } from './harness';

const ACME_EU = 'https://acme-eu.atlassian.net';

/** The demo organisation with a third site, a copy of acme-labs under another name. */
function threeSites(): Scenario {
  const demo = structuredClone(demoScenario());
  const labs = demo.sites.find((s) => s.name === 'acme-labs')!;
  demo.sites.push({ ...structuredClone(labs), name: 'acme-eu', displayName: 'Acme EU', cloudId: 'c0ffee00-5e30-400b-a4cc-68595af37d3c' });
  for (const identity of demo.identities) {
    if (identity.sites.some((s) => s.site === 'acme-labs')) identity.sites.push({ ...identity.sites.find((s) => s.site === 'acme-labs')!, site: 'acme-eu' });
  }
  return demo;
}

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ scenario: threeSites() });
  for (const site of ['acme', 'acme-labs', 'acme-eu']) {
    await h.connectApiToken(site);
    const url = `https://${site}.atlassian.net`;
    const { groups } = await h.ok({ type: 'listGroups', site: url });
    await h.selectAndSync(url, groups.filter((g) => g.selected).map((g) => g.id));
  }
  const parsed = parseRoster(rosterFor(demoScenario()), { today: new Date().toISOString().slice(0, 10) });
  expect(parsed.errors).toEqual([]);
  await h.ok({ type: 'importRoster', fileName: 'hr.csv', people: parsed.people });
  await h.service.idle();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

describe('the warm review model', () => {
  it('getState with three connected sites and a roster builds and matches nothing', async () => {
    const stats = h.service.context.reviews.stats;
    const before = { ...stats };
    const state = await h.ok({ type: 'getState' });
    expect(state.sites.map((s) => s.site).sort()).toEqual([ACME, ACME_EU, ACME_LABS].sort());
    for (const site of state.sites) expect(site.counts?.review).toBeGreaterThan(0);
    expect(stats).toEqual(before);
  });

  it('the counts getState returns are those of the review', async () => {
    const state = await h.ok({ type: 'getState' });
    for (const site of state.sites) {
      const page = await h.ok({ type: 'queryReview', site: site.site, limit: 0 });
      expect(site.counts).toEqual(page.counts);
    }
  });

  it('marking one account External re-matches that account only, with no rebuild; the page reloads once', async () => {
    const { rows } = await h.ok({ type: 'queryReview', site: ACME, filter: 'unattributed', limit: 1 });
    const accountId = rows[0]!.account.accountId;
    const stats = h.service.context.reviews.stats;
    const before = { ...stats };
    const broadcastsBefore = h.broadcasts.length;

    await h.ok({ type: 'setMark', site: ACME, accountId, mark: { kind: 'external', reason: 'Agency contractor' } });
    expect(stats.builds - before.builds).toBe(0);
    expect(stats.matched - before.matched).toBe(1);
    // One change, one broadcast: the side panel reloads on it, not on the answer.
    expect(h.broadcasts.slice(broadcastsBefore)).toEqual([{ type: 'stateChanged', site: ACME }]);

    const { row } = await h.ok({ type: 'getAccount', site: ACME, accountId });
    expect(row).toMatchObject({ ownerType: 'external', flags: [] });
    const state = await h.ok({ type: 'getState' });
    const page = await h.ok({ type: 'queryReview', site: ACME, limit: 0 });
    expect(state.sites.find((s) => s.site === ACME)?.counts).toEqual(page.counts);
    expect(stats.builds - before.builds).toBe(0);
  });

  it('a mark on a cold model (a new worker) costs at most one build', async () => {
    const stats = h.service.context.reviews.stats;
    const { rows } = await h.ok({ type: 'queryReview', site: ACME_LABS, filter: 'review', limit: 1 });
    const accountId = rows[0]!.account.accountId;
    h.service.context.reviews.forget(ACME_LABS);
    const before = { ...stats };
    await h.ok({ type: 'setMark', site: ACME_LABS, accountId, mark: { kind: 'service', reason: 'CI robot' } });
    expect(stats.builds - before.builds).toBe(1);
    expect((await h.ok({ type: 'getAccount', site: ACME_LABS, accountId })).row?.ownerType).toBe('service');
  });

  it('a settings change recomputes flags without matching again', async () => {
    const stats = h.service.context.reviews.stats;
    await h.ok({ type: 'queryReview', site: ACME });
    const before = { ...stats };
    await h.ok({ type: 'saveSettings', graceDays: 200 });
    await h.service.idle();
    expect(stats.builds).toBe(before.builds);
    expect(stats.matched).toBe(before.matched);
  });

  it('a sync that switches snapshots rebuilds that site once, before the pages hear of it', async () => {
    const stats = h.service.context.reviews.stats;
    const before = { ...stats };
    await h.ok({ type: 'syncNow', site: ACME });
    await h.service.idle();
    expect(stats.builds - before.builds).toBe(1);
    const state = await h.ok({ type: 'getState' });
    expect(stats.builds - before.builds).toBe(1);
    expect(state.sites.find((s) => s.site === ACME)?.counts).toEqual((await h.ok({ type: 'queryReview', site: ACME, limit: 0 })).counts);
  });
});
