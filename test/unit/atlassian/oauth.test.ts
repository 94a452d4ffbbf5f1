import { describe, expect, it } from 'vitest';
import { AuthRevokedError, HttpError, OAuthExchangeError, ResponseShapeError } from '../../../lib/atlassian/errors';
import {
  buildAuthorizeUrl,
  chooseJira,
  chooseResource,
  exchangeCode,
  getAccessibleResources,
  OAUTH_SCOPES,
  parseCallback,
  refreshTokens,
  TOKEN_URL,
} from '../../../lib/atlassian/oauth';
import type { AccessibleResource } from '../../../lib/atlassian/schemas';
import { createFakeFetch, json } from './fake-fetch';

const NOW = 1_800_000_000_000;
const now = () => NOW;
const client = { clientId: 'cid', clientSecret: 'super-secret-value' };

describe('OAUTH_SCOPES', () => {
  it('is exactly the scopes the sync uses plus offline_access (§2)', () => {
    expect([...OAUTH_SCOPES].sort()).toEqual(
      ['offline_access', 'read:confluence-groups', 'read:confluence-user', 'read:jira-user', 'read:user:confluence'].sort(),
    );
  });
});

describe('buildAuthorizeUrl', () => {
  const url = buildAuthorizeUrl({ clientId: 'my client', redirectUri: 'https://abc.chromiumapp.org/cb', state: 's t&x' });

  it('targets auth.atlassian.com/authorize with audience, response_type and prompt (§1.1)', () => {
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://auth.atlassian.com/authorize');
    expect(parsed.searchParams.get('audience')).toBe('api.atlassian.com');
    expect(parsed.searchParams.get('response_type')).toBe('code');
    expect(parsed.searchParams.get('prompt')).toBe('consent');
    expect(parsed.searchParams.get('client_id')).toBe('my client');
    expect(parsed.searchParams.get('redirect_uri')).toBe('https://abc.chromiumapp.org/cb');
    expect(parsed.searchParams.get('state')).toBe('s t&x');
  });

  it('joins scopes with %20, never + (§1.1)', () => {
    expect(url).not.toContain('+');
    expect(url).toContain(`scope=${OAUTH_SCOPES.map((s) => encodeURIComponent(s)).join('%20')}&`);
    expect(new URL(url).searchParams.get('scope')?.split(' ')).toEqual([...OAUTH_SCOPES]);
  });

  it('uses custom scopes when given', () => {
    const custom = buildAuthorizeUrl({ clientId: 'c', redirectUri: 'https://x/cb', state: 's', scopes: ['a:b', 'c'] });
    expect(custom).toContain('scope=a%3Ab%20c&');
  });

  it('refuses an empty state', () => {
    expect(() => buildAuthorizeUrl({ clientId: 'c', redirectUri: 'https://x/cb', state: '' })).toThrow(/state/);
  });
});

describe('parseCallback', () => {
  const base = 'https://abc.chromiumapp.org/cb';

  it('returns the code when the state matches', () => {
    expect(parseCallback(`${base}?code=xyz&state=abc`, 'abc')).toEqual({ code: 'xyz' });
  });

  it('rejects a state mismatch, even when a code is present (CSRF, §1.1)', () => {
    const result = parseCallback(`${base}?code=xyz&state=evil`, 'abc');
    expect(result).toEqual({ error: expect.stringMatching(/state mismatch/) });
  });

  it('rejects a missing state and an empty expected state', () => {
    expect(parseCallback(`${base}?code=xyz`, 'abc')).toHaveProperty('error');
    expect(parseCallback(`${base}?code=xyz&state=`, '')).toHaveProperty('error');
  });

  it('explains access_denied as the user declining', () => {
    const result = parseCallback(`${base}?error=access_denied&error_description=User%20did%20not%20authorize&state=abc`, 'abc');
    expect(result).toEqual({ error: expect.stringMatching(/^You declined/) });
  });

  it('surfaces other errors with their description', () => {
    const result = parseCallback(`${base}?error=server_error&error_description=Boom&state=abc`, 'abc');
    expect(result).toEqual({ error: expect.stringContaining('server_error (Boom)') });
  });

  it('reports a missing code and an unparseable URL', () => {
    expect(parseCallback(`${base}?state=abc`, 'abc')).toEqual({ error: expect.stringMatching(/did not return an authorization code/) });
    expect(parseCallback('not a url', 'abc')).toHaveProperty('error');
  });
});

