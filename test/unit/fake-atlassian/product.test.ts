// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_SCOPES, startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { ACME_CLOUD_ID, ADMIN_EMAIL, ADMIN_ID, basic, bearer, gw, jiraGw, LABS_CLOUD_ID, login, testScenario, users } from './support';

let fake: FakeAtlassian;
let token: string;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: testScenario() });
  token = (await login(fake)).access_token;
});
afterAll(() => fake.close());

const site = (path: string, host = 'acme') => `https://${host}.atlassian.net${path}`;
async function getJson(url: string, headers: Record<string, string> = bearer(token)): Promise<{ status: number; body: any }> {
  const res = await fake.fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}
/** POSTs as the product does: with `X-Atlassian-Token: no-check` (atlassian-api.md §10). */
const postJson = (url: string, body: unknown, headers: Record<string, string> = bearer(token)) =>
  fake.fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'x-atlassian-token': 'no-check' }, body: JSON.stringify(body) });

describe('auth by host (§1.6)', () => {
  it('Basic email:API-token works against <site>.atlassian.net', async () => {
    expect((await getJson(site('/wiki/rest/api/group'), basic())).status).toBe(200);
  });

  it('a 3LO bearer token against <site>.atlassian.net → 401', async () => {
    expect((await getJson(site('/wiki/rest/api/group'), bearer(token))).status).toBe(401);
  });

  it('Basic auth against the api.atlassian.com gateway → 401', async () => {
    expect((await getJson(gw('/wiki/rest/api/group'), basic())).status).toBe(401);
  });

  it('a wrong API token, or none → 401', async () => {
    expect((await getJson(site('/wiki/rest/api/group'), basic(ADMIN_EMAIL, 'wrong'))).status).toBe(401);
    expect((await getJson(site('/wiki/rest/api/group'), {})).status).toBe(401);
  });

  it('an invalid bearer token → 401 {"code":401,"message":"Unauthorized"}', async () => {
    expect(await getJson(gw('/wiki/rest/api/group'), bearer('nope'))).toEqual({ status: 401, body: { code: 401, message: 'Unauthorized' } });
  });

  it('an unknown cloudId → 404', async () => {
    expect((await getJson(gw('/wiki/rest/api/group', '99999999-9999-4999-8999-999999999999'))).status).toBe(404);
  });

  it('a site outside the grant → 401', async () => {
    expect((await getJson(gw('/wiki/rest/api/group', '33333333-3333-4333-8333-333333333333'))).status).toBe(401);
  });

  it('an identity without "Can use" on a site → 403 Confluence envelope', async () => {
    const res = await getJson(site('/wiki/rest/api/group', 'other-org'), basic());
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, data: { successful: false } });
  });

  it('a browser page load on the site is an HTML page, not a product-API request', async () => {
    fake.log.reset();
    const res = await fake.fetch(site(`/wiki/people/${ADMIN_ID}?ref=confluence`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(fake.log.peakConcurrency).toBe(0);
  });

  it('tenant_info answers the cloudId without auth', async () => {
    expect(await getJson(site('/_edge/tenant_info'), {})).toEqual({ status: 200, body: { cloudId: ACME_CLOUD_ID } });
  });
});

