/**
 * OAuth 2.0 (3LO) against auth.atlassian.com: the authorize URL, the callback, the code exchange,
 * refresh, and finding the site's cloudId. Facts: ../../shared/atlassian-api.md §1.
 */
import type { GrantedSite } from '../model';
import { ENDPOINT_SCOPES } from './endpoints';
import { AuthRevokedError, HttpError, OAuthExchangeError } from './errors';
import type { FetchLike } from './http';
import {
  accessibleResourcesSchema,
  extractErrorMessage,
  oauthErrorSchema,
  parseResponse,
  tokenResponseSchema,
  type AccessibleResource,
} from './schemas';
import { clientSecrets, redact } from './redact';
import { normaliseSiteUrl } from './site-url';

export const AUTHORIZE_URL = 'https://auth.atlassian.com/authorize';
export const TOKEN_URL = 'https://auth.atlassian.com/oauth/token';
export const ACCESSIBLE_RESOURCES_URL = 'https://api.atlassian.com/oauth/token/accessible-resources';

/**
 * Exactly what the sync calls, plus `offline_access` for a refresh token (§1.1, §1.4):
 * - `read:confluence-groups`: `GET /wiki/rest/api/group` and `…/membersByGroupId` (classic, §2)
 * - `read:confluence-user`: `GET /wiki/rest/api/user/current` (classic, §2)
 * - `read:user:confluence`: `POST /wiki/api/v2/users-bulk` (granular only, §2)
 * - `read:jira-user`: Jira `GET /rest/api/3/user/bulk` (classic, §2)
 * Derived from the endpoint table so the two cannot drift apart (endpoints.ts).
 */
export const OAUTH_SCOPES: readonly string[] = [...new Set(Object.values(ENDPOINT_SCOPES)), 'offline_access'];

export interface TokenSet {
  accessToken: string;
  /** null when the grant has no `offline_access`. */
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  scope: string[];
}

// ---------------------------------------------------------------------------------------------
// Authorize and callback

