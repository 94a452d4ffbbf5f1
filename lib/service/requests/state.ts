/** What every page shows first: connected sites with their status and counts, roster, settings. */
import { z } from 'zod';
import type { SiteSummary, StateResponse } from '../../messages';
import { listConnections } from '../../store/connections';
import { findPausedRun } from '../../sync';
import { getRosterMeta } from '../../store/roster';
import { getCadence, getSettings } from '../../store/settings';
import { defineRequest } from '../define';

export const stateRequests = {
  /** Cheap by design: stored counts, no review is built (see ReviewModels.storedCounts). */
  getState: defineRequest({
    schema: z.object({ type: z.literal('getState') }),
    from: ['page'],
    async handle(_req, ctx): Promise<StateResponse> {
      const s = await ctx.store();
      const [connections, roster, settings, cadence] = await Promise.all([listConnections(s), getRosterMeta(s), getSettings(s), getCadence(s)]);
      // Independent reads: together, not one after another (the popup waits for this answer).
      const [counts, pausedRuns, reviews] = await Promise.all([
        ctx.reviews.storedCounts(connections),
        Promise.all(connections.map(async (c) => [c.site, ctx.syncs.isRunning(c.site) ? undefined : await findPausedRun(s, c.site)] as const)),
        Promise.all(connections.map((conn) => ctx.campaigns.siteState(conn))),
      ]);
      const paused = new Map(pausedRuns);
      const sites = connections.map(
        (conn, i): SiteSummary => ({
          site: conn.site,
          siteName: conn.siteName,
          cloudId: conn.cloudId,
          authMethod: conn.authMethod,
          status: conn.status,
          lastError: conn.lastError,
          fix: conn.status === 'disconnected' ? 'reconnect' : conn.lastError ? (conn.lastErrorFix ?? null) : null,
          lastSyncedAt: conn.lastSyncedAt,
          sync: ctx.syncs.progress(conn.site),
          selectedGroupIds: conn.selectedGroupIds ?? [],
          syncIntervalHours: conn.syncIntervalHours,
          counts: counts.get(conn.site) ?? null,
          apiBase: conn.authMethod === 'apiToken' ? (conn.apiBase ?? 'site') : null,
          hasJira: conn.hasJira ?? true,
          pausedUntil: paused.get(conn.site)?.until.toISOString() ?? null,
          review: reviews[i] as SiteSummary['review'],
        }),
      );
      return { sites, roster, graceDays: settings.graceDays, dormantDays: settings.dormantDays, ...cadence, callbackUrl: ctx.platform.redirectUrl };
    },
  }),
};
