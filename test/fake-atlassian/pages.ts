/**
 * Atlassian-like web pages for the content script's tests, the demo and the benchmarks: pages a
 * browser loads from `<site>.atlassian.net` and `admin.atlassian.com`, with person links in the
 * shapes atlassian-api.md §8 documents. Every name is HTML-escaped, as Atlassian's pages do.
 *
 * Site (`<site>.atlassian.net`):
 *   /wiki/spaces/<KEY>/pages/<id>/<title>?people=20&from=0&late=5&delay=500
 *       a page mentioning `people` accounts (from the site's user list, starting at `from`) as
 *       `/wiki/people/<accountId>` links — plain, with `?ref=confluence`, with the `:` encoded —
 *       and, `delay` ms after load, `late` more added by the page's script (a single-page app
 *       rendering late)
 *   /wiki/people/<accountId>                 that account's profile page
 *   /wiki/admin/users/domembersofgroupsearch.action?membersOfGroupTerm=<name>   a group's members
 * Admin (`admin.atlassian.com`, every site's users):
 *   /o/<orgId>/users                         the user list: rows carrying `data-href=/o/<orgId>/users/<id>`, name links
 *   /o/<orgId>/users/<accountId>             a user's page
 *   /o/<orgId>/groups/<groupId>              a group's page with its members
 * Anything else answers null (the router's placeholder page).
 */
import type { Reply } from './errors';
import { escapeHtml } from './oauth';
import type { ScenarioState, ScenarioUser, SiteState } from './scenario';

