// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_API_BASE,
  createOrgApi,
  OrgApiKeyError,
  OrgBadRequestError,
  OrgPermissionError,
  OrgRateLimitedError,
  parseRateLimitReset,
  toAccountActivity,
  type LastActiveDates,
  type OrgUser,
} from '../../../lib/activity/org-api';
import { createRateLimiter } from '../../../lib/activity/rate-limit';
import { ResponseShapeError, RetryExhaustedError } from '../../../lib/atlassian/errors';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { createFakeFetch, json, recordingSleep } from '../atlassian/fake-fetch';
import { ACTIVE, DORMANT, LABS_ONLY, NEVER, ORG_ID, ORG_KEY, OUTSIDER, orgScenario, resetAdmin } from '../fake-atlassian/admin-support';
import { ACME_CLOUD_ID, LABS_CLOUD_ID } from '../fake-atlassian/support';
import { wire } from './org-support';

let fake: FakeAtlassian;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: orgScenario() });
});
afterAll(() => fake.close());
beforeEach(() => resetAdmin(fake));

describe('lastActiveDates against the fake', () => {
  it('reads every product entry, following the cursor across pages', async () => {
    fake.admin.lastActivePageSize = 1;
    const { api } = wire(fake);
    expect(await api.lastActiveDates(ACTIVE)).toEqual({
      productAccess: [
        { id: ACME_CLOUD_ID, key: 'confluence', lastActive: '2026-11-20' },
        { id: LABS_CLOUD_ID, key: 'confluence', lastActive: '2026-10-01' },
        { id: ACME_CLOUD_ID, key: 'jira-software', lastActive: '2026-11-25' },
      ],
      addedToOrg: '2021-03-03',
    });
    expect(fake.log.count('GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates')).toBe(3);
  });

  it('an account outside the organisation is null, not an error', async () => {
    const { api } = wire(fake);
    expect(await api.lastActiveDates(OUTSIDER)).toBeNull();
    expect(await api.lastActiveDates(NEVER)).toEqual({ productAccess: [], addedToOrg: '2022-06-15' });
  });

  it('sends the key only as a Bearer header, and only to api.atlassian.com/admin', async () => {
    const { api, sent } = wire(fake);
    await api.lastActiveDates(DORMANT);
    await api.searchUsers([ACTIVE]);
    expect(sent).toHaveLength(2);
    for (const s of sent) {
      expect(s.url.startsWith(`${ADMIN_API_BASE}/`)).toBe(true);
      expect(new URL(s.url).origin).toBe('https://api.atlassian.com');
      expect(s.url).not.toContain(ORG_KEY);
      expect(s.headers.Authorization).toBe(`Bearer ${ORG_KEY}`);
    }
    // `:` stays as is in the path, as client libraries send it.
    expect(sent[0]?.url).toBe(`${ADMIN_API_BASE}/v1/orgs/${ORG_ID}/directory/users/${DORMANT}/last-active-dates`);
  });
});

describe('searchUsers against the fake', () => {
  it('reads camelCase status and 2SV, chunking ids, and leaves out accounts the organisation does not know', async () => {
    const { api } = wire(fake);
    const users = await api.searchUsers([ACTIVE, NEVER, DORMANT, OUTSIDER, ACTIVE]);
    const byId = Object.fromEntries(users.map((u) => [u.accountId, u]));
    expect(Object.keys(byId).sort()).toEqual([ACTIVE, NEVER, DORMANT].sort());
    expect(byId[ACTIVE]).toMatchObject({ accountStatus: 'active', mfaEnabled: true });
    expect(byId[DORMANT]).toMatchObject({ accountStatus: 'closed', mfaEnabled: false });
    expect(byId[NEVER]?.mfaEnabled).toBeNull();
  });

  it('says when the organisation refuses the search', async () => {
    fake.admin.searchAvailable = false;
    const { api } = wire(fake);
    await expect(api.searchUsers([ACTIVE])).rejects.toBeInstanceOf(OrgBadRequestError);
  });
});

