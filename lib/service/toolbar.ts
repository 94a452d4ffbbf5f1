/**
 * Keeps the toolbar icon's badge of each Atlassian tab current: the tabs the browser told us
 * about (`tabChanged`) are repainted whenever a site's state changes (every `stateChanged`
 * broadcast). Counts are the stored ones (`ReviewModels.storedCounts`): nothing is built here.
 */
import type { SiteUrl } from '../model';
import { isAtlassianHost, siteOfHost } from '../page-context';
import { listConnections } from '../store/connections';
import type { ServiceContext } from './context';
import { toolbarBadge, type ToolbarBadgeSite } from './toolbar-badge';

export interface ToolbarBadges {
  /** A tab was activated, loaded or navigated; `url` is undefined where the browser hides it. */
  tabChanged(tabId: number, url: string | undefined): Promise<void>;
  tabRemoved(tabId: number): void;
  /** Repaints every known tab (after a change), once per burst of calls. */
  refresh(): void;
  /** Resolves when pending repaints are done (tests). */
  idle(): Promise<void>;
}

/** The connected sites a tab's page is about: its own site, or every site on admin.atlassian.com. */
function tabSites(url: string | undefined, sites: readonly SiteUrl[]): SiteUrl[] {
  if (!url) return [];
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:') return [];
    host = u.hostname.toLowerCase();
  } catch {
    return [];
  }
  if (!isAtlassianHost(host)) return [];
  if (host === 'admin.atlassian.com') return [...sites];
  const own = siteOfHost(host);
  return sites.filter((s) => s === own);
}

export function createToolbarBadges(ctx: ServiceContext): ToolbarBadges {
  const tabs = new Map<number, string | undefined>();
  let pending: Promise<void> | null = null;
  let again = false;

  async function paint(tabIds: number[]): Promise<void> {
    if (tabIds.length === 0) return;
    const connections = await listConnections(await ctx.store());
    const counts = await ctx.reviews.storedCounts(connections);
    // Issue 9's cadence: a site whose last completed access review is older than "Review every".
    const due = new Map(await Promise.all(connections.map(async (c) => [c.site, (await ctx.campaigns.siteState(c)).reviewDue] as const)));
    const bySite = new Map(connections.map((c) => [c.site, c]));
    for (const tabId of tabIds) {
      if (!tabs.has(tabId)) continue;
      const onTab = tabSites(tabs.get(tabId), [...bySite.keys()]);
      const sites: ToolbarBadgeSite[] = onTab.map((site) => {
        const c = bySite.get(site)!;
        return { siteName: c.siteName, counts: counts.get(site) ?? null, status: c.status, lastError: c.lastError, syncing: ctx.syncs.isRunning(site) };
      });
      const reviewDue = onTab.some((site) => due.get(site) === true);
      await ctx.platform.setToolbarBadge(tabId, toolbarBadge({ sites, reviewDue })).catch(() => {
        // The tab closed meanwhile.
        tabs.delete(tabId);
      });
    }
  }

  function refresh(): void {
    if (pending) {
      again = true;
      return;
    }
    pending = (async () => {
      do {
        again = false;
        await paint([...tabs.keys()]);
      } while (again);
    })()
      .catch((error: unknown) => console.error('Access Lens: toolbar badge failed', error instanceof Error ? error.message : error))
      .finally(() => {
        pending = null;
      });
  }

  return {
    async tabChanged(tabId, url) {
      tabs.set(tabId, url);
      await paint([tabId]).catch((error: unknown) =>
        console.error('Access Lens: toolbar badge failed', error instanceof Error ? error.message : error),
      );
    },
    tabRemoved(tabId) {
      tabs.delete(tabId);
    },
    refresh,
    async idle() {
      while (pending) await pending;
    },
  };
}
