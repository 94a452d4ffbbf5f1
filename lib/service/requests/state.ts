/** What every page shows first: connected sites with their status and counts, roster, settings. */
import { z } from 'zod';
import type { SiteSummary, StateResponse } from '../../messages';
import { listConnections } from '../../store/connections';
import { getRosterMeta } from '../../store/roster';
import { getSettings } from '../../store/settings';
import { defineRequest } from '../define';

export const stateRequests = {
  /** Cheap by design: stored counts, no review is built (see ReviewModels.storedCounts). */
  getState: defineRequest({
    schema: z.object({ type: z.literal('getState') }),
    from: ['page'],
    async handle(_req, ctx): Promise<StateResponse> {
      const s = await ctx.store();
      const [connections, roster, settings] = await Promise.all([listConnections(s), getRosterMeta(s), getSettings(s)]);
      const counts = await ctx.reviews.storedCounts(connections);
      const sites = connections.map(
        (conn): SiteSummary => ({
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
        }),
      );
      return { sites, roster, graceDays: settings.graceDays, callbackUrl: ctx.platform.redirectUrl };
    },
  }),
};
