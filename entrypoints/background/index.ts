/**
 * The service worker: the only holder of credentials and the only caller of Atlassian. All the
 * wiring is in ./wire.ts.
 */
import { browser } from 'wxt/browser';
import { startBackground } from './wire';

export default defineBackground(() => {
  const { service } = startBackground(browser);
  // For the e2e tests and the demo: lets them wait for the end of a sync from the worker. Only
  // code running in the worker itself can reach it.
  (globalThis as { accessLensIdle?: (site?: string) => Promise<void> }).accessLensIdle = (site) => service.idle(site);
});
