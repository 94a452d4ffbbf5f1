/**
 * Client for the two organisation admin API calls issue 11 needs, authenticated with an
 * organisation API key (`Authorization: Bearer <key>`) and sent only to
 * https://api.atlassian.com/admin/… (../shared/atlassian-api.md §11; Atlassian admin OpenAPI
 * `admin_organization.json`, servers `https://api.atlassian.com/admin`, security `bearerAuth`):
 *
 * - `lastActiveDates(accountId)`: `GET /v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates`
 *   → `data.product_access[]` (`id`, `key`, `last_active` yyyy-MM-dd, `last_active_timestamp`),
 *   `data.added_to_org`, `links.next` (a cursor, followed). snake_case. "If the user has not
 *   accessed a product, the product_access response field will be empty"; data may lag up to 24 h
 *   (OpenAPI description; go-atlassian docs say 4 h). 404 `ADMIN-404-8` (user not found: not in the
 *   organisation's directory) → null.
 * - `searchUsers(accountIds)`: `POST /v2/orgs/{orgId}/directories/-/users/search` with
 *   `{accountIds}` → `data[]` with camelCase `accountId`, `accountStatus`, `mfaEnabled` (managed
 *   accounts only), `links.next` (cursor). `-` as directoryId means every directory the key may see
 *   (jira.js `admin.searchDirectoryUsers`, `MultiDirectoryUserSearchRequest`, `MultiDirectoryUser`).
 *   The camelCase / snake_case split between the two is real (§11): a search answer whose items all
 *   lack `accountId` is refused, never read as "no users".
 *
 * Why not lib/atlassian/http.ts: its endpoint names and scopes are the product APIs' closed list,
 * its 401 means "refresh the OAuth token" (an API key cannot be refreshed), it reads only
 * `Retry-After`, and it limits concurrency, where this API limits requests per minute. The pieces
 * that fit are reused: retry decisions (retry.ts), error classes (errors.ts), zod validation
 * (schemas.ts).
 *
 * Errors: `OrgApiKeyError` (401: revoked, expired, or a key with scopes), `OrgPermissionError` (403),
 * `OrgNotFoundError` (404 organisation), `OrgRateLimitedError` (429 asking to wait longer than the
 * retry policy allows: checkpoint and resume at `retryAt`), and lib/atlassian's
 * `RetryExhaustedError`, `ResponseShapeError`, `HttpError`. No message ever contains the key.
 *
 * `toAccountActivity` turns the answers into the review's `AccountActivity` for one site.
 */
import { z } from 'zod';
import { AtlassianError, HttpError, ResponseShapeError, RetryExhaustedError } from '../atlassian/errors';
import type { FetchLike } from '../atlassian/http';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from '../atlassian/retry';
import { extractErrorMessage, parseResponse } from '../atlassian/schemas';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { ACCOUNT_ID_PATTERN, type AccountActivity, type LastActive } from './types';

export const ADMIN_API_BASE = 'https://api.atlassian.com/admin';

export const ORG_ENDPOINTS = {
  lastActiveDates: 'GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates',
  searchUsers: 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
} as const;
export type OrgEndpoint = (typeof ORG_ENDPOINTS)[keyof typeof ORG_ENDPOINTS];

/**
 * Retries as for the product APIs (retry.ts), but a rate-limit wait longer than a minute is not
 * slept through: an MV3 worker may be stopped while it sleeps, so the caller pauses instead
 * (`OrgRateLimitedError`, phase.ts), as issue 8 does for the sync.
 */
export const ORG_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 60_000 };

/** Ids in the search body per request: the search's default page size (jira.js: "Defaults to 50"). */
export const SEARCH_CHUNK = 50;
/** A cursor chain longer than this is a loop, not data. */
const MAX_PAGES = 100;

// ---------------------------------------------------------------------------------------------
// Response schemas (lenient on fields we do not use, strict on the ones we do)

const dateLike = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date yyyy-MM-dd');
const cursorLinks = z.object({ next: z.string().nullish() }).nullish();

