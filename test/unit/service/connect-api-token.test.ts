// @vitest-environment node
/** API-token connect, reconnect and disconnect through the service. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCredentials } from '../../../lib/store/credentials';
import { ACME, ADMIN_EMAIL, ADMIN_TOKEN, groupId, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

async function syncAdmins(): Promise<void> {
  await h.selectAndSync(ACME, [groupId(h.fake, 'confluence-admins-acme'), groupId(h.fake, 'site-admins')]);
}

async function accountCount(): Promise<number> {
  return (await h.store()).db.count('accounts');
}

describe('connectApiToken', () => {
  it('connects with a valid email and token, as the token owner, against the site itself', async () => {
    expect(await h.ok({ type: 'connectApiToken', siteUrl: 'acme', email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN })).toEqual({ site: ACME });
    const [site] = (await h.ok({ type: 'getState' })).sites;
    expect(site).toMatchObject({ site: ACME, authMethod: 'apiToken', status: 'connected', cloudId: h.fake.state.site('acme').site.cloudId, lastError: null, selectedGroupIds: [] });
    expect((await h.ok({ type: 'getDiagnostics', site: ACME })).connectedAs).toBe('Avery Admin');
    // §1.6: API tokens go to <site>.atlassian.net with Basic auth, never through the gateway.
    expect(h.fake.log.entries.filter((e) => e.endpoint === 'GET /wiki/rest/api/user/current').map((e) => [e.host, e.auth])).toEqual([['acme.atlassian.net', 'basic']]);
  });

  it('refuses a wrong token with a clear message and stores nothing', async () => {
    const answer = await h.fail({ type: 'connectApiToken', siteUrl: 'acme', email: ADMIN_EMAIL, apiToken: 'wrong-token' });
    expect(answer.error).toBe('https://acme.atlassian.net did not accept this email and API token. Check both and try again.');
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
    expect(await getCredentials(await h.store(), ACME)).toBeUndefined();
  });

  it('says a site that does not exist did not answer as a Confluence site', async () => {
    const answer = await h.fail({ type: 'connectApiToken', siteUrl: 'globex', email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN });
    expect(answer.error).toBe('https://globex.atlassian.net did not answer as a Confluence Cloud site (HTTP 404). Check the address and that the site has Confluence.');
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
  });

  it('refuses a URL that is not an Atlassian site', async () => {
    const answer = await h.fail({ type: 'connectApiToken', siteUrl: 'https://example.com', email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN });
    expect(answer.error).toContain('is not an Atlassian Cloud site');
    expect(h.fake.log.count()).toBe(0);
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
  });

  it('keeps groups, selection, snapshot and history when reconnecting', async () => {
    await h.connectApiToken();
    await syncAdmins();
    const before = await h.ok({ type: 'getState' });
    const rowsBefore = (await h.rows(ACME));
    expect(rowsBefore.length).toBeGreaterThan(0);

    await h.connectApiToken();
    const after = await h.ok({ type: 'getState' });
    expect(after.sites[0]?.lastSyncedAt).toBe(before.sites[0]?.lastSyncedAt);
    expect(after.sites[0]?.selectedGroupIds).toEqual(before.sites[0]?.selectedGroupIds);
    expect(after.sites[0]?.counts).toEqual(before.sites[0]?.counts);
    expect((await h.rows(ACME)).map((r) => r.account.accountId).sort()).toEqual(rowsBefore.map((r) => r.account.accountId).sort());
    expect((await h.ok({ type: 'getDiagnostics', site: ACME })).history).toHaveLength(1);
  });
});

describe('disconnect', () => {
  it('without deleting data: removes the credentials, keeps the review, and refuses to sync', async () => {
    await h.connectApiToken();
    await syncAdmins();
    const rows = (await h.rows(ACME)).length;

    expect(await h.ok({ type: 'disconnect', site: ACME, deleteData: false })).toEqual({ ok: true });
    expect(await getCredentials(await h.store(), ACME)).toBeUndefined();
    const [site] = (await h.ok({ type: 'getState' })).sites;
    expect(site).toMatchObject({ status: 'disconnected', lastError: 'Disconnected by you.' });
    expect(h.scheduled.at(-1)).toEqual({ site: ACME, hours: null });
    expect((await h.rows(ACME))).toHaveLength(rows);

    const requests = h.fake.log.count();
    expect((await h.fail({ type: 'syncNow', site: ACME })).error).toBe('https://acme.atlassian.net is disconnected: connect again before syncing.');
    expect((await h.fail({ type: 'listGroups', site: ACME, refresh: true })).error).toContain('is disconnected');
    // A sync of every site skips it quietly.
    expect(await h.ok({ type: 'syncNow' })).toEqual({ started: [] });
    await h.service.idle();
    expect(h.fake.log.count()).toBe(requests);
  });

  it('with deleting data: removes the site, its credentials and its accounts', async () => {
    await h.connectApiToken();
    await syncAdmins();
    expect(await accountCount()).toBeGreaterThan(0);

    await h.ok({ type: 'disconnect', site: ACME, deleteData: true });
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
    expect(await getCredentials(await h.store(), ACME)).toBeUndefined();
    expect(await accountCount()).toBe(0);
    expect((await h.fail({ type: 'queryReview', site: ACME })).error).toBe('https://acme.atlassian.net is not connected.');
  });

  it('refuses to disconnect a site that was never connected', async () => {
    expect((await h.fail({ type: 'disconnect', site: ACME, deleteData: false })).error).toBe('https://acme.atlassian.net is not connected.');
  });
});
