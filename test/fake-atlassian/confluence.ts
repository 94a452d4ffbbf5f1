/**
 * Confluence Cloud REST v1 group/user reads and v2 users-bulk, as atlassian-api.md §3 documents
 * them (shapes as in ../shared/atlassian-samples/).
 */
import { confluenceError, confluenceGone, confluenceV2Error, type Reply } from './errors';
import { intParam, type ProductContext, type Route } from './routes';
import { isOddEntry, type ScenarioUser, type SiteState } from './scenario';

/** §3.1 / §3.2: pages hold at most 200. */
export const MAX_PAGE = 200;
/** §3.4: users-bulk takes 1–250 ids. */
export const USERS_BULK_MAX = 250;

const ok = (body: unknown): Reply => ({ status: 200, body });

/** No "Can use" on the site → 403 (§3: every group/user read needs it). */
function forbiddenUnlessCanUse(ctx: ProductContext): Reply | null {
  return ctx.permission ? null : confluenceError(403, 'You do not have permission to use Confluence on this site.');
}

function forbiddenUnlessViewGroups(ctx: ProductContext): Reply | null {
  return (
    forbiddenUnlessCanUse(ctx) ??
    (ctx.permission?.canViewGroups ? null : confluenceError(403, 'The calling user does not have permission to view groups.'))
  );
}

function wikiLinks(ctx: ProductContext, selfPath: string): Record<string, string> {
  const base = `${ctx.site.url}/wiki`;
  return { base, context: '/wiki', self: `${base}${selfPath}` };
}

function expands(ctx: ProductContext, name: string): boolean {
  return (ctx.query.get('expand') ?? '').split(',').map((s) => s.trim()).includes(name);
}

/**
 * The email the caller may see (§3.5, §10 "Emails"): their own always; another user's only as
 * that user's profile visibility allows — an OAuth (3LO) app only emails visible to "anyone".
 */
export function visibleEmail(ctx: ProductContext, u: ScenarioUser): string | null {
  if (u.accountId === ctx.identity.accountId) return ctx.identity.email;
  if (ctx.caller === 'oauth' && u.emailVisibility !== 'anyone') return u.email === null ? null : '';
  return u.email;
}

/** v1 `User`, field set as in atlassian-samples/users0.json plus `isGuest` (§3.2). */
export function v1User(ctx: ProductContext, u: ScenarioUser, withOperations: boolean, site: SiteState = ctx.site): Record<string, unknown> {
  return {
    type: 'known',
    accountId: u.accountId,
    accountType: u.accountType,
    email: visibleEmail(ctx, u),
    publicName: u.publicName,
    profilePicture: { path: `/wiki/aa-avatar/${u.accountId}`, width: 48, height: 48, isDefault: false },
    displayName: u.displayName,
    isExternalCollaborator: u.isGuest,
    isGuest: u.isGuest,
    ...(withOperations ? { operations: u.operations } : {}),
    _expandable: withOperations ? { personalSpace: '' } : { operations: '', personalSpace: '' },
    _links: { self: `${site.url}/wiki/rest/api/user?accountId=${encodeURIComponent(u.accountId)}` },
  };
}

/**
 * A member-page entry that is not a usable member (§10: the v1 spec marks `User` items and
 * `accountId` nullable): `null`, or a user without an accountId (as Confluence shows some
 * deleted accounts).
 */
function oddEntry(ctx: ProductContext, marker: string): unknown {
  if (marker === '$null') return null;
  return {
    type: 'known',
    accountType: '',
    email: '',
    publicName: 'Former user',
    profilePicture: { path: '/wiki/aa-avatar/default', width: 48, height: 48, isDefault: true },
    displayName: 'Former user',
    isExternalCollaborator: false,
    isGuest: false,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `${ctx.site.url}/wiki/rest/api/user` },
  };
}

