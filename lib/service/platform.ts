/**
 * What the background needs from the browser. `entrypoints/background` implements it with
 * `browser.*`; unit tests with recorders and the fake Atlassian's fetch. Nothing in lib/ touches
 * `browser` directly.
 */
import type { FetchLike } from '../atlassian/http';
import type { Broadcast } from '../messages';
import type { SiteUrl } from '../model';
import type { ToolbarBadge } from './toolbar-badge';

export interface Platform {
  fetch: FetchLike;
  /** `identity.getRedirectURL()`: https://<extension-id>.chromiumapp.org/ */
  redirectUrl: string;
  /** `identity.launchWebAuthFlow({ url, interactive: true })`, resolving to the redirected URL. */
  launchWebAuthFlow(url: string): Promise<string>;
  broadcast(message: Broadcast): void;
  /** Schedules (hours) or cancels (null) the periodic sync of a site, replacing any schedule. */
  scheduleSync(site: SiteUrl, hours: number | null): Promise<void>;
  /**
   * Schedules the periodic sync only when none exists (alarms are dropped when the extension is
   * updated). Called at every worker start, so it must not push an existing schedule back.
   */
  ensureSyncScheduled(site: SiteUrl, hours: number): Promise<void>;
  /** While a sync runs, a short periodic alarm wakes a killed worker so the sync resumes. */
  setResumeAlarm(on: boolean): Promise<void>;
  /**
   * A one-off alarm at `at` for the site's sync paused by Atlassian's rate limit (null cancels
   * it); when it fires the background calls `resumeInterrupted`.
   */
  setPauseAlarm(site: SiteUrl, at: Date | null): Promise<void>;
  /** Wakes the worker at `at` (epoch ms) to resume the site's paused activity phase; null cancels. */
  setActivityAlarm(site: SiteUrl, at: number | null): Promise<void>;
  /** Paints the toolbar icon's badge for one tab (`action.setBadgeText` etc. with its tabId). */
  setToolbarBadge(tabId: number, badge: ToolbarBadge): Promise<void>;
  /**
   * Opens the side panel on that tab or window. Browsers allow it only in answer to a user
   * gesture (a click on a page badge); rejects otherwise or where there is no side panel.
   */
  openSidePanel(target: { tabId?: number; windowId?: number }): Promise<void>;
  randomState(): string;
  now(): Date;
  timeZone?: string;
  /** The extension's version (manifest), written into evidence packages. */
  extensionVersion?: string;
}
