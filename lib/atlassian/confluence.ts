/**
 * `ConfluenceApi` (api.ts) over HTTP. Facts: ../../shared/atlassian-api.md §1.6 (base URLs),
 * §3 (Confluence), §4 (Jira).
 */
import { chunk } from '../chunk';
import type { BulkUser, ConfluenceApi, GroupPage, JiraUnavailableReason, JiraUser, MemberPage, RawMember } from './api';
import {
  AuthRevokedError,
  JiraUnavailableError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  ResponseShapeError,
  RetryExhaustedError,
  ScopeError,
  UnauthorizedError,
} from './errors';
import { createHttp, type Auth, type FetchLike, type RequestEvent } from './http';
import type { RetryPolicy } from './retry';
import {
  anonymousUserSchema,
  groupArrayWithLinksSchema,
  groupSchema,
  memberPageFastSchema,
  pageBeanUserFastSchema,
  pageBeanUserSchema,
  parseResponse,
  usersBulkFastSchema,
  usersBulkSchema,
  v1UserSchema,
} from './schemas';
import { normaliseSiteUrl } from './site-url';
import { z } from 'zod';

export interface ConfluenceApiOptions {
  fetch: FetchLike;
  /** Any form `normaliseSiteUrl` accepts; normally the canonical `https://<name>.atlassian.net`. */
  site: string;
  /** Required for bearer (OAuth) auth and for basic auth through the gateway. */
  cloudId: string | null;
  auth: Auth;
  /**
   * For basic (API-token) auth: `site` sends to `https://<name>.atlassian.net` (classic tokens),
   * `gateway` to `api.atlassian.com/ex/{product}/{cloudId}` (scoped tokens, §10). Default `site`.
   * OAuth always uses the gateway.
   */
  apiBase?: ApiBase;
  concurrency?: number;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRequest?: (event: RequestEvent) => void;
}

/** §3.2: `membersByGroupId` answers 400 for limit > 200; `group` and `group/picker` cap at 200 too. */
export const MAX_PAGE_LIMIT = 200;
/** §3.4: `POST /wiki/api/v2/users-bulk` takes 1–250 ids. */
export const USERS_BULK_MAX_IDS = 250;
/** §4: Jira's `user/bulk` pages by `maxResults` (default 10); we ask for this many ids per request. */
export const JIRA_USERS_PER_REQUEST = 50;

export type ApiBase = 'site' | 'gateway';

