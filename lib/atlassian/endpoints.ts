/**
 * The endpoints the client calls and the OAuth scope each needs, from the table in
 * ../../shared/atlassian-api.md §2. The scope is named in `ScopeError` when the gateway answers
 * `401 … scope does not match`, and `OAUTH_SCOPES` (oauth.ts) is derived from this table.
 *
 * Classic scopes are used where they exist: one classic scope covers an endpoint that would need
 * two or more granular ones (membersByGroupId: `read:group:confluence` + `read:user:confluence`;
 * Jira users: four granular scopes). `users-bulk` (v2) has only a granular scope. Mixing classic and
 * granular scopes is what [elba] does in production (§2).
 */

export const ENDPOINT_SCOPES = {
  'GET /wiki/rest/api/group': 'read:confluence-groups',
  'GET /wiki/rest/api/group/{id}/membersByGroupId': 'read:confluence-groups',
  'GET /wiki/rest/api/user/current': 'read:confluence-user',
  'POST /wiki/api/v2/users-bulk': 'read:user:confluence',
  'GET /rest/api/3/user/bulk': 'read:jira-user',
} as const;

export type EndpointName = keyof typeof ENDPOINT_SCOPES;

export function scopeFor(endpoint: EndpointName): string {
  return ENDPOINT_SCOPES[endpoint];
}
