// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { ACME_CLOUD_ID, ADMIN_ID, LABS_CLOUD_ID, basic, bearer, login } from './support';
import { ACTIVE, DORMANT, NEVER, ORG_ID, ORG_KEY, OUTSIDER, adminUrl, lastActiveUrl, orgBearer, orgScenario, resetAdmin, searchUrl } from './admin-support';

let fake: FakeAtlassian;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: orgScenario() });
});
afterAll(() => fake.close());
beforeEach(() => resetAdmin(fake));

const get = (url: string, headers: Record<string, string> = orgBearer()) => fake.fetch(url, { headers });
const search = (body: unknown, url = searchUrl(), headers: Record<string, string> = orgBearer()) =>
  fake.fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('admin API authentication (§11)', () => {
  it('accepts only the organisation API key as a Bearer token', async () => {
    expect((await get(lastActiveUrl(ACTIVE))).status).toBe(200);
    for (const headers of [{}, orgBearer('not-the-key'), basic(), { authorization: ORG_KEY }]) {
      const res = await get(lastActiveUrl(ACTIVE), headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ code: 401, message: 'Unauthorized' });
    }
  });

  it('refuses an OAuth access token, which only reaches the product gateway', async () => {
    const tokens = await login(fake);
    expect((await get(lastActiveUrl(ACTIVE), bearer(tokens.access_token))).status).toBe(401);
  });

  it('a key reaches its own organisation only', async () => {
    const other = '55555555-5555-4555-8555-555555555555';
    const res = await get(lastActiveUrl(ACTIVE, other));
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0]).toMatchObject({ status: '403', code: 'ADMIN-403-3', title: 'Not allowed to manage the org' });
    expect((await get(adminUrl(`/v1/orgs/${other}`))).status).toBe(404);
    const orgs = await (await get(adminUrl('/v1/orgs'))).json();
    expect(orgs.data).toEqual([expect.objectContaining({ id: ORG_ID, type: 'orgs', attributes: { name: 'Acme organization' } })]);
  });
});

describe('GET …/directory/users/{accountId}/last-active-dates', () => {
  it('answers snake_case, one entry per product and site used, the site\'s cloud id as the instance id', async () => {
    const res = await get(lastActiveUrl(ACTIVE));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        product_access: [
          { id: ACME_CLOUD_ID, key: 'confluence', last_active: '2026-11-20', last_active_timestamp: '2026-11-20T09:30:00Z' },
          { id: LABS_CLOUD_ID, key: 'confluence', last_active: '2026-10-01', last_active_timestamp: '2026-10-01T09:30:00Z' },
          { id: ACME_CLOUD_ID, key: 'jira-software', last_active: '2026-11-25', last_active_timestamp: '2026-11-25T09:30:00Z' },
        ],
        added_to_org: '2021-03-03',
        added_to_org_timestamp: '2021-03-03T08:00:00Z',
      },
      links: {},
    });
  });

  it('an account that never used a product has an empty product_access', async () => {
    const body = await (await get(lastActiveUrl(NEVER))).json();
    expect(body.data.product_access).toEqual([]);
  });

  it('pages by cursor, and refuses a cursor it did not issue', async () => {
    fake.admin.lastActivePageSize = 2;
    const first = await (await get(lastActiveUrl(ACTIVE))).json();
    expect(first.data.product_access).toHaveLength(2);
    expect(typeof first.links.next).toBe('string');
    const second = await (await get(`${lastActiveUrl(ACTIVE)}?cursor=${encodeURIComponent(first.links.next)}`)).json();
    expect(second.data.product_access).toEqual([expect.objectContaining({ key: 'jira-software' })]);
    expect(second.links).toEqual({});
    const bad = await get(`${lastActiveUrl(ACTIVE)}?cursor=bogus`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].code).toBe('ADMIN-400-1');
  });

  it('404 ADMIN-404-8 for an account outside the organisation, with a <number>:<uuid> id in the path', async () => {
    const res = await get(lastActiveUrl(OUTSIDER));
    expect(res.status).toBe(404);
    expect((await res.json()).errors[0]).toMatchObject({ code: 'ADMIN-404-8', title: 'User not found' });
    expect((await get(lastActiveUrl(DORMANT))).status).toBe(200);
    expect((await get(lastActiveUrl(encodeURIComponent(DORMANT)))).status).toBe(200);
  });
});

