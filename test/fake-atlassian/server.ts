/**
 * One HTTPS server that answers, by Host header, for auth.atlassian.com (OAuth), api.atlassian.com
 * (accessible-resources, the /ex/{product}/{cloudId} gateway and the /admin organisation API, see
 * admin.ts), <site>.atlassian.net (Basic auth) and admin.atlassian.com (a placeholder page).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FakeAdminApi } from './admin';
import { fakeCertificate } from './cert';
import { FakeClock } from './clock';
import { anonymousUser, CONFLUENCE_ROUTES } from './confluence';
import { confluenceError, confluenceV2Error, gatewayError, jiraError, SCOPE_MISMATCH, UNAUTHORIZED, type Reply } from './errors';
import { betaHeaders, FaultInjector, rateLimitHeaders, type FaultOptions } from './faults';
import { createFakeFetch } from './fetch';
import { JIRA_ROUTES } from './jira';
import { RequestLogImpl, type RequestLog, type RequestLogEntry } from './log';
import { escapeHtml, OAuthServer, type BearerCaller, type TokenExchange } from './oauth';
import { fakePage } from './pages';
import { endpointKey, matchRoute, type Route } from './routes';
import { ScenarioState, type Scenario, type ScenarioIdentity, type SiteState } from './scenario';
import { ENDPOINT_SCOPES, scopesSatisfy } from './scopes';

export interface FakeAtlassianOptions {
  scenario: Scenario;
  /** default 0 (random) */
  port?: number;
  /** default 3600 (§1.2: access tokens last 1 hour) */
  accessTokenLifetimeSec?: number;
  /** 'page': /authorize shows a consent page with Accept/Decline; 'auto': 302 at once. default 'page' */
  consent?: 'page' | 'auto';
  faults?: FaultOptions;
  /** How a dead refresh token is refused (default `invalid_grant`; §10 reports `unauthorized_client` too). */
  refreshFailure?: 'invalid_grant' | 'unauthorized_client';
}

/** A hold on answers of one endpoint (see `FakeAtlassian.hold`). */
export interface Hold {
  /** Requests answered so far (the hold counts from its creation). */
  readonly answered: number;
  /** Requests waiting for `release()`. */
  readonly waiting: number;
  /** Lets every held request, and every later one, be answered. */
  release(): void;
}

export interface FakeAtlassian {
  port: number;
  /** Chromium `--host-resolver-rules` value mapping every Atlassian host to this server. */
  hostResolverRules: string;
  /** fetch(url, init) for Node: real Atlassian URLs in, answered by this fake. */
  fetch: typeof fetch;
  log: RequestLog;
  setFaults(f: FaultOptions): void;
  setConsent(mode: 'page' | 'auto'): void;
  setRefreshFailure(mode: 'invalid_grant' | 'unauthorized_client'): void;
  revokeAllGrants(): void;
  /**
   * Answers the first `after` requests of `endpoint` (its key in the request log, e.g.
   * `GET /wiki/rest/api/group/{groupId}/membersByGroupId`) and holds every later one — the
   * request has arrived, no answer leaves — until `release()`. Lets a test act at an exact point
   * of a sync (stop the worker while pages are still missing) instead of racing it.
   */
  hold(endpoint: string, after: number): Hold;
  /** Moves the fake's clock forward (token/code expiry, rotation leeway) without waiting. */
  advanceClock(ms: number): void;
  /**
   * Every code and refresh exchange the token endpoint answered, in order, with the refresh token
   * each spent and whether it was spent before (§1.4 rotation).
   */
  readonly tokenExchanges: readonly TokenExchange[];
  /** Mutable scenario state, e.g. to add/remove a member between syncs in a test. */
  state: ScenarioState;
  /** The organisation admin API (api.atlassian.com/admin): its data, rate limit and switches. */
  admin: FakeAdminApi;
  close(): Promise<void>;
}

