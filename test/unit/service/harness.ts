/**
 * Drives `createService` the way the background does: every request goes through the service's
 * dispatcher (sender check, schema, handler, `{ error }` on failure) as if sent by an extension
 * page — exactly what a page receives. The platform is recorded (broadcasts, alarms) and its clock follows the
 * fake Atlassian's, so `advance(ms)` moves both.
 *
 * Every answer and broadcast is kept so `leakedSecrets()` can check that none of them carries the
 * client secret, an API token, or any access/refresh token the fake ever issued.
 */
import type { FetchLike } from '../../../lib/atlassian/http';
import type { Broadcast, ErrorResponse, Request, RequestType, ResponseMap } from '../../../lib/messages';
import { isError } from '../../../lib/messages';
import type { Person, ReviewRow, SiteUrl } from '../../../lib/model';
import type { SenderInfo } from '../../../lib/service/sender';
import type { ToolbarBadge } from '../../../lib/service/toolbar-badge';
import { createService, type Platform, type Service } from '../../../lib/service/service';
import { openStore } from '../../../lib/store';
import type { Store } from '../../../lib/store/schema';
import { loadScenario, startFakeAtlassian, type FakeAtlassian, type FakeAtlassianOptions, type Scenario } from '../../fake-atlassian';

export const ACME = 'https://acme.atlassian.net';
export const ACME_LABS = 'https://acme-labs.atlassian.net';
export const REDIRECT_URL = 'https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/';
export const CLIENT_ID = 'acme-client-id';
export const CLIENT_SECRET = 'acme-client-secret';
export const ADMIN_EMAIL = 'it-admin@acme.test';
export const ADMIN_TOKEN = 'acme-api-token';
export const VIEWER_EMAIL = 'viewer@acme.test';
export const VIEWER_TOKEN = 'acme-viewer-token';
export const EXTENSION_ID = 'poaokbhmjpleenafkjpmagkbbkbbilfk';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
/** What the browser stamps on a message from the extension's side panel. */
export const PAGE_SENDER: SenderInfo = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}sidepanel.html` };

let demo: Scenario | null = null;
/** The demo scenario, read once per test file (the fake copies it, so tests cannot change it). */
export function demoScenario(): Scenario {
  demo ??= loadScenario('demo');
  return demo;
}

export type Answer<T extends RequestType> = ResponseMap[T] | ErrorResponse;
type Req<T extends RequestType> = Extract<Request, { type: T }>;

export interface Harness {
  fake: FakeAtlassian;
  service: Service;
  /** The service's own store (opened lazily by the service; available after the first request). */
  store(): Promise<Store>;
  broadcasts: Broadcast[];
  scheduled: { site: SiteUrl; hours: number | null }[];
  resumeAlarm: boolean[];
  /** Activity-phase alarms set (epoch ms) or cleared (null), per site. */
  activityAlarms: { site: SiteUrl; at: number | null }[];
  /** Every request the service sent: URL and Authorization header (to check where credentials go). */
  sent: { url: string; authorization: string | null }[];
  /** Rate-limit pause alarms set (`at`) or cleared (null), in order. */
  pauseAlarms: { site: SiteUrl; at: string | null }[];
  /** Toolbar badges painted, per tab, in order. */
  toolbarBadges: { tabId: number; badge: ToolbarBadge }[];
  /** Side panels the service asked the browser to open. */
  openedPanels: { tabId?: number; windowId?: number }[];
  /** Makes `openSidePanel` fail as a browser does without a user gesture. */
  setPanelGesture(allowed: boolean): void;
  /** URLs the service asked the browser to open for sign-in. */
  authorizeUrls: string[];
  /** Replaces what the "browser" does with the authorize URL (default: follow the fake's 302). */
  setAuthFlow(flow: (url: string) => Promise<string>): void;
  /** Moves the fake Atlassian's clock and the platform's `now()` forward together. */
  advance(ms: number): void;
  /** Dispatched like the background does, from an extension page; errors come back as `{ error }`. */
  ask<T extends RequestType>(req: Req<T>): Promise<Answer<T>>;
  /** Any message from any sender, through the real dispatcher. */
  dispatch(raw: unknown, sender: SenderInfo): Promise<unknown>;
  /** Every row of the site's review, paged through `queryReview` (filter 'review' + 'filtered'). */
  rows(site: SiteUrl): Promise<ReviewRow[]>;
  /** The whole roster, paged through `searchPeople`. */
  people(): Promise<Person[]>;
  /** `ask`, failing the test when the answer is an error. */
  ok<T extends RequestType>(req: Req<T>): Promise<ResponseMap[T]>;
  /** `ask`, failing the test unless the answer is an error; returns it. */
  fail<T extends RequestType>(req: Req<T>): Promise<ErrorResponse>;
  connectOAuth(site?: string): Promise<void>;
  connectApiToken(site?: string, email?: string, apiToken?: string): Promise<void>;
  /** Lists groups (storing them), saves `groupIds` and waits for the sync it starts. */
  selectAndSync(site: SiteUrl, groupIds: string[]): Promise<void>;
  /** Secret strings found in any answer or broadcast so far (should be empty). */
  leakedSecrets(): string[];
  /** Every secret looked for: client secret, API tokens, and each token the fake issued. */
  knownSecrets(): string[];
  /** Adds a secret to look for (e.g. an organisation API key a test uses). */
  addSecret(secret: string): void;
  close(): Promise<void>;
}

/** Follows the fake's `/authorize` 302 (consent 'auto') and returns the callback URL. */
export function followAuthorize(fake: FakeAtlassian): (url: string) => Promise<string> {
  return async (url) => {
    const res = await fake.fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (!location) throw new Error(`The authorize page answered ${res.status} without a redirect`);
    return location;
  };
}

export async function startHarness(options: Partial<FakeAtlassianOptions> = {}): Promise<Harness> {
  const fake = await startFakeAtlassian({ scenario: demoScenario(), consent: 'auto', ...options });
  let offsetMs = 0;
  const secrets = new Set([CLIENT_SECRET, ADMIN_TOKEN, VIEWER_TOKEN]);
  const answers: string[] = [];
  const broadcasts: Broadcast[] = [];
  const scheduled: { site: SiteUrl; hours: number | null }[] = [];
  const resumeAlarm: boolean[] = [];
  const activityAlarms: { site: SiteUrl; at: number | null }[] = [];
  const pauseAlarms: { site: SiteUrl; at: string | null }[] = [];
  const authorizeUrls: string[] = [];
  const toolbarBadges: { tabId: number; badge: ToolbarBadge }[] = [];
  const openedPanels: { tabId?: number; windowId?: number }[] = [];
  let panelGesture = true;
  let authFlow = followAuthorize(fake);
  let storePromise: Promise<Store> | null = null;

  const sent: { url: string; authorization: string | null }[] = [];
  // Remembers every token the fake hands out, to look for it in answers later.
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    const res = await fake.fetch(url, init);
    if (url.startsWith('https://auth.atlassian.com/oauth/token') && res.ok) {
      const body = (await res.clone().json()) as { access_token?: string; refresh_token?: string };
      if (body.access_token) secrets.add(body.access_token);
      if (body.refresh_token) secrets.add(body.refresh_token);
    }
    return res;
  };

  const platform: Platform = {
    fetch,
    redirectUrl: REDIRECT_URL,
    launchWebAuthFlow: async (url) => {
      authorizeUrls.push(url);
      return authFlow(url);
    },
    broadcast: (message) => {
      broadcasts.push(message);
      answers.push(JSON.stringify(message));
    },
    scheduleSync: async (site, hours) => {
      scheduled.push({ site, hours });
    },
    // Like chrome.alarms: only creates a schedule when the site has none.
    ensureSyncScheduled: async (site, hours) => {
      const last = scheduled.filter((x) => x.site === site).at(-1);
      if (!last || last.hours === null) scheduled.push({ site, hours });
    },
    setResumeAlarm: async (on) => {
      resumeAlarm.push(on);
    },
    setActivityAlarm: async (site, at) => {
      activityAlarms.push({ site, at });
    },
    setPauseAlarm: async (site, at) => {
      pauseAlarms.push({ site, at: at?.toISOString() ?? null });
    },
    setToolbarBadge: async (tabId, badge) => {
      toolbarBadges.push({ tabId, badge });
      answers.push(JSON.stringify(badge));
    },
    openSidePanel: async (target) => {
      if (!panelGesture) throw new Error('`sidePanel.open()` may only be called in response to a user gesture.');
      openedPanels.push(target);
    },
    randomState: () => crypto.randomUUID(),
    now: () => new Date(Date.now() + offsetMs),
    timeZone: 'UTC',
  };
  const service = createService(platform, () => (storePromise ??= openStore(crypto.randomUUID())), {
    extensionId: EXTENSION_ID,
    origin: EXTENSION_ORIGIN,
  });

  async function dispatch(raw: unknown, sender: SenderInfo): Promise<unknown> {
    const answer = await service.dispatch(raw, sender);
    answers.push(JSON.stringify(answer));
    return answer;
  }

  async function ask<T extends RequestType>(req: Req<T>): Promise<Answer<T>> {
    return (await dispatch(req, PAGE_SENDER)) as Answer<T>;
  }

  async function allPages<T>(page: (offset: number) => Promise<{ total: number; items: T[] }>): Promise<T[]> {
    const all: T[] = [];
    for (;;) {
      const { total, items } = await page(all.length);
      all.push(...items);
      if (all.length >= total || items.length === 0) return all;
    }
  }

  const h: Harness = {
    fake,
    service,
    store: async () => {
      if (!storePromise) await service.dispatch({ type: 'getState' }, PAGE_SENDER);
      return storePromise as Promise<Store>;
    },
    broadcasts,
    scheduled,
    resumeAlarm,
    activityAlarms,
    sent,
    pauseAlarms,
    toolbarBadges,
    openedPanels,
    setPanelGesture: (allowed) => {
      panelGesture = allowed;
    },
    authorizeUrls,
    setAuthFlow: (flow) => {
      authFlow = flow;
    },
    advance: (ms) => {
      fake.advanceClock(ms);
      offsetMs += ms;
    },
    ask,
    dispatch,
    async rows(site) {
      const rowsOf = (filter: 'review' | 'filtered') =>
        allPages(async (offset) => {
          const page = await h.ok({ type: 'queryReview', site, filter, sort: 'name', offset, limit: 500 });
          return { total: page.total, items: page.rows };
        });
      const [inReview, filtered] = await Promise.all([rowsOf('review'), rowsOf('filtered')]);
      return [...inReview, ...filtered];
    },
    people: () =>
      allPages(async (offset) => {
        const page = await h.ok({ type: 'searchPeople', search: '', offset, limit: 200 });
        return { total: page.total, items: page.people };
      }),
    async ok(req) {
      const answer = await ask(req);
      if (isError(answer)) throw new Error(`${req.type} failed: ${answer.error}`);
      return answer;
    },
    async fail(req) {
      const answer = await ask(req);
      if (!isError(answer)) throw new Error(`${req.type} was expected to fail but answered ${JSON.stringify(answer).slice(0, 300)}`);
      return answer;
    },
    async connectOAuth(site = 'acme.atlassian.net') {
      await h.ok({ type: 'connectOAuth', siteUrl: site, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    },
    async connectApiToken(site = 'acme.atlassian.net', email = ADMIN_EMAIL, apiToken = ADMIN_TOKEN) {
      await h.ok({ type: 'connectApiToken', siteUrl: site, email, apiToken });
    },
    async selectAndSync(site, groupIds) {
      await h.ok({ type: 'listGroups', site });
      await h.ok({ type: 'saveGroups', site, groupIds });
      await service.idle(site);
    },
    leakedSecrets: () => [...secrets].filter((s) => answers.some((a) => a.includes(s))),
    knownSecrets: () => [...secrets],
    addSecret: (secret) => {
      secrets.add(secret);
    },
    close: async () => {
      await service.idle();
      (await storePromise)?.close();
      await fake.close();
    },
  };
  return h;
}

/** Group ids of the demo's `acme` site by name (from the fake's live state). */
export function groupId(fake: FakeAtlassian, name: string, site = 'acme'): string {
  const group = fake.state.site(site).site.groups.find((g) => g.name === name);
  if (!group) throw new Error(`no group "${name}" on ${site}`);
  return group.id;
}
