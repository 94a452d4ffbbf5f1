// @vitest-environment node
/**
 * The fake is as strict as a real Atlassian Cloud site (issue 8, atlassian-api.md §10): email
 * visibility by caller, scoped API tokens, sites without Jira, unauthorized_client refreshes,
 * quota 429s, XSRF refusals, odd member entries, deleted groups, anonymous user/current, the
 * organisation-wide group list, and the test controls (hold, slow group list, NearLimit).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAtlassian, type FakeAtlassian, type FakeAtlassianOptions, type Scenario } from '../../fake-atlassian';
import { ACME_CLOUD_ID, ADMIN_EMAIL, ADMIN_ID, ADMIN_TOKEN, basic, bearer, gw, jiraGw, LABS_CLOUD_ID, login, refresh, testScenario, users } from './support';

const SA_EMAIL = 'robot@serviceaccount.atlassian.test';
const SA_TOKEN = 'scoped-token-1';
const GRANULAR = ['read:group:confluence', 'read:user:confluence', 'read:content-details:confluence'];
const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';

let fake: FakeAtlassian | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** The test scenario with acme and acme-labs in one organisation and a service account. */
function scenario(change: (s: Scenario) => void = () => {}): Scenario {
  const s = testScenario();
  s.sites[0]!.organisation = 'acme-org';
  s.sites[1]!.organisation = 'acme-org';
  s.identities.push({
    accountId: '557058:cccccccc-0000-4000-8000-000000000003',
    email: SA_EMAIL,
    displayName: 'Robot service account',
    apiTokens: [],
    scopedApiTokens: [{ token: SA_TOKEN, scopes: GRANULAR }],
    sites: [{ site: 'acme', canViewGroups: true, jiraBrowseUsers: true }],
    oauthSites: [],
  });
  change(s);
  return s;
}

async function start(options: Partial<FakeAtlassianOptions> = {}, change?: (s: Scenario) => void): Promise<FakeAtlassian> {
  fake = await startFakeAtlassian({ scenario: scenario(change), ...options });
  return fake;
}

const site = (path: string, host = 'acme') => `https://${host}.atlassian.net${path}`;

async function get(f: FakeAtlassian, url: string, headers: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await f.fetch(url, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text bodies stay text
  }
  return { status: res.status, body, headers: res.headers };
}