describe('scopes per endpoint (§2)', () => {
  const calls: Record<string, { url: string; post?: unknown }> = {
    'GET /wiki/rest/api/group': { url: gw('/wiki/rest/api/group') },
    'GET /wiki/rest/api/group/by-id': { url: gw('/wiki/rest/api/group/by-id?id=g-200') },
    'GET /wiki/rest/api/group/{groupId}/membersByGroupId': { url: gw('/wiki/rest/api/group/g-200/membersByGroupId') },
    'GET /wiki/rest/api/user': { url: gw(`/wiki/rest/api/user?accountId=${ADMIN_ID}`) },
    'GET /wiki/rest/api/user/current': { url: gw('/wiki/rest/api/user/current') },
    'POST /wiki/api/v2/users-bulk': { url: gw('/wiki/api/v2/users-bulk'), post: { accountIds: [ADMIN_ID] } },
    'GET /rest/api/3/user': { url: jiraGw(`/rest/api/3/user?accountId=${ADMIN_ID}`) },
    'GET /rest/api/3/user/bulk': { url: jiraGw(`/rest/api/3/user/bulk?accountId=${ADMIN_ID}`) },
    'GET /rest/api/3/myself': { url: jiraGw('/rest/api/3/myself') },
  };
  const call = async (endpoint: string, tok: string) => {
    const c = calls[endpoint]!;
    const res = c.post ? await postJson(c.url, c.post, bearer(tok)) : await fake.fetch(c.url, { headers: bearer(tok) });
    return { status: res.status, body: await res.json() };
  };

  it('every endpoint in the scope table is exercised here', () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(ENDPOINT_SCOPES).sort());
  });

  for (const [endpoint, rule] of Object.entries(ENDPOINT_SCOPES)) {
    it(`${endpoint}: each listed scope set passes, an unrelated scope → 401 "scope does not match"`, async () => {
      for (const set of rule) {
        const t = (await login(fake, set.join(' '))).access_token;
        expect((await call(endpoint, t)).status, `with ${set.join(' ')}`).toBe(200);
      }
      const wrong = (await login(fake, 'read:me')).access_token;
      expect(await call(endpoint, wrong)).toEqual({ status: 401, body: { code: 401, message: 'Unauthorized; scope does not match' } });
    });
  }

  it('membersByGroupId with only half of the granular set → 401', async () => {
    const t = (await login(fake, 'read:group:confluence')).access_token;
    expect((await call('GET /wiki/rest/api/group/{groupId}/membersByGroupId', t)).status).toBe(401);
  });
});

describe('GET /wiki/rest/api/group (§3.1)', () => {
  it('sorts by name, defaults to limit 200, and has no next on the last page', async () => {
    const { body } = await getJson(gw('/wiki/rest/api/group'));
    expect(body.results.map((g: { name: string }) => g.name)).toEqual(['an-early-name', 'confluence-admins', 'confluence-users-200', 'confluence-users-201', 'confluence-users-empty']);
    expect(body).toMatchObject({ start: 0, limit: 200, size: 5 });
    expect(body._links.next).toBeUndefined();
    expect(body._links.base).toBe('https://acme.atlassian.net/wiki');
  });

  it('pages with start/limit and _links.next while more remain', async () => {
    const first = (await getJson(gw('/wiki/rest/api/group?start=0&limit=2'))).body;
    expect(first.size).toBe(2);
    expect(first._links.next).toContain('start=2');
    const last = (await getJson(gw('/wiki/rest/api/group?start=4&limit=2'))).body;
    expect(last.size).toBe(1);
    expect(last._links.next).toBeUndefined();
  });

  it('restricts a limit above 200 to 200', async () => {
    expect((await getJson(gw('/wiki/rest/api/group?limit=500'))).body.limit).toBe(200);
  });

  it('returns totalSize only with shouldReturnTotalSize=true', async () => {
    expect((await getJson(gw('/wiki/rest/api/group?limit=1&shouldReturnTotalSize=true'))).body.totalSize).toBe(5);
    expect((await getJson(gw('/wiki/rest/api/group?limit=1'))).body).not.toHaveProperty('totalSize');
  });

  it('an identity that cannot view groups → 403', async () => {
    const res = await getJson(site('/wiki/rest/api/group'), basic('viewer@acme.test', 'viewer-token'));
    expect(res.status).toBe(403);
    expect(res.body.statusCode).toBe(403);
  });

  it('group/by-id of an unknown group → 404', async () => {
    expect((await getJson(gw('/wiki/rest/api/group/by-id?id=nope'))).status).toBe(404);
  });
});

