// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { basic, bearer, gw, login, refresh, testScenario } from './support';

let fake: FakeAtlassian;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: testScenario() });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.setFaults({});
  fake.log.reset();
});

const groupsUrl = 'https://acme.atlassian.net/wiki/rest/api/group?limit=1';
const get = () => fake.fetch(groupsUrl, { headers: basic() });

/** Status per request, sequentially; a dropped connection shows as 0. */
async function statuses(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await get().then((r) => r.status, () => 0));
  return out;
}

describe('fault injection (§5)', () => {
  it('the same seed gives the same sequence; another seed a different one', async () => {
    const faults = { seed: 42, rate429: 0.2, rate503: 0.1, rate500: 0.1, rateDrop: 0.1 };
    fake.setFaults(faults);
    const a = await statuses(40);
    fake.setFaults(faults);
    const b = await statuses(40);
    fake.setFaults({ ...faults, seed: 43 });
    const c = await statuses(40);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 429, 503, 500, 0]));
  });

  it('429 carries Retry-After and the X-RateLimit-* headers', async () => {
    fake.setFaults({ rate429: 1, retryAfterSec: 7 });
    const res = await get();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
  });

  it('503 carries Retry-After (default 1 s); 500 has none', async () => {
    fake.setFaults({ rate503: 1 });
    expect((await get()).headers.get('retry-after')).toBe('1');
    fake.setFaults({ rate500: 1 });
    const res = await get();
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('a dropped connection rejects fetch with a TypeError', async () => {
    fake.setFaults({ rateDrop: 1 });
    await expect(get()).rejects.toThrow(TypeError);
  });

  it('OAuth endpoints are never faulted', async () => {
    fake.setFaults({ rate500: 1 });
    await expect(login(fake)).resolves.toHaveProperty('access_token');
  });

  it('betaHeaders adds Beta-Retry-After to normal 200s', async () => {
    fake.setFaults({ betaHeaders: true });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('beta-retry-after')).toBe('5');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('revokeAtRequest: the Nth product request and later get 401, refresh gets 403', async () => {
    const t = await login(fake);
    fake.setFaults({ revokeAtRequest: 3 });
    const call = async () => (await fake.fetch(gw('/wiki/rest/api/group?limit=1'), { headers: bearer(t.access_token) })).status;
    expect([await call(), await call(), await call(), await call()]).toEqual([200, 200, 401, 401]);
    expect((await refresh(fake, t.refresh_token!)).status).toBe(403);
  });
});

describe('request log', () => {
  it('counts requests per endpoint key, with auth kind and status', async () => {
    const t = await login(fake);
    await fake.fetch(gw('/wiki/rest/api/group/g-200/membersByGroupId'), { headers: bearer(t.access_token) });
    await fake.fetch(gw('/wiki/rest/api/group/g-201/membersByGroupId'), { headers: bearer(t.access_token) });
    await get();
    expect(fake.log.count('GET /authorize')).toBe(1);
    expect(fake.log.count('POST /oauth/token')).toBe(1);
    expect(fake.log.count('GET /wiki/rest/api/group/{groupId}/membersByGroupId')).toBe(2);
    expect(fake.log.count('GET /wiki/rest/api/group')).toBe(1);
    expect(fake.log.count()).toBe(5);
    const last = fake.log.entries.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', host: 'acme.atlassian.net', path: '/wiki/rest/api/group', status: 200, auth: 'basic' });
    fake.log.reset();
    expect(fake.log.count()).toBe(0);
  });

  it('peakConcurrency counts product requests in flight during the injected latency', async () => {
    fake.setFaults({ latencyMs: 150 });
    await Promise.all(Array.from({ length: 5 }, () => get()));
    expect(fake.log.peakConcurrency).toBe(5);
    fake.log.reset();
    for (let i = 0; i < 3; i++) await get();
    expect(fake.log.peakConcurrency).toBe(1);
  });

  it('latencyMs delays product responses', async () => {
    fake.setFaults({ latencyMs: 120 });
    const started = performance.now();
    await get();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
