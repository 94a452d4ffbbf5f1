/**
 * Which Atlassian account is a browser tab about? Pure URL parsing, used by the side panel to
 * select the account the admin is looking at. Patterns from atlassian-api.md §8:
 *   https://<site>.atlassian.net/wiki/people/<accountId>
 *   https://admin.atlassian.com/o/<orgId>/users/<accountId>
 *   https://admin.atlassian.com/o/<orgId>/members/<accountId>
 *   https://admin.atlassian.com/s/<cloudId>/users/<accountId>
 */

export interface PageAccount {
  /** Lower-case host of the page, e.g. `acme.atlassian.net` or `admin.atlassian.com`. */
  host: string;
  accountId: string;
}

// atlassian-api.md §8: legacy 24-hex ids and `<number>:<uuid>`. The uuid part is not checked for
// strict hex because the spec's own example (`384093:32b4d9w0-…`) is not valid hex.
const ACCOUNT_ID = /^(?:[0-9a-f]{24}|\d+:[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12})$/i;

const SITE_HOST = /^[a-z0-9][a-z0-9-]*\.atlassian\.net$/;

/** `<site>.atlassian.net` or `admin.atlassian.com`: the pages the content script runs on. */
export function isAtlassianHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'admin.atlassian.com' || SITE_HOST.test(host);
}
/**
 * The connected-site URL a page host belongs to: `https://<name>.atlassian.net` for a site host,
 * null for admin.atlassian.com (which covers every site of the organisation) or anything else.
 * The one place that maps hosts to sites (side panel, page requests).
 */
export function siteOfHost(hostname: string): string | null {
  const host = hostname.toLowerCase();
  return SITE_HOST.test(host) ? `https://${host}` : null;
}

const SITE_PROFILE_PATH = /^\/wiki\/people\/([^/]+)\/?$/;
const ADMIN_USER_PATH = /^\/(?:o\/[^/]+\/(?:users|members)|s\/[^/]+\/users)\/([^/]+)\/?$/;

export function accountIdFromUrl(url: string): PageAccount | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  const host = parsed.hostname.toLowerCase();
  let pattern: RegExp;
  if (SITE_HOST.test(host)) pattern = SITE_PROFILE_PATH;
  else if (host === 'admin.atlassian.com') pattern = ADMIN_USER_PATH;
  else return null;

  const raw = pattern.exec(parsed.pathname)?.[1];
  if (raw === undefined) return null;
  let accountId: string;
  try {
    // The `:` of `<number>:<uuid>` ids is often percent-encoded in links (`557058%3A…`).
    accountId = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return ACCOUNT_ID.test(accountId) ? { host, accountId } : null;
}
