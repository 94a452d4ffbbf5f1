// @vitest-environment node
/**
 * The background against a fake as strict as a real site (issue 8): scoped API tokens through
 * the gateway, optional Jira, unauthorized_client refreshes, hour-long rate limits, XSRF-refused
 * users-bulk, anonymous sites, customer and deleted-group cases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteUrl } from '../../../lib/model';
import { getConnection } from '../../../lib/store/connections';
import { getCredentials } from '../../../lib/store/credentials';
import { jiraNote, missingGroupNote, pausedText, statusFallbackNote } from '../../../lib/sync';
import { XsrfRefusedError } from '../../../lib/atlassian/errors';
import type { FakeAtlassianOptions } from '../../fake-atlassian';
import { ACME, ACME_LABS, ADMIN_EMAIL, groupId, startHarness, type Harness } from './harness';

const SA_EMAIL = 'access-lens@acme.serviceaccount.atlassian.test';
const SA_TOKEN = 'acme-scoped-token';
const HOUR = 3_600_000;
const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';

let h: Harness | null = null;
afterEach(async () => {
  if (!h) return;
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
  h = null;
});

async function harness(options: Partial<FakeAtlassianOptions> = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

async function syncGroups(t: Harness, site: SiteUrl, names: string[], fakeSite = 'acme'): Promise<void> {
  await t.selectAndSync(site, names.map((n) => groupId(t.fake, n, fakeSite)));
}

async function lastRun(t: Harness, site: SiteUrl = ACME) {
  return (await t.ok({ type: 'getDiagnostics', site })).history[0]!;
}

describe('scoped API tokens (issue 8, item 1)', () => {
  it('connects through the gateway after the site refuses the token, remembers it, and syncs there', async () => {
    const t = await harness();
    await t.connectApiToken('acme.atlassian.net', SA_EMAIL, SA_TOKEN);
    const current = t.fake.log.entries.filter((e) => e.endpoint === 'GET /wiki/rest/api/user/current');
    // The site host first (401), then the gateway with the same Basic credentials.
    expect(current.map((e) => [e.host, e.auth, e.status])).toEqual([
      ['acme.atlassian.net', 'basic', 401],
      ['api.atlassian.com', 'basic', 200],
    ]);
    expect(t.fake.log.entries.some((e) => e.path === '/_edge/tenant_info')).toBe(true);
    const [site] = (await t.ok({ type: 'getState' })).sites;
    expect(site).toMatchObject({ authMethod: 'apiToken', apiBase: 'gateway', hasJira: true, cloudId: t.fake.state.site('acme').site.cloudId });
    expect((await t.ok({ type: 'getDiagnostics', site: ACME })).connectedAs).toBe('Access Lens (service account)');

    t.fake.log.reset();
    await syncGroups(t, ACME, ['confluence-admins-acme', 'site-admins']);
    expect(await lastRun(t)).toMatchObject({ status: 'succeeded' });
    const product = t.fake.log.entries.filter((e) => e.path.includes('/wiki/') || e.path.includes('/rest/api/3/'));
    expect(product.length).toBeGreaterThan(0);
    expect(product.every((e) => e.host === 'api.atlassian.com' && e.auth === 'basic')).toBe(true);
    expect((await t.rows(ACME)).length).toBeGreaterThan(0);
    expect(JSON.stringify(await t.ok({ type: 'getState' }))).not.toContain(SA_TOKEN);
  });

  it('a classic token stays on the site', async () => {
    const t = await harness();
    await t.connectApiToken();
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ apiBase: 'site', hasJira: true });
    expect(t.fake.log.entries.filter((e) => e.host === 'api.atlassian.com')).toEqual([]);
  });

  it('a token refused by both the site and the gateway is "not accepted", and nothing is stored', async () => {
    const t = await harness();
    const answer = await t.fail({ type: 'connectApiToken', siteUrl: 'acme', email: SA_EMAIL, apiToken: 'wrong' });
    expect(answer.error).toBe('https://acme.atlassian.net did not accept this email and API token. Check both and try again.');
    expect((await t.ok({ type: 'getState' })).sites).toEqual([]);
  });

  it('a scoped token without a needed scope is refused with the granular scope named', async () => {
    const t = await harness();
    t.fake.state.identity(SA_EMAIL).scopedApiTokens[0]!.scopes = ['read:group:confluence'];
    const answer = await t.fail({ type: 'connectApiToken', siteUrl: 'acme', email: SA_EMAIL, apiToken: SA_TOKEN });
    expect(answer.error).toContain('scoped API token lacks the scope "read:content-details:confluence"');
  });
});

describe('a bad token on a site open to anonymous users (issue 8, item 8)', () => {
  it('is reported as not accepted, not as an odd response', async () => {
    const t = await harness();
    t.fake.state.site('acme').site.anonymousAccess = true;
    const answer = await t.fail({ type: 'connectApiToken', siteUrl: 'acme', email: ADMIN_EMAIL, apiToken: 'wrong' });
    expect(answer.error).toBe('https://acme.atlassian.net did not accept this email and API token. Check both and try again.');
    expect(answer.error).not.toMatch(/Unexpected response/);
  });
});

describe('Jira is optional (issue 8, item 2)', () => {
  it('an API token on a Confluence-only site: no Jira at connect, no Jira call in the sync', async () => {
    const t = await harness();
    await t.connectApiToken('acme-labs.atlassian.net');
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ site: ACME_LABS, hasJira: false });
    t.fake.log.reset();
    await syncGroups(t, ACME_LABS, ['confluence-users-acme-labs'], 'acme-labs');
    expect(await lastRun(t, ACME_LABS)).toMatchObject({ status: 'succeeded' });
    expect(t.fake.log.entries.filter((e) => e.path.startsWith('/rest/api/3/'))).toEqual([]);
  });

  it('OAuth on a site whose grant lists no Jira scope: Jira off, without even probing', async () => {
    const t = await harness();
    await t.connectOAuth('acme-labs.atlassian.net');
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ hasJira: false });
    expect(t.fake.log.entries.filter((e) => e.path.includes('/rest/api/3/'))).toEqual([]);
  });

  it('a Jira that answers 401 mid-sync: the lookup is off for that run with a note; no refresh, no disconnect', async () => {
    const t = await harness();
    await t.connectOAuth();
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ hasJira: true });
    // Jira goes away after connecting, answering 401 like a site without Jira may (issue 8).
    Object.assign(t.fake.state.site('acme').site, { jira: false, jiraAbsentStatus: 401 });
    // Hidden emails, so the sync asks Jira.
    const admins = t.fake.state.site('acme').groupsById.get(groupId(t.fake, 'confluence-users-acme'))!;
    t.fake.log.reset();
    await syncGroups(t, ACME, ['confluence-users-acme']);
    expect(admins.members.length).toBeGreaterThan(0);
    const run = await lastRun(t);
    expect(run.status).toBe('succeeded');
    expect(run.notes).toContain(jiraNote('unauthorized', ''));
    // Only the lookups already in flight when Jira first refused were sent (4 at once at most).
    const jira = t.fake.log.entries.filter((e) => e.path.startsWith('/ex/jira/'));
    expect(jira.length).toBeGreaterThan(0);
    expect(jira.length).toBeLessThanOrEqual(4);
    expect(jira.every((e) => e.status === 401)).toBe(true);
    expect(t.fake.log.count('POST /oauth/token')).toBe(0); // never refreshed
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ status: 'connected', lastError: null });
  });
});

describe('refresh answered unauthorized_client (issue 8, item 3)', () => {
  it('means reconnect: Disconnected, schedule stopped, snapshot kept, and no word about the client secret', async () => {
    const t = await harness({ refreshFailure: 'unauthorized_client', accessTokenLifetimeSec: 300 });
    await t.connectOAuth();
    await syncGroups(t, ACME, ['confluence-admins-acme', 'site-admins']);
    const before = { ...(await t.ok({ type: 'queryReview', site: ACME, limit: 0 })), rows: await t.rows(ACME) };
    expect(before.rows.length).toBeGreaterThan(0);

    t.fake.revokeAllGrants();
    t.advance(6 * 60_000); // the access token has expired: the next sync refreshes, and is refused
    expect(await t.ok({ type: 'syncNow', site: ACME })).toEqual({ started: [ACME] });
    await t.service.idle(ACME);

    const refused = t.fake.log.entries.filter((e) => e.endpoint === 'POST /oauth/token' && e.status === 403);
    expect(refused).toHaveLength(1);
    const [site] = (await t.ok({ type: 'getState' })).sites;
    expect(site).toMatchObject({ status: 'disconnected', lastSyncedAt: before.lastSyncedAt });
    expect(site?.lastError).toMatch(/Connect again/);
    expect(site?.lastError).not.toMatch(/secret/i);
    expect(t.scheduled.at(-1)).toEqual({ site: ACME, hours: null });
    const after = { ...(await t.ok({ type: 'queryReview', site: ACME, limit: 0 })), rows: await t.rows(ACME) };
    expect(after.rows.map((r) => r.account.accountId).sort()).toEqual(before.rows.map((r) => r.account.accountId).sort());
  });
});

describe("an hour-long rate limit (issue 8, item 5)", () => {
  it('pauses the sync with an alarm at the reset, refuses Sync now until then, then resumes from the checkpoint', async () => {
    const t = await harness({ faults: { quotaAfterRequests: 6, quotaWindowSec: 3600, quotaReason: 'confluence-quota-based' } });
    await t.connectOAuth();
    await t.ok({ type: 'listGroups', site: ACME });
    await t.ok({ type: 'saveGroups', site: ACME, groupIds: [groupId(t.fake, 'confluence-users-acme'), groupId(t.fake, 'engineering')] });
    await t.service.idle(ACME);

    const [site] = (await t.ok({ type: 'getState' })).sites;
    expect(site?.pausedUntil).not.toBeNull();
    const until = Date.parse(site!.pausedUntil!);
    expect(until - Date.now()).toBeGreaterThan(HOUR - 60_000);
    expect(site).toMatchObject({ status: 'connected', lastError: null, lastSyncedAt: null });
    expect(t.pauseAlarms.at(-1)).toEqual({ site: ACME, at: site!.pausedUntil });
    const run = await lastRun(t);
    expect(run).toMatchObject({ status: 'running' });
    expect(run.notes).toContain(pausedText(new Date(until), 'confluence-quota-based'));
    expect((await t.ok({ type: 'getDiagnostics', site: ACME })).problems).toContain(pausedText(new Date(until), 'confluence-quota-based'));
    expect((await t.fail({ type: 'syncNow', site: ACME })).error).toBe(`${pausedText(new Date(until))}: the sync resumes by itself then.`);

    // A worker start before the reset does not resume it, and re-arms the alarm.
    const requests = t.fake.log.count();
    await t.service.resumeInterrupted();
    await t.service.idle(ACME);
    expect(t.fake.log.count()).toBe(requests);
    expect(t.pauseAlarms.at(-1)).toEqual({ site: ACME, at: site!.pausedUntil });

    // The alarm fires an hour later: the run resumes from its checkpoint and completes.
    const pagesBefore = t.fake.log.entries.filter((e) => e.endpoint === MEMBERS && e.status === 200).map((e) => e.path + e.query);
    t.advance(HOUR + 60_000);
    await t.service.resumeInterrupted();
    await t.service.idle(ACME);
    const done = await lastRun(t);
    expect(done.status).toBe('succeeded');
    expect(done.id).toBe(run.id);
    expect(done.notes.some((n) => n.startsWith('Resumed at '))).toBe(true);
    const pagesAfter = t.fake.log.entries.filter((e) => e.endpoint === MEMBERS && e.status === 200).map((e) => e.path + e.query);
    expect(pagesAfter.slice(pagesBefore.length).filter((p) => pagesBefore.includes(p))).toEqual([]);
    expect((await t.ok({ type: 'getState' })).sites[0]).toMatchObject({ pausedUntil: null, lastError: null });
    expect((await t.rows(ACME)).length).toBeGreaterThan(200);
  });
});

describe('users-bulk refused by the XSRF check (issue 8, item 4)', () => {
  it('the sync completes on weaker status signals, says so in the history and in the export caveats', async () => {
    const t = await harness({ faults: { xsrfRefuseAll: true } });
    await t.connectApiToken();
    await syncGroups(t, ACME, ['confluence-admins-acme', 'confluence-guests-acme']);
    const note = statusFallbackNote(new XsrfRefusedError('POST /wiki/api/v2/users-bulk'));
    const run = await lastRun(t);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.notes).toContain(note);
    expect((await t.ok({ type: 'queryReview', site: ACME, limit: 0 })).caveats).toEqual([note]);
    // Every POST carried the header; the fake refused it anyway.
    expect(t.fake.log.entries.filter((e) => e.method === 'POST' && e.host === 'acme.atlassian.net').every((e) => e.status === 403)).toBe(true);
  });
});

describe('odd members and deleted groups', () => {
  it('a customer member and entries without an accountId do not abort the sync', async () => {
    const t = await harness();
    await t.connectApiToken();
    const group = groupId(t.fake, 'site-admins');
    t.fake.state.addUser('acme', {
      accountId: '557058:dddddddd-0000-4000-8000-000000000009', accountType: 'customer', displayName: 'Portal Pat', publicName: 'Portal Pat',
      email: 'pat@customer.test', emailVisibility: 'anyone', accountStatus: 'active', isGuest: false, timeZone: null, operations: [],
    });
    t.fake.state.addMember('acme', group, '557058:dddddddd-0000-4000-8000-000000000009');
    t.fake.state.addMember('acme', group, '$null');
    t.fake.state.addMember('acme', group, '$no-account-id');
    await syncGroups(t, ACME, ['site-admins']);
    const run = await lastRun(t);
    expect(run.status).toBe('succeeded');
    expect(run.notes).toContain('2 group member entries were left out (null, or without an accountId)');
    const pat = (await t.rows(ACME)).find((r) => r.account.displayName === 'Portal Pat');
    expect(pat?.account.accountType).toBe('unknown');
  });

  it('a deleted monitored group: "no longer exists" in diagnostics and history, the rest synced', async () => {
    const t = await harness();
    await t.connectApiToken();
    await t.ok({ type: 'listGroups', site: ACME });
    const gone = groupId(t.fake, 'marketing');
    await t.ok({ type: 'saveGroups', site: ACME, groupIds: [gone, groupId(t.fake, 'site-admins')] });
    await t.service.idle(ACME);
    t.fake.state.removeGroup('acme', gone);
    await t.ok({ type: 'syncNow', site: ACME });
    await t.service.idle(ACME);
    const diagnostics = await t.ok({ type: 'getDiagnostics', site: ACME });
    expect(diagnostics.history[0]).toMatchObject({ status: 'succeeded' });
    expect(diagnostics.history[0]!.notes).toContain(missingGroupNote({ id: gone, name: 'marketing' }));
    expect(diagnostics.problems).toContain('Selected group "marketing" no longer exists (the last sync found it deleted; group/by-id answered 404)');
    expect(t.fake.log.count('GET /wiki/rest/api/group/by-id')).toBe(1);
  });
});

describe('connection records', () => {
  it('store apiBase and hasJira; no credential ever leaves in a response', async () => {
    const t = await harness();
    await t.connectApiToken('acme.atlassian.net', SA_EMAIL, SA_TOKEN);
    const conn = await getConnection(await t.store(), ACME);
    expect(conn).toMatchObject({ apiBase: 'gateway', hasJira: true });
    const creds = await getCredentials(await t.store(), ACME);
    expect(creds).toMatchObject({ kind: 'apiToken', email: SA_EMAIL });
  });
});
