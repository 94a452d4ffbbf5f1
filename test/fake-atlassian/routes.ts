/**
 * Product-API routing shared by the Confluence and Jira handlers: a route is a method plus a
 * templated path; its endpoint key ("GET /wiki/rest/api/group/{groupId}/membersByGroupId") names
 * it in the request log and in the scope table.
 */
import type { Reply } from './errors';
import type { ScenarioIdentity, ScenarioState, SitePermission, SiteState } from './scenario';

export interface ProductContext {
  site: SiteState;
  /** The whole scenario, for the organisation-wide group list (§10). */
  state: ScenarioState;
  identity: ScenarioIdentity;
  /**
   * How the caller authenticated: an OAuth (3LO) app sees only emails whose visibility is
   * "anyone" (§3.5, §10); an API token acts as the person, who sees what the organisation sees.
   */
  caller: 'oauth' | 'api-token';
  /** The identity's permissions on this site; undefined = no "Can use" on the site. */
  permission: SitePermission | undefined;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Path template with `{name}` segments, relative to the product base. */
  pattern: string;
  product: 'confluence' | 'jira';
  handle(ctx: ProductContext): Reply;
}

export function endpointKey(route: Pick<Route, 'method' | 'pattern'>): string {
  return `${route.method} ${route.pattern}`;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  const segs = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pat = route.pattern.split('/');
    if (pat.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pat.length && ok; i++) {
      const p = pat[i] as string;
      const s = segs[i] as string;
      if (p.startsWith('{') && p.endsWith('}')) {
        if (s === '') ok = false;
        else params[p.slice(1, -1)] = decodeURIComponent(s);
      } else if (p !== s) ok = false;
    }
    if (ok) return { route, params };
  }
  return null;
}

/** Non-negative integer query parameter, or `fallback` when absent; NaN when malformed. */
export function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}
