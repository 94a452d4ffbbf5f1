/**
 * Group names that grant site or Confluence administration, or the administration of users and
 * groups (compared case-insensitively). ../shared/atlassian-api.md §10 "Groups that grant
 * administration": `confluence-admins[-site]`, `confluence-administrators`, `site-admins`,
 * `org-admins`, `system-administrators` (the real groups sample has it), and
 * `confluence-user-access-admins[-site]`, which administers users and groups without product access.
 */
export const ADMIN_GROUP_PATTERNS: readonly RegExp[] = [
  /^confluence-admins(?:-.*)?$/i, // confluence-admins and confluence-admins-<site>
  /^confluence-administrators$/i, // older sites
  /^confluence-user-access-admins(?:-.*)?$/i,
  /^administrators$/i,
  /^system-administrators$/i, // older sites
  /^site-admins$/i,
  /^org-admins$/i,
];

export function isAdminGroupName(name: string): boolean {
  const trimmed = name.trim();
  return ADMIN_GROUP_PATTERNS.some((p) => p.test(trimmed));
}
