import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AuthRevokedError,
  HttpError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  ResponseShapeError,
  RetryExhaustedError,
  ScopeError,
  UnauthorizedError,
  XsrfRefusedError,
} from '../../../lib/atlassian/errors';
import { createHttp, NEAR_LIMIT_SPACING_MS, NEAR_LIMIT_WINDOW_MS, type Auth, type RequestEvent } from '../../../lib/atlassian/http';
import { createFakeFetch, json, recordingSleep, type Handler } from './fake-fetch';

const schema = z.object({ ok: z.literal(true) });
const URL_ = 'https://api.atlassian.com/ex/confluence/c1/wiki/rest/api/group?start=0&limit=200';
const ENDPOINT = 'GET /wiki/rest/api/group' as const;

function bearer(tokens: string[] = ['tok-1', 'tok-2', 'tok-3']) {
  let current = 0;
  const refreshCalls: (string | undefined)[] = [];
  const auth: Auth = {
    kind: 'bearer',
    getAccessToken: async () => tokens[current]!,
    refreshAccessToken: async (rejected) => {
      refreshCalls.push(rejected);
      current++;
      return tokens[current]!;
    },
  };
  return { auth, refreshCalls };
}

function setup(handler: Handler, auth: Auth = bearer().auth, extra: { concurrency?: number; delayMs?: number } = {}) {
  const fake = createFakeFetch(handler, { delayMs: extra.delayMs });
  const { sleep, waits } = recordingSleep();
  const events: RequestEvent[] = [];
  const http = createHttp({ fetch: fake.fetch, auth, sleep, random: () => 0.5, now: () => 0, concurrency: extra.concurrency, onRequest: (e) => events.push(e) });
  return { http, fake, waits, events };
}

/** Answers the given responses in order, then 200 {ok:true}. */
function sequence(...responses: (() => Response)[]): Handler {
  let i = 0;
  return () => (i < responses.length ? responses[i++]!() : json(200, { ok: true }));
}

describe('createHttp: success', () => {
  it('sends the bearer token and Accept header, validates the body and counts requests', async () => {
    const { http, fake, events } = setup(() => json(200, { ok: true, extra: 'ignored' }));
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(fake.calls[0]!.headers['authorization']).toBe('Bearer tok-1');
    expect(fake.calls[0]!.headers['accept']).toBe('application/json');
    expect(http.requestCount).toBe(1);
    expect(events).toEqual([{ method: 'GET', url: URL_, endpoint: ENDPOINT, attempt: 1, status: 200, durationMs: 0 }]);
  });

  it('sends Basic email:token (UTF-8) for API-token auth', async () => {
    const { http, fake } = setup(() => json(200, { ok: true }), { kind: 'basic', email: 'zoë@acme.com', apiToken: 'api-tok' });
    await http.getJson(URL_, schema, ENDPOINT);
    const encoded = fake.calls[0]!.headers['authorization']!.replace('Basic ', '');
    expect(new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)))).toBe('zoë@acme.com:api-tok');
  });

  it('POSTs a JSON body', async () => {
    const { http, fake } = setup(() => json(200, { ok: true }));
    await http.postJson('https://x.atlassian.net/wiki/api/v2/users-bulk', { accountIds: ['a'] }, schema, 'POST /wiki/api/v2/users-bulk');
    expect(fake.calls[0]).toMatchObject({ method: 'POST', body: { accountIds: ['a'] }, headers: { 'content-type': 'application/json' } });
  });

  it('turns a wrong shape into ResponseShapeError naming the field', async () => {
    const { http } = setup(() => json(200, { ok: 'yes' }));
    const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toMatch(/GET \/wiki\/rest\/api\/group: ok:/);
  });

  it('turns a non-JSON 200 into ResponseShapeError', async () => {
    const { http } = setup(() => new Response('<html>', { status: 200 }));
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toThrow(/not JSON/);
  });

  it('says what a non-JSON 200 was: an HTML page, truncated JSON, an empty body, or something else', async () => {
    const full = JSON.stringify({ ok: true, results: [{ name: 'a "quoted" {name}' }, { name: 'b' }] });
    const bodies: [string, RegExp][] = [
      ['\n  <!DOCTYPE html><html><title>Log in with Atlassian account</title></html>', /GET \/wiki\/rest\/api\/group: the body is an HTML page, not JSON/],
      [full.slice(0, full.indexOf('quoted')), /the JSON body is truncated/],
      [full.slice(0, full.indexOf('{name}') + 3), /the JSON body is truncated/],
      [full.slice(0, -1), /the JSON body is truncated/],
      ['', /the body is empty, not JSON/],
      ['{"ok": tru}', /: the body is not JSON$/],
      ['ok', /: the body is not JSON$/],
    ];
    for (const [body, message] of bodies) {
      const { http } = setup(() => new Response(body, { status: 200 }));
      const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
      expect(error, body).toBeInstanceOf(ResponseShapeError);
      expect((error as Error).message, body).toMatch(message);
    }
  });
});

