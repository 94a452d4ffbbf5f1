/**
 * The endpoints the client calls and the scopes each needs, from the table in
 * ../../shared/atlassian-api.md §2 (the specs' `x-atlassian-oauth2-scopes`). The scope is named in
 * `ScopeError` when the gateway answers `401 … scope does not match`; `OAUTH_SCOPES` (oauth.ts)
 * and `SCOPED_TOKEN_SCOPES` below are derived from these tables.
 *
 * The OAuth app asks for classic scopes where they exist: one classic scope covers an endpoint
 * that would need two or more granular ones (membersByGroupId: `read:group:confluence` +
 * `read:user:confluence`; Jira users: four granular scopes). `users-bulk` (v2) has only a granular
 * scope. Mixing classic and granular scopes is what [elba] does in production (§2).
 *
 * Scoped API tokens (§10: "Scoped API Tokens in Confluence Cloud", the only kind service accounts
 * can create) are created with granular scopes only, so they need the granular column.
 */

export const ENDPOINT_SCOPES = {
  'GET /wiki/rest/api/group': 'read:confluence-groups',
  'GET /wiki/rest/api/group/by-id': 'read:confluence-groups',
  'GET /wiki/rest/api/group/{id}/membersByGroupId': 'read:confluence-groups',
  'GET /wiki/rest/api/user/current': 'read:confluence-user',
  'POST /wiki/api/v2/users-bulk': 'read:user:confluence',
  'GET /rest/api/3/user/bulk': 'read:jira-user',
  'GET /rest/api/3/myself': 'read:jira-user',
} as const;

export type EndpointName = keyof typeof ENDPOINT_SCOPES;

/** §2, "Granular" column; "(sic)": v1 user reads really need `read:content-details:confluence`. */
export const GRANULAR_ENDPOINT_SCOPES: { readonly [E in EndpointName]: readonly string[] } = {
  'GET /wiki/rest/api/group': ['read:group:confluence'],
  'GET /wiki/rest/api/group/by-id': ['read:group:confluence'],
  'GET /wiki/rest/api/group/{id}/membersByGroupId': ['read:group:confluence', 'read:user:confluence'],
  'GET /wiki/rest/api/user/current': ['read:content-details:confluence'],
  'POST /wiki/api/v2/users-bulk': ['read:user:confluence'],
  'GET /rest/api/3/user/bulk': ['read:user:jira', 'read:group:jira', 'read:avatar:jira', 'read:application-role:jira'],
  'GET /rest/api/3/myself': ['read:user:jira', 'read:group:jira', 'read:avatar:jira', 'read:application-role:jira'],
};

const JIRA_ENDPOINTS: readonly EndpointName[] = ['GET /rest/api/3/user/bulk', 'GET /rest/api/3/myself'];

function granularFor(endpoints: readonly EndpointName[]): string[] {
  return [...new Set(endpoints.flatMap((e) => GRANULAR_ENDPOINT_SCOPES[e]))];
}

/**
 * What a scoped API token needs: the granular equivalents of the OAuth app's scopes. `required`
 * for Confluence (groups, members, the connecting account, status); `jira` only for the optional
 * email lookup.
 */
export const SCOPED_TOKEN_SCOPES = {
  required: granularFor((Object.keys(ENDPOINT_SCOPES) as EndpointName[]).filter((e) => !JIRA_ENDPOINTS.includes(e))),
  jira: granularFor(JIRA_ENDPOINTS),
} as const;

/** The scope(s) to name when `endpoint` is refused for a missing scope, for this kind of credential. */
export function scopeFor(endpoint: EndpointName, kind: 'classic' | 'granular' = 'classic'): string {
  return kind === 'classic' ? ENDPOINT_SCOPES[endpoint] : GRANULAR_ENDPOINT_SCOPES[endpoint].join('", "');
}
