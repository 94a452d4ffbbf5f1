/** Group names that grant site or Confluence administration (compared case-insensitively). */
export const ADMIN_GROUP_PATTERNS: readonly RegExp[] = [
  /^confluence-admins(?:-.*)?$/i, // confluence-admins and confluence-admins-<site>
  /^administrators$/i,
  /^site-admins$/i,
];

export function isAdminGroupName(name: string): boolean {
  const trimmed = name.trim();
  return ADMIN_GROUP_PATTERNS.some((p) => p.test(trimmed));
}
