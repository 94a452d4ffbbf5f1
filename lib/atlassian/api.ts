/**
 * What the sync needs from Atlassian, independent of how it authenticates (OAuth 3LO through
 * api.atlassian.com/ex/…/{cloudId}, or Basic email:API-token against <site>.atlassian.net).
 * Implemented by `createConfluenceApi` in ./confluence.ts; the sync engine depends only on this.
 * Facts: ../shared/atlassian-api.md §3 (Confluence v1/v2) and §4 (Jira).
 */
import type { Operation } from '../model';
import type { RateLimitStats } from './http';

export interface GroupPage {
  groups: { id: string; name: string }[];
  /** `start` of the next page, or null when `_links.next` was absent. */
  nextStart: number | null;
}

/** A member as Confluence v1 `membersByGroupId?expand=operations` returns it, validated. */
export interface RawMember {
  accountId: string;
  accountType: 'atlassian' | 'app' | '';
  /** `""` or null when hidden by the user's profile visibility. */
  email: string | null;
  publicName: string;
  displayName: string | null;
  isGuest: boolean | null;
  /** Deprecated alias of isGuest; still returned by older sites. */
  isExternalCollaborator: boolean | null;
  /** null when the response had no operations expansion. */
  operations: Operation[] | null;
}

export interface MemberPage {
  members: RawMember[];
  /**
   * Entries of the page that were not members the review can use — `null`, or without an
   * accountId (the v1 spec marks both nullable) — and were left out. Counted, never fatal.
   */
  skipped: number;
  nextStart: number | null;
  /**
   * Members in the whole group, when asked for (`withTotalSize`) and returned
   * (`shouldReturnTotalSize=true`, atlassian-api.md §3.2); lets later pages be fetched in parallel.
   */
  totalSize?: number;
}

/** What a caller may ask of one call. */
export interface CallOptions {
  /**
   * Called once the call's requests have all been answered (2xx, body read), before the answers
   * are parsed: a caller that limits its requests in flight can let the next one go then, instead
   * of holding the slot while this one is parsed and validated.
   */
  onAnswered?: () => void;
}

export interface GroupMembersOptions extends CallOptions {
  /** Ask for `totalSize` too. Costs Atlassian extra work, so ask only on a group's first page. */
  withTotalSize?: boolean;
}

/** v2 `POST /wiki/api/v2/users-bulk` result item. */
export interface BulkUser {
  accountId: string;
  accountType: 'atlassian' | 'app' | 'customer' | 'unknown' | null;
  accountStatus: 'active' | 'inactive' | 'closed' | 'unknown' | null;
  email: string | null;
}

/** Why the Jira email lookup is off; the sync notes it and goes on without Jira (issue 8, item 2). */
export type JiraUnavailableReason = 'unauthorized' | 'scope' | 'forbidden' | 'absent' | 'unreachable' | 'rate-limited';

/** Jira `GET /rest/api/3/user/bulk` result item. */
export interface JiraUser {
  accountId: string;
  emailAddress: string | null;
  active: boolean | null;
}

export interface ConfluenceApi {
  /** `GET /wiki/rest/api/group?start&limit` (limit ≤ 200). */
  listGroups(start: number, limit?: number): Promise<GroupPage>;
  /**
   * `GET /wiki/rest/api/group/by-id?id=`: false on its documented 404 ("Returned if the group
   * does not exist", §3.1), true on 200.
   */
  groupExists(groupId: string): Promise<boolean>;
  /** `GET /wiki/rest/api/group/{id}/membersByGroupId?start&limit&expand=operations` (limit ≤ 200). */
  groupMembers(groupId: string, start: number, limit?: number, options?: GroupMembersOptions): Promise<MemberPage>;
  /**
   * `POST /wiki/api/v2/users-bulk`; any number of ids, sent in chunks of ≤ 250 (the endpoint's
   * limit). Throws PermissionError (XsrfRefusedError for an XSRF refusal) when refused.
   */
  usersBulk(accountIds: string[], options?: CallOptions): Promise<BulkUser[]>;
  /**
   * Jira `GET /rest/api/3/user/bulk`, any number of ids (sent 50 per request with an explicit
   * maxResults, since Jira's default page is 10; `isLast: false` pages are followed). Jira is
   * optional: any refusal or failure — 401 (never followed by a token refresh), scope, 403 (no
   * "Browse users and groups"), 404 (no Jira), network, rate limit — is a JiraUnavailableError.
   */
  jiraUsers(accountIds: string[]): Promise<JiraUser[]>;
  /** Jira `GET /rest/api/3/myself`: does this connection reach a Jira? Never throws for Jira's answer. */
  probeJira(): Promise<{ ok: true } | { ok: false; reason: JiraUnavailableReason; detail: string }>;
  /**
   * `GET /wiki/rest/api/user/current?expand=operations`. An anonymous answer (a site with
   * anonymous access and credentials it did not accept) is an AuthRevokedError.
   */
  currentUser(): Promise<RawMember>;
  /** Requests sent so far (for sync history and benchmarks). */
  readonly requestCount: number;
  /** What Atlassian's rate limiting did to this client's requests. */
  readonly rateLimit: RateLimitStats;
}
