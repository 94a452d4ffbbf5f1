/**
 * Wires the service (lib/service) to the browser: runtime messages to the dispatcher, alarms to
 * syncs, identity and broadcasts to the platform. Kept apart from the entrypoint so unit tests
 * can run it against WXT's fakeBrowser and fire `runtime.onMessage` for real.
 */
import type { browser as wxtBrowser } from 'wxt/browser';
import type { Broadcast } from '@/lib/messages';
import { createService, type Platform, type Service } from '@/lib/service/service';
import { EVIDENCE_PATH } from '@/lib/service/requests/campaign';
import { openStore } from '@/lib/store';
import type { Store } from '@/lib/store/schema';

/** The `browser` global as WXT types it (fakeBrowser in unit tests). */
type Browser = typeof wxtBrowser;

const SYNC_ALARM_PREFIX = 'sync:';
const RESUME_ALARM = 'resume-sync';
const ACTIVITY_ALARM_PREFIX = 'activity:';
/** One-off alarm per site at the end of a rate-limit pause of its sync (issue 8, item 5). */
const PAUSE_ALARM_PREFIX = 'rate-limit:';

/** The manifest's version, for evidence packages ('unknown' where the browser cannot say). */
function manifestVersion(browser: Browser): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return 'unknown';
  }
}

/**
 * The worker's clock: real time, plus an offset that only the e2e tests move (through the
 * worker-only hook in ./index.ts), to test an hour-long pause without waiting an hour.
 */
export interface WorkerClock {
  offsetMs: number;
}

export function browserPlatform(browser: Browser, clock: WorkerClock = { offsetMs: 0 }): Platform {
  return {
    // Unbound global fetch throws "Illegal invocation" in some browsers.
    fetch: (url, init) => fetch(url, init),
    redirectUrl: browser.identity.getRedirectURL(),
    launchWebAuthFlow: async (url) => {
      const redirected = await browser.identity.launchWebAuthFlow({ url, interactive: true });
      if (!redirected) throw new Error('The sign-in window closed without an answer.');
      return redirected;
    },
    broadcast: (message: Broadcast) => {
      // No page may be open to hear it: that is fine.
      browser.runtime.sendMessage(message).catch(() => {});
    },
    scheduleSync: async (site, hours) => {
      const name = SYNC_ALARM_PREFIX + site;
      await browser.alarms.clear(name);
      if (hours !== null) await browser.alarms.create(name, { periodInMinutes: hours * 60, delayInMinutes: hours * 60 });
    },
    ensureSyncScheduled: async (site, hours) => {
      const name = SYNC_ALARM_PREFIX + site;
      if (!(await browser.alarms.get(name))) await browser.alarms.create(name, { periodInMinutes: hours * 60, delayInMinutes: hours * 60 });
    },
    setResumeAlarm: async (on) => {
      if (on) await browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
      else await browser.alarms.clear(RESUME_ALARM);
    },
    setPauseAlarm: async (site, at) => {
      const name = PAUSE_ALARM_PREFIX + site;
      await browser.alarms.clear(name);
      // `when` is real time: the offset only ever moves the worker's clock in tests.
      if (at !== null) await browser.alarms.create(name, { when: Math.max(Date.now() + 1000, at.getTime() - clock.offsetMs) });
    },
    setActivityAlarm: async (site, at) => {
      const name = ACTIVITY_ALARM_PREFIX + site;
      await browser.alarms.clear(name);
      if (at !== null) await browser.alarms.create(name, { when: at });
    },
    setToolbarBadge: async (tabId, badge) => {
      // MV3 `action`; Firefox's MV2 build has `browserAction` with the same methods.
      const action = (browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction) as typeof browser.action | undefined;
      if (!action) return;
      await Promise.all([
        action.setBadgeText({ tabId, text: badge.text }),
        action.setTitle({ tabId, title: badge.title }),
        action.setBadgeBackgroundColor({ tabId, color: badge.color }),
      ]);
      // Chrome 110+: white text on every badge colour above (Firefox picks its own).
      await (action as { setBadgeTextColor?: (d: { tabId: number; color: string }) => Promise<void> }).setBadgeTextColor?.({ tabId, color: '#ffffff' });
    },
    openSidePanel: async ({ tabId, windowId }) => {
      const sidePanel = (browser as unknown as { sidePanel?: { open(o: { tabId?: number; windowId?: number }): Promise<void> } }).sidePanel;
      const sidebar = (browser as unknown as { sidebarAction?: { open(): Promise<void> } }).sidebarAction;
      try {
        if (sidePanel) return await sidePanel.open(windowId !== undefined ? { windowId } : { tabId });
        if (sidebar) return await sidebar.open();
      } catch (error) {
        // Chrome opens a side panel only from a user gesture in the extension itself, and a click
        // in a content script does not count. A panel already open in that window shows the
        // account anyway (it hears the panelFocus broadcast).
        const contexts = (browser.runtime as unknown as { getContexts?(f: object): Promise<{ windowId: number }[]> }).getContexts;
        const open = contexts ? await contexts({ contextTypes: ['SIDE_PANEL'] }).catch(() => []) : [];
        if (open.some((c) => windowId === undefined || c.windowId === windowId || c.windowId === -1)) return;
        throw error;
      }
      throw new Error('This browser has no side panel.');
    },
    randomState: () => crypto.randomUUID(),
    now: () => new Date(Date.now() + clock.offsetMs),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    extensionVersion: manifestVersion(browser),
  };
}

/** What the evidence fetch handler needs of a service worker's FetchEvent. */
export interface EvidenceFetchEvent {
  request: Request;
  clientId: string;
  respondWith(response: Promise<Response>): void;
}

