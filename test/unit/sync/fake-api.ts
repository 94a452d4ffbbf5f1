/** A hand-written in-memory ConfluenceApi for sync tests: pages like Confluence, counts calls. */
import type { BulkUser, ConfluenceApi, GroupMembersOptions, GroupPage, JiraUser, MemberPage, RawMember } from '../../../lib/atlassian/api';
import { HttpError, NotFoundError } from '../../../lib/atlassian/errors';
import type { RateLimitStats } from '../../../lib/atlassian/http';

export type ApiCall =
  | { method: 'groupMembers'; groupId: string; start: number; limit: number }
  | { method: 'groupExists'; groupId: string }
  | { method: 'usersBulk'; ids: string[] }
  | { method: 'jiraUsers'; ids: string[] };

export interface FakeData {
  /**
   * Members per group id, in Confluence's order. A group absent here no longer exists:
   * membersByGroupId answers 404 and group/by-id says so (atlassian-api.md §3.1).
   */
  members: Record<string, RawMember[]>;
  /** Entries skipped per page (null or without accountId), as the client reports them. */
  skippedPerPage?: Record<string, number>;
  /** users-bulk answers; accounts missing here are not returned. */
  bulk?: Record<string, Partial<BulkUser>>;
  /** Jira answers; accounts missing here are not returned. */
  jira?: Record<string, Partial<JiraUser>>;
}

/** Decides, per call, to fail (throw), hang forever (simulated worker death), or answer. */
export type Interceptor = (call: ApiCall, callNumber: number) => Error | 'hang' | undefined;

export class FakeConfluenceApi implements ConfluenceApi {
  readonly calls: ApiCall[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly data: FakeData,
    private readonly intercept: Interceptor = () => undefined,
  ) {}

  readonly rateLimit: RateLimitStats = { throttled: 0, nearLimit: 0, reasons: [] };

  get requestCount(): number {
    return this.calls.length;
  }

  groupExists(groupId: string): Promise<boolean> {
    return this.call({ method: 'groupExists', groupId }, () => groupId in this.data.members);
  }

  async probeJira(): Promise<{ ok: true }> {
    return { ok: true };
  }

  async listGroups(): Promise<GroupPage> {
    throw new Error('not used by the sync');
  }

  async currentUser(): Promise<RawMember> {
    throw new Error('not used by the sync');
  }

  groupMembers(groupId: string, start: number, limit = 200): Promise<MemberPage> {
    return this.call({ method: 'groupMembers', groupId, start, limit }, () => {
      // atlassian-api.md §3.2: limit > 200 → 400.
      if (limit > 200) throw new HttpError('limit > 200', 400);
      const all = this.data.members[groupId];
      if (!all) throw new NotFoundError('GET /wiki/rest/api/group/{id}/membersByGroupId', `No group found with id: ${groupId}`);
      const members = all.slice(start, start + limit);
      // §3.3: `_links.next` only while more remain.
      return { members, skipped: this.data.skippedPerPage?.[groupId] ?? 0, nextStart: start + limit < all.length ? start + limit : null };
    });
  }

  usersBulk(accountIds: string[]): Promise<BulkUser[]> {
    return this.call({ method: 'usersBulk', ids: accountIds }, () => {
      if (accountIds.length < 1 || accountIds.length > 250) throw new HttpError('users-bulk takes 1–250 ids', 400);
      return accountIds.flatMap((id) => {
        const b = this.data.bulk?.[id];
        return b ? [{ accountId: id, accountType: 'atlassian', accountStatus: 'active', email: null, ...b } as BulkUser] : [];
      });
    });
  }

  jiraUsers(accountIds: string[]): Promise<JiraUser[]> {
    return this.call({ method: 'jiraUsers', ids: accountIds }, () => {
      if (accountIds.length > 50) throw new HttpError('more than 50 ids per call', 400);
      return accountIds.flatMap((id) => {
        const j = this.data.jira?.[id];
        return j ? [{ accountId: id, emailAddress: null, active: true, ...j } as JiraUser] : [];
      });
    });
  }

  callsOf<M extends ApiCall['method']>(method: M): Extract<ApiCall, { method: M }>[] {
    return this.calls.filter((c): c is Extract<ApiCall, { method: M }> => c.method === method);
  }

  private async call<T>(call: ApiCall, answer: () => T): Promise<T> {
    this.calls.push(call);
    const verdict = this.intercept(call, this.calls.length);
    if (verdict === 'hang') return new Promise<T>(() => undefined);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // A macrotask of latency, so concurrent calls really overlap.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (verdict) throw verdict;
      return answer();
    } finally {
      this.inFlight--;
    }
  }
}

/** Like FakeConfluenceApi, and answers the group's `totalSize` when asked (atlassian-api.md §3.2). */
export class SizedFakeApi extends FakeConfluenceApi {
  constructor(private readonly sized: FakeData, intercept?: Interceptor) {
    super(sized, intercept);
  }

  override async groupMembers(groupId: string, start: number, limit = 200, options?: GroupMembersOptions): Promise<MemberPage> {
    const page = await super.groupMembers(groupId, start, limit);
    return options?.withTotalSize ? { ...page, totalSize: this.sized.members[groupId]?.length ?? 0 } : page;
  }
}

/** A plausible active Atlassian member. */
export function member(accountId: string, overrides: Partial<RawMember> = {}): RawMember {
  return {
    accountId,
    accountType: 'atlassian',
    email: `${accountId}@example.com`,
    publicName: `Public ${accountId}`,
    displayName: `User ${accountId}`,
    isGuest: false,
    isExternalCollaborator: null,
    operations: [{ operation: 'use', targetType: 'application' }],
    ...overrides,
  };
}

/** `count` members with ids `${prefix}-000`, `${prefix}-001`, … */
export function members(prefix: string, count: number): RawMember[] {
  return Array.from({ length: count }, (_, i) => member(`${prefix}-${String(i).padStart(4, '0')}`));
}
