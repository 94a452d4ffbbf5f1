/**
 * Follows the URL of the active tab in the current window, so the side panel can select the
 * account the admin is looking at. Host permissions for the Atlassian hosts make `tab.url`
 * readable there; elsewhere it is undefined and reported as null.
 */
import { browser } from 'wxt/browser';

export type ActiveTabWatcher = (onUrl: (url: string | null) => void) => () => void;

export const watchActiveTabUrl: ActiveTabWatcher = (onUrl) => {
  let stopped = false;
  const check = async () => {
    try {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (!stopped) onUrl(tab?.url ?? null);
    } catch {
      if (!stopped) onUrl(null);
    }
  };
  const onActivated = () => void check();
  const onUpdated = (_id: number, change: { url?: string }, tab: { active?: boolean }) => {
    if (change.url !== undefined && tab.active) void check();
  };
  browser.tabs.onActivated.addListener(onActivated);
  browser.tabs.onUpdated.addListener(onUpdated);
  void check();
  return () => {
    stopped = true;
    browser.tabs.onActivated.removeListener(onActivated);
    browser.tabs.onUpdated.removeListener(onUpdated);
  };
};
