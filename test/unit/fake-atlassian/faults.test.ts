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

describe('malformed answers (issue 12, chaos)', () => {
  const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';
  const membersUrl = 'https://acme.atlassian.net/wiki/rest/api/group/g-201/membersByGroupId?limit=200';
  const members = () => fake.fetch(membersUrl, { headers: basic() });

  it('leaves the first `after` answers intact, then breaks every later 200 of that endpoint only', async () => {
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'missing-field', after: 1 } });
    const intact = (await (await members()).json()) as Record<string, unknown>;
    expect(Array.isArray(intact.results)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const res = await members();
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).not.toHaveProperty('results');
      expect(body).toMatchObject({ start: 0, limit: 200, size: 200 });
    }
    // Another endpoint, and an error answer of the same endpoint, are untouched.
    expect((await (await get()).json()) as Record<string, unknown>).toHaveProperty('results');
    const missing = await fake.fetch('https://acme.atlassian.net/wiki/rest/api/group/nope/membersByGroupId', { headers: basic() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404 });
    // setFaults starts the count again.
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'missing-field', after: 1 } });
    expect((await (await members()).json()) as Record<string, unknown>).toHaveProperty('results');
  });

  it('wrong-type puts another JSON type in the field', async () => {
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'wrong-type' } });
    const results = ((await (await members()).json()) as { results: unknown }).results;
    expect(typeof results).toBe('object');
    expect(Array.isArray(results)).toBe(false);
    expect(Object.keys(results as object)).toHaveLength(200);
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'wrong-type', field: 'size' } });
    expect(((await (await members()).json()) as { size: unknown }).size).toBe('200');
  });

  it('truncated sends half of the JSON text as a complete response', async () => {
    const full = await (await members()).text();
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'truncated' } });
    const res = await members();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('html answers a login page with text/html', async () => {
    fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'html' } });
    const res = await members();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/^<!DOCTYPE html>.*<title>Log in with Atlassian account<\/title>/);
  });

  it('refuses a kind it does not know, and a negative `after`', () => {
    expect(() => fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'gzip' as never } })).toThrow(/malformed\.kind/);
    expect(() => fake.setFaults({ malformed: { endpoint: MEMBERS, kind: 'html', after: -1 } })).toThrow(/malformed\.after/);
  });
});

describe('token exchanges (§1.4)', () => {
  it('records each code and refresh exchange with the refresh token spent and whether it was spent before', async () => {
    const before = fake.tokenExchanges.length;
    const t = await login(fake);
    const first = await refresh(fake, t.refresh_token!);
    expect(first.status).toBe(200);
    const rotated = ((await first.json()) as { refresh_token: string }).refresh_token;
    expect((await refresh(fake, t.refresh_token!)).status).toBe(200); // within the leeway
    expect((await refresh(fake, 'atl_rt_unknown')).status).toBe(403);
    const [code, spent, reused, refused] = fake.tokenExchanges.slice(before);
    expect(code).toMatchObject({ grantType: 'authorization_code', refreshToken: null, issued: t.refresh_token, outcome: 'issued' });
    expect(spent).toMatchObject({ grantType: 'refresh_token', refreshToken: t.refresh_token, issued: rotated, outcome: 'issued' });
    expect(reused).toMatchObject({ grantType: 'refresh_token', refreshToken: t.refresh_token, outcome: 'reused' });
    expect(reused!.issued).toMatch(/^atl_rt_/);
    expect(refused).toMatchObject({ grantType: 'refresh_token', refreshToken: 'atl_rt_unknown', issued: null, outcome: 'refused' });
    expect(fake.tokenExchanges.length - before).toBe(4);
    expect(rotated).not.toBe(t.refresh_token);
  });
});