function page(title: string, body: string, script = ''): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#172b4d}header{background:#0c66e4;color:#fff;padding:8px 16px}main{padding:16px;max-width:900px}
a{color:#0c66e4}li{margin:4px 0}table{border-collapse:collapse}td,th{border-bottom:1px solid #dfe1e6;padding:4px 8px;text-align:left}tr[data-href]{cursor:pointer}</style>
</head><body><header>${escapeHtml(title.split(' - ').at(-1) ?? title)}</header><main><h1>${escapeHtml(title.split(' - ')[0] ?? title)}</h1>${body}</main>${script}</body></html>`,
  };
}

const int = (q: URLSearchParams, name: string, fallback: number, max: number) => {
  const v = Number(q.get(name) ?? fallback);
  return Number.isInteger(v) && v >= 0 ? Math.min(v, max) : fallback;
};

/** Three link shapes seen on real pages (§8): plain, `?ref=confluence`, and the `:` percent-encoded. */
function personLink(u: ScenarioUser, i: number): string {
  const id = i % 3 === 2 ? encodeURIComponent(u.accountId) : u.accountId;
  const query = i % 3 === 1 ? '?ref=confluence' : '';
  return `<a href="/wiki/people/${escapeHtml(id)}${query}">${escapeHtml(u.displayName)}</a>`;
}

function list(users: readonly ScenarioUser[], offset = 0): string {
  return users.map((u, i) => `<li>${personLink(u, offset + i)}</li>`).join('');
}

function sitePage(site: SiteState, url: URL): Reply | null {
  const title = (t: string) => `${t} - ${site.site.displayName} - Confluence`;
  const q = url.searchParams;
  if (/^\/wiki\/spaces\/[^/]+\/pages\//.test(url.pathname)) {
    const users = site.site.users;
    const from = int(q, 'from', 0, users.length);
    const people = int(q, 'people', 20, 1000);
    const late = int(q, 'late', 5, 1000);
    const delay = int(q, 'delay', 500, 60_000);
    const now = users.slice(from, from + people);
    const later = users.slice(from + people, from + people + late);
    const script = later.length
      ? `<template id="late">${list(later, people)}</template><script>setTimeout(function(){var t=document.getElementById('late');var ul=document.getElementById('people');ul.appendChild(t.content.cloneNode(true));document.getElementById('loaded').textContent='All ${later.length + now.length} people shown';},${delay});</script>`
      : '';
    return page(
      title('Team directory'),
      `<p>People working on this space:</p><ul id="people">${list(now)}</ul><p id="loaded">${later.length ? 'Loading more people…' : `All ${now.length} people shown`}</p>`,
      script,
    );
  }
  const person = /^\/wiki\/people\/([^/]+)\/?$/.exec(url.pathname);
  if (person) {
    let id: string;
    try {
      id = decodeURIComponent(person[1] as string);
    } catch {
      return null;
    }
    const u = site.usersById.get(id);
    if (!u) return { ...page(title('Profile not found'), '<p>This person does not exist.</p>'), status: 404 };
    return page(title(u.displayName), `<p>Profile of ${personLink(u, 0)}</p><p>${escapeHtml(u.email ?? '')}</p>`);
  }
  if (url.pathname === '/wiki/admin/users/domembersofgroupsearch.action') {
    const name = q.get('membersOfGroupTerm') ?? '';
    const group = site.site.groups.find((g) => g.name === name);
    if (!group) return page(title('Group not found'), `<p>No group ${escapeHtml(name)}.</p>`);
    const members = group.members.map((id) => site.usersById.get(id)).filter((u): u is ScenarioUser => u !== undefined);
    return page(title(`Members of ${group.name}`), `<ul>${list(members.slice(0, 200))}</ul>`);
  }
  return null;
}

function adminPage(state: ScenarioState, url: URL): Reply | null {
  const title = (t: string) => `${t} - Atlassian Administration`;
  const sites = state.scenario.sites.map((s) => state.site(s.name));
  const users = new Map<string, ScenarioUser>();
  for (const s of sites) for (const u of s.site.users) if (!users.has(u.accountId)) users.set(u.accountId, u);

  const list = /^\/o\/([^/]+)\/users\/?$/.exec(url.pathname);
  if (list) {
    const org = escapeHtml(list[1] as string);
    const shown = [...users.values()].slice(0, int(url.searchParams, 'limit', 50, 1000));
    const rows = shown
      .map(
        (u) =>
          `<tr data-href="/o/${org}/users/${escapeHtml(encodeURIComponent(u.accountId))}"><td><a href="/o/${org}/users/${escapeHtml(u.accountId)}">${escapeHtml(u.displayName)}</a></td><td>${escapeHtml(u.email ?? '')}</td><td>${escapeHtml(u.accountStatus)}</td></tr>`,
      )
      .join('');
    return page(title('Users'), `<table><thead><tr><th>Name</th><th>Email</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  const user = /^\/o\/([^/]+)\/users\/([^/]+)\/?$/.exec(url.pathname);
  if (user) {
    let id: string;
    try {
      id = decodeURIComponent(user[2] as string);
    } catch {
      return null;
    }
    const u = users.get(id);
    if (!u) return { ...page(title('User not found'), '<p>No such user.</p>'), status: 404 };
    return page(title(u.displayName), `<p>${escapeHtml(u.email ?? 'email hidden')}</p><p>Status: ${escapeHtml(u.accountStatus)}</p>`);
  }
  const group = /^\/o\/([^/]+)\/groups\/([^/]+)\/?$/.exec(url.pathname);
  if (group) {
    const org = escapeHtml(group[1] as string);
    const found = sites.flatMap((s) => s.site.groups.map((g) => ({ s, g }))).find(({ g }) => g.id === group[2]);
    if (!found) return { ...page(title('Group not found'), '<p>No such group.</p>'), status: 404 };
    const members = found.g.members.slice(0, 200).map((id) => found.s.usersById.get(id)).filter((u): u is ScenarioUser => u !== undefined);
    return page(
      title(found.g.name),
      `<ul>${members.map((u) => `<li><a href="/o/${org}/users/${escapeHtml(u.accountId)}">${escapeHtml(u.displayName)}</a></li>`).join('')}</ul>`,
    );
  }
  return null;
}

/** The page for a browser GET on a site or admin.atlassian.com, or null for the placeholder. */
export function fakePage(state: ScenarioState, host: string, url: URL): Reply | null {
  if (host === 'admin.atlassian.com') return adminPage(state, url);
  const m = /^([a-z0-9][a-z0-9-]*)\.atlassian\.net$/.exec(host);
  const site = m ? state.siteByName(m[1] as string) : undefined;
  return site ? sitePage(site, url) : null;
}