/** Parses start/limit; `limitOver` decides what a limit above 200 does (clamp or 400). */
function paging(ctx: ProductContext, limitOver: 'clamp' | 'reject'): { start: number; limit: number } | Reply {
  const start = intParam(ctx.query, 'start', 0);
  let limit = intParam(ctx.query, 'limit', MAX_PAGE);
  if (Number.isNaN(start) || Number.isNaN(limit)) return confluenceError(400, 'start and limit must be non-negative integers.');
  if (limit > MAX_PAGE) {
    if (limitOver === 'reject') return confluenceError(400, `Limit ${limit} is greater than the maximum of ${MAX_PAGE}.`);
    limit = MAX_PAGE; // §3.1: "may be restricted by fixed system limits"
  }
  if (limit === 0) limit = MAX_PAGE;
  return { start, limit };
}

function page<T>(ctx: ProductContext, items: readonly T[], start: number, limit: number, selfPath: string, map: (t: T) => unknown): Record<string, unknown> {
  const results = items.slice(start, start + limit).map(map);
  const links: Record<string, string> = wikiLinks(ctx, selfPath);
  const next = new URLSearchParams(ctx.query);
  // §3.3: `_links.next` only while more pages exist (clients should not parse it).
  if (start + results.length < items.length) {
    next.set('next', 'true');
    next.set('limit', String(limit));
    next.set('start', String(start + limit));
    links.next = `${selfPath}?${next.toString()}`;
  }
  return {
    results,
    start,
    limit,
    size: results.length,
    ...(ctx.query.get('shouldReturnTotalSize') === 'true' ? { totalSize: items.length } : {}),
    _links: links,
  };
}

function groupJson(ctx: ProductContext, g: { id: string; name: string }): Record<string, unknown> {
  // Link shape as in atlassian-samples/groups0.json.
  return { type: 'group', name: g.name, id: g.id, _links: { self: `${ctx.site.url}/wiki/rest/experimental/group/${encodeURIComponent(g.name)}` } };
}

/**
 * §3.1: sorted alphabetically by name. §10: the list spans the organisation — every site's
 * groups, not only this site's.
 */
