/**
 * The service worker: the only holder of credentials and the only caller of Atlassian. All the
 * wiring is in ./wire.ts.
 */
import { browser } from 'wxt/browser';
import { startBackground } from './wire';

export default defineBackground(() => {
  const { service, clock, onAlarm } = startBackground(browser);
  // For the e2e tests and the demo: lets them wait for the end of a sync from the worker. Only
  // code running in the worker itself can reach it.
  (globalThis as { accessLensIdle?: (site?: string) => Promise<void> }).accessLensIdle = (site) => service.idle(site);
  // For the e2e tests only, like accessLensIdle reachable from the worker alone (no page, no
  // content script can call it): an hour-long rate-limit pause is tested by moving the worker's
  // clock with the fake Atlassian's and firing the alarm the pause set, instead of waiting an hour.
  (globalThis as { accessLensTest?: unknown }).accessLensTest = {
    advanceClock: (ms: number) => {
      clock.offsetMs += ms;
    },
    fireAlarm: (name: string) => onAlarm(name),
  };
});