/** OpenAPI `UserProductAccessActivityPage` / jira.js `UserProductAccessModel` (`product_access` required). */
export const lastActiveDatesPageSchema = z.object({
  data: z.object({
    product_access: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        last_active: dateLike.nullish(),
        last_active_timestamp: dateLike.nullish(),
      }),
    ),
    added_to_org: dateLike.nullish(),
  }),
  links: cursorLinks,
});

/** jira.js `MultiDirectoryUserSearchPage` / `MultiDirectoryUser` (every field optional there). */
export const userSearchPageSchema = z.object({
  data: z.array(
    z.object({
      accountId: z.string().min(1).optional(),
      accountStatus: z.string().nullish(),
      membershipStatus: z.string().nullish(),
      mfaEnabled: z.boolean().nullish(),
      addedToOrg: z.string().nullish(),
    }),
  ),
  links: cursorLinks,
});

/** OpenAPI `ApplicationError`: `{"errors":[{"id","status","code":"ADMIN-404-8","title","detail"}]}`. */
const applicationErrorsSchema = z.object({
  errors: z.array(z.object({ code: z.string().optional(), title: z.string().optional(), detail: z.string().optional() })).min(1),
});

// ---------------------------------------------------------------------------------------------
// What the client returns

export interface ProductLastActive {
  /** Unique ID of the product instance (for Confluence and Jira, the site's cloud id). */
  id: string;
  key: string;
  /** yyyy-MM-dd, or null when the entry has no date. */
  lastActive: string | null;
}

export interface LastActiveDates {
  productAccess: ProductLastActive[];
  addedToOrg: string | null;
}

export interface OrgUser {
  accountId: string;
  accountStatus: string | null;
  membershipStatus: string | null;
  /** Only managed accounts carry it; null when absent. */
  mfaEnabled: boolean | null;
  addedToOrg: string | null;
}

export interface OrgRequestEvent {
  method: 'GET' | 'POST';
  /** Never carries the key: it travels in a header only. */
  url: string;
  endpoint: OrgEndpoint;
  attempt: number;
  status: number | null;
  durationMs: number;
}

export interface OrgApiOptions {
  fetch: FetchLike;
  /** The organisation API key. Stays in the background; sent only to ADMIN_API_BASE. */
  apiKey: string;
  orgId: string;
  /** The organisation's shared budget (one per org); default a fresh `createRateLimiter()`. */
  limiter?: RateLimiter;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onRequest?: (event: OrgRequestEvent) => void;
}

export interface OrgApi {
  readonly orgId: string;
  readonly limiter: RateLimiter;
  /** Every product's last-active date for the account, or null when it is not in the organisation. */
  lastActiveDates(accountId: string): Promise<LastActiveDates | null>;
  /** Status and 2SV of these accounts, where the search returns them (absent accounts are left out). */
  searchUsers(accountIds: readonly string[]): Promise<OrgUser[]>;
  /** Attempts sent so far, retries included. */
  readonly requestCount: number;
}

// ---------------------------------------------------------------------------------------------
// Errors (messages safe to show and to log: never the key)

/** 401: the key is revoked, expired (keys last at most a year), mistyped, or was created with scopes (§11, AX-631). */
export class OrgApiKeyError extends AtlassianError {
  constructor(message = 'Atlassian rejected the organization API key (revoked, expired, mistyped, or created with scopes). Create a key without scopes in Atlassian Administration and enter it again.') {
    super(message, 401);
  }
}

/** 403: the key may not read this organisation's users (`ADMIN-403-3` "Not allowed to manage the org"). */
export class OrgPermissionError extends AtlassianError {
  constructor(readonly endpoint: OrgEndpoint, detail: string) {
    super(`The organization API key may not read users of this organization (${endpoint}: ${detail})`, 403);
  }
}

/** 404 for the organisation itself (`ADMIN-404-2`): a wrong Organization ID, or a key of another organisation. */
export class OrgNotFoundError extends AtlassianError {
  constructor(readonly endpoint: OrgEndpoint, detail: string) {
    super(`Atlassian knows no organization with this ID for this key (${endpoint}: ${detail}). Check the Organization ID.`, 404);
  }
}