const SITE_HOST_RE = /^([a-z0-9][a-z0-9-]*)\.atlassian\.net$/;
/** Paths on <site>.atlassian.net that are REST APIs (everything else is a page). */
const API_PATH_RE = /^\/(?:wiki\/rest\/|wiki\/api\/|rest\/)/;
const GATEWAY_RE = /^\/ex\/(confluence|jira)\/([^/]+)(\/.*)?$/;
const ALL_ROUTES: readonly Route[] = [...CONFLUENCE_ROUTES, ...JIRA_ROUTES];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type AuthHeader = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; secret: string } | { kind: 'none' };

/** Who called a product API. `scopes`: what an OAuth token or a scoped API token may do; null: anything. */
interface Caller {
  site: SiteState;
  identity: ScenarioIdentity;
  scopes: ReadonlySet<string> | null;
  caller: 'oauth' | 'api-token';
}

interface HoldState {
  endpoint: string;
  after: number;
  answered: number;
  released: boolean;
  waiters: (() => void)[];
}

function parseAuthorization(h: string | undefined): AuthHeader {
  const m = /^(\w+)\s+(.+)$/.exec(h ?? '');
  if (!m) return { kind: 'none' };
  const scheme = (m[1] as string).toLowerCase();
  const value = (m[2] as string).trim();
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i < 0 ? { kind: 'none' } : { kind: 'basic', user: decoded.slice(0, i), secret: decoded.slice(i + 1) };
  }
  return { kind: 'none' };
}