describe('exchangeCode', () => {
  it('POSTs JSON to auth.atlassian.com/oauth/token and returns a TokenSet', async () => {
    const fake = createFakeFetch(() =>
      json(200, { access_token: 'at1', refresh_token: 'rt1', expires_in: 3600, scope: 'read:confluence-user offline_access', token_type: 'Bearer' }),
    );
    const tokens = await exchangeCode(fake.fetch, { ...client, code: 'code1', redirectUri: 'https://x/cb' }, now);
    expect(tokens).toEqual({ accessToken: 'at1', refreshToken: 'rt1', expiresAt: NOW + 3_600_000, scope: ['read:confluence-user', 'offline_access'] });
    const call = fake.calls[0]!;
    expect(call.url.href).toBe(TOKEN_URL);
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.body).toEqual({ grant_type: 'authorization_code', client_id: 'cid', client_secret: 'super-secret-value', code: 'code1', redirect_uri: 'https://x/cb' });
  });

  it('returns refreshToken null without offline_access', async () => {
    const fake = createFakeFetch(() => json(200, { access_token: 'at1', expires_in: 3600, scope: 'read:confluence-user' }));
    const tokens = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now);
    expect(tokens.refreshToken).toBeNull();
  });

  it('maps 401 access_denied to "Client ID or Client secret rejected" (§1.3)', async () => {
    const fake = createFakeFetch(() => json(401, { error: 'access_denied', error_description: 'Unauthorized' }));
    const error = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthExchangeError);
    expect(error).toMatchObject({ reason: 'client_rejected', status: 401 });
    expect((error as Error).message).toMatch(/Client ID or Client secret/);
  });

  it('maps 400 invalid_request to "code invalid or expired" (§1.2)', async () => {
    const fake = createFakeFetch(() => json(400, { error: 'invalid_request', error_description: 'authorization_code is invalid' }));
    const error = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'code_invalid' });
    expect((error as Error).message).toMatch(/invalid or expired/);
  });

  it('treats invalid_grant on a code exchange as a bad code, not a revoked grant', async () => {
    const fake = createFakeFetch(() => json(400, { error: 'invalid_grant' }));
    const error = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'code_invalid' });
  });

  it('rejects a token response without access_token, naming the field', async () => {
    const fake = createFakeFetch(() => json(200, { expires_in: 3600 }));
    const error = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toContain('access_token');
  });

  it('never puts the client secret in an error message', async () => {
    const fake = createFakeFetch(() => json(500, { error: 'server_error', error_description: 'echo super-secret-value' }));
    const error = await exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/cb' }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).not.toContain('super-secret-value');
  });
});

