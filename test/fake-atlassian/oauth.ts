/**
 * auth.atlassian.com: OAuth 2.0 (3LO) authorize + consent, code exchange, rotating refresh tokens,
 * and the grants behind api.atlassian.com bearer tokens. Facts: atlassian-api.md §1.
 */
import crypto from 'node:crypto';
import type { FakeClock } from './clock';
import { oauthError, type Reply } from './errors';
import { createRng, shuffled, type Rng } from './prng';
import type { ScenarioIdentity, ScenarioState } from './scenario';
import { parseScopeParam } from './scopes';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** §1.2: codes last about 10 minutes and are single-use. */
export const CODE_LIFETIME_MS = 10 * MINUTE;
/** §1.4: an exchanged refresh token (and its companion access token) stays usable 10 minutes. */
export const ROTATION_LEEWAY_MS = 10 * MINUTE;
/** §1.4: inactivity expiry 90 days, absolute expiry 365 days. */
export const REFRESH_INACTIVITY_MS = 90 * DAY;
export const REFRESH_ABSOLUTE_MS = 365 * DAY;
const AVATAR_URL = 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/site.png';

interface Grant {
  id: number;
  clientId: string;
  identityEmail: string;
  /** Site names the grant reaches; re-consent adds sites to the same grant (§1.4). */
  sites: Set<string>;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  scopes: Set<string>;
  expiresAt: number;
  /** Set when the companion refresh token was exchanged: valid until then (§1.4 leeway). */
  revokeAt: number | null;
}

