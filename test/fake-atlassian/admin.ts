/**
 * The organisation admin API on api.atlassian.com/admin, as strict as Atlassian documents it:
 *
 * - Auth: `Authorization: Bearer <organisation API key>` only; OAuth tokens, site API tokens and
 *   anything else get `401 {"code":401,"message":"Unauthorized"}` (atlassian-api.md §11;
 *   developer.atlassian.com/cloud/admin/organization/rest/intro "Authentication"; admin OpenAPI
 *   `admin_organization.json` security `bearerAuth`, 401 `ProxyError`). A key is valid for its own
 *   organisation only: another organisation's paths answer `403 ADMIN-403-3` ("Not allowed to
 *   manage the org", OpenAPI `ApplicationError.code`).
 * - `GET /admin/v1/orgs` and `GET /admin/v1/orgs/{orgId}` (OpenAPI `getOrgs`, `getOrgById`; 404
 *   `ADMIN-404-2` "Organization not found").
 * - `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates`: snake_case
 *   `{data:{product_access:[{id,key,last_active,last_active_timestamp}],added_to_org,
 *   added_to_org_timestamp},links:{next}}`, `product_access` empty for products never used, `id`
 *   the product instance (here the site's cloud id: UNCONFIRMED, atlassian-api.md §11 does not say),
 *   paged by `cursor` (page size UNCONFIRMED; `lastActivePageSize`, default 10); 404 `ADMIN-404-8`
 *   "User not found" for an account outside the organisation, 400 `ADMIN-400-1` for a bad cursor
 *   (OpenAPI `UserProductAccessActivityPage`, `UserProductLastActive`; jira.js
 *   `UserProductAccessModel`, `UserProductLastActive`; go-atlassian `UserProductAccessScheme`).
 * - `POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search` (`-` = every directory):
 *   camelCase `{data:[{accountId,accountType,accountStatus,membershipStatus,claimStatus,addedToOrg,
 *   mfaEnabled?}],links:{next?}}`, `mfaEnabled` only for managed accounts, `limit` default 50
 *   (jira.js `searchDirectoryUsers`, `MultiDirectoryUserSearchRequest`, `MultiDirectoryUser`,
 *   `LinkPageCursor`); the largest `limit` accepted (100 here) is UNCONFIRMED.
 * - Rate limit: `limit` requests per sliding `windowMs` per organisation (default 200 per minute,
 *   atlassian-api.md §11 "reported ~200 requests per minute per organisation"); over it, `429`
 *   `ProxyError` with `Retry-After` (seconds) and `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
 *   `X-RateLimit-Reset` (§11; the reset's ISO 8601 minute format is the product APIs', §10 —
 *   UNCONFIRMED for the admin API). Every answer carries `X-RateLimit-Limit` and
 *   `X-RateLimit-Remaining` ("Rate limit response headers … for each endpoint", REST intro).
 *   Refused requests do not count.
 */
import { createHash } from 'node:crypto';
import type { FakeClock } from './clock';
import { gatewayError, type Reply } from './errors';
import { OrganisationSchema, type Organisation, type OrgUser } from './org-scenario';

export interface AdminRateLimit {
  limit: number;
  windowMs: number;
}

export interface AdminAnswer {
  /** Endpoint key for the request log, e.g. `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates`. */
  endpoint: string;
  reply: Reply;
}

export const ADMIN_ENDPOINTS = {
  orgs: 'GET /admin/v1/orgs',
  org: 'GET /admin/v1/orgs/{orgId}',
  lastActiveDates: 'GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates',
  searchUsers: 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
} as const;

const LAST_ACTIVE_RE = /^\/admin\/v1\/orgs\/([^/]+)\/directory\/users\/([^/]+)\/last-active-dates$/;
const SEARCH_RE = /^\/admin\/v2\/orgs\/([^/]+)\/directories\/([^/]+)\/users\/search$/;
const ORG_RE = /^\/admin\/v1\/orgs\/([^/]+)$/;
const SEARCH_DEFAULT_LIMIT = 50;
const SEARCH_MAX_LIMIT = 100;

/** OpenAPI `ApplicationErrors`: `{"errors":[{"id","status","code","title","detail"}]}`. */
export function adminError(status: number, code: string, title: string, detail: string): Reply {
  const id = createHash('sha256').update(`${code}:${detail}`).digest('hex').slice(0, 16);
  return { status, body: { errors: [{ id, status: String(status), code, title, detail }] } };
}