describe('GET membersByGroupId (§3.2, §3.3)', () => {
  const members = (groupId: string, q = '') => getJson(gw(`/wiki/rest/api/group/${groupId}/membersByGroupId${q}`));

  it('exactly 200 members: one full page without next', async () => {
    const { body } = await members('g-200', '?start=0&limit=200');
    expect(body.size).toBe(200);
    expect(body._links.next).toBeUndefined();
  });

  it('201 members: a full page with next, then a page of 1 without next', async () => {
    const first = (await members('g-201', '?start=0&limit=200')).body;
    expect(first.size).toBe(200);
    expect(first._links.next).toBeDefined();
    const second = (await members('g-201', '?start=200&limit=200')).body;
    expect(second.size).toBe(1);
    expect(second._links.next).toBeUndefined();
  });

  it('an empty group: no results, no next', async () => {
    const { status, body } = await members('g-empty');
    expect(status).toBe(200);
    expect(body).toMatchObject({ results: [], size: 0, start: 0 });
    expect(body._links.next).toBeUndefined();
  });

  it('limit > 200 → 400 Confluence envelope', async () => {
    const { status, body } = await members('g-201', '?limit=201');
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, data: { successful: false } });
  });

  it('operations only with expand=operations, else listed in _expandable', async () => {
    const plain = (await members('g-special')).body.results[0];
    expect(plain).not.toHaveProperty('operations');
    expect(plain._expandable).toEqual({ operations: '', personalSpace: '' });
    const expanded = (await members('g-special', '?expand=operations')).body.results;
    expect(expanded[0].operations).toContainEqual({ operation: 'create', targetType: 'page' });
    expect(expanded[0]._expandable).toEqual({ personalSpace: '' });
    // §3.6: deactivated accounts have an empty operations array.
    expect(expanded.find((u: { displayName: string }) => u.displayName.endsWith('(Unlicensed)')).operations).toEqual([]);
  });

  it('hidden emails come back as "" or null, guests as isGuest + isExternalCollaborator', async () => {
    const list = (await members('g-special')).body.results as Record<string, unknown>[];
    const byName = (n: string) => list.find((u) => u.publicName === n)!;
    expect(byName('Hannah').email).toBe('');
    expect(byName('Nick').email).toBeNull();
    expect(byName('Gus')).toMatchObject({ isGuest: true, isExternalCollaborator: true });
    expect(byName('Robot').accountType).toBe('app');
  });

  it('an unknown group → 404', async () => {
    expect((await members('nope')).status).toBe(404);
  });

  it('reflects membership changes made through state between calls', async () => {
    const [extra] = users(1, 'c');
    fake.state.addUser('acme', extra!);
    fake.state.addMember('acme', 'g-empty', extra!.accountId);
    expect((await members('g-empty')).body.size).toBe(1);
    fake.state.removeMember('acme', 'g-empty', extra!.accountId);
    expect((await members('g-empty')).body.size).toBe(0);
  });

  it('the removed name-based endpoints → 410', async () => {
    expect((await getJson(gw('/wiki/rest/api/group/member?name=confluence-admins'))).status).toBe(410);
  });
});