/** A 429 asking to wait longer than the retry policy waits in place: pause the phase until `retryAt`. */
export class OrgRateLimitedError extends AtlassianError {
  constructor(
    readonly endpoint: OrgEndpoint,
    /** Epoch ms from which requests may be sent again. */
    readonly retryAt: number,
  ) {
    super(`Atlassian's admin API rate limit: paused until ${new Date(retryAt).toISOString()}`, 429);
  }
}

/** 400: the request was refused as such (e.g. the search is not available on this organisation). */
export class OrgBadRequestError extends HttpError {
  constructor(readonly endpoint: OrgEndpoint, detail: string) {
    super(`${endpoint} was refused (HTTP 400): ${detail}`, 400);
  }
}

// ---------------------------------------------------------------------------------------------

/** Organisation ids are UUIDs; anything that could leave the path segment is refused. */
const ORG_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A key is one printable ASCII token: whitespace or control characters mean a paste went wrong. */
const API_KEY = /^[\x21-\x7e]{1,4096}$/;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A path segment for an account id, keeping `:` as client libraries send it. */
function accountSegment(accountId: string): string {
  return encodeURIComponent(accountId).replace(/%3A/gi, ':');
}

/** `X-RateLimit-Reset` as an ISO 8601 time (§10), epoch seconds or ms, or seconds to wait: ms to wait, or null. */
export function parseRateLimitReset(value: string, nowMs: number): number | null {
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (n > 1e12) return Math.max(0, Math.ceil(n - nowMs));
    if (n > 1e9) return Math.max(0, Math.ceil(n * 1000 - nowMs));
    return Math.ceil(n * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) && !/[a-z]{3},/i.test(v)) return null;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The wait a 429/503 asks for: `Retry-After` first, else `X-RateLimit-Reset` (§10, §11). */
function rateLimitWait(headers: Headers, nowMs: number): number | null {
  const retryAfter = headers.get('Retry-After');
  const fromRetryAfter = retryAfter === null ? null : parseRetryAfter(retryAfter, nowMs);
  if (fromRetryAfter !== null) return fromRetryAfter;
  const reset = headers.get('X-RateLimit-Reset');
  return reset === null ? null : parseRateLimitReset(reset, nowMs);
}