export function createConfluenceApi(options: ConfluenceApiOptions): ConfluenceApi {
  const site = normaliseSiteUrl(options.site);
  if (!site.ok) throw new Error(site.error);
  const { confluenceBase, jiraBase } = baseUrls(site.site, options.auth, options.cloudId, options.apiBase ?? 'site');
  const http = createHttp(options);

  return {
    async listGroups(start, limit = MAX_PAGE_LIMIT) {
      checkPaging(start, limit);
      const url = `${confluenceBase}/wiki/rest/api/group?start=${start}&limit=${limit}`;
      const data = await http.getJson(url, groupArrayWithLinksSchema, 'GET /wiki/rest/api/group');
      const result: GroupPage = {
        groups: data.results.map((g) => ({ id: g.id, name: g.name })),
        nextStart: nextStart(data._links.next, data.start, data.size, 'GET /wiki/rest/api/group'),
      };
      return result;
    },

    async groupExists(groupId) {
      if (groupId === '') throw new RangeError('groupId must not be empty.');
      const url = `${confluenceBase}/wiki/rest/api/group/by-id?id=${encodeURIComponent(groupId)}`;
      try {
        await http.getJson(url, groupSchema, 'GET /wiki/rest/api/group/by-id');
        return true;
      } catch (error) {
        // §3.1: `404` "Returned if the group does not exist."
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },

    async groupMembers(groupId, start, limit = MAX_PAGE_LIMIT, options = {}) {
      checkPaging(start, limit);
      if (groupId === '') throw new RangeError('groupId must not be empty.');
      const endpoint = 'GET /wiki/rest/api/group/{id}/membersByGroupId';
      // §3.2: `shouldReturnTotalSize=true` fills `totalSize`; only asked for when wanted.
      const total = options.withTotalSize ? '&shouldReturnTotalSize=true' : '';
      const url = `${confluenceBase}/wiki/rest/api/group/${encodeURIComponent(groupId)}/membersByGroupId?start=${start}&limit=${limit}${total}&expand=operations`;
      const data = await http.getJson(url, memberPageFastSchema, endpoint, { onAnswered: options.onAnswered });
      const { items, skipped } = data.results;
      const result: MemberPage = {
        members: items.map(toRawMember),
        skipped,
        // `start`/`size` are optional in the spec's UserArray; fall back to what we asked / got
        // (skipped entries included: they took their place on the page).
        nextStart: nextStart(data._links.next, data.start ?? start, data.size ?? items.length + skipped, endpoint),
      };
      if (options.withTotalSize && data.totalSize !== undefined) result.totalSize = data.totalSize;
      return result;
    },

    async currentUser() {
      const endpoint = 'GET /wiki/rest/api/user/current';
      const url = `${confluenceBase}/wiki/rest/api/user/current?expand=operations`;
      const data: unknown = await http.getJson(url, z.unknown(), endpoint);
      // A site with anonymous access answers credentials it did not accept as an anonymous user
      // without an accountId: that is a refusal, not an odd response (issue 8, item 8).
      if (anonymousUserSchema.safeParse(data).success || (typeof data === 'object' && data !== null && !('accountId' in data))) {
        throw new AuthRevokedError(`${site.site} answered as an anonymous user: the credentials were not accepted.`);
      }
      return toRawMember(parseResponse(v1UserSchema, data, endpoint));
    },

    async usersBulk(accountIds, options = {}) {
      const endpoint = 'POST /wiki/api/v2/users-bulk';
      const chunks = chunk(unique(accountIds), USERS_BULK_MAX_IDS);
      // onAnswered once every chunk's request is answered.
      let unanswered = chunks.length;
      const answered = () => {
        if (--unanswered === 0) options.onAnswered?.();
      };
      if (chunks.length === 0) options.onAnswered?.();
      const pages = await Promise.all(
        chunks.map(async (ids) => {
          try {
            return await http.postJson(`${confluenceBase}/wiki/api/v2/users-bulk`, { accountIds: ids }, usersBulkFastSchema, endpoint, { onAnswered: answered });
          } catch (error) {
            // §3.4: users-bulk answers 404 when "calling user does not have permission to use
            // Confluence or view user profiles" — a permission problem, not a missing resource.
            if (error instanceof NotFoundError) {
              throw new PermissionError(endpoint, 'the account cannot use Confluence or view user profiles');
            }
            throw error;
          }
        }),
      );
      return pages.flatMap((page) => page.results.items.map(toBulkUser));
    },

    async jiraUsers(accountIds) {
      const chunks = chunk(unique(accountIds), JIRA_USERS_PER_REQUEST);
      try {
        const pages = await Promise.all(chunks.map((ids) => jiraUsersChunk(ids)));
        return pages.flat();
      } catch (error) {
        throw jiraUnavailable(error);
      }
    },

    async probeJira() {
      try {
        await http.getJson(`${jiraBase}/rest/api/3/myself`, z.object({ accountId: z.string() }), 'GET /rest/api/3/myself', { optional: true });
        return { ok: true as const };
      } catch (error) {
        const unavailable = jiraUnavailable(error);
        return { ok: false as const, reason: unavailable.reason, detail: unavailable.detail };
      }
    },

    get requestCount() {
      return http.requestCount;
    },

    get rateLimit() {
      return http.rateLimit;
    },
  };

  async function jiraUsersChunk(ids: string[]): Promise<JiraUser[]> {
    const endpoint = 'GET /rest/api/3/user/bulk';
    const idParams = ids.map((id) => `accountId=${encodeURIComponent(id)}`).join('&');
    const users: JiraUser[] = [];
    let startAt = 0;
    for (;;) {
      // §4: maxResults defaults to 10, so set it to the number of ids asked for.
      const url = `${jiraBase}/rest/api/3/user/bulk?${idParams}&startAt=${startAt}&maxResults=${ids.length}`;
      const data = await http.getJson(url, pageBeanUserFastSchema, endpoint, { optional: true });
      const values = data.values.items;
      users.push(...values.map(toJiraUser));
      if (data.isLast !== false) return users;
      if (values.length === 0 && data.values.skipped === 0) throw new ResponseShapeError(endpoint, 'isLast is false but the page is empty');
      startAt = (data.startAt ?? startAt) + values.length + data.values.skipped;
    }
  }
}

/**
 * Any failure of a Jira call, as the reason the lookup is off (issue 8, item 2). Jira's own
 * answers (§4: 401, 403 without "Browse users and groups", 404 on a site without Jira, a missing
 * scope) and transport failures alike; only an abort of the caller is not Jira's doing, and it
 * surfaces through the caller's own signal.
 */
function jiraUnavailable(error: unknown): JiraUnavailableError {
  if (error instanceof JiraUnavailableError) return error;
  const make = (reason: JiraUnavailableReason, detail: string, status: number | null) => new JiraUnavailableError(reason, detail, status);
  if (error instanceof ScopeError) return make('scope', `the connection lacks the scope "${error.scope}"`, 401);
  if (error instanceof UnauthorizedError || error instanceof AuthRevokedError) return make('unauthorized', 'Jira did not accept the credentials (HTTP 401)', 401);
  if (error instanceof PermissionError) {
    return make('forbidden', `not permitted — the account needs Jira's "Browse users and groups" global permission (${error.detail})`, 403);
  }
  if (error instanceof NotFoundError) return make('absent', 'no Jira on this site (HTTP 404)', 404);
  if (error instanceof RateLimitedError) return make('rate-limited', `Jira is rate limited until ${new Date(error.until).toISOString()}`, error.status);
  if (error instanceof RetryExhaustedError) return make('unreachable', `Jira did not answer (${error.message})`, error.status);
  const message = error instanceof Error ? error.message : String(error);
  return make('unreachable', `Jira failed (${message})`, error instanceof Error && 'status' in error && typeof error.status === 'number' ? error.status : null);
}

/**
 * §1.6: OAuth tokens work only through the api.atlassian.com gateway (`/ex/{product}/{cloudId}`).
 * Classic API tokens work against the site itself; scoped API tokens only through the gateway,
 * with the same Basic `email:token` (§10, "Scoped API Tokens in Confluence Cloud").
 */
function baseUrls(site: string, auth: Auth, cloudId: string | null, apiBase: ApiBase): { confluenceBase: string; jiraBase: string } {
  if (auth.kind === 'basic' && apiBase === 'site') return { confluenceBase: site, jiraBase: site };
  if (cloudId === null || cloudId === '') {
    throw new Error(auth.kind === 'basic'
      ? 'API-token connections through api.atlassian.com need the site\'s cloudId (from tenant_info).'
      : 'OAuth connections need the site\'s cloudId (from accessible-resources).');
  }
  const id = encodeURIComponent(cloudId);
  return {
    confluenceBase: `https://api.atlassian.com/ex/confluence/${id}`,
    jiraBase: `https://api.atlassian.com/ex/jira/${id}`,
  };
}

function checkPaging(start: number, limit: number): void {
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`start must be a non-negative integer (got ${start}).`);
  // §3.2: limit > 200 is answered with 400, so refuse it here with a clearer message.
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_LIMIT} (got ${limit}).`);
  }
}

/**
 * §3.3: more pages exist only while `_links.next` is present; the next `start` is computed, never
 * parsed out of the link. An empty page that claims a next one would loop forever, so it is an error.
 */
function nextStart(next: string | undefined, start: number, size: number, endpoint: string): number | null {
  if (next === undefined) return null;
  if (size === 0) throw new ResponseShapeError(endpoint, '_links.next is present but the page is empty');
  return start + size;
}

function toRawMember(user: z.output<typeof v1UserSchema>): RawMember {
  return {
    accountId: user.accountId,
    accountType: user.accountType,
    // §3.5: hidden e-mail addresses come back as "" or null.
    email: user.email ? user.email : null,
    // §3.2 says publicName "will always contain a value"; if it does not, a name is still needed.
    publicName: user.publicName || user.displayName || user.accountId,
    displayName: user.displayName ?? null,
    isGuest: user.isGuest ?? null,
    isExternalCollaborator: user.isExternalCollaborator ?? null,
    operations: user.operations ? user.operations.map((o) => ({ operation: o.operation, targetType: o.targetType })) : null,
  };
}

function toBulkUser(user: z.output<typeof usersBulkSchema>['results']['items'][number]): BulkUser {
  return {
    accountId: user.accountId,
    accountType: user.accountType ?? null,
    accountStatus: user.accountStatus ?? null,
    email: user.email ? user.email : null,
  };
}

function toJiraUser(user: z.output<typeof pageBeanUserSchema>['values']['items'][number]): JiraUser {
  return {
    accountId: user.accountId,
    emailAddress: user.emailAddress ? user.emailAddress : null,
    active: user.active ?? null,
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