describe('users (§3.4)', () => {
  it('GET /user?accountId of an unknown account → 404, of a known one → 200', async () => {
    expect((await getJson(gw('/wiki/rest/api/user?accountId=5b10ac8d82e05b22cc7d4eff'))).status).toBe(404);
    expect((await getJson(gw('/wiki/rest/api/user?accountId=5b10ac8d82e05b22cc7d4ef6'))).body.publicName).toBe('Nick');
  });

  it('GET /user/current shows the caller, with their own email even though it is hidden from others', async () => {
    const { body } = await getJson(gw('/wiki/rest/api/user/current?expand=operations'));
    expect(body).toMatchObject({ accountId: ADMIN_ID, email: ADMIN_EMAIL });
    expect(body.operations).toContainEqual({ operation: 'administer', targetType: 'application' });
  });

  it('POST users-bulk returns accountStatus and skips unknown ids', async () => {
    const res = await postJson(gw('/wiki/api/v2/users-bulk'), { accountIds: ['5b10ac8d82e05b22cc7d4ef8', '712020:0b6ad0ef-1cd3-4e0b-9a57-5b2b8a0c0e11', '5b10ac8d82e05b22cc7d4eff'] });
    const body = (await res.json()) as { results: { accountStatus: string }[]; _links: unknown };
    expect(res.status).toBe(200);
    expect(body.results.map((u) => u.accountStatus)).toEqual(['inactive', 'closed']);
  });

  it('POST users-bulk with 0 or 251 ids, or no body → 400', async () => {
    expect((await postJson(gw('/wiki/api/v2/users-bulk'), { accountIds: [] })).status).toBe(400);
    const many = users(251, 'd').map((u) => u.accountId);
    expect((await postJson(gw('/wiki/api/v2/users-bulk'), { accountIds: many })).status).toBe(400);
    expect((await postJson(gw('/wiki/api/v2/users-bulk'), { ids: [] })).status).toBe(400);
    expect((await postJson(gw('/wiki/api/v2/users-bulk'), { accountIds: many.slice(0, 250) })).status).toBe(200);
  });
});

describe('Jira user lookups (§4)', () => {
  it('bulk: repeated accountId, maxResults defaults to 10, nextPage until the last page', async () => {
    const ids = users(12, 'a').map((u) => u.accountId);
    const q = ids.map((id) => `accountId=${encodeURIComponent(id)}`).join('&');
    const first = (await getJson(jiraGw(`/rest/api/3/user/bulk?${q}`))).body;
    expect(first).toMatchObject({ startAt: 0, maxResults: 10, total: 12, isLast: false });
    expect(first.values).toHaveLength(10);
    expect(first.nextPage).toContain('startAt=10');
    const second = (await getJson(jiraGw(`/rest/api/3/user/bulk?${q}&startAt=10`))).body;
    expect(second).toMatchObject({ isLast: true });
    expect(second.values).toHaveLength(2);
    expect(second).not.toHaveProperty('nextPage');
  });

  it('returns a Jira-only email that Confluence hides, and null when hidden in Jira too', async () => {
    const q = 'accountId=5b10ac8d82e05b22cc7d4ef5&accountId=5b10ac8d82e05b22cc7d4ef6';
    const { values } = (await getJson(jiraGw(`/rest/api/3/user/bulk?${q}`))).body;
    expect(values.map((u: { emailAddress: string | null }) => u.emailAddress)).toEqual(['hannah@acme.test', null]);
  });

  it('active mirrors the account status and Jira drops the "(Unlicensed)" suffix', async () => {
    const { body } = await getJson(jiraGw('/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef8'));
    expect(body).toMatchObject({ active: false, displayName: 'Gone Gina' });
  });

  it('bulk without accountId → 400; unknown single user → 404', async () => {
    expect((await getJson(jiraGw('/rest/api/3/user/bulk'))).status).toBe(400);
    expect((await getJson(jiraGw('/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4eff'))).status).toBe(404);
  });

  it('without "Browse users and groups" → 403 ErrorCollection', async () => {
    const res = await getJson(site(`/rest/api/3/user/bulk?accountId=${ADMIN_ID}`), basic('viewer@acme.test', 'viewer-token'));
    expect(res.status).toBe(403);
    expect(res.body.errorMessages).toHaveLength(1);
    expect(res.body.errors).toEqual({});
  });

  it('a site without Jira → 404', async () => {
    expect((await getJson(jiraGw(`/rest/api/3/user?accountId=${ADMIN_ID}`, LABS_CLOUD_ID))).status).toBe(404);
    expect((await getJson(site(`/rest/api/3/user?accountId=${ADMIN_ID}`, 'acme-labs'), basic())).status).toBe(404);
  });

  it('Confluence paths are not served under the Jira gateway base', async () => {
    expect((await getJson(jiraGw('/wiki/rest/api/group'))).status).toBe(404);
  });
});
