/** "Sync now" from the popup (one site, or every connected site). */
import { z } from 'zod';
import type { SiteUrl } from '../../model';
import { listConnections } from '../../store/connections';
import { findPausedRun, pausedText, resumeDue } from '../../sync';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { site } from './shared';

export const syncRequests = {
  syncNow: defineRequest({
    schema: z.object({ type: z.literal('syncNow'), site: site.optional() }),
    from: ['page'],
    async handle(req, ctx): Promise<{ started: SiteUrl[] }> {
      const s = await ctx.store();
      const sites = req.site ? [(await ctx.requireConnection(req.site)).site] : (await listConnections(s)).map((c) => c.site);
      const started: SiteUrl[] = [];
      for (const site of sites) {
        const conn = await ctx.requireConnection(site);
        if (conn.status !== 'connected') {
          if (req.site) throw new UserError(`${site} is disconnected: connect again before syncing.`);
          continue;
        }
        if ((conn.selectedGroupIds ?? []).length === 0) {
          if (req.site) throw new UserError('No groups are selected: choose groups to monitor on the options page first.');
          continue;
        }
        const paused = ctx.syncs.isRunning(site) ? null : await findPausedRun(s, site);
        if (paused && !resumeDue(paused.run, ctx.now())) {
          if (req.site) throw new UserError(`${pausedText(paused.until)}: the sync resumes by itself then.`);
          continue;
        }
        if (ctx.syncs.start(site, 'manual') || ctx.syncs.isRunning(site)) started.push(site);
      }
      return { started };
    },
  }),
};
