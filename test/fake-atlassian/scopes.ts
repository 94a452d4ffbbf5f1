/**
 * Which OAuth scopes each product endpoint needs: atlassian-api.md §2 (from the specs'
 * `x-atlassian-oauth2-scopes`). A token passes if it holds EVERY scope of at least ONE listed set
 * (the classic "Current" set or the granular "Beta" set). Basic-auth (API token) calls are not
 * scope-checked: API tokens act with the user's full permissions.
 */
export type ScopeRule = readonly (readonly string[])[];

const CONFLUENCE_GROUPS: ScopeRule = [['read:confluence-groups'], ['read:group:confluence']];
const CONFLUENCE_MEMBERS: ScopeRule = [['read:confluence-groups'], ['read:group:confluence', 'read:user:confluence']];
/** "(sic)": the granular scope for v1 user reads really is read:content-details:confluence. */
const CONFLUENCE_USER: ScopeRule = [['read:confluence-user'], ['read:content-details:confluence']];
const CONFLUENCE_V2_USERS_BULK: ScopeRule = [['read:user:confluence']];
const JIRA_USER: ScopeRule = [
  ['read:jira-user'],
  ['read:application-role:jira', 'read:group:jira', 'read:user:jira', 'read:avatar:jira'],
];

/** Keyed by endpoint key (method + templated product path). */
export const ENDPOINT_SCOPES: Readonly<Record<string, ScopeRule>> = {
  'GET /wiki/rest/api/group': CONFLUENCE_GROUPS,
  'GET /wiki/rest/api/group/by-id': CONFLUENCE_GROUPS,
  'GET /wiki/rest/api/group/{groupId}/membersByGroupId': CONFLUENCE_MEMBERS,
  'GET /wiki/rest/api/user': CONFLUENCE_USER,
  'GET /wiki/rest/api/user/current': CONFLUENCE_USER,
  'POST /wiki/api/v2/users-bulk': CONFLUENCE_V2_USERS_BULK,
  'GET /rest/api/3/user': JIRA_USER,
  'GET /rest/api/3/user/bulk': JIRA_USER,
  'GET /rest/api/3/myself': JIRA_USER,
};

export function scopesSatisfy(granted: ReadonlySet<string>, rule: ScopeRule): boolean {
  return rule.some((set) => set.every((s) => granted.has(s)));
}

/** §1.1: scopes are space-separated (sent as %20); tolerate runs of spaces and a `+` decoded as space. */
export function parseScopeParam(raw: string): string[] {
  return [...new Set(raw.split(' ').map((s) => s.trim()).filter(Boolean))];
}