export function buildAuthorizeUrl(params: { clientId: string; redirectUri: string; state: string; scopes?: readonly string[] }): string {
  if (params.state === '') throw new Error('An OAuth state value is required (§1.1: CSRF protection).');
  const query: [string, string][] = [
    ['audience', 'api.atlassian.com'],
    ['client_id', params.clientId],
    ['scope', (params.scopes ?? OAUTH_SCOPES).join(' ')],
    ['redirect_uri', params.redirectUri],
    ['state', params.state],
    ['response_type', 'code'],
    ['prompt', 'consent'],
  ];
  // §1.1: Atlassian only accepts %20 between scopes, so no URLSearchParams (it writes `+`).
  return `${AUTHORIZE_URL}?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

export type CallbackResult = { code: string } | { error: string };

/** Read the redirect Atlassian sent the browser back to. The state is checked first (§1.1, CSRF). */
export function parseCallback(redirectedTo: string, expectedState: string): CallbackResult {
  let url: URL;
  try {
    url = new URL(redirectedTo);
  } catch {
    return { error: 'The sign-in did not return to Access Lens properly. Try connecting again.' };
  }
  const params = url.searchParams;
  const state = params.get('state');
  if (expectedState === '' || state !== expectedState) {
    return { error: 'The sign-in response does not belong to this connection attempt (state mismatch). Try connecting again.' };
  }
  const error = params.get('error');
  if (error !== null) {
    if (error === 'access_denied') {
      return { error: 'You declined access on the Atlassian consent screen, so Access Lens was not connected.' };
    }
    const description = params.get('error_description');
    return { error: `Atlassian refused the sign-in: ${error}${description ? ` (${description})` : ''}.` };
  }
  const code = params.get('code');
  if (code === null || code === '') return { error: 'Atlassian did not return an authorization code. Try connecting again.' };
  return { code };
}

// ---------------------------------------------------------------------------------------------
// Token endpoint

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** §1.2: exchange the authorization code for tokens. */
export function exchangeCode(
  fetch: FetchLike,
  params: ClientCredentials & { code: string; redirectUri: string },
  now: () => number = Date.now,
): Promise<TokenSet> {
  return postToken(
    fetch,
    {
      grant_type: 'authorization_code',
      client_id: params.clientId,
      client_secret: params.clientSecret,
      code: params.code,
      redirect_uri: params.redirectUri,
    },
    [...clientSecrets(params.clientId, params.clientSecret), params.code],
    now,
  );
}

/**
 * §1.4: refresh. Refresh tokens rotate: the answer's `refresh_token` replaces the one sent, and
 * the caller must persist it (token-manager.ts does). When the answer has no `refresh_token`
 * (seen in the wild, §1.4) the one we sent stays the current one.
 */
export async function refreshTokens(
  fetch: FetchLike,
  params: ClientCredentials & { refreshToken: string },
  now: () => number = Date.now,
): Promise<TokenSet> {
  const tokens = await postToken(
    fetch,
    { grant_type: 'refresh_token', client_id: params.clientId, client_secret: params.clientSecret, refresh_token: params.refreshToken },
    [...clientSecrets(params.clientId, params.clientSecret), params.refreshToken],
    now,
  );
  return tokens.refreshToken === null ? { ...tokens, refreshToken: params.refreshToken } : tokens;
}

async function postToken(fetch: FetchLike, body: Record<string, string>, secrets: string[], now: () => number): Promise<TokenSet> {
  const grant = body.grant_type === 'refresh_token' ? 'refresh' : 'code';
  const endpoint = 'POST /oauth/token';
  const res = await fetch(TOKEN_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw tokenError(grant, res.status, text, secrets);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(`${endpoint} answered HTTP ${res.status} with a body that is not JSON.`, res.status);
  }
  const data = parseResponse(tokenResponseSchema, json, endpoint);
  return {
    accessToken: data.access_token,
    refreshToken: data.refresh_token ?? null,
    expiresAt: now() + data.expires_in * 1000,
    scope: (data.scope ?? '').split(' ').filter((s) => s !== ''),
  };
}

function tokenError(grant: 'code' | 'refresh', status: number, text: string, secrets: string[]): Error {
  let code: string | null = null;
  try {
    const parsed = oauthErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) code = parsed.data.error;
  } catch {
    // not JSON: handled by status below
  }
  // §1.4: `403 {"error":"invalid_grant"}` — refresh token unknown, expired, reused or revoked.
  // For a code exchange the same error means the code, not the grant, is bad (RFC 6749 §5.2).
  if (code === 'invalid_grant') {
    return grant === 'refresh'
      ? new AuthRevokedError()
      : new OAuthExchangeError('code_invalid', 'The authorization code is invalid or expired. Try connecting again.', status);
  }
  // §10: Atlassian also answers a dead refresh token with `403 {"error":"unauthorized_client",
  // "error_description":"refresh_token is invalid"}`. On a refresh that means "reconnect", like
  // invalid_grant — never "check your client secret" (a wrong secret is `401 access_denied`, §1.3).
  if (grant === 'refresh' && code === 'unauthorized_client' && status !== 401) return new AuthRevokedError();
  // §1.3 / §6: `401 {"error":"access_denied"}` when the client secret is missing or wrong.
  if (status === 401 || code === 'access_denied' || code === 'invalid_client' || code === 'unauthorized_client') {
    return new OAuthExchangeError('client_rejected', 'Atlassian rejected the Client ID or Client secret. Check both in the developer console (Settings) and try again.', status);
  }
  // §1.2 / §6: `400 {"error":"invalid_request","error_description":"authorization_code is invalid"}`.
  if (code === 'invalid_request' || status === 400) {
    return new OAuthExchangeError('code_invalid', 'The authorization code is invalid or expired. Try connecting again.', status);
  }
  const detail = redact(extractErrorMessage(text) ?? `HTTP ${status}`, secrets);
  return new HttpError(`Atlassian's token endpoint failed: ${detail}`, status);
}

// ---------------------------------------------------------------------------------------------
// Sites

/** §1.5: the sites (cloudIds) this grant reaches. */
export async function getAccessibleResources(fetch: FetchLike, accessToken: string): Promise<AccessibleResource[]> {
  const endpoint = 'GET /oauth/token/accessible-resources';
  const res = await fetch(ACCESSIBLE_RESOURCES_URL, {
    method: 'GET',
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
  const text = await res.text();
  if (res.status === 401) throw new AuthRevokedError();
  if (!res.ok) {
    const message = redact(extractErrorMessage(text) ?? `HTTP ${res.status}`, [accessToken]);
    throw new HttpError(`${endpoint} failed: ${message}`, res.status);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(`${endpoint} answered with a body that is not JSON.`, res.status);
  }
  return parseResponse(accessibleResourcesSchema, json, endpoint);
}

export type ChooseResourceResult =
  | { ok: true; resource: AccessibleResource }
  | { ok: false; error: string; granted: GrantedSite[] };

/**
 * Pick the resource for `site` by URL — never "the first one": a grant can reach several sites,
 * listed in no particular order (§1.5).
 */
export function chooseResource(resources: readonly AccessibleResource[], site: string): ChooseResourceResult {
  const wanted = normaliseSiteUrl(site);
  const granted = resources.map((r) => ({ url: r.url, name: r.name }));
  if (!wanted.ok) return { ok: false, error: wanted.error, granted };

  const matching = resources.filter((r) => {
    const n = normaliseSiteUrl(r.url);
    return n.ok && n.site === wanted.site;
  });
  // Whether a site with Jira and Confluence appears once or twice is UNCONFIRMED (§1.5); prefer
  // the entry that carries Confluence scopes, they share the cloudId anyway.
  const resource = matching.find((r) => r.scopes.some((s) => s.includes('confluence'))) ?? matching[0];
  if (resource) return { ok: true, resource };

  const host = wanted.site.replace('https://', '');
  const list = granted.length > 0 ? granted.map((g) => g.url.replace(/^https?:\/\//, '')).join(', ') : 'no site';
  return {
    ok: false,
    error: `The Atlassian consent covered ${list}, but not ${host}. Connect again and choose ${host} on the consent screen.`,
    granted,
  };
}

/** §2: the classic scope the Jira user lookup needs, and its granular equivalents. */
const JIRA_USER_SCOPES = ['read:jira-user', 'read:user:jira'];

/**
 * Whether an OAuth connection should try Jira at all (issue 8, item 2): an accessible-resources
 * entry of the chosen site (same cloudId) must list a Jira user scope. Whether a site with Jira and
 * Confluence is one entry or two is UNCONFIRMED (§1.5), so every entry with the site's id counts.
 * A site without Jira may still list the scope; the connect step's Jira probe settles that.
 */
export function chooseJira(resources: readonly AccessibleResource[], chosen: AccessibleResource): boolean {
  return resources
    .filter((r) => r.id === chosen.id)
    .some((r) => r.scopes.some((s) => JIRA_USER_SCOPES.includes(s)));
}
