/**
 * Browser actions the pages trigger directly. `sidePanel.open` must run inside the click handler
 * (it needs the user gesture), so the window id is looked up beforehand.
 */
import { browser } from 'wxt/browser';

interface FirefoxSidebar {
  sidebarAction?: { open(): Promise<void> };
}

export async function currentWindowId(): Promise<number | undefined> {
  try {
    return (await browser.windows.getCurrent()).id;
  } catch {
    return undefined;
  }
}

/** Call synchronously from a click handler. */
export function openSidePanel(windowId: number | undefined): Promise<void> {
  const firefox = (browser as unknown as FirefoxSidebar).sidebarAction;
  if (firefox) return firefox.open();
  const sidePanel = (browser as { sidePanel?: { open(o: { windowId: number }): Promise<void> } }).sidePanel;
  if (!sidePanel || windowId === undefined) return Promise.reject(new Error('The side panel is not available in this browser.'));
  return sidePanel.open({ windowId });
}

export function openOptionsPage(): Promise<void> {
  return browser.runtime.openOptionsPage();
}

export type OptionsSection = 'connect' | 'groups';

/** The options page at one section (`#connect=<site>`, `#groups=<site>`), in a tab. */
export async function openOptionsSection(section: OptionsSection, site: string): Promise<void> {
  const url = browser.runtime.getURL(`/options.html#${section}=${encodeURIComponent(site)}`);
  await browser.tabs.create({ url });
}