describe('createHttp: onAnswered', () => {
  it('is called once the 2xx answer is read, before it is parsed, and not for the attempts before it', async () => {
    const order: string[] = [];
    const { http } = setup(sequence(() => json(503, { message: 'busy' }), () => json(200, { ok: 'no' })));
    await expect(http.getJson(URL_, schema, ENDPOINT, { onAnswered: () => order.push('answered') })).rejects.toBeInstanceOf(ResponseShapeError);
    expect(order).toEqual(['answered']);
  });

  it('is not called for an answer that fails the request', async () => {
    let answered = 0;
    const { http } = setup(() => json(404, { message: 'gone' }));
    await expect(http.getJson(URL_, schema, ENDPOINT, { onAnswered: () => answered++ })).rejects.toBeInstanceOf(NotFoundError);
    expect(answered).toBe(0);
  });
});

describe('createHttp: 401', () => {
  it('"scope does not match" is a ScopeError naming the endpoint\'s scope, without refreshing (§2)', async () => {
    const { auth, refreshCalls } = bearer();
    const { http } = setup(() => json(401, { code: 401, message: 'Unauthorized; scope does not match' }), auth);
    const error = await http.getJson('https://api.atlassian.com/ex/confluence/c1/wiki/api/v2/users-bulk', schema, 'POST /wiki/api/v2/users-bulk').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopeError);
    expect(error).toMatchObject({ scope: 'read:user:confluence', endpoint: 'POST /wiki/api/v2/users-bulk' });
    expect((error as Error).message).toContain('"read:user:confluence"');
    expect(refreshCalls).toEqual([]);
  });

  it('another 401 refreshes once with the rejected token, then retries with the new one', async () => {
    const { auth, refreshCalls } = bearer();
    const { http, fake } = setup(sequence(() => json(401, { code: 401, message: 'Unauthorized' })), auth);
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(refreshCalls).toEqual(['tok-1']);
    expect(fake.calls.map((c) => c.headers['authorization'])).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('a second 401 after the refresh is AuthRevokedError; only one refresh happens', async () => {
    const { auth, refreshCalls } = bearer();
    const { http, fake } = setup(() => json(401, { code: 401, message: 'Unauthorized' }), auth);
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toBeInstanceOf(AuthRevokedError);
    expect(refreshCalls).toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('with basic auth a 401 is AuthRevokedError at once', async () => {
    const { http, fake } = setup(() => json(401, { message: 'Unauthorized' }), { kind: 'basic', email: 'a@b.c', apiToken: 'tok' });
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toThrow(/API token/);
    expect(fake.calls).toHaveLength(1);
  });

  it('a failing refresh (revoked grant) propagates', async () => {
    const auth: Auth = { kind: 'bearer', getAccessToken: async () => 't', refreshAccessToken: async () => { throw new AuthRevokedError(); } };
    const { http } = setup(() => json(401, { code: 401, message: 'Unauthorized' }), auth);
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toBeInstanceOf(AuthRevokedError);
  });
});

describe('createHttp: other errors', () => {
  it('403 is PermissionError carrying Atlassian\'s message (Confluence envelope)', async () => {
    const { http, fake } = setup(() =>
      json(403, { statusCode: 403, data: { authorized: false, valid: false, errors: [], successful: false }, message: 'User is not permitted to view groups' }),
    );
    const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ endpoint: ENDPOINT, detail: 'User is not permitted to view groups', status: 403 });
    expect(fake.calls).toHaveLength(1);
  });

  it('404 is NotFoundError', async () => {
    const { http } = setup(() => json(404, { statusCode: 404, message: 'No group found' }));
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('400 is HttpError with the status and the Jira ErrorCollection message, not retried', async () => {
    const { http, fake } = setup(() => json(400, { errorMessages: ['accountId is required'], errors: {}, status: 400 }));
    const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain('accountId is required');
    expect(fake.calls).toHaveLength(1);
  });

  it('never puts the access token in an error, even when the body echoes it', async () => {
    const { http } = setup(() => json(400, { message: 'bad token tok-1 here' }));
    const error = (await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('tok-1');
  });

  it('never puts the API token in a network error', async () => {
    const { http } = setup(() => { throw new TypeError('failed for api-secret-123'); }, { kind: 'basic', email: 'a@b.c', apiToken: 'api-secret-123' });
    const error = (await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.message).not.toContain('api-secret-123');
  });
});

describe('createHttp: retries', () => {
  it('waits exactly Retry-After on 429 and then succeeds', async () => {
    const { http, waits, fake } = setup(sequence(() => json(429, {}, { 'Retry-After': '12' })));
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(waits).toEqual([12_000]);
    expect(fake.calls).toHaveLength(2);
    expect(http.requestCount).toBe(2);
  });

  it('does not wait on Beta-Retry-After (§5): a 429 with only that header uses backoff', async () => {
    const { http, waits } = setup(sequence(() => json(429, {}, { 'Beta-Retry-After': '120' })));
    await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toEqual([750]); // backoff: base 1000 ms, equal jitter with random 0.5
  });

  it('does not act on a 200 carrying Beta-Retry-After', async () => {
    const { http, waits, fake } = setup(() => json(200, { ok: true }, { 'Beta-Retry-After': '120', 'X-Beta-RateLimit-NearLimit': 'true' }));
    await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });

  it('backs off on 5xx and network errors, growing each time', async () => {
    const { http, waits } = setup(
      sequence(
        () => json(500, {}),
        () => { throw new TypeError('Failed to fetch'); },
        () => json(502, {}),
        () => json(504, {}),
      ),
    );
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(waits).toEqual([750, 1500, 3000, 6000]);
  });

  it('gives up after maxAttempts with RetryExhaustedError', async () => {
    const { http, fake } = setup(() => json(503, { message: 'Service Unavailable' }));
    const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toMatchObject({ attempts: 6, status: 503, endpoint: ENDPOINT });
    expect(fake.calls).toHaveLength(6);
  });

  it('gives up at once when Retry-After is beyond the maximum, with the time Atlassian named and its reason', async () => {
    const { http, fake, waits } = setup(() => json(429, {}, { 'Retry-After': '3600', 'RateLimit-Reason': 'confluence-quota-based' }));
    const error = await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ until: 3_600_000, reason: 'confluence-quota-based', endpoint: ENDPOINT, status: 429 });
    expect((error as Error).message).toContain('1970-01-01T01:00:00.000Z');
    expect(fake.calls).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(http.rateLimit).toEqual({ throttled: 1, nearLimit: 0, reasons: ['confluence-quota-based'] });
  });

  it('after a long rate limit, later requests to the site are not sent but fail with the same time', async () => {
    const { http, fake } = setup(sequence(() => json(429, {}, { 'Retry-After': '3600' })));
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toMatchObject({ until: 3_600_000 });
    expect(fake.calls).toHaveLength(1);
  });

  it('a 429 with only X-RateLimit-Reset waits until then (never less than the backoff)', async () => {
    let clock = Date.parse('2026-03-02T10:00:10Z');
    const waits: number[] = [];
    const fake = createFakeFetch(sequence(() => json(429, {}, { 'X-RateLimit-Reset': '2026-03-02T10:00:11Z' }), () => json(429, {}, { 'X-RateLimit-Reset': '2026-03-02T10:00:40Z' })));
    const http = createHttp({ fetch: fake.fetch, auth: bearer().auth, now: () => clock, random: () => 0.5, sleep: async (ms) => { waits.push(ms); clock += ms; } });
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(waits).toEqual([1000, 29_000]); // backoff (1 s ≥ 750 ms) then exactly to 10:00:40
  });

  it('a 429 with only an X-RateLimit-Reset an hour away pauses (RateLimitedError)', async () => {
    const reset = new Date(3_600_000).toISOString().slice(0, 16) + 'Z';
    const { http } = setup(() => json(429, {}, { 'X-RateLimit-Reset': reset }));
    await expect(http.getJson(URL_, schema, ENDPOINT)).rejects.toMatchObject({ constructor: RateLimitedError, until: 3_660_000 });
  });

  it('an optional request hitting a long rate limit does not stop the others', async () => {
    let n = 0;
    const { http, fake } = setup(() => (n++ === 0 ? json(429, {}, { 'Retry-After': '3600' }) : json(200, { ok: true })));
    await expect(http.getJson(URL_, schema, ENDPOINT, { optional: true })).rejects.toBeInstanceOf(RateLimitedError);
    await expect(http.getJson(URL_, schema, ENDPOINT)).resolves.toEqual({ ok: true });
    expect(fake.calls).toHaveLength(2);
  });

  it('a Retry-After pauses the other requests to the site too', async () => {
    let first = true;
    const fake = createFakeFetch(() => {
      if (first) {
        first = false;
        return json(429, {}, { 'Retry-After': '5' });
      }
      return json(200, { ok: true });
    });
    let clock = 0;
    const waits: number[] = [];
    const http = createHttp({
      fetch: fake.fetch,
      auth: bearer().auth,
      now: () => clock,
      random: () => 0.5,
      sleep: async (ms) => { waits.push(ms); clock += ms; },
    });
    await http.getJson(URL_, schema, ENDPOINT); // 429, waits 5 s, succeeds
    clock -= 2000; // pretend a second request starts 3 s into the pause
    await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toEqual([5000, 2000]);
  });
});

describe('createHttp: X-RateLimit-NearLimit (§5)', () => {
  it('spaces the following requests NEAR_LIMIT_SPACING_MS apart for NEAR_LIMIT_WINDOW_MS, then not', async () => {
    let clock = 0;
    const waits: number[] = [];
    let answered = 0;
    const fake = createFakeFetch(() => json(200, { ok: true }, { 'X-RateLimit-NearLimit': answered++ === 0 ? 'true' : 'false', 'RateLimit-Reason': 'confluence-burst-based' }));
    const http = createHttp({ fetch: fake.fetch, auth: bearer().auth, now: () => clock, random: () => 0.5, sleep: async (ms) => { waits.push(ms); clock += ms; } });
    await http.getJson(URL_, schema, ENDPOINT); // near the limit from now on, for 10 s
    // The first one after it leaves at once, each later one a spacing after the one before.
    for (let i = 0; i < 3; i++) await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toEqual([NEAR_LIMIT_SPACING_MS, NEAR_LIMIT_SPACING_MS]);
    // Concurrent requests are spaced too, not only sequential ones.
    await Promise.all([http.getJson(URL_, schema, ENDPOINT), http.getJson(URL_, schema, ENDPOINT)]);
    expect(waits).toHaveLength(4);
    clock += NEAR_LIMIT_WINDOW_MS;
    await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toHaveLength(4);
    expect(http.rateLimit).toEqual({ throttled: 0, nearLimit: 1, reasons: ['confluence-burst-based'] });
  });

  it('ignores the Beta shadow header', async () => {
    const { http, waits } = setup(() => json(200, { ok: true }, { 'X-Beta-RateLimit-NearLimit': 'true' }));
    for (let i = 0; i < 3; i++) await http.getJson(URL_, schema, ENDPOINT);
    expect(waits).toEqual([]);
    expect(http.rateLimit.nearLimit).toBe(0);
  });
});

describe('createHttp: POST and XSRF (§10)', () => {
  it('every POST carries X-Atlassian-Token: no-check; GETs do not', async () => {
    const { http, fake } = setup(() => json(200, { ok: true }));
    await http.postJson('https://x.atlassian.net/wiki/api/v2/users-bulk', { accountIds: ['a'] }, schema, 'POST /wiki/api/v2/users-bulk');
    await http.getJson(URL_, schema, ENDPOINT);
    expect(fake.calls[0]!.headers['x-atlassian-token']).toBe('no-check');
    expect(fake.calls[1]!.headers['x-atlassian-token']).toBeUndefined();
  });

  it('a 403 "XSRF check failed" on a POST is an XsrfRefusedError (a PermissionError), not retried', async () => {
    const { http, fake } = setup(() => new Response('XSRF check failed', { status: 403, headers: { 'Content-Type': 'text/plain' } }));
    const error = await http.postJson('https://x.atlassian.net/wiki/api/v2/users-bulk', { accountIds: ['a'] }, schema, 'POST /wiki/api/v2/users-bulk').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsrfRefusedError);
    expect(error).toBeInstanceOf(PermissionError);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('createHttp: optional requests', () => {
  it('a 401 is UnauthorizedError without a token refresh, for bearer and basic alike', async () => {
    const { auth, refreshCalls } = bearer();
    const { http, fake } = setup(() => json(401, { code: 401, message: 'Unauthorized' }), auth);
    await expect(http.getJson(URL_, schema, ENDPOINT, { optional: true })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(refreshCalls).toEqual([]);
    expect(fake.calls).toHaveLength(1);
    const basicSetup = setup(() => json(401, { message: 'Unauthorized' }), { kind: 'basic', email: 'a@b.c', apiToken: 'tok' });
    const error = await basicSetup.http.getJson(URL_, schema, ENDPOINT, { optional: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).not.toBeInstanceOf(AuthRevokedError);
  });

  it('a scope mismatch with basic auth (a scoped token on the gateway) names the granular scopes', async () => {
    const { http } = setup(() => json(401, { code: 401, message: 'Unauthorized; scope does not match' }), { kind: 'basic', email: 'a@b.c', apiToken: 'tok' });
    const error = await http.getJson(URL_, schema, 'GET /wiki/rest/api/group/{id}/membersByGroupId').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopeError);
    expect(error).toMatchObject({ credential: 'scoped-token' });
    expect((error as Error).message).toContain('"read:group:confluence", "read:user:confluence"');
    expect((error as Error).message).toContain('scoped API token');
  });
});

describe('createHttp: redaction of Basic credentials (issue 12, finding 4)', () => {
  const auth: Auth = { kind: 'basic', email: 'ops@acme.com', apiToken: 'ATATT3xFfGF0-secret' };
  const basicValue = btoa('ops@acme.com:ATATT3xFfGF0-secret');

  it.each([
    ['the token', 'ATATT3xFfGF0-secret'],
    ['base64(email:token)', `Basic ${basicValue}`],
    ['URL-encoded base64', encodeURIComponent(basicValue)],
    ['URL-encoded token', encodeURIComponent('ATATT3xFfGF0-secret')],
  ])('an error body echoing %s is redacted', async (_what, echoed) => {
    const { http } = setup(() => json(400, { message: `refused ${echoed}` }), auth);
    const error = (await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('ATATT3xFfGF0');
    expect(error.message).not.toContain(basicValue.slice(0, 16));
  });

  it('a network error echoing the Authorization header is redacted', async () => {
    const { http } = setup(() => { throw new TypeError(`proxy refused Authorization: Basic ${basicValue}`); }, auth);
    const error = (await http.getJson(URL_, schema, ENDPOINT).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(basicValue.slice(0, 16));
  });
});

describe('createHttp: concurrency', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    const { http, fake } = setup(() => json(200, { ok: true }), bearer().auth, { concurrency: 3, delayMs: 3 });
    await Promise.all(Array.from({ length: 15 }, () => http.getJson(URL_, schema, ENDPOINT)));
    expect(fake.calls).toHaveLength(15);
    expect(fake.maxInFlight).toBe(3);
  });

  it('defaults to 4 in flight', async () => {
    const { http, fake } = setup(() => json(200, { ok: true }), bearer().auth, { delayMs: 3 });
    await Promise.all(Array.from({ length: 12 }, () => http.getJson(URL_, schema, ENDPOINT)));
    expect(fake.maxInFlight).toBe(4);
  });
});