function organisationGroups(ctx: ProductContext): { id: string; name: string }[] {
  return ctx.state
    .organisationOf(ctx.site)
    .flatMap((s) => s.site.groups)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function listGroups(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessViewGroups(ctx);
  if (denied) return denied;
  const p = paging(ctx, 'clamp');
  if ('status' in p) return p;
  return ok(page(ctx, organisationGroups(ctx), p.start, p.limit, '/rest/api/group', (g) => groupJson(ctx, g)));
}

function groupById(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessViewGroups(ctx);
  if (denied) return denied;
  const found = ctx.state.orgGroup(ctx.site, ctx.query.get('id') ?? '');
  // §3.1: `404` "Returned if the group does not exist."
  return found ? ok(groupJson(ctx, found.group)) : confluenceError(404, 'Returned if the group does not exist.');
}

function groupMembers(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessViewGroups(ctx);
  if (denied) return denied;
  // §3.2: "400 Returned if given limit is greater than 200".
  const p = paging(ctx, 'reject');
  if ('status' in p) return p;
  const groupId = ctx.params.groupId ?? '';
  const found = ctx.state.orgGroup(ctx.site, groupId);
  // §3.2: the status for an unknown groupId is UNCONFIRMED; answer like group/by-id does.
  if (!found) return confluenceError(404, `No group found with id: ${groupId}`);
  const { group, owner } = found;
  const withOps = expands(ctx, 'operations');
  const selfPath = `/rest/api/group/${encodeURIComponent(groupId)}/membersByGroupId`;
  return ok(
    page(ctx, group.members, p.start, p.limit, selfPath, (id) =>
      isOddEntry(id) ? oddEntry(ctx, id) : v1User(ctx, owner.usersById.get(id) as ScenarioUser, withOps, owner),
    ),
  );
}

function userByAccountId(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessCanUse(ctx);
  if (denied) return denied;
  const accountId = ctx.query.get('accountId');
  if (!accountId) return confluenceError(400, 'accountId is required.');
  const u = ctx.site.usersById.get(accountId);
  // §3.4: 404 "a user with the given accountId does not exist".
  return u ? ok(v1User(ctx, u, expands(ctx, 'operations'))) : confluenceError(404, `No user found with accountId: ${accountId}`);
}

/**
 * `user/current` for a caller a site with anonymous access did not authenticate (issue 8, item 8):
 * the anonymous user, with no accountId (v1 `User` requires only `type`).
 */
export function anonymousUser(site: SiteState): Reply {
  return ok({
    type: 'anonymous',
    profilePicture: { path: '/wiki/s/default/images/icons/profilepics/anonymous.svg', width: 48, height: 48, isDefault: true },
    displayName: 'Anonymous',
    operations: [],
    _expandable: { operations: '', personalSpace: '' },
    _links: { base: `${site.url}/wiki`, context: '/wiki', self: `${site.url}/wiki/rest/api/user/current` },
  });
}

function currentUser(ctx: ProductContext): Reply {
  const denied = forbiddenUnlessCanUse(ctx);
  if (denied) return denied;
  const own: ScenarioUser = ctx.site.usersById.get(ctx.identity.accountId) ?? {
    accountId: ctx.identity.accountId,
    accountType: 'atlassian',
    displayName: ctx.identity.displayName,
    publicName: ctx.identity.displayName,
    email: ctx.identity.email,
    emailVisibility: 'organisation',
    accountStatus: 'active',
    isGuest: false,
    timeZone: null,
    operations: [{ operation: 'use', targetType: 'application' }],
  };
  return ok(v1User(ctx, own, expands(ctx, 'operations')));
}

/** v2 `User` (§3.4): has `accountStatus`. Email hidden → "" (v2 types it as a plain string). */
function v2User(ctx: ProductContext, u: ScenarioUser): Record<string, unknown> {
  return {
    accountId: u.accountId,
    accountType: u.accountType,
    accountStatus: u.accountStatus,
    email: visibleEmail(ctx, u) ?? '',
    publicName: u.publicName,
    displayName: u.displayName,
    ...(u.timeZone ? { timeZone: u.timeZone } : {}),
    isExternalCollaborator: u.isGuest,
    profilePicture: { path: `/wiki/aa-avatar/${u.accountId}`, isDefault: false },
  };
}

function usersBulk(ctx: ProductContext): Reply {
  // v2 spec: 404 "calling user does not have permission to use Confluence or view user profiles".
  if (!ctx.permission) return confluenceV2Error(404, 'NOT_FOUND', 'Not Found');
  const body = ctx.body as { accountIds?: unknown } | undefined;
  const ids = body && typeof body === 'object' ? body.accountIds : undefined;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
    return confluenceV2Error(400, 'INVALID_REQUEST_PARAMETER', 'accountIds must be an array of strings');
  }
  if (ids.length < 1 || ids.length > USERS_BULK_MAX) {
    return confluenceV2Error(400, 'INVALID_REQUEST_PARAMETER', `accountIds must contain between 1 and ${USERS_BULK_MAX} items`);
  }
  // Accounts of the organisation's other sites are the same Atlassian accounts (§10).
  const results = [...new Set(ids as string[])].flatMap((id) => {
    const u = ctx.state.organisationOf(ctx.site).map((s) => s.usersById.get(id)).find((x) => x !== undefined);
    return u ? [v2User(ctx, u)] : [];
  });
  return ok({ results, _links: { base: `${ctx.site.url}/wiki` } });
}

export const CONFLUENCE_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/wiki/rest/api/group', product: 'confluence', handle: listGroups },
  { method: 'GET', pattern: '/wiki/rest/api/group/by-id', product: 'confluence', handle: groupById },
  // §3.2 / §6: the name-based endpoints were removed → 410.
  { method: 'GET', pattern: '/wiki/rest/api/group/member', product: 'confluence', handle: () => confluenceGone() },
  { method: 'GET', pattern: '/wiki/rest/api/group/by-name', product: 'confluence', handle: () => confluenceGone() },
  { method: 'GET', pattern: '/wiki/rest/api/group/{groupId}/membersByGroupId', product: 'confluence', handle: groupMembers },
  { method: 'GET', pattern: '/wiki/rest/api/group/{groupName}/member', product: 'confluence', handle: () => confluenceGone() },
  { method: 'GET', pattern: '/wiki/rest/api/user', product: 'confluence', handle: userByAccountId },
  { method: 'GET', pattern: '/wiki/rest/api/user/current', product: 'confluence', handle: currentUser },
  { method: 'POST', pattern: '/wiki/api/v2/users-bulk', product: 'confluence', handle: usersBulk },
];