function post(f: FakeAtlassian, url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return f.fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('email visibility by caller (§3.5, §10)', () => {
  it('an OAuth app sees only emails visible to "anyone"; an API token sees the organisation\'s view', async () => {
    const f = await start({}, (s) => {
      const u = s.sites[0]!.users.find((x) => x.accountId === 'b00000000000000000000000')!;
      u.emailVisibility = 'organisation';
    });
    const token = (await login(f)).access_token;
    const url = '/wiki/rest/api/group/g-201/membersByGroupId?limit=2';
    const oauth = (await get(f, gw(url), bearer(token))).body.results;
    const apiToken = (await get(f, site(url), basic())).body.results;
    expect(oauth.map((u: { email: string }) => u.email)).toEqual(['', 'user.b.1@acme.test']);
    expect(apiToken.map((u: { email: string }) => u.email)).toEqual(['user.b.0@acme.test', 'user.b.1@acme.test']);
    // Jira applies the same profile visibility to the app.
    const jira = (await get(f, jiraGw('/rest/api/3/user?accountId=b00000000000000000000000'), bearer(token))).body;
    expect(jira.emailAddress).toBeNull();
    // users-bulk too.
    const bulk = await (await post(f, gw('/wiki/api/v2/users-bulk'), { accountIds: ['b00000000000000000000000'] }, { ...bearer(token), 'x-atlassian-token': 'no-check' })).json();
    expect(bulk.results[0].email).toBe('');
  });
});

describe('scoped API tokens (§10)', () => {
  it('are refused on the site host and accepted through the gateway with Basic email:token', async () => {
    const f = await start();
    expect((await get(f, site('/wiki/rest/api/user/current'), basic(SA_EMAIL, SA_TOKEN))).status).toBe(401);
    const me = await get(f, gw('/wiki/rest/api/user/current'), basic(SA_EMAIL, SA_TOKEN));
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('Robot service account');
    expect((await get(f, gw('/wiki/rest/api/group/g-200/membersByGroupId'), basic(SA_EMAIL, SA_TOKEN))).status).toBe(200);
  });

  it('are held to their scopes, and classic tokens are refused by the gateway', async () => {
    const f = await start();
    // No Jira scope on this token.
    expect((await get(f, jiraGw('/rest/api/3/myself'), basic(SA_EMAIL, SA_TOKEN))).body).toEqual({ code: 401, message: 'Unauthorized; scope does not match' });
    expect((await get(f, gw('/wiki/rest/api/group'), basic(ADMIN_EMAIL, ADMIN_TOKEN))).status).toBe(401);
  });
});

describe('sites without Jira', () => {
  it('answer 404 under the Jira base by default, 401 when the scenario says so', async () => {
    const f = await start();
    const token = (await login(f)).access_token;
    expect((await get(f, jiraGw('/rest/api/3/myself', LABS_CLOUD_ID), bearer(token))).status).toBe(404);
    await f.close();
    const g = await start({}, (s) => {
      s.sites[1]!.jiraAbsentStatus = 401;
    });
    const token2 = (await login(g)).access_token;
    expect((await get(g, jiraGw('/rest/api/3/myself', LABS_CLOUD_ID), bearer(token2))).status).toBe(401);
  });

  it('their accessible-resources entry lists no Jira scope', async () => {
    const f = await start();
    const token = (await login(f)).access_token;
    const resources = (await get(f, 'https://api.atlassian.com/oauth/token/accessible-resources', bearer(token))).body as { id: string; scopes: string[] }[];
    expect(resources.find((r) => r.id === LABS_CLOUD_ID)!.scopes).not.toContain('read:jira-user');
    expect(resources.find((r) => r.id === ACME_CLOUD_ID)!.scopes).toContain('read:jira-user');
  });
});

describe('refresh failures (§10)', () => {
  it('a dead refresh token can be answered 403 unauthorized_client "refresh_token is invalid"', async () => {
    const f = await start({ refreshFailure: 'unauthorized_client' });
    const tokens = await login(f);
    f.revokeAllGrants();
    const res = await refresh(f, tokens.refresh_token!);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'refresh_token is invalid' });
    f.setRefreshFailure('invalid_grant');
    expect(await (await refresh(f, tokens.refresh_token!)).json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('rate limits (§5, §10)', () => {
  it('a spent hourly quota answers every request 429 with the time left, until the clock passes the window', async () => {
    const f = await start({ faults: { quotaAfterRequests: 2, quotaWindowSec: 3600, quotaReason: 'confluence-quota-based' } });
    const url = site('/wiki/rest/api/group');
    expect((await get(f, url, basic())).status).toBe(200);
    expect((await get(f, url, basic())).status).toBe(200);
    const limited = await get(f, url, basic());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3590);
    expect(limited.headers.get('ratelimit-reason')).toBe('confluence-quota-based');
    expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    f.advanceClock(30 * 60_000);
    const later = await get(f, url, basic());
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('retry-after'))).toBeLessThanOrEqual(1800);
    f.advanceClock(30 * 60_000);
    expect((await get(f, url, basic())).status).toBe(200);
  });

  it('can send X-RateLimit-Reset without Retry-After', async () => {
    const f = await start({ faults: { quotaAfterRequests: 0, rateLimitHeaders: 'reset-only' } });
    const limited = await get(f, site('/wiki/rest/api/group'), basic());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-ratelimit-reset')).not.toBeNull();
  });

  it('can warn with X-RateLimit-NearLimit on successful answers', async () => {
    const f = await start({ faults: { nearLimit: true } });
    expect((await get(f, site('/wiki/rest/api/group'), basic())).headers.get('x-ratelimit-nearlimit')).toBe('true');
  });
});

describe('XSRF check on POSTs (§10)', () => {
  it('refuses a POST without X-Atlassian-Token: no-check, and with xsrfRefuseAll even with it', async () => {
    const f = await start();
    const url = site('/wiki/api/v2/users-bulk');
    const without = await post(f, url, { accountIds: [ADMIN_ID] }, basic());
    expect(without.status).toBe(403);
    expect(await without.text()).toBe('XSRF check failed');
    expect((await post(f, url, { accountIds: [ADMIN_ID] }, { ...basic(), 'x-atlassian-token': 'no-check' })).status).toBe(200);
    f.setFaults({ xsrfRefuseAll: true });
    expect((await post(f, url, { accountIds: [ADMIN_ID] }, { ...basic(), 'x-atlassian-token': 'no-check' })).status).toBe(403);
  });
});

describe('odd members, deleted groups, anonymous callers', () => {
  it('pages customer accounts, null entries and entries without an accountId as they come', async () => {
    const f = await start({}, (s) => {
      const [customer] = users(1, 'd', { accountType: 'customer', displayName: 'Portal Pat' });
      s.sites[0]!.users.push(customer!);
      s.sites[0]!.groups.find((g) => g.id === 'g-empty')!.members = [customer!.accountId, '$null', '$no-account-id'];
    });
    const body = (await get(f, site('/wiki/rest/api/group/g-empty/membersByGroupId'), basic())).body;
    expect(body.size).toBe(3);
    expect(body.results[0].accountType).toBe('customer');
    expect(body.results[1]).toBeNull();
    expect(body.results[2]).not.toHaveProperty('accountId');
    expect(body.results[2].displayName).toBe('Former user');
  });

  it('a deleted group answers 404 to by-id and to its members', async () => {
    const f = await start();
    f.state.removeGroup('acme', 'g-200');
    expect((await get(f, site('/wiki/rest/api/group/by-id?id=g-200'), basic())).status).toBe(404);
    expect((await get(f, site('/wiki/rest/api/group/g-200/membersByGroupId'), basic())).status).toBe(404);
  });

  it('a site open to anonymous users answers user/current for bad credentials as the anonymous user', async () => {
    const f = await start({}, (s) => {
      s.sites[0]!.anonymousAccess = true;
    });
    const me = await get(f, site('/wiki/rest/api/user/current'), basic(ADMIN_EMAIL, 'wrong'));
    expect(me.status).toBe(200);
    expect(me.body.type).toBe('anonymous');
    expect(me.body).not.toHaveProperty('accountId');
    expect((await get(f, site('/wiki/rest/api/group'), basic(ADMIN_EMAIL, 'wrong'))).status).toBe(401);
    expect((await get(f, site('/wiki/rest/api/user/current'), basic())).body.accountId).toBe(ADMIN_ID);
  });
});

describe('the organisation-wide group list (§10)', () => {
  it('lists the groups of every site of the organisation, and their members resolve', async () => {
    const f = await start();
    const names = (await get(f, site('/wiki/rest/api/group'), basic())).body.results.map((g: { name: string }) => g.name);
    expect(names).toContain('confluence-users'); // acme-labs' group, listed on acme
    expect(names).toContain('confluence-users-200');
    expect((await get(f, site('/wiki/rest/api/group/l-1/membersByGroupId'), basic())).body.results.map((u: { accountId: string }) => u.accountId)).toEqual([ADMIN_ID]);
    expect((await get(f, site('/wiki/rest/api/group/by-id?id=l-1'), basic())).status).toBe(200);
  });

  it('a site without an organisation lists only its own groups', async () => {
    const f = await start({}, (s) => {
      for (const x of s.sites) delete x.organisation;
    });
    const names = (await get(f, site('/wiki/rest/api/group'), basic())).body.results.map((g: { name: string }) => g.name);
    expect(names).not.toContain('confluence-users');
  });

  it('can be slow, as on a large organisation', async () => {
    const f = await start({ faults: { groupListDelayMs: 300 } });
    const started = performance.now();
    await get(f, site('/wiki/rest/api/group'), basic());
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });
});

describe('hold', () => {
  it('answers the first N requests of an endpoint and holds the rest until released', async () => {
    const f = await start();
    const hold = f.hold(MEMBERS, 1);
    const url = site('/wiki/rest/api/group/g-200/membersByGroupId');
    expect((await get(f, url, basic())).status).toBe(200);
    const held = get(f, url, basic());
    let answered = false;
    void held.then(() => {
      answered = true;
    });
    await expect.poll(() => hold.waiting).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    // Other endpoints are not held.
    expect((await get(f, site('/wiki/rest/api/group'), basic())).status).toBe(200);
    hold.release();
    expect((await held).status).toBe(200);
    expect((await get(f, url, basic())).status).toBe(200);
    expect(hold.answered).toBe(3);
  });

  it('a held request whose client goes away stops waiting, counts for no hold and is never answered', async () => {
    const f = await start();
    const hold = f.hold(MEMBERS, 0);
    const url = site('/wiki/rest/api/group/g-200/membersByGroupId');
    const abort = new AbortController();
    const gone = f.fetch(url, { headers: basic(), signal: abort.signal }).catch((e: unknown) => e);
    await expect.poll(() => hold.waiting).toBe(1);
    abort.abort();
    await gone;
    await expect.poll(() => hold.waiting).toBe(0);
    hold.release();
    expect((await get(f, url, basic())).status).toBe(200);
    expect(hold.answered).toBe(1);
    // Only the answered request is in the log, with when it arrived and when it was answered.
    const entries = f.log.entries.filter((e) => e.endpoint === MEMBERS);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.arrivedAt).toBeLessThanOrEqual(entries[0]!.at);
  });
});