function cursorFor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function offsetOf(cursor: string): number | null {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export class FakeAdminApi {
  /** The organisation as the admin API serves it; mutate it between requests in a test. */
  readonly organisation: Organisation | null;
  rateLimit: AdminRateLimit = { limit: 200, windowMs: 60_000 };
  lastActivePageSize = 10;
  /** false: the user search answers 400, as on an organisation where Atlassian does not offer it. */
  searchAvailable = true;
  private readonly usersById = new Map<string, OrgUser>();
  private grants: number[] = [];

  constructor(
    organisation: Organisation | undefined,
    private readonly cloudIdOf: (siteName: string) => string | undefined,
    private readonly profileOf: (accountId: string) => { name: string; email: string | null } | undefined,
    private readonly clock: FakeClock,
  ) {
    this.organisation = organisation === undefined ? null : OrganisationSchema.parse(structuredClone(organisation));
    for (const u of this.organisation?.users ?? []) this.usersById.set(u.accountId, u);
  }

  /**
   * Every request, to any host the fake serves, that carried one of the organisation's API keys
   * (in a header, the URL or the body): tests check the key only ever goes to the admin API.
   */
  readonly keySightings: { host: string; path: string; where: 'header' | 'url' | 'body' }[] = [];

  /** Called by the server for every request before it is routed. */
  watchForKeys(host: string, url: URL, headers: Record<string, string | string[] | undefined>, rawBody: Buffer): void {
    const keys = this.organisation?.apiKeys ?? [];
    if (keys.length === 0) return;
    const found = (text: string) => keys.some((k) => text.includes(k));
    const headerText = Object.values(headers).flat().filter((v): v is string => typeof v === 'string').join('\n');
    if (found(headerText)) this.keySightings.push({ host, path: url.pathname, where: 'header' });
    if (found(url.href) || found(decodeSegment(url.href) ?? '')) this.keySightings.push({ host, path: url.pathname, where: 'url' });
    if (rawBody.length > 0 && found(rawBody.toString('utf8'))) this.keySightings.push({ host, path: url.pathname, where: 'body' });
  }

  /** Sets the rate limit and forgets the requests counted so far. */
  setRateLimit(limit: AdminRateLimit): void {
    if (!Number.isInteger(limit.limit) || limit.limit < 1 || !(limit.windowMs > 0)) throw new Error(`bad admin rate limit ${JSON.stringify(limit)}`);
    this.rateLimit = { ...limit };
    this.grants = [];
  }

  user(accountId: string): OrgUser {
    const u = this.usersById.get(accountId);
    if (!u) throw new Error(`no account ${accountId} in the organisation`);
    return u;
  }

  /** Changes an account in place (e.g. turn 2SV off, add activity) between requests. */
  updateUser(accountId: string, patch: Partial<Omit<OrgUser, 'accountId'>>): OrgUser {
    return Object.assign(this.user(accountId), patch);
  }

  handle(method: string, url: URL, authorization: string | undefined, rawBody: Buffer): AdminAnswer {
    const path = url.pathname;
    const lastActive = LAST_ACTIVE_RE.exec(path);
    const search = SEARCH_RE.exec(path);
    const org = ORG_RE.exec(path);
    let endpoint: string;
    if (method === 'GET' && lastActive) endpoint = ADMIN_ENDPOINTS.lastActiveDates;
    else if (method === 'POST' && search) endpoint = ADMIN_ENDPOINTS.searchUsers;
    else if (method === 'GET' && path === '/admin/v1/orgs') endpoint = ADMIN_ENDPOINTS.orgs;
    else if (method === 'GET' && org) endpoint = ADMIN_ENDPOINTS.org;
    else return { endpoint: `${method} ${path}`, reply: gatewayError(404, 'Not Found') };

    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const organisation = this.organisation;
    if (!m || organisation === null || !organisation.apiKeys.includes(m[1] as string)) {
      return { endpoint, reply: gatewayError(401, 'Unauthorized') };
    }

    const now = this.clock.now();
    const { limit, windowMs } = this.rateLimit;
    this.grants = this.grants.filter((t) => t > now - windowMs);
    if (this.grants.length >= limit) {
      const resetAt = (this.grants[0] as number) + windowMs;
      const retryAfterSec = Math.max(1, Math.ceil((resetAt - now) / 1000));
      return {
        endpoint,
        reply: {
          ...gatewayError(429, 'Too Many Requests'),
          headers: {
            'retry-after': String(retryAfterSec),
            'x-ratelimit-limit': String(limit),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': new Date(now + retryAfterSec * 1000).toISOString().slice(0, 16) + 'Z',
          },
        },
      };
    }
    this.grants.push(now);
    const reply = this.route(endpoint, organisation, url, rawBody, lastActive ?? search ?? org);
    return {
      endpoint,
      reply: { ...reply, headers: { ...reply.headers, 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(limit - this.grants.length) } },
    };
  }

  private route(endpoint: string, organisation: Organisation, url: URL, rawBody: Buffer, match: RegExpExecArray | null): Reply {
    if (endpoint === ADMIN_ENDPOINTS.orgs) {
      return { status: 200, body: { data: [this.orgModel(organisation)], links: {} } };
    }
    const orgId = decodeSegment(match?.[1] ?? '');
    if (orgId !== organisation.id) {
      if (endpoint === ADMIN_ENDPOINTS.org) return adminError(404, 'ADMIN-404-2', 'Organization not found', `No organization ${orgId ?? ''} for this API key`);
      return adminError(403, 'ADMIN-403-3', 'Not allowed to manage the org', 'The API key does not belong to this organization');
    }
    if (endpoint === ADMIN_ENDPOINTS.org) return { status: 200, body: { data: this.orgModel(organisation) } };
    if (endpoint === ADMIN_ENDPOINTS.lastActiveDates) return this.lastActiveDates(decodeSegment(match?.[2] ?? ''), url.searchParams);
    return this.searchUsers(decodeSegment(match?.[2] ?? ''), rawBody);
  }

  private orgModel(organisation: Organisation) {
    return { id: organisation.id, type: 'orgs', attributes: { name: organisation.name }, links: { self: `https://api.atlassian.com/admin/v1/orgs/${organisation.id}` } };
  }

  private lastActiveDates(accountId: string | null, query: URLSearchParams): Reply {
    const user = accountId === null ? undefined : this.usersById.get(accountId);
    if (!user) return adminError(404, 'ADMIN-404-8', 'User not found', `No user ${accountId ?? ''} in this organization's directory`);
    const cursor = query.get('cursor');
    const offset = cursor === null ? 0 : offsetOf(cursor);
    if (offset === null) return adminError(400, 'ADMIN-400-1', 'Invalid page cursor', 'The cursor is not one this API issued');
    const entries = user.productAccess
      .map((p) => ({ id: this.cloudIdOf(p.site) ?? p.site, key: p.key, last_active: p.lastActive, last_active_timestamp: `${p.lastActive}T09:30:00Z` }))
      .sort((a, b) => (a.key === b.key ? (a.id < b.id ? -1 : 1) : a.key < b.key ? -1 : 1));
    const page = entries.slice(offset, offset + this.lastActivePageSize);
    const more = offset + this.lastActivePageSize < entries.length;
    return {
      status: 200,
      body: {
        data: { product_access: page, added_to_org: user.addedToOrg, added_to_org_timestamp: `${user.addedToOrg}T08:00:00Z` },
        links: more ? { next: cursorFor(offset + this.lastActivePageSize) } : {},
      },
    };
  }

  private searchUsers(directoryId: string | null, rawBody: Buffer): Reply {
    if (directoryId !== '-') return adminError(404, 'ADMIN-404-1', 'Unknown resource', `No directory ${directoryId ?? ''}`);
    if (!this.searchAvailable) return adminError(400, 'ADMIN-400-4', 'Invalid resource', 'User search is not available for this organization');
    let body: unknown;
    try {
      body = rawBody.length === 0 ? {} : JSON.parse(rawBody.toString('utf8'));
    } catch {
      return adminError(400, 'ADMIN-400-24', 'Invalid request body', 'The body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return adminError(400, 'ADMIN-400-24', 'Invalid request body', 'The body must be an object');
    const { accountIds, limit = SEARCH_DEFAULT_LIMIT, cursor } = body as { accountIds?: unknown; limit?: unknown; cursor?: unknown };
    if (accountIds !== undefined && !(Array.isArray(accountIds) && accountIds.every((a) => typeof a === 'string'))) {
      return adminError(400, 'ADMIN-400-24', 'Invalid request body', 'accountIds must be an array of strings');
    }
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT) {
      return adminError(400, 'ADMIN-400-24', 'Invalid request body', `limit must be 1..${SEARCH_MAX_LIMIT}`);
    }
    const offset = cursor === undefined ? 0 : typeof cursor === 'string' ? offsetOf(cursor) : null;
    if (offset === null) return adminError(400, 'ADMIN-400-1', 'Invalid page cursor', 'The cursor is not one this API issued');

    const wanted = accountIds === undefined ? null : new Set(accountIds as string[]);
    const all = (this.organisation?.users ?? []).filter((u) => wanted === null || wanted.has(u.accountId));
    const page = all.slice(offset, offset + limit).map((u) => {
      const profile = this.profileOf(u.accountId);
      return {
        accountId: u.accountId,
        accountType: 'atlassian',
        accountStatus: u.accountStatus,
        membershipStatus: u.accountStatus === 'active' ? 'active' : 'suspended',
        claimStatus: u.managed ? 'managed' : 'unmanaged',
        addedToOrg: `${u.addedToOrg}T08:00:00Z`,
        ...(profile ? { name: profile.name, ...(profile.email ? { email: profile.email } : {}) } : {}),
        ...(u.managed ? { mfaEnabled: u.mfaEnabled } : {}),
      };
    });
    const more = offset + limit < all.length;
    return { status: 200, body: { data: page, links: more ? { next: cursorFor(offset + limit) } : {} } };
  }
}
