/**
 * Jira Cloud user lookups (atlassian-api.md §4), used to find emails Confluence hides.
 */
import { jiraError, type Reply } from './errors';
import { intParam, type ProductContext, type Route } from './routes';
import type { ScenarioUser } from './scenario';

const ok = (body: unknown): Reply => ({ status: 200, body });

/** §4: 403 without the "Browse users and groups" global permission. */
function forbiddenUnlessBrowse(ctx: ProductContext): Reply | null {
  if (ctx.permission?.jiraBrowseUsers) return null;
  return jiraError(403, 'You do not have the permission to browse users and groups.');
}

/** The "(Unlicensed)"-style suffixes are Confluence's (§3.6); Jira shows the plain name. */
function jiraDisplayName(u: ScenarioUser): string {
  return u.displayName.replace(/\s*\((?:Unlicensed|Deactivated|System|Former user)\)$/, '');
}

/**
 * Jira `User` (spec example in §4). `emailAddress` null when hidden in Jira too. Profile
 * visibility applies across products (§10 "Emails"): an OAuth (3LO) app sees an email only when
 * its visibility is "anyone", exactly as in Confluence, so Jira adds nothing for it.
 */
function jiraUser(ctx: ProductContext, u: ScenarioUser): Record<string, unknown> {
  const own = u.accountId === ctx.identity.accountId;
  const hiddenFromApp = ctx.caller === 'oauth' && u.emailVisibility !== 'anyone';
  const email = own ? ctx.identity.email : hiddenFromApp ? null : u.jiraEmail !== undefined ? u.jiraEmail : u.email || null;
  const avatar = (size: number) => `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${encodeURIComponent(u.accountId)}/${size}`;
  return {
    self: `${ctx.site.url}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    accountType: u.accountType,
    emailAddress: email,
    avatarUrls: { '48x48': avatar(48), '24x24': avatar(24), '16x16': avatar(16), '32x32': avatar(32) },
    displayName: jiraDisplayName(u),
    active: u.accountStatus === 'active',
    ...(u.timeZone ? { timeZone: u.timeZone } : {}),
    locale: 'en_US',
  };
}

function getUser(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessBrowse(ctx);
  if (denied) return denied;
  const accountId = ctx.query.get('accountId');
  if (!accountId) return jiraError(400, "The query parameter 'accountId' is required.");
  const u = ctx.site.usersById.get(accountId);
  return u ? ok(jiraUser(ctx, u)) : jiraError(404, `The user with account ID '${accountId}' does not exist.`);
}

/** §4: `PageBeanUser`; repeat `accountId`; `maxResults` defaults to 10; unknown ids are left out. */
function bulkUsers(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessBrowse(ctx);
  if (denied) return denied;
  const ids = ctx.query.getAll('accountId');
  if (ids.length === 0) return jiraError(400, "The query parameter 'accountId' is required.");
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 10);
  if (Number.isNaN(startAt) || Number.isNaN(maxResults) || maxResults < 1) return jiraError(400, 'startAt and maxResults must be non-negative integers.');
  const found = [...new Set(ids)].flatMap((id) => {
    const u = ctx.site.usersById.get(id);
    return u ? [u] : [];
  });
  const values = found.slice(startAt, startAt + maxResults).map((u) => jiraUser(ctx, u));
  const selfUrl = (start: number) => {
    const q = new URLSearchParams(ctx.query);
    q.set('startAt', String(start));
    q.set('maxResults', String(maxResults));
    return `${ctx.site.url}/rest/api/3/user/bulk?${q.toString()}`;
  };
  const isLast = startAt + values.length >= found.length;
  return ok({
    self: selfUrl(startAt),
    ...(isLast ? {} : { nextPage: selfUrl(startAt + maxResults) }),
    maxResults,
    startAt,
    total: found.length,
    isLast,
    values,
  });
}

function myself(ctx: ProductContext): Reply {
  const own = ctx.site.usersById.get(ctx.identity.accountId);
  if (own) return ok(jiraUser(ctx, own));
  return ok({
    self: `${ctx.site.url}/rest/api/3/user?accountId=${encodeURIComponent(ctx.identity.accountId)}`,
    accountId: ctx.identity.accountId,
    accountType: 'atlassian',
    emailAddress: ctx.identity.email,
    displayName: ctx.identity.displayName,
    active: true,
  });
}

export const JIRA_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/rest/api/3/user', product: 'jira', handle: getUser },
  { method: 'GET', pattern: '/rest/api/3/user/bulk', product: 'jira', handle: bulkUsers },
  { method: 'GET', pattern: '/rest/api/3/myself', product: 'jira', handle: myself },
];
