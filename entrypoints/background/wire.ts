/**
 * Wires the service (lib/service) to the browser: runtime messages to the dispatcher, alarms to
 * syncs, identity and broadcasts to the platform. Kept apart from the entrypoint so unit tests
 * can run it against WXT's fakeBrowser and fire `runtime.onMessage` for real.
 */
import type { browser as wxtBrowser } from 'wxt/browser';
import type { Broadcast } from '@/lib/messages';
import { createService, type Platform, type Service } from '@/lib/service/service';
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

/**
 * Starts the background: the service, its message listener and alarm handler. `started`
 * resolves once interrupted syncs have been picked up again.
 */
export function startBackground(
  browser: Browser,
  options: { platform?: Platform; openStore?: () => Promise<Store> } = {},
): { service: Service; started: Promise<void>; clock: WorkerClock; onAlarm: (name: string) => void } {
  const clock: WorkerClock = { offsetMs: 0 };
  const service = createService(options.platform ?? browserPlatform(browser, clock), options.openStore ?? (() => openStore()), {
    extensionId: browser.runtime.id,
    origin: browser.runtime.getURL('/'),
  });

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