const EVIDENCE_URL = /^\/evidence\/([0-9a-f-]{36})\.zip$/;

/**
 * Scheme and host. Not `URL.origin`: for a scheme the URL standard does not know, such as
 * chrome-extension:, that is "null" outside Chromium, and every extension would look alike.
 */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * The service worker's fetch handler for evidence packages: `<extension origin>/evidence/<id>.zip`
 * answers the zip an `exportEvidence` request prepared, as bytes (no base64, no JSON message), once,
 * and only to the extension's own pages (the requesting client's URL is checked; a web page or a
 * content script is refused). Every other request is left to the browser.
 */
export function evidenceFetchHandler(
  service: Pick<Service, 'takeEvidence'>,
  origin: string,
  clientUrl: (clientId: string) => Promise<string | null>,
): (event: EvidenceFetchEvent) => void {
  const ours = originOf(origin);
  const refuse = (status: number, text: string) => new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  return (event) => {
    let url: URL;
    try {
      url = new URL(event.request.url);
    } catch {
      return;
    }
    if (ours === null || originOf(url.href) !== ours || !url.pathname.startsWith(EVIDENCE_PATH)) return;
    event.respondWith(
      (async () => {
        if (event.request.method !== 'GET') return refuse(405, 'Only GET.');
        const from = event.clientId ? await clientUrl(event.clientId).catch(() => null) : null;
        if (from === null || originOf(from) !== ours) return refuse(403, 'Evidence packages are served to Access Lens pages only.');
        const id = EVIDENCE_URL.exec(url.pathname)?.[1];
        const pkg = id ? service.takeEvidence(id) : null;
        if (!pkg) return refuse(404, 'That evidence package is no longer available: export it again.');
        return new Response(pkg.zip as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': 'application/zip', 'cache-control': 'no-store' },
        });
      })(),
    );
  };
}

/** The service worker's own scope, when this runs in one (not in Firefox's background page or in unit tests). */
interface WorkerScope {
  addEventListener(type: 'fetch', listener: (event: EvidenceFetchEvent) => void): void;
  addEventListener(type: 'activate', listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
  clients: { get(id: string): Promise<{ url: string } | undefined>; claim(): Promise<void> };
}

function serviceWorkerScope(): WorkerScope | null {
  const g = globalThis as unknown as { ServiceWorkerGlobalScope?: abstract new () => unknown };
  return typeof g.ServiceWorkerGlobalScope === 'function' && globalThis instanceof g.ServiceWorkerGlobalScope ? (globalThis as unknown as WorkerScope) : null;
}

/**
 * Starts the background: the service, its message listener and alarm handler. `started`
 * resolves once interrupted syncs have been picked up again.
 */
export function startBackground(
  browser: Browser,
  options: { platform?: Platform; openStore?: () => Promise<Store>; scope?: WorkerScope | null } = {},
): { service: Service; started: Promise<void>; clock: WorkerClock; onAlarm: (name: string) => void } {
  const clock: WorkerClock = { offsetMs: 0 };
  const service = createService(options.platform ?? browserPlatform(browser, clock), options.openStore ?? (() => openStore()), {
    extensionId: browser.runtime.id,
    origin: browser.runtime.getURL('/'),
  });

  // Evidence packages reach the page as bytes through the worker's fetch handler, where it has one.
  const scope = options.scope === undefined ? serviceWorkerScope() : options.scope;
  if (scope) {
    const origin = browser.runtime.getURL('/');
    scope.addEventListener('fetch', evidenceFetchHandler(service, origin, async (id) => (await scope.clients.get(id))?.url ?? null));
    // Pages opened before this worker was activated (just installed or updated) are handed to it
    // at once, so their fetches reach the handler above instead of waiting for a reload.
    scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
  }

  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse: (answer: unknown) => void) => {
    const answer = service.dispatch(raw, sender);
    if (answer === null) return false; // a broadcast, not a request: someone else's to hear
    void answer.then(sendResponse);
    return true; // answer asynchronously (works in Chrome and with webextension-polyfill)
  });

  const onAlarm = (name: string) => {
    if (name === RESUME_ALARM || name.startsWith(PAUSE_ALARM_PREFIX)) void service.resumeInterrupted();
    else if (name.startsWith(SYNC_ALARM_PREFIX)) service.onScheduledSync(name.slice(SYNC_ALARM_PREFIX.length));
    else if (name.startsWith(ACTIVITY_ALARM_PREFIX)) service.onActivityAlarm(name.slice(ACTIVITY_ALARM_PREFIX.length));
  };
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm.name));

  // The toolbar badge follows the tab: its site's accounts needing action.
  const tabChanged = (tabId: number, url: string | undefined) => void service.tabChanged(tabId, url);
  browser.tabs.onActivated.addListener(({ tabId }) => {
    browser.tabs.get(tabId).then((tab) => tabChanged(tabId, tab.url), () => undefined);
  });
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.url !== undefined || change.status === 'complete') tabChanged(tabId, tab.url);
  });
  browser.tabs.onRemoved.addListener((tabId) => service.tabRemoved(tabId));
  void browser.tabs.query({}).then(
    (tabs) => {
      for (const tab of tabs) if (tab.id !== undefined && tab.url) tabChanged(tab.id, tab.url);
    },
    () => undefined,
  );

  // A worker that was stopped mid-sync picks the sync up again on its next start.
  const started = service.resumeInterrupted().catch((error: unknown) => {
    console.error('Access Lens: resuming syncs failed', error instanceof Error ? error.message : error);
  });
  return { service, started, clock, onAlarm };
}
