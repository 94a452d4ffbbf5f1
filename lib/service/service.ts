/**
 * The background's service: the shared context (store, platform, syncs, warm review models) and
 * the dispatcher over the request table. Everything browser-specific comes in through
 * `Platform`, so this runs the same in the MV3 service worker and in unit tests (fake-indexeddb +
 * the fake Atlassian's fetch). Only the background reads credentials, and no answer carries one.
 */
import type { SiteUrl } from '../model';
import type { Store } from '../store/schema';
import { createBaseContext, type ServiceContext } from './context';
import { createDispatcher, type Dispatch, type DispatchIdentity } from './dispatch';
import type { Platform } from './platform';
import { requests } from './requests';
import { takePreparedEvidence } from './requests/campaign';
import { createActivityRunner } from './activity-runner';
import { createCampaigns } from './campaigns';
import { createReviewModels } from './reviews';
import { createSyncRunner } from './sync-runner';
import { createToolbarBadges, type ToolbarBadges } from './toolbar';

export type { Platform } from './platform';
export { UserError, toErrorResponse } from './errors';

export interface Service {
  /** Answers one runtime message (see ./dispatch.ts); null when it is not a request. */
  dispatch: Dispatch;
  /** Starts the syncs that are due to resume (after a worker restart) and tidies orphans. */
  resumeInterrupted(): Promise<void>;
  /** The alarm of a site's paused activity phase fired: resume it. */
  onActivityAlarm(site: SiteUrl): void;
  /** A scheduled sync alarm fired for this site. */
  onScheduledSync(site: SiteUrl): void;
  /** Resolves when the site's running sync (all, with no site) and review refreshes have ended. */
  idle(site?: SiteUrl): Promise<void>;
  /** A tab was activated, loaded or navigated: repaint its toolbar badge. */
  tabChanged(tabId: number, url: string | undefined): Promise<void>;
  tabRemoved(tabId: number): void;
  /** The evidence package prepared under this id, taken (served once), or null. */
  takeEvidence(id: string): { fileName: string; zip: Uint8Array } | null;
  /** The shared context, for tests that look at what an action cost. */
  readonly context: ServiceContext;
}

export function createService(platform: Platform, openStore: () => Promise<Store>, identity: DispatchIdentity): Service {
  // Every state change repaints the toolbar badges of the Atlassian tabs.
  let toolbar: ToolbarBadges | null = null;
  const watched: Platform = {
    ...platform,
    broadcast: (message) => {
      platform.broadcast(message);
      if (message.type === 'stateChanged') toolbar?.refresh();
    },
  };
  const base = createBaseContext(watched, openStore);
  const reviews = createReviewModels(base);
  const activity = createActivityRunner(base, reviews);
  const campaigns = createCampaigns(base, reviews, platform.extensionVersion ?? 'dev');
  const syncs = createSyncRunner(base, reviews, activity, campaigns);
  const context: ServiceContext = { ...base, reviews, syncs, activity, campaigns };
  toolbar = createToolbarBadges(context);
  const badges = toolbar;
  return {
    dispatch: createDispatcher(requests, context, identity),
    async resumeInterrupted() {
      await syncs.resumeInterrupted();
      await activity.resumeInterrupted();
    },
    onActivityAlarm: (site) => {
      activity.start(site);
    },
    onScheduledSync: (site) => {
      syncs.start(site, 'schedule');
    },
    async idle(site) {
      await syncs.idle(site);
      await reviews.idle();
      await activity.idle();
      await base.auditIdle();
      await badges.idle();
    },
    tabChanged: (tabId, url) => badges.tabChanged(tabId, url),
    tabRemoved: (tabId) => badges.tabRemoved(tabId),
    takeEvidence: (id) => takePreparedEvidence(context, id),
    context,
  };
}