describe('refreshTokens', () => {
  it('sends grant_type refresh_token and returns the rotated refresh token (§1.4)', async () => {
    const fake = createFakeFetch(() => json(200, { access_token: 'at2', refresh_token: 'rt2', expires_in: 3600, scope: 'a b' }));
    const tokens = await refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1' }, now);
    expect(tokens.refreshToken).toBe('rt2');
    expect(fake.calls[0]!.body).toEqual({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'super-secret-value', refresh_token: 'rt1' });
  });

  it('keeps the old refresh token when the response has none (§1.4)', async () => {
    const fake = createFakeFetch(() => json(200, { access_token: 'at2', expires_in: 3600, scope: 'a' }));
    const tokens = await refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1' }, now);
    expect(tokens).toMatchObject({ accessToken: 'at2', refreshToken: 'rt1' });
  });

  it('maps 403 invalid_grant to AuthRevokedError (§1.4)', async () => {
    const fake = createFakeFetch(() => json(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }));
    await expect(refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1' }, now)).rejects.toBeInstanceOf(AuthRevokedError);
  });

  it('maps 401 access_denied on refresh to client_rejected', async () => {
    const fake = createFakeFetch(() => json(401, { error: 'access_denied', error_description: 'Unauthorized' }));
    await expect(refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1' }, now)).rejects.toMatchObject({ reason: 'client_rejected' });
  });

  it('maps 403 unauthorized_client "refresh_token is invalid" to AuthRevokedError: reconnect, not "check your secret" (§10)', async () => {
    const fake = createFakeFetch(() => json(403, { error: 'unauthorized_client', error_description: 'refresh_token is invalid' }));
    const error = await refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1' }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRevokedError);
    expect((error as Error).message).not.toMatch(/secret/i);
  });

  it('a code exchange answered unauthorized_client is still about the client', async () => {
    const fake = createFakeFetch(() => json(403, { error: 'unauthorized_client', error_description: 'nope' }));
    await expect(exchangeCode(fake.fetch, { ...client, code: 'c', redirectUri: 'https://x/' }, now)).rejects.toMatchObject({ reason: 'client_rejected' });
  });

  it('never puts the refresh token or the client secret, in any encoding, in an error', async () => {
    const basic = btoa('cid:super-secret-value');
    const fake = createFakeFetch(() => json(500, { error: 'server_error', error_description: `rt1x0 ${encodeURIComponent('rt1x0/+=')} ${basic} super-secret-value` }));
    const error = (await refreshTokens(fake.fetch, { ...client, refreshToken: 'rt1x0/+=' }, now).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).not.toContain('super-secret-value');
    expect(error.message).not.toContain(basic);
    expect(error.message).not.toContain(encodeURIComponent('rt1x0/+='));
  });
});

describe('chooseJira (issue 8, item 2)', () => {
  const r = (id: string, url: string, scopes: string[]): AccessibleResource => ({ id, name: id, url, scopes });

  it('is true only when an entry of the chosen site lists a Jira user scope', () => {
    const acme = r('c1', 'https://acme.atlassian.net', ['read:confluence-groups', 'read:jira-user']);
    expect(chooseJira([acme], acme)).toBe(true);
    const confluenceOnly = r('c1', 'https://acme.atlassian.net', ['read:confluence-groups']);
    expect(chooseJira([confluenceOnly], confluenceOnly)).toBe(false);
    // Another site's Jira does not count.
    expect(chooseJira([confluenceOnly, r('c2', 'https://other.atlassian.net', ['read:jira-user'])], confluenceOnly)).toBe(false);
  });

  it('counts a second entry of the same site (one per product is UNCONFIRMED, §1.5) and granular scopes', () => {
    const confluence = r('c1', 'https://acme.atlassian.net', ['read:confluence-groups']);
    expect(chooseJira([confluence, r('c1', 'https://acme.atlassian.net', ['read:jira-user'])], confluence)).toBe(true);
    expect(chooseJira([r('c1', 'https://acme.atlassian.net', ['read:user:jira'])], confluence)).toBe(true);
  });
});

describe('getAccessibleResources', () => {
  const resources = [
    { id: 'cloud-1', name: 'Other', url: 'https://other.atlassian.net', scopes: ['read:jira-user'], avatarUrl: 'x' },
    { id: 'cloud-2', name: 'Acme', url: 'https://acme.atlassian.net', scopes: ['read:confluence-user'] },
  ];

  it('GETs the list with the bearer token', async () => {
    const fake = createFakeFetch(() => json(200, resources));
    const result = await getAccessibleResources(fake.fetch, 'tok');
    expect(result.map((r) => r.id)).toEqual(['cloud-1', 'cloud-2']);
    expect(fake.calls[0]!.url.href).toBe('https://api.atlassian.com/oauth/token/accessible-resources');
    expect(fake.calls[0]!.headers['authorization']).toBe('Bearer tok');
  });

  it('maps 401 to AuthRevokedError and validates the shape', async () => {
    await expect(getAccessibleResources(createFakeFetch(() => json(401, { code: 401, message: 'Unauthorized' })).fetch, 't')).rejects.toBeInstanceOf(AuthRevokedError);
    await expect(getAccessibleResources(createFakeFetch(() => json(200, [{ name: 'x', url: 'y' }])).fetch, 't')).rejects.toThrow(/\[0\]\.id/);
  });
});

describe('chooseResource', () => {
  const resource = (id: string, url: string, scopes: string[] = []): AccessibleResource => ({ id, name: id, url, scopes });
  const list = [resource('a', 'https://alpha.atlassian.net'), resource('b', 'https://acme.atlassian.net/')];

  it('picks by URL, not position (§1.5)', () => {
    expect(chooseResource(list, 'https://acme.atlassian.net')).toEqual({ ok: true, resource: list[1] });
    expect(chooseResource(list, 'ACME.atlassian.net')).toMatchObject({ ok: true, resource: { id: 'b' } });
  });

  it('prefers the entry with Confluence scopes when the site appears twice', () => {
    const twice = [resource('j', 'https://acme.atlassian.net', ['read:jira-user']), resource('c', 'https://acme.atlassian.net', ['read:confluence-user'])];
    expect(chooseResource(twice, 'https://acme.atlassian.net')).toMatchObject({ ok: true, resource: { id: 'c' } });
  });

  it('says which sites were granted when the wanted one is missing', () => {
    const result = chooseResource(list, 'https://beta.atlassian.net');
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/alpha\.atlassian\.net, acme\.atlassian\.net\/?, but not beta\.atlassian\.net/),
      granted: [{ url: 'https://alpha.atlassian.net', name: 'a' }, { url: 'https://acme.atlassian.net/', name: 'b' }],
    });
  });

  it('handles an empty grant', () => {
    expect(chooseResource([], 'https://acme.atlassian.net')).toMatchObject({ ok: false, granted: [], error: expect.stringContaining('no site') });
  });
});
