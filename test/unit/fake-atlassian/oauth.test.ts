// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { ACME_CLOUD_ID, authorizeUrl, bearer, CALLBACK, CLIENT_ID, CLIENT_SECRET, gw, LABS_CLOUD_ID, login, postToken, refresh, testScenario } from './support';

const MIN = 60_000;
let fake: FakeAtlassian;

beforeAll(async () => {
  fake = await startFakeAtlassian({ scenario: testScenario() });
});
afterAll(() => fake.close());
beforeEach(() => fake.setConsent('page'));

async function groupsStatus(token: string): Promise<number> {
  return (await fake.fetch(gw('/wiki/rest/api/group?limit=1'), { headers: bearer(token) })).status;
}

describe('GET /authorize (§1.1)', () => {
  it('shows a consent page listing scopes and sites, and Accept redirects with code and state', async () => {
    const page = await fake.fetch(authorizeUrl());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('read:confluence-groups');
    expect(html).toContain('acme.atlassian.net');
    expect(html).toContain('acme-labs.atlassian.net');
    expect(html).toMatch(/<button[^>]*>Accept<\/button>/);
    const txn = /name="txn" value="([^"]+)"/.exec(html)?.[1];
    expect(txn).toBeTruthy();

    const accepted = await fake.fetch('https://auth.atlassian.com/authorize/consent', { method: 'POST', body: new URLSearchParams({ txn: txn!, decision: 'accept' }) });
    expect(accepted.status).toBe(302);
    const location = new URL(accepted.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toMatch(/\S{10,}/);
  });

  it('Decline redirects with error=access_denied and the state', async () => {
    const html = await (await fake.fetch(authorizeUrl({ state: 's-decline' }))).text();
    const txn = /name="txn" value="([^"]+)"/.exec(html)![1]!;
    const declined = await fake.fetch('https://auth.atlassian.com/authorize/consent', { method: 'POST', body: new URLSearchParams({ txn, decision: 'decline' }) });
    const location = new URL(declined.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s-decline');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it("consent 'auto' redirects at once", async () => {
    fake.setConsent('auto');
    const res = await fake.fetch(authorizeUrl());
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it.each([
    ['unknown client_id', { client_id: 'nope' }],
    ['unregistered redirect_uri', { redirect_uri: 'https://evil.example/cb' }],
    ['missing audience', { audience: null }],
    ['wrong audience', { audience: 'auth.atlassian.com' }],
    ['response_type other than code', { response_type: 'token' }],
    ['empty scope', { scope: '' }],
    ['missing state', { state: null }],
  ])('%s → 400 HTML error page, never a redirect', async (_name, params) => {
    fake.setConsent('auto');
    const res = await fake.fetch(authorizeUrl(params));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('a code is issued for scopes separated by %20', async () => {
    const tokens = await login(fake, 'read:confluence-groups offline_access');
    expect(tokens.scope.split(' ').sort()).toEqual(['offline_access', 'read:confluence-groups']);
  });
});

describe('POST /oauth/token: authorization_code (§1.2, §1.3)', () => {
  async function freshCode(): Promise<string> {
    fake.setConsent('auto');
    const res = await fake.fetch(authorizeUrl());
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  }
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    postToken(fake, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: CALLBACK, ...extra });

  it('returns Bearer tokens with expires_in 3600, scope and a refresh token for offline_access', async () => {
    const res = await exchange(await freshCode());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  });

  it('accepts a form-encoded body too', async () => {
    const code = await freshCode();
    const res = await fake.fetch('https://auth.atlassian.com/oauth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: CALLBACK }),
    });
    expect(res.status).toBe(200);
  });

  it('gives no refresh token without offline_access', async () => {
    const tokens = await login(fake, 'read:confluence-groups');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it.each([
    ['missing secret', { client_secret: '' }],
    ['wrong secret', { client_secret: 'wrong' }],
    ['unknown client', { client_id: 'nope' }],
  ])('%s → 401 access_denied', async (_n, extra) => {
    const res = await exchange(await freshCode(), extra);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('a used code → 400 invalid_request "authorization_code is invalid"', async () => {
    const code = await freshCode();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_request', error_description: 'authorization_code is invalid' });
  });

  it('an unknown code → 400', async () => {
    expect((await exchange('made-up')).status).toBe(400);
  });

  it('a code older than 10 minutes → 400', async () => {
    const code = await freshCode();
    fake.advanceClock(10 * MIN + 1000);
    const res = await exchange(code);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('a redirect_uri different from the authorize step → 400', async () => {
    const res = await exchange(await freshCode(), { redirect_uri: 'https://other.example/' });
    expect(res.status).toBe(400);
  });

  it('an unsupported grant_type → 400', async () => {
    const res = await postToken(fake, { grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });
});

describe('access tokens and accessible-resources (§1.5, §1.6)', () => {
  it('lists every granted site with id, name, url, scopes and avatarUrl', async () => {
    const { access_token } = await login(fake);
    const res = await fake.fetch('https://api.atlassian.com/oauth/token/accessible-resources', { headers: bearer(access_token) });
    expect(res.status).toBe(200);
    const sites = (await res.json()) as { id: string; url: string; scopes: string[] }[];
    expect(sites.map((s) => s.id).sort()).toEqual([ACME_CLOUD_ID, LABS_CLOUD_ID].sort());
    for (const s of sites) {
      expect(Object.keys(s).sort()).toEqual(['avatarUrl', 'id', 'name', 'scopes', 'url']);
      expect(s.scopes).toContain('read:confluence-groups');
      expect(s.scopes).not.toContain('offline_access');
    }
  });

  it('shuffles the site order between calls (no stable order, §1.5)', async () => {
    const { access_token } = await login(fake);
    const orders = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const sites = (await (await fake.fetch('https://api.atlassian.com/oauth/token/accessible-resources', { headers: bearer(access_token) })).json()) as { id: string }[];
      orders.add(sites.map((s) => s.id).join());
    }
    expect(orders.size).toBe(2);
  });

  it('without a valid token → 401 {"code":401,"message":"Unauthorized"}', async () => {
    const res = await fake.fetch('https://api.atlassian.com/oauth/token/accessible-resources', { headers: bearer('nope') });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 401, message: 'Unauthorized' });
  });

  it('an access token expires after expires_in seconds', async () => {
    const { access_token } = await login(fake);
    expect(await groupsStatus(access_token)).toBe(200);
    fake.advanceClock(3600 * 1000 + 1);
    expect(await groupsStatus(access_token)).toBe(401);
  });

  it('a grant for another organisation reaches only its own site', async () => {
    fake.state.oauthUser = 'viewer@acme.test';
    try {
      const { access_token } = await login(fake);
      const sites = (await (await fake.fetch('https://api.atlassian.com/oauth/token/accessible-resources', { headers: bearer(access_token) })).json()) as { url: string }[];
      expect(sites.map((s) => s.url)).toEqual(['https://other-org.atlassian.net']);
      expect(await groupsStatus(access_token)).toBe(401);
    } finally {
      fake.state.oauthUser = 'admin@acme.test';
    }
  });
});

describe('refresh_token rotation (§1.4)', () => {
  it('returns a new refresh token on every exchange', async () => {
    const first = await login(fake);
    const r1 = (await (await refresh(fake, first.refresh_token!)).json()) as { refresh_token: string; access_token: string };
    const r2 = (await (await refresh(fake, r1.refresh_token)).json()) as { refresh_token: string };
    expect(new Set([first.refresh_token, r1.refresh_token, r2.refresh_token]).size).toBe(3);
    expect(await groupsStatus(r1.access_token)).toBe(200);
  });

  it('the old refresh token works again within the 10-minute leeway', async () => {
    const first = await login(fake);
    expect((await refresh(fake, first.refresh_token!)).status).toBe(200);
    fake.advanceClock(9 * MIN);
    expect((await refresh(fake, first.refresh_token!)).status).toBe(200);
  });

  it('the old access token stays valid 10 minutes after a refresh, then is revoked', async () => {
    const first = await login(fake);
    const next = (await (await refresh(fake, first.refresh_token!)).json()) as { access_token: string };
    fake.advanceClock(9 * MIN);
    expect(await groupsStatus(first.access_token)).toBe(200);
    fake.advanceClock(2 * MIN);
    expect(await groupsStatus(first.access_token)).toBe(401);
    expect(await groupsStatus(next.access_token)).toBe(200);
  });

  it('reuse after the leeway → 403 invalid_grant and revokes the whole grant', async () => {
    const first = await login(fake);
    const next = (await (await refresh(fake, first.refresh_token!)).json()) as { access_token: string; refresh_token: string };
    fake.advanceClock(11 * MIN);
    const reuse = await refresh(fake, first.refresh_token!);
    expect(reuse.status).toBe(403);
    expect(await reuse.json()).toEqual({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    expect((await refresh(fake, next.refresh_token)).status).toBe(403);
    expect(await groupsStatus(next.access_token)).toBe(401);
  });

  it('refresh with a wrong client secret → 401', async () => {
    const first = await login(fake);
    const res = await postToken(fake, { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: 'x', refresh_token: first.refresh_token! });
    expect(res.status).toBe(401);
  });

  it('an unknown refresh token → 403 invalid_grant', async () => {
    expect((await refresh(fake, 'nope')).status).toBe(403);
  });

  it('revokeAllGrants: access → 401, refresh → 403, and a new consent works again', async () => {
    const t = await login(fake);
    fake.revokeAllGrants();
    expect(await groupsStatus(t.access_token)).toBe(401);
    expect((await refresh(fake, t.refresh_token!)).status).toBe(403);
    const again = await login(fake);
    expect(await groupsStatus(again.access_token)).toBe(200);
  });
});
