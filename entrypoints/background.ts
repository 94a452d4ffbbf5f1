/**
 * The service worker: the only holder of credentials and the only caller of Atlassian. It wires
 * `lib/service` to the browser: validated messages in, alarms, identity and broadcasts out.
 */
import type { Broadcast } from '@/lib/messages';
import { requestSchema } from '@/lib/request-schema';
import { createService, toErrorResponse } from '@/lib/service/service';
import { authorizeSender } from '@/lib/service/sender';
import { openStore } from '@/lib/store';

const SYNC_ALARM_PREFIX = 'sync:';
const RESUME_ALARM = 'resume-sync';
/** One-off alarm per site at the end of a rate-limit pause (issue 8, item 5). */
const PAUSE_ALARM_PREFIX = 'rate-limit:';

export default defineBackground(() => {
  /** Test hook only (see the end of this file): moves the worker's clock, never set otherwise. */
  let clockOffsetMs = 0;
  const service = createService(
    {
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
        if (at !== null) await browser.alarms.create(name, { when: Math.max(Date.now() + 1000, at.getTime() - clockOffsetMs) });
      },
      randomState: () => crypto.randomUUID(),
      now: () => new Date(Date.now() + clockOffsetMs),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
    () => openStore(),
  );

  const ownOrigin = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
    // Broadcasts from this worker echo to no one; anything without a known type is not for us.
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      if (type === 'syncProgress' || type === 'stateChanged') return false;
      sendResponse({ error: `Invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')}` });
      return false;
    }
    const verdict = authorizeSender(sender, browser.runtime.id, ownOrigin, parsed.data.type);
    if (!verdict.ok) {
      sendResponse({ error: `Refused: ${verdict.reason}` });
      return false;
    }
    service.handle(parsed.data).then(sendResponse, (error: unknown) => sendResponse(toErrorResponse(error)));
    return true; // answer asynchronously (works in Chrome and with webextension-polyfill)
  });

  const onAlarm = (name: string) => {
    if (name === RESUME_ALARM || name.startsWith(PAUSE_ALARM_PREFIX)) void service.resumeInterrupted();
    else if (name.startsWith(SYNC_ALARM_PREFIX)) void service.onScheduledSync(name.slice(SYNC_ALARM_PREFIX.length));
  };
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm.name));

  // Chrome: the toolbar button opens the popup; the side panel opens from the popup's button.
  // A worker that was stopped mid-sync picks the sync up again on its next start.
  void service.resumeInterrupted();

  // For the e2e tests and the demo: lets them wait for the end of a sync from the worker.
  (globalThis as { accessLensIdle?: (site?: string) => Promise<void> }).accessLensIdle = (site) => service.idle(site);
  // For the e2e tests only, like accessLensIdle reachable from the worker alone (no page, no
  // content script can call it): an hour-long rate-limit pause is tested by moving the worker's
  // clock with the fake Atlassian's and firing the alarm the pause set, instead of waiting an hour.
  (globalThis as { accessLensTest?: unknown }).accessLensTest = {
    advanceClock: (ms: number) => {
      clockOffsetMs += ms;
    },
    fireAlarm: (name: string) => onAlarm(name),
  };
});