function adminErrorMessage(text: string): { code: string | null; message: string | null } {
  try {
    const parsed = applicationErrorsSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const first = parsed.data.errors[0];
      const message = [first?.title, first?.detail].filter((s) => s !== undefined && s !== '').join(': ');
      return { code: first?.code ?? null, message: message === '' ? (first?.code ?? null) : message.slice(0, 300) };
    }
  } catch {
    // not JSON: a proxy's HTML page
  }
  return { code: null, message: extractErrorMessage(text) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

export function createOrgApi(options: OrgApiOptions): OrgApi {
  const { apiKey, orgId, onRequest } = options;
  if (!API_KEY.test(apiKey)) throw new OrgApiKeyError('The organization API key contains spaces or characters a key cannot have. Paste the key again.');
  if (!ORG_ID.test(orgId)) throw new AtlassianError('The Organization ID is not valid: copy it from the Atlassian Administration URL (admin.atlassian.com/o/<id>/…).');
  const doFetch = options.fetch;
  const policy = options.policy ?? ORG_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const limiter = options.limiter ?? createRateLimiter({ now, sleep });
  const secrets = [apiKey, `Bearer ${apiKey}`];
  let requestCount = 0;

  const redact = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };

  function url(path: string): string {
    const full = `${ADMIN_API_BASE}${path}`;
    // The key goes nowhere else: refuse anything that would leave the admin API.
    const parsed = new URL(full);
    if (parsed.origin !== 'https://api.atlassian.com' || !parsed.pathname.startsWith('/admin/')) throw new Error(`Refusing to send the organization API key to ${parsed.origin}`);
    return full;
  }

  /**
   * One call with retries. `on404` turns a 404 into a value (given Atlassian's error code), or
   * returns undefined to let it be an error.
   */
  async function request<S extends z.ZodType, T = never>(
    method: 'GET' | 'POST',
    target: string,
    body: unknown,
    schema: S,
    endpoint: OrgEndpoint,
    on404?: (code: string | null) => T | undefined,
  ): Promise<z.output<S> | T> {
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire();
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${apiKey}` };
      const init: RequestInit = { method, headers };
      if (method === 'POST') {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      requestCount++;
      const started = now();
      let status: number;
      let text: string;
      let responseHeaders: Headers;
      try {
        const res = await doFetch(target, init);
        status = res.status;
        responseHeaders = res.headers;
        text = await res.text();
      } catch (error) {
        onRequest?.({ method, url: target, endpoint, attempt, status: null, durationMs: now() - started });
        const decision = decideRetry({ attempt, status: null, retryAfterHeader: null, networkError: true, nowMs: now() }, policy, random);
        if (decision.retry) {
          await sleep(decision.delayMs);
          continue;
        }
        throw new RetryExhaustedError(endpoint, attempt, redact(`network error: ${describe(error)}`), null);
      }
      onRequest?.({ method, url: target, endpoint, attempt, status, durationMs: now() - started });

      if (status >= 200 && status < 300) {
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch {
          throw new ResponseShapeError(endpoint, 'the body is not JSON');
        }
        return parseResponse(schema, data, endpoint);
      }

      const { code, message: raw } = adminErrorMessage(text);
      const message = raw === null ? null : redact(raw);
      if (status === 401) throw new OrgApiKeyError();
      if (status === 403) throw new OrgPermissionError(endpoint, message ?? 'Forbidden');
      if (status === 404) {
        const value = on404?.(code);
        if (value !== undefined) return value;
        throw new OrgNotFoundError(endpoint, message ?? 'Not Found');
      }
      if (status === 400) throw new OrgBadRequestError(endpoint, message ?? 'Bad Request');

      if (status === 429 || status === 503) {
        const wait = rateLimitWait(responseHeaders, now());
        if (wait !== null) {
          if (attempt >= policy.maxAttempts) throw new RetryExhaustedError(endpoint, attempt, `HTTP ${status}, rate limited`, status);
          if (wait > policy.maxRetryAfterMs) throw new OrgRateLimitedError(endpoint, now() + wait);
          // Every request for this organisation waits it out (the limiter holds them all).
          limiter.pauseUntil(now() + wait);
          continue;
        }
      }
      const decision = decideRetry({ attempt, status, retryAfterHeader: null, networkError: false, nowMs: now() }, policy, random);
      if (decision.retry) {
        await sleep(decision.delayMs);
        continue;
      }
      const detail = `HTTP ${status}${message ? `: ${message}` : ''}`;
      if (decision.reason === 'attempts-exhausted') throw new RetryExhaustedError(endpoint, attempt, detail, status);
      throw new HttpError(`${endpoint} failed with ${detail}`, status);
    }
  }

  async function lastActiveDates(accountId: string): Promise<LastActiveDates | null> {
    if (!ACCOUNT_ID_PATTERN.test(accountId)) throw new AtlassianError(`"${accountId.slice(0, 140)}" is not an Atlassian account id`);
    const path = `/v1/orgs/${orgId}/directory/users/${accountSegment(accountId)}/last-active-dates`;
    const out: LastActiveDates = { productAccess: [], addedToOrg: null };
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const target: string = url(cursor === null ? path : `${path}?cursor=${encodeURIComponent(cursor)}`);
      // OpenAPI: 404 ADMIN-404-8 "User not found" — the account is not in this organisation.
      const answer = await request('GET', target, undefined, lastActiveDatesPageSchema, ORG_ENDPOINTS.lastActiveDates, (code) => (code === 'ADMIN-404-8' ? null : undefined));
      if (answer === null) return null;
      for (const p of answer.data.product_access) {
        const date = p.last_active ?? p.last_active_timestamp ?? null;
        out.productAccess.push({ id: p.id, key: p.key, lastActive: date === null ? null : date.slice(0, 10) });
      }
      out.addedToOrg ??= answer.data.added_to_org?.slice(0, 10) ?? null;
      cursor = answer.links?.next ?? null;
      if (cursor === null || cursor === '') return out;
    }
    throw new ResponseShapeError(ORG_ENDPOINTS.lastActiveDates, `links.next: more than ${MAX_PAGES} pages`);
  }

  async function searchUsers(accountIds: readonly string[]): Promise<OrgUser[]> {
    const ids = [...new Set(accountIds)];
    for (const id of ids) if (!ACCOUNT_ID_PATTERN.test(id)) throw new AtlassianError(`"${id.slice(0, 140)}" is not an Atlassian account id`);
    const target = url(`/v2/orgs/${orgId}/directories/-/users/search`);
    const users: OrgUser[] = [];
    for (let i = 0; i < ids.length; i += SEARCH_CHUNK) {
      const chunk = ids.slice(i, i + SEARCH_CHUNK);
      let cursor: string | null = null;
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new ResponseShapeError(ORG_ENDPOINTS.searchUsers, `links.next: more than ${MAX_PAGES} pages`);
        const body: Record<string, unknown> = { accountIds: chunk };
        if (cursor !== null) body.cursor = cursor;
        const answer = await request('POST', target, body, userSearchPageSchema, ORG_ENDPOINTS.searchUsers);
        // §11: this endpoint is camelCase; items that all lack `accountId` are a shape change, not "no users".
        if (answer.data.length > 0 && answer.data.every((u) => u.accountId === undefined)) {
          throw new ResponseShapeError(ORG_ENDPOINTS.searchUsers, 'data[0].accountId: missing (is the answer snake_case?)');
        }
        for (const u of answer.data) {
          if (u.accountId === undefined) continue;
          users.push({
            accountId: u.accountId,
            accountStatus: u.accountStatus ?? null,
            membershipStatus: u.membershipStatus ?? null,
            mfaEnabled: u.mfaEnabled ?? null,
            addedToOrg: u.addedToOrg ?? null,
          });
        }
        cursor = answer.links?.next ?? null;
        if (cursor === null || cursor === '') break;
      }
    }
    return users;
  }

  return {
    orgId,
    limiter,
    lastActiveDates,
    searchUsers,
    get requestCount() {
      return requestCount;
    },
  };
}

/**
 * Whether a `product_access` entry is Confluence on the site with this cloud id. The entry's `id`
 * is the "Unique ID of the Product instance" (OpenAPI); that it is the site's cloud id (bare, or at
 * the end of an ARI `ari:cloud:confluence::site/<cloudId>`) is UNCONFIRMED, hence the tolerance
 * and the unknown answer below when no entry matches.
 */
function isSiteConfluence(entry: ProductLastActive, cloudId: string): boolean {
  if (entry.key !== 'confluence') return false;
  const id = entry.id.toLowerCase();
  const cloud = cloudId.toLowerCase();
  return id === cloud || id.endsWith(`/${cloud}`);
}

/**
 * One account's activity on one site from the two answers:
 * - last active: the site's Confluence entry's date; `never` when the account used no product at
 *   all or no Confluence anywhere (an empty answer means "not accessed", OpenAPI); unknown (null)
 *   when it used Confluence only on entries we cannot tie to this site, when the site's entry has
 *   no date, or when the account is not in the organisation.
 * - 2SV from `mfaEnabled` (managed accounts only), status from `accountStatus`.
 */
export function toAccountActivity(accountId: string, dates: LastActiveDates | null, user: OrgUser | null, cloudId: string): AccountActivity {
  let lastActive: LastActive = null;
  if (dates !== null) {
    const site = dates.productAccess.filter((p) => isSiteConfluence(p, cloudId));
    if (site.length > 0) {
      lastActive = site.reduce<string | null>((latest, p) => (p.lastActive !== null && (latest === null || p.lastActive > latest) ? p.lastActive : latest), null);
    } else if (!dates.productAccess.some((p) => p.key === 'confluence')) {
      lastActive = 'never';
    }
  }
  const accountStatus = user?.accountStatus ?? null;
  return {
    accountId,
    lastActive,
    lastActiveScope: 'site',
    mfa: user?.mfaEnabled === true ? 'on' : user?.mfaEnabled === false ? 'off' : null,
    status: accountStatus === 'active' ? 'active' : accountStatus === 'inactive' || accountStatus === 'closed' ? 'inactive' : null,
    addedToOrg: dates?.addedToOrg ?? user?.addedToOrg?.slice(0, 10) ?? null,
  };
}