interface RefreshToken {
  grant: Grant;
  scopes: Set<string>;
  issuedAt: number;
  /** When the first token of this rotation chain was issued (365-day absolute expiry). */
  chainStartedAt: number;
  /** When this token was first exchanged; reuse is allowed for ROTATION_LEEWAY_MS after. */
  rotatedAt: number | null;
  companion: AccessToken;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  identityEmail: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

interface PendingConsent {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  identityEmail: string;
}

/**
 * One answered exchange at the token endpoint, for tests that must prove how refresh tokens were
 * spent (§1.4: each exchange disables the token sent; reuse is tolerated for 10 minutes, and reuse
 * after that "invalidates all refresh tokens").
 */
export interface TokenExchange {
  /** The fake's clock, ms. */
  at: number;
  grantType: 'authorization_code' | 'refresh_token';
  /** The refresh token sent (refresh_token grant), else null. */
  refreshToken: string | null;
  /** The refresh token this exchange issued, else null (refused, or no `offline_access`). */
  issued: string | null;
  /**
   * `issued`: new tokens for a code or a refresh token spent for the first time; `reused`: new
   * tokens for a refresh token already spent, within the leeway; `refused`: an error answer.
   */
  outcome: 'issued' | 'reused' | 'refused';
}

/** The caller behind a valid bearer token. */
export interface BearerCaller {
  identity: ScenarioIdentity;
  scopes: ReadonlySet<string>;
  sites: ReadonlySet<string>;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(status: number, title: string, inner: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${inner}</main></body></html>`,
  };
}

function errorPage(message: string): Reply {
  return htmlPage(400, 'Something went wrong', `<p role="alert">${escapeHtml(message)}</p>`);
}

function redirect(to: string): Reply {
  return { status: 302, headers: { location: to, 'content-type': 'text/plain' }, body: `Redirecting to ${to}` };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function issuedRefreshToken(reply: Reply | undefined): string | null {
  const body = reply?.body as { refresh_token?: unknown } | undefined;
  return typeof body?.refresh_token === 'string' ? body.refresh_token : null;
}

function newToken(prefix: string): string {
  return `${prefix}${crypto.randomBytes(24).toString('base64url')}`;
}

export class OAuthServer {
  consentMode: 'page' | 'auto';
  /**
   * How a dead refresh token is refused: `403 invalid_grant` (§1.4) or, as Atlassian also does,
   * `403 unauthorized_client` "refresh_token is invalid" (§10, reported).
   */
  refreshFailure: 'invalid_grant' | 'unauthorized_client' = 'invalid_grant';
  private readonly grants: Grant[] = [];
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly consents = new Map<string, PendingConsent>();
  private readonly rng: Rng;
  private nextGrantId = 1;
  /** Every code or refresh exchange answered, in order. */
  readonly exchanges: TokenExchange[] = [];

  constructor(
    private readonly state: ScenarioState,
    private readonly clock: FakeClock,
    private readonly accessTokenLifetimeSec: number,
    consentMode: 'page' | 'auto',
    seed: number,
  ) {
    this.consentMode = consentMode;
    this.rng = createRng(seed ^ 0x5eed);
  }

  /** `GET /authorize` (§1.1). Bad requests get an HTML error page, never a redirect. */
  authorize(q: URLSearchParams): Reply {
    const clientId = q.get('client_id');
    const app = clientId ? this.state.oauthApp(clientId) : undefined;
    if (!app) return errorPage('Invalid client_id: this app does not exist or is not shared.');
    const redirectUri = q.get('redirect_uri') ?? '';
    // §1.1: redirect_uri must match the app's registered callback URL. Never redirect elsewhere.
    if (!app.callbackUrls.includes(redirectUri)) {
      return errorPage('The redirect_uri does not match the callback URL registered for this app.');
    }
    if (q.get('audience') !== 'api.atlassian.com') return errorPage('Missing or invalid audience: expected api.atlassian.com.');
    if (q.get('response_type') !== 'code') return errorPage('Unsupported response_type: expected code.');
    const scopes = parseScopeParam(q.get('scope') ?? '');
    if (scopes.length === 0) return errorPage('The scope parameter is missing or empty.');
    const notConfigured = app.scopes ? scopes.filter((s) => !app.scopes!.includes(s)) : [];
    if (notConfigured.length > 0) return errorPage(`Scopes not configured for this app: ${notConfigured.join(', ')}`);
    const state = q.get('state');
    if (!state) return errorPage('The state parameter is missing.');

    const identityEmail = this.state.oauthUser;
    if (this.consentMode === 'auto') return redirect(withQuery(redirectUri, { code: this.issueCode(app.clientId, redirectUri, identityEmail, scopes), state }));

    const txn = newToken('txn_');
    this.consents.set(txn, { clientId: app.clientId, redirectUri, scopes, state, identityEmail });
    const identity = this.state.identity(identityEmail);
    const sites = identity.oauthSites.map((n) => `${n}.atlassian.net`);
    return htmlPage(
      200,
      `${app.name} is requesting access to your Atlassian account`,
      `<p>Signed in as ${escapeHtml(identity.displayName)} (${escapeHtml(identity.email)})</p>
<h2>Permissions</h2><ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<h2>Sites</h2><ul>${sites.map((s) => `<li>${escapeHtml(s)}</li>`).join('') || '<li>No sites</li>'}</ul>
<form method="post" action="/authorize/consent">
<input type="hidden" name="txn" value="${escapeHtml(txn)}">
<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="decline">Decline</button>
</form>`,
    );
  }

  /** `POST /authorize/consent` from the consent page's form. */
  consentDecision(form: URLSearchParams): Reply {
    const txn = form.get('txn') ?? '';
    const pending = this.consents.get(txn);
    if (!pending) return errorPage('This authorization request has expired. Start again from the app.');
    this.consents.delete(txn);
    if (form.get('decision') !== 'accept') {
      // §1.2: declining leads to access_denied (exact query UNCONFIRMED).
      return redirect(withQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }));
    }
    const code = this.issueCode(pending.clientId, pending.redirectUri, pending.identityEmail, pending.scopes);
    return redirect(withQuery(pending.redirectUri, { code, state: pending.state }));
  }

  private issueCode(clientId: string, redirectUri: string, identityEmail: string, scopes: string[]): string {
    const code = newToken('code_');
    this.codes.set(code, { clientId, redirectUri, identityEmail, scopes, expiresAt: this.clock.now() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** `POST /oauth/token` (§1.2, §1.4). `body` is the parsed JSON or form body. */
  token(body: Record<string, unknown>): Reply {
    const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const grantType = str('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauthError(400, grantType ? 'unsupported_grant_type' : 'invalid_request', grantType ? `Unsupported grant_type: ${grantType}` : 'grant_type is required');
    }
    // §1.3: the client secret is mandatory; missing or wrong → 401 access_denied.
    const app = this.state.oauthApp(str('client_id') ?? '');
    if (!app || str('client_secret') !== app.clientSecret) return oauthError(401, 'access_denied', 'Unauthorized');
    return grantType === 'authorization_code' ? this.exchangeCode(app.clientId, str('code'), str('redirect_uri')) : this.refresh(app.clientId, str('refresh_token'));
  }

  private exchangeCode(clientId: string, code: string | undefined, redirectUri: string | undefined): Reply {
    const pending = code ? this.codes.get(code) : undefined;
    const now = this.clock.now();
    const record = (outcome: TokenExchange['outcome'], reply?: Reply) =>
      this.exchanges.push({ at: now, grantType: 'authorization_code', refreshToken: null, issued: issuedRefreshToken(reply), outcome });
    if (!pending || pending.used || pending.expiresAt <= now || pending.clientId !== clientId) {
      record('refused');
      return oauthError(400, 'invalid_request', 'authorization_code is invalid');
    }
    if (redirectUri !== pending.redirectUri) {
      record('refused');
      // UNCONFIRMED body; RFC 6749 §4.1.3 requires the same redirect_uri as the authorize step.
      return oauthError(400, 'invalid_request', 'redirect_uri is invalid');
    }
    pending.used = true;
    const grant = this.grantFor(clientId, pending.identityEmail);
    const reply = this.issueTokens(grant, new Set(pending.scopes), now);
    record('issued', reply);
    return reply;
  }

  /** §1.4: one grant per app per account; a new consent adds its sites to the live grant. */
  private grantFor(clientId: string, identityEmail: string): Grant {
    const identity = this.state.identity(identityEmail);
    let grant = this.grants.find((g) => !g.revoked && g.clientId === clientId && g.identityEmail === identityEmail);
    if (!grant) {
      grant = { id: this.nextGrantId++, clientId, identityEmail, sites: new Set(), revoked: false };
      this.grants.push(grant);
    }
    for (const s of identity.oauthSites) grant.sites.add(s);
    return grant;
  }

  private issueTokens(grant: Grant, scopes: Set<string>, now: number, chainStartedAt = now): Reply {
    const accessToken = newToken('atl_at_');
    const access: AccessToken = { grant, scopes, expiresAt: now + this.accessTokenLifetimeSec * 1000, revokeAt: null };
    this.accessTokens.set(accessToken, access);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: this.accessTokenLifetimeSec,
      scope: [...scopes].join(' '),
      token_type: 'Bearer',
    };
    // §1.2: a refresh token only when offline_access was granted.
    if (scopes.has('offline_access')) {
      const refreshToken = newToken('atl_rt_');
      this.refreshTokens.set(refreshToken, { grant, scopes, issuedAt: now, chainStartedAt, rotatedAt: null, companion: access });
      body.refresh_token = refreshToken;
    }
    return { status: 200, body };
  }

  private refresh(clientId: string, token: string | undefined): Reply {
    const now = this.clock.now();
    const record = (outcome: TokenExchange['outcome'], reply?: Reply) =>
      this.exchanges.push({ at: now, grantType: 'refresh_token', refreshToken: token ?? null, issued: issuedRefreshToken(reply), outcome });
    const invalid = (): Reply => {
      record('refused');
      return this.refreshFailure === 'unauthorized_client'
        ? oauthError(403, 'unauthorized_client', 'refresh_token is invalid')
        : oauthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
    };
    const rt = token ? this.refreshTokens.get(token) : undefined;
    if (!rt || rt.grant.revoked || rt.grant.clientId !== clientId) return invalid();
    if (now - rt.issuedAt > REFRESH_INACTIVITY_MS || now - rt.chainStartedAt > REFRESH_ABSOLUTE_MS) return invalid();
    if (rt.rotatedAt !== null && now - rt.rotatedAt > ROTATION_LEEWAY_MS) {
      // §1.4: "Reuse of old tokens outside the leeway interval invalidates all refresh tokens".
      rt.grant.revoked = true;
      return invalid();
    }
    const outcome = rt.rotatedAt === null ? 'issued' : 'reused';
    if (rt.rotatedAt === null) {
      rt.rotatedAt = now;
      // §1.4 [rrt-leeway]: the old access token stays valid for the grace period, then is revoked.
      rt.companion.revokeAt = now + ROTATION_LEEWAY_MS;
    }
    const reply = this.issueTokens(rt.grant, rt.scopes, now, rt.chainStartedAt);
    record(outcome, reply);
    return reply;
  }

  /** The caller behind `Authorization: Bearer <token>`, or null when missing/expired/revoked. */
  authenticate(token: string): BearerCaller | null {
    const at = this.accessTokens.get(token);
    const now = this.clock.now();
    if (!at || at.grant.revoked || at.expiresAt <= now || (at.revokeAt !== null && at.revokeAt <= now)) return null;
    const identity = this.state.findIdentity(at.grant.identityEmail);
    if (!identity) return null;
    return { identity, scopes: at.scopes, sites: at.grant.sites };
  }

  /** `GET /oauth/token/accessible-resources` body (§1.5): every granted site, in no stable order. */
  accessibleResources(caller: BearerCaller): unknown[] {
    const productScopes = [...caller.scopes].filter((s) => s !== 'offline_access' && s !== 'read:me');
    const resources = [...caller.sites].flatMap((name) => {
      const site = this.state.siteByName(name);
      if (!site) return [];
      // A grant cannot reach a product the site does not have, so its Jira scopes are not listed
      // for a Confluence-only site. Whether a site with both is one entry or two is UNCONFIRMED
      // (§1.5); one entry, as [3LO-calls]' example shows.
      const scopes = site.site.jira ? productScopes : productScopes.filter((s) => s !== 'read:jira-user' && !s.endsWith(':jira'));
      return [{ id: site.site.cloudId, name: site.site.displayName, url: site.url, scopes, avatarUrl: AVATAR_URL }];
    });
    return shuffled(this.rng, resources);
  }

  /** Revokes every grant (§1.7): access tokens → 401, refresh → 403 invalid_grant. */
  revokeAllGrants(): void {
    for (const g of this.grants) g.revoked = true;
  }
}
