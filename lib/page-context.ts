/**
 * Which Atlassian account or group is a browser tab (or a link on it) about? Pure URL parsing,
 * used by the side panel to follow the tab and by the content script to find person links.
 * Patterns from atlassian-api.md §8:
 *   https://<site>.atlassian.net/wiki/people/<accountId>           (often with ?ref=… or &src=…)
 *   https://admin.atlassian.com/o/<orgId>/users/<accountId>
 *   https://admin.atlassian.com/o/<orgId>/members/<accountId>
 *   https://admin.atlassian.com/s/<cloudId>/users/<accountId>
 * Group pages (see `groupFromUrl`).
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
/**
 * A quick test a link must pass before it is parsed: a segment every person path has (above),
 * read the way the URL parser reads an https link — after a slash or a backslash, or at the
 * start of a relative link past leading spaces and control characters — in any case. A superset:
 * the paths above decide. A link with a tab or line break (which the parser drops) is parsed.
 */
const PERSON_SEGMENT = /(?:^[\x00-\x20]*|[\\/])(?:people|users|members)[\\/]|[\t\n\r]/i;

/** The URL (relative to `base`, if given), if it parses and is https, with its lower-cased host. */
function httpsUrl(url: string, base?: string): { parsed: URL; host: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' ? { parsed, host: parsed.hostname.toLowerCase() } : null;
}

export function accountIdFromUrl(url: string): PageAccount | null {
  const page = httpsUrl(url);
  return page ? accountOf(page.parsed, page.host) : null;
}

function accountOf(parsed: URL, host: string): PageAccount | null {
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

/** A group page: by id (admin.atlassian.com) or by name (Confluence's own group admin page). */
export interface PageGroup {
  host: string;
  /** The group's id or name, as the page's URL carries it. */
  group: string;
}

// atlassian-api.md §8 lists the organisation's group list `https://admin.atlassian.com/o/{orgId}/groups`;
// a group's own page is that list's path plus the group id (Atlassian Support, "Edit a group":
// "Select the group … to open its profile"). The exact detail path is UNCONFIRMED, so both the
// organisation (`/o/`) and the site (`/s/`) forms are accepted, and a group is looked up by id or name.
const ADMIN_GROUP_PATH = /^\/(?:o|s)\/[^/]+\/groups\/([^/]+)\/?$/;
// Confluence's group member list, `/wiki/admin/users/domembersofgroupsearch.action?membersOfGroupTerm=<name>`
// (the breadcrumb Confluence's BrowseGroupsAction builds; on Cloud under /wiki). UNCONFIRMED for
// Cloud (atlassian-api.md §8 found no source for `/wiki/admin/groups`), harmless when absent.
const SITE_GROUP_PATH = /^\/wiki\/admin\/users\/domembersofgroupsearch\.action$/;

export function groupFromUrl(url: string): PageGroup | null {
  const page = httpsUrl(url);
  if (!page) return null;
  const { parsed, host } = page;
  let group: string | null = null;
  if (host === 'admin.atlassian.com') {
    const raw = ADMIN_GROUP_PATH.exec(parsed.pathname)?.[1];
    if (raw !== undefined) {
      try {
        group = decodeURIComponent(raw);
      } catch {
        return null;
      }
    }
  } else if (SITE_HOST.test(host) && SITE_GROUP_PATH.test(parsed.pathname)) {
    group = parsed.searchParams.get('membersOfGroupTerm');
  }
  group = group?.trim() ?? '';
  return group !== '' && group.length <= 255 ? { host, group } : null;
}

/**
 * The account a link on an Atlassian page points to, if it is a person link of the page's own
 * host (`/wiki/people/<id>` on a site, `/users/<id>` on admin.atlassian.com). A link to another
 * site is ignored: the content script only ever asks about its own site.
 */
export function accountIdFromLink(href: string, pageHost: string, base?: string): string | null {
  // Most links on a page go elsewhere: one cheap test before parsing each of them. A relative
  // link can only reach a person path from a page whose own path has the segment (`base`).
  if (!PERSON_SEGMENT.test(href) && !(base !== undefined && PERSON_SEGMENT.test(base))) return null;
  const page = httpsUrl(href, base);
  if (!page || page.host !== pageHost.toLowerCase()) return null;
  return accountOf(page.parsed, page.host)?.accountId ?? null;
}