function parseBody(raw: Buffer, contentType: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (raw.length === 0) return { ok: true, value: undefined };
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export async function startFakeAtlassian(opts: FakeAtlassianOptions): Promise<FakeAtlassian> {
  const state = new ScenarioState(opts.scenario);
  const clock = new FakeClock();
  const faults = new FaultInjector(opts.faults);
  const log = new RequestLogImpl();
  const oauth = new OAuthServer(state, clock, opts.accessTokenLifetimeSec ?? 3600, opts.consent ?? 'page', opts.faults?.seed ?? 0);
  const admin = new FakeAdminApi(
    state.scenario.organisation,
    (site) => state.siteByName(site)?.site.cloudId,
    (accountId) => {
      for (const s of state.scenario.sites) {
        const u = state.siteByName(s.name)?.usersById.get(accountId);
        if (u) return { name: u.displayName, email: u.workEmail ?? (u.email || null) };
      }
      return undefined;
    },
    clock,
  );
  oauth.refreshFailure = opts.refreshFailure ?? 'invalid_grant';
  const holds: HoldState[] = [];
  const { key, cert } = await fakeCertificate();

  function send(res: http.ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void {
    if (res.destroyed || res.headersSent) return;
    const isText = typeof reply.body === 'string';
    const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json;charset=UTF-8',
      ...reply.headers,
      ...extraHeaders,
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  /**
   * Who is calling a product API; `'anonymous'` for a site with anonymous access and credentials it
   * did not accept; or the error reply that ends the request.
   */
  function authenticate(
    auth: AuthHeader,
    target: { via: 'gateway'; product: 'confluence' | 'jira'; cloudId: string } | { via: 'site'; site: SiteState },
  ): Caller | 'anonymous' | Reply {
    if (target.via === 'gateway') {
      const site = state.siteByCloudId(target.cloudId);
      if (auth.kind === 'bearer') {
        const caller = oauth.authenticate(auth.token);
        if (!caller) return UNAUTHORIZED();
        if (!site) return gatewayError(404, 'Not Found');
        // The grant does not reach this site (not consented, or another organisation's).
        if (!caller.sites.has(site.site.name)) return UNAUTHORIZED();
        return { site, identity: caller.identity, scopes: caller.scopes, caller: 'oauth' };
      }
      // §10: scoped API tokens work only here, Basic email:token, with the token's scopes;
      // classic tokens are not accepted by the gateway.
      if (auth.kind !== 'basic') return UNAUTHORIZED();
      const identity = state.findIdentity(auth.user);
      const scoped = identity?.scopedApiTokens.find((t) => t.token === auth.secret);
      if (!identity || !scoped) return UNAUTHORIZED();
      if (!site) return gatewayError(404, 'Not Found');
      return { site, identity, scopes: new Set(scoped.scopes), caller: 'api-token' };
    }
    // §1.6: 3LO tokens do not work against <site>.atlassian.net; §10: nor do scoped API tokens.
    const identity = auth.kind === 'basic' ? state.findIdentity(auth.user) : undefined;
    if (auth.kind === 'basic' && identity && identity.apiTokens.includes(auth.secret)) {
      return { site: target.site, identity, scopes: null, caller: 'api-token' };
    }
    return target.site.site.anonymousAccess ? 'anonymous' : UNAUTHORIZED();
  }

  /**
   * Resolves once `endpoint`'s request may be answered (see `FakeAtlassian.hold`). A request whose
   * client went away while held (a stopped service worker's fetches) stops waiting and counts for
   * no hold: it is never answered.
   */
  async function waitForHolds(endpoint: string, res: http.ServerResponse): Promise<void> {
    for (const hold of holds) {
      if (hold.endpoint !== endpoint) continue;
      if (res.destroyed) return;
      if (!hold.released && hold.answered >= hold.after) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            res.off('close', gone);
            resolve();
          };
          const gone = () => {
            const i = hold.waiters.indexOf(wake);
            if (i >= 0) hold.waiters.splice(i, 1);
            resolve();
          };
          hold.waiters.push(wake);
          res.once('close', gone);
        });
        if (res.destroyed) return;
      }
      hold.answered++;
    }
  }

  async function handleProduct(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: Buffer,
    target: { via: 'gateway'; product: 'confluence' | 'jira'; cloudId: string } | { via: 'site'; site: SiteState },
    productPath: string,
    query: URLSearchParams,
    record: (endpoint: string, status: number) => void,
  ): Promise<void> {
    const done = log.begin();
    res.on('close', done);
    const method = req.method ?? 'GET';
    const matched = matchRoute(ALL_ROUTES, method, productPath);
    const endpoint = matched ? endpointKey(matched.route) : `${method} ${productPath}`;
    const reply = (r: Reply, headers?: Record<string, string>) => {
      // Out of flight before the client can see the answer, so sequential calls never overlap.
      done();
      send(res, r, headers);
      record(endpoint, r.status);
    };

    if (faults.arrive()) oauth.revokeAllGrants();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (res.destroyed) return;

    const who = authenticate(parseAuthorization(req.headers.authorization), target);
    if (who === 'anonymous') {
      // Issue 8, item 8: user/current answers the anonymous user; nothing else is open to it here.
      return reply(endpoint === 'GET /wiki/rest/api/user/current' && target.via === 'site' ? anonymousUser(target.site) : UNAUTHORIZED());
    }
    if ('status' in who) return reply(who);
    const product = target.via === 'gateway' ? target.product : matched?.route.product;
    if (!matched || matched.route.product !== product) {
      const notFound = productPath.startsWith('/wiki') ? confluenceError(404, 'Not Found') : jiraError(404, 'Not Found');
      return reply(notFound);
    }
    // The site has no Jira: nothing answers under its Jira base (401 or 404, as the scenario says).
    if (product === 'jira' && !who.site.site.jira) {
      return reply(who.site.site.jiraAbsentStatus === 401 ? UNAUTHORIZED() : gatewayError(404, 'Not Found'));
    }
    const rule = ENDPOINT_SCOPES[endpoint];
    if (who.scopes && rule && !scopesSatisfy(who.scopes, rule)) return reply(SCOPE_MISMATCH());
    // §10: Atlassian's XSRF check refuses POSTs without `X-Atlassian-Token: no-check` (and, as
    // reported for browser user agents, may refuse them anyway).
    if (method === 'POST' && (faults.options.xsrfRefuseAll || (req.headers['x-atlassian-token'] ?? '').toString().toLowerCase() !== 'no-check')) {
      return reply({ status: 403, body: 'XSRF check failed' });
    }

    const now = clock.now();
    // §10: the hourly quota, once spent, answers every request until the window ends (§5: early
    // retries earn "the same or longer Retry-After period").
    const quotaLeft = faults.quotaLeftMs(now);
    if (quotaLeft !== null) {
      const headers = rateLimitHeaders(now, Math.ceil(quotaLeft / 1000), faults.options.quotaReason ?? 'confluence-quota-based', faults.options.rateLimitHeaders);
      return reply(gatewayError(429, 'Rate limit exceeded'), headers);
    }
    await waitForHolds(endpoint, res);
    if (res.destroyed) return;
    if (endpoint === 'GET /wiki/rest/api/group' && (faults.options.groupListDelayMs ?? 0) > 0) await sleep(faults.options.groupListDelayMs ?? 0);
    switch (faults.draw()) {
      case 'drop':
        record(endpoint, 0);
        req.socket.destroy();
        return;
      case '429':
        return reply(gatewayError(429, 'Rate limit exceeded'), rateLimitHeaders(now, faults.retryAfterSec, 'confluence-quota-based', faults.options.rateLimitHeaders));
      case '503':
        return reply(gatewayError(503, 'Service Unavailable'), rateLimitHeaders(now, faults.retryAfterSec, 'resource-limit'));
      case '500':
        return reply(product === 'jira' ? jiraError(500, 'Internal server error') : confluenceError(500, 'Internal Server Error'));
      case 'none':
        break;
    }

    const body = parseBody(raw, req.headers['content-type']);
    if (!body.ok) return reply(confluenceV2Error(400, 'INVALID_REQUEST_PARAMETER', 'Malformed JSON body'));
    const permission = who.identity.sites.find((p) => p.site === who.site.site.name);
    const out = faults.malform(endpoint, matched.route.handle({ site: who.site, state, identity: who.identity, caller: who.caller, permission, query, params: matched.params, body: body.value }));
    const extra = out.status === 200 ? { ...(faults.options.betaHeaders ? betaHeaders(now) : {}), ...(faults.options.nearLimit ? { 'x-ratelimit-nearlimit': 'true' } : {}) } : {};
    reply(out, extra);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
    const auth = parseAuthorization(req.headers.authorization);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    admin.watchForKeys(host, url, req.headers, raw);

    const arrivedAt = clock.now();
    const record = (endpoint: string, status: number) => {
      const entry: RequestLogEntry = {
        at: clock.now(),
        arrivedAt,
        method,
        host,
        path: url.pathname,
        query: url.search,
        endpoint,
        status,
        auth: auth.kind,
        durationMs: performance.now() - started,
        ...(raw.length > 0 ? { body: raw.toString('utf8') } : {}),
      };
      log.add(entry);
    };
    const reply = (endpoint: string, r: Reply, headers?: Record<string, string>) => {
      send(res, r, headers);
      record(endpoint, r.status);
    };
    const key = `${method} ${url.pathname}`;

    if (host === 'auth.atlassian.com') {
      if (key === 'GET /authorize') return reply(key, oauth.authorize(url.searchParams));
      if (key === 'POST /authorize/consent') return reply(key, oauth.consentDecision(new URLSearchParams(raw.toString('utf8'))));
      if (key === 'POST /oauth/token') {
        const body = parseBody(raw, req.headers['content-type']);
        const fields = body.ok && body.value && typeof body.value === 'object' ? (body.value as Record<string, unknown>) : {};
        return reply(key, oauth.token(fields));
      }
      return reply(key, { status: 404, headers: { 'content-type': 'text/html' }, body: '<!doctype html><h1>Not Found</h1>' });
    }

    if (host === 'api.atlassian.com') {
      // atlassian-api.md §1.3: CORS is supported for api.atlassian.com.
      const cors: Record<string, string> = {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-headers': 'authorization, content-type, accept',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
      };
      if (method === 'OPTIONS') return reply(key, { status: 204, body: undefined }, cors);
      if (url.pathname.startsWith('/admin/')) {
        const answer = admin.handle(method, url, req.headers.authorization, raw);
        return reply(answer.endpoint, answer.reply, cors);
      }
      const gw = GATEWAY_RE.exec(url.pathname);
      if (gw) {
        const target = { via: 'gateway' as const, product: gw[1] as 'confluence' | 'jira', cloudId: gw[2] as string };
        for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
        return handleProduct(req, res, raw, target, gw[3] ?? '/', url.searchParams, record);
      }
      if (key === 'GET /oauth/token/accessible-resources' || key === 'GET /me') {
        const caller = auth.kind === 'bearer' ? oauth.authenticate(auth.token) : null;
        if (!caller) return reply(key, UNAUTHORIZED(), cors);
        if (key === 'GET /oauth/token/accessible-resources') return reply(key, { status: 200, body: oauth.accessibleResources(caller) }, cors);
        if (!caller.scopes.has('read:me')) return reply(key, SCOPE_MISMATCH(), cors);
        const id = caller.identity;
        return reply(
          key,
          {
            status: 200,
            body: { account_type: 'atlassian', account_id: id.accountId, email: id.email, name: id.displayName, picture: '', account_status: 'active', nickname: id.displayName, zoneinfo: 'Etc/UTC', locale: 'en-US', extended_profile: {} },
          },
          cors,
        );
      }
      return reply(key, gatewayError(404, 'Not Found'), cors);
    }

    const siteMatch = SITE_HOST_RE.exec(host);
    if (siteMatch) {
      const site = state.siteByName(siteMatch[1] as string);
      if (!site) return reply(key, { status: 404, headers: { 'content-type': 'text/html' }, body: '<!doctype html><h1>Your Atlassian Cloud site is currently unavailable.</h1>' });
      // atlassian-api.md §1.5: tenant_info gives the cloudId without a token.
      if (key === 'GET /_edge/tenant_info') return reply(key, { status: 200, body: { cloudId: site.site.cloudId } });
      // Browser page loads (content-script tests, favicon): a plain page, not a product-API call.
      if (method === 'GET' && !API_PATH_RE.test(url.pathname)) {
        const fake = fakePage(state, host, url);
        if (fake) return reply(key, fake);
        const title = `${site.site.displayName} - Confluence`;
        return reply(key, { status: url.pathname === '/favicon.ico' ? 404 : 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><html lang="en"><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(url.pathname)}</p></body></html>` });
      }
      return handleProduct(req, res, raw, { via: 'site', site }, url.pathname, url.searchParams, record);
    }

    if (host === 'admin.atlassian.com') {
      const fake = method === 'GET' ? fakePage(state, host, url) : null;
      if (fake) return reply(key, fake);
      return reply(key, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>Atlassian Administration</title><h1>Atlassian Administration</h1><p>${escapeHtml(url.pathname)}</p>` });
    }
    return reply(key, { status: 421, body: `This fake does not serve host "${host}".` });
  }

  const server = https.createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, { status: 500, body: { message: `fake-atlassian crashed: ${String(err)}` } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const fakeFetch = createFakeFetch(port);
  const hostResolverRules = ['auth.atlassian.com', 'api.atlassian.com', '*.atlassian.net', 'admin.atlassian.com']
    .map((h) => `MAP ${h}:443 127.0.0.1:${port}`)
    .join(', ');

  return {
    port,
    hostResolverRules,
    fetch: fakeFetch.fetch,
    log,
    state,
    admin,
    setFaults: (f) => faults.set(f),
    setConsent: (mode) => {
      oauth.consentMode = mode;
    },
    setRefreshFailure: (mode) => {
      oauth.refreshFailure = mode;
    },
    hold: (endpoint, after) => {
      const h: HoldState = { endpoint, after, answered: 0, released: false, waiters: [] };
      holds.push(h);
      return {
        get answered() {
          return Math.min(h.answered, h.after) + (h.released ? Math.max(0, h.answered - h.after) : 0);
        },
        get waiting() {
          return h.waiters.length;
        },
        release() {
          h.released = true;
          for (const wake of h.waiters.splice(0)) wake();
        },
      };
    },
    revokeAllGrants: () => oauth.revokeAllGrants(),
    advanceClock: (ms) => clock.advance(ms),
    get tokenExchanges() {
      return oauth.exchanges;
    },
    close: async () => {
      fakeFetch.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