describe('POST …/directories/{directoryId}/users/search', () => {
  it('answers camelCase; 2SV only for managed accounts', async () => {
    const res = await search({ accountIds: [ACTIVE, NEVER, DORMANT, OUTSIDER] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.links).toEqual({});
    const byId = Object.fromEntries(body.data.map((u: { accountId: string }) => [u.accountId, u]));
    expect(Object.keys(byId).sort()).toEqual([ACTIVE, NEVER, DORMANT].sort());
    expect(byId[ACTIVE]).toMatchObject({ accountStatus: 'active', claimStatus: 'managed', mfaEnabled: true, addedToOrg: '2021-03-03T08:00:00Z' });
    expect(byId[DORMANT]).toMatchObject({ accountStatus: 'closed', mfaEnabled: false });
    expect(byId[NEVER]).not.toHaveProperty('mfaEnabled');
    expect(byId[NEVER]).not.toHaveProperty('account_id');
  });

  it('pages by cursor with limit (default 50, at most 100)', async () => {
    const first = await (await search({ limit: 2 })).json();
    expect(first.data).toHaveLength(2);
    const rest = await (await search({ limit: 2, cursor: first.links.next })).json();
    const last = await (await search({ limit: 2, cursor: rest.links.next })).json();
    expect([...first.data, ...rest.data, ...last.data].map((u: { accountId: string }) => u.accountId)).toContain(ADMIN_ID);
    expect(last.links).toEqual({});
    expect((await search({ limit: 101 })).status).toBe(400);
    expect((await search({ accountIds: 'nope' })).status).toBe(400);
    const notJson = await fake.fetch(searchUrl(), { method: 'POST', headers: { ...orgBearer(), 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('knows the directory "-" only, and can be switched off like an organisation without it', async () => {
    expect((await search({}, searchUrl(ORG_ID, 'some-directory'))).status).toBe(404);
    fake.admin.searchAvailable = false;
    const res = await search({ accountIds: [ACTIVE] });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].code).toBe('ADMIN-400-4');
  });
});

describe('rate limit (§11: ~200 requests per minute per organisation)', () => {
  it('answers 429 with Retry-After and X-RateLimit-* over the limit, and lets requests through once the window slides', async () => {
    fake.admin.setRateLimit({ limit: 3, windowMs: 60_000 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await get(lastActiveUrl(ACTIVE));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('3');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last?.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(await last?.json()).toEqual({ code: 429, message: 'Too Many Requests' });

    fake.advanceClock(retryAfter * 1000);
    const after = await get(lastActiveUrl(ACTIVE));
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('every answer says the limit and what remains; refused keys do not count', async () => {
    fake.admin.setRateLimit({ limit: 2, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await get(lastActiveUrl(ACTIVE), orgBearer('wrong'))).status).toBe(401);
    const res = await get(lastActiveUrl(NEVER));
    expect(res.headers.get('x-ratelimit-limit')).toBe('2');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('logs admin requests like the others, by endpoint', async () => {
    await get(lastActiveUrl(ACTIVE));
    await search({ accountIds: [ACTIVE] });
    expect(fake.log.count('GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates')).toBe(1);
    expect(fake.log.count('POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search')).toBe(1);
    expect(fake.log.entries.every((e) => e.host === 'api.atlassian.com' && e.auth === 'bearer')).toBe(true);
  });
});

describe('a scenario without an organisation', () => {
  it('has no admin API: every key is refused', async () => {
    const { testScenario } = await import('./support');
    const plain = await startFakeAtlassian({ scenario: testScenario() });
    try {
      expect((await plain.fetch(lastActiveUrl(ACTIVE), { headers: orgBearer() })).status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});