describe('rate limit', () => {
  it('never trips the fake\'s limit when the budget is under it', async () => {
    fake.admin.setRateLimit({ limit: 10, windowMs: 60_000 });
    const { api, clock } = wire(fake, { perMinute: 9 });
    for (let i = 0; i < 25; i++) await api.lastActiveDates(ACTIVE);
    expect(fake.log.entries.map((e) => e.status).every((s) => s === 200)).toBe(true);
    expect(fake.log.entries).toHaveLength(25);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('on 429 waits Retry-After (holding every request), then succeeds', async () => {
    fake.admin.setRateLimit({ limit: 4, windowMs: 60_000 });
    const { api, clock, events } = wire(fake, { perMinute: 1000 });
    for (let i = 0; i < 6; i++) await api.lastActiveDates(ACTIVE);
    const statuses = fake.log.entries.map((e) => e.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    // It waited what Atlassian asked (about a minute), not a guess.
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(59_000);
    expect(events.filter((e) => e.status === 429)).toHaveLength(1);
    expect(api.requestCount).toBe(7);
  });

  it('a wait longer than the retry policy allows ends the call with the time to resume', async () => {
    fake.admin.setRateLimit({ limit: 1, windowMs: 10 * 60_000 });
    const { api, clock } = wire(fake, { perMinute: 1000 });
    await api.lastActiveDates(ACTIVE);
    const before = clock.now();
    const error = await api.lastActiveDates(ACTIVE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgRateLimitedError);
    const retryAt = (error as OrgRateLimitedError).retryAt;
    expect(retryAt - before).toBeGreaterThan(9 * 60_000);
    expect(retryAt - before).toBeLessThanOrEqual(10 * 60_000 + 1_000);
  });
});

describe('errors never contain the key', () => {
  const KEY = 'ATCTT3xSecretOrgKey0123456789';

  function stubApi(handler: Parameters<typeof createFakeFetch>[0]) {
    const fetch = createFakeFetch(handler);
    const { sleep, waits } = recordingSleep();
    let t = 0;
    const now = () => t;
    const api = createOrgApi({
      fetch: fetch.fetch,
      apiKey: KEY,
      orgId: ORG_ID,
      sleep: async (ms) => {
        await sleep(ms);
        t += ms;
      },
      now,
      random: () => 0.5,
      limiter: createRateLimiter({ now, sleep: async (ms) => { t += ms; } }),
    });
    return { api, calls: fetch.calls, waits };
  }

  it('401: the key is rejected, said without echoing it', async () => {
    const { api } = stubApi(() => json(401, { code: 401, message: `Unauthorized: Bearer ${KEY}` }));
    const error = await api.lastActiveDates(ACTIVE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgApiKeyError);
    expect(String((error as Error).message)).not.toContain(KEY);
    expect((error as Error).message).toMatch(/organization API key/);
  });

  it('403 and 5xx bodies that echo the key are redacted', async () => {
    const forbidden = stubApi(() => json(403, { errors: [{ code: 'ADMIN-403-3', title: 'Not allowed to manage the org', detail: `key ${KEY} may not` }] }));
    const e403 = await forbidden.api.lastActiveDates(ACTIVE).catch((e: unknown) => e);
    expect(e403).toBeInstanceOf(OrgPermissionError);
    expect((e403 as Error).message).toContain('Not allowed to manage the org');
    expect((e403 as Error).message).not.toContain(KEY);

    const broken = stubApi(() => json(500, { message: `internal error for Authorization: Bearer ${KEY}` }));
    const e500 = await broken.api.searchUsers([ACTIVE]).catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(RetryExhaustedError);
    expect((e500 as Error).message).toContain('[redacted]');
    expect((e500 as Error).message).not.toContain(KEY);
    expect(broken.calls).toHaveLength(6);
  });

  it('a network error that mentions the key is redacted', async () => {
    const { api } = stubApi(() => {
      throw new TypeError(`fetch failed (${KEY})`);
    });
    const error = await api.lastActiveDates(ACTIVE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('refuses a key with spaces or line breaks without sending or echoing it', () => {
    const fetch = createFakeFetch(() => json(200, {}));
    for (const bad of [`${KEY} `, `${KEY}\nX-Evil: 1`, '']) {
      expect(() => createOrgApi({ fetch: fetch.fetch, apiKey: bad, orgId: ORG_ID })).toThrow(OrgApiKeyError);
      try {
        createOrgApi({ fetch: fetch.fetch, apiKey: bad, orgId: ORG_ID });
      } catch (e) {
        if (bad !== '') expect((e as Error).message).not.toContain(KEY);
      }
    }
    expect(() => createOrgApi({ fetch: fetch.fetch, apiKey: KEY, orgId: '../../oauth/token' })).toThrow(/Organization ID/);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('429 without Retry-After: X-RateLimit-Reset', () => {
  it('waits until the reset time, in any of the formats seen', async () => {
    let n = 0;
    const fetch = createFakeFetch(() => (n++ === 0 ? json(429, { code: 429, message: 'Too Many Requests' }, { 'X-RateLimit-Reset': '2026-11-27T10:01Z' }) : json(200, { data: { product_access: [] }, links: {} })));
    let t = Date.parse('2026-11-27T10:00:30Z');
    const waited: number[] = [];
    const api = createOrgApi({
      fetch: fetch.fetch,
      apiKey: ORG_KEY,
      orgId: ORG_ID,
      now: () => t,
      limiter: createRateLimiter({ now: () => t, sleep: async (ms) => { waited.push(ms); t += ms; } }),
    });
    expect(await api.lastActiveDates(ACTIVE)).toEqual({ productAccess: [], addedToOrg: null });
    expect(waited).toEqual([30_000]);
  });

  it('parses ISO 8601, epoch seconds, epoch ms and delta seconds', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRateLimitReset('2026-11-27T10:01Z', now)).toBe(60_000);
    expect(parseRateLimitReset('2026-11-27T10:00:10.000Z', now)).toBe(10_000);
    expect(parseRateLimitReset(String(now / 1000 + 5), now)).toBe(5_000);
    expect(parseRateLimitReset(String(now + 7_000), now)).toBe(7_000);
    expect(parseRateLimitReset('12', now)).toBe(12_000);
    expect(parseRateLimitReset('2026-11-27T09:00Z', now)).toBe(0);
    expect(parseRateLimitReset('soon', now)).toBeNull();
  });
});

describe('responses in the wrong shape are errors, never "no data"', () => {
  it('a search answer in snake_case', async () => {
    const fetch = createFakeFetch(() => json(200, { data: [{ account_id: ACTIVE, account_status: 'active' }], links: {} }));
    const api = createOrgApi({ fetch: fetch.fetch, apiKey: ORG_KEY, orgId: ORG_ID });
    const error = await api.searchUsers([ACTIVE]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toMatch(/accountId/);
  });

  it('a last-active answer without product_access (it would otherwise read as "never used")', async () => {
    const fetch = createFakeFetch(() => json(200, { data: { productAccess: [] } }));
    const api = createOrgApi({ fetch: fetch.fetch, apiKey: ORG_KEY, orgId: ORG_ID });
    await expect(api.lastActiveDates(ACTIVE)).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('an account id that is not one is refused before any request', async () => {
    const fetch = createFakeFetch(() => json(200, {}));
    const api = createOrgApi({ fetch: fetch.fetch, apiKey: ORG_KEY, orgId: ORG_ID });
    await expect(api.lastActiveDates('../../v1/orgs')).rejects.toThrow(/not an Atlassian account id/);
    await expect(api.searchUsers(['a b'])).rejects.toThrow(/not an Atlassian account id/);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('toAccountActivity: the answers as one site\'s activity', () => {
  const dates = (productAccess: LastActiveDates['productAccess'], addedToOrg: string | null = '2021-03-03'): LastActiveDates => ({ productAccess, addedToOrg });
  const user = (patch: Partial<OrgUser> = {}): OrgUser => ({ accountId: ACTIVE, accountStatus: 'active', membershipStatus: 'active', mfaEnabled: true, addedToOrg: '2021-03-03T08:00:00Z', ...patch });

  it('takes this site\'s Confluence entry, not another site\'s or another product\'s', () => {
    const a = toAccountActivity(ACTIVE, dates([
      { id: LABS_CLOUD_ID, key: 'confluence', lastActive: '2026-11-26' },
      { id: ACME_CLOUD_ID, key: 'jira-software', lastActive: '2026-11-25' },
      { id: ACME_CLOUD_ID, key: 'confluence', lastActive: '2026-01-02' },
    ]), user(), ACME_CLOUD_ID);
    expect(a).toEqual({ accountId: ACTIVE, lastActive: '2026-01-02', lastActiveScope: 'site', mfa: 'on', status: 'active', addedToOrg: '2021-03-03' });
  });

  it('matches the site inside an ARI too', () => {
    const a = toAccountActivity(ACTIVE, dates([{ id: `ari:cloud:confluence::site/${ACME_CLOUD_ID}`, key: 'confluence', lastActive: '2026-01-02' }]), null, ACME_CLOUD_ID);
    expect(a.lastActive).toBe('2026-01-02');
  });

  it('never: no product at all, or no Confluence anywhere', () => {
    expect(toAccountActivity(NEVER, dates([]), null, ACME_CLOUD_ID).lastActive).toBe('never');
    expect(toAccountActivity(NEVER, dates([{ id: ACME_CLOUD_ID, key: 'jira-software', lastActive: '2026-11-25' }]), null, ACME_CLOUD_ID).lastActive).toBe('never');
  });

  it('unknown: Confluence used only elsewhere, an entry without a date, or not in the organisation', () => {
    expect(toAccountActivity(LABS_ONLY, dates([{ id: LABS_CLOUD_ID, key: 'confluence', lastActive: '2026-09-09' }]), null, ACME_CLOUD_ID).lastActive).toBeNull();
    expect(toAccountActivity(ACTIVE, dates([{ id: ACME_CLOUD_ID, key: 'confluence', lastActive: null }]), null, ACME_CLOUD_ID).lastActive).toBeNull();
    expect(toAccountActivity(OUTSIDER, null, null, ACME_CLOUD_ID)).toEqual({ accountId: OUTSIDER, lastActive: null, lastActiveScope: 'site', mfa: null, status: null, addedToOrg: null });
  });

  it('2SV and status from the search; unmanaged accounts have unknown 2SV', () => {
    expect(toAccountActivity(DORMANT, dates([]), user({ mfaEnabled: false, accountStatus: 'closed' }), ACME_CLOUD_ID)).toMatchObject({ mfa: 'off', status: 'inactive' });
    expect(toAccountActivity(NEVER, dates([], null), user({ mfaEnabled: null, accountStatus: 'weird' }), ACME_CLOUD_ID)).toMatchObject({ mfa: null, status: null, addedToOrg: '2021-03-03' });
  });
});
