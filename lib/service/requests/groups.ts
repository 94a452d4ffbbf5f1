/** The site's groups and which of them are monitored. */
import { z } from 'zod';
import type { GroupsResponse } from '../../messages';
import type { GroupRef } from '../../model';
import { updateConnection } from '../../store/connections';
import { listGroups, replaceGroups } from '../../store/groups';
import { normaliseSiteUrl } from '../../atlassian/site-url';
import { groupDefaults } from '../../sync';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { site } from './shared';

export const groupRequests = {
  /** The stored list, fetched from Confluence the first time or when `refresh` is asked. */
  listGroups: defineRequest({
    schema: z.object({ type: z.literal('listGroups'), site, refresh: z.boolean().optional() }),
    from: ['page'],
    async handle(req, ctx): Promise<GroupsResponse> {
      const s = await ctx.store();
      const conn = await ctx.requireConnection(req.site);
      let groups = await listGroups(s, req.site);
      // `stored` answers at once; the picker then asks for a refresh, which can take tens of
      // seconds on a large organisation (atlassian-api.md §10).
      const source = groups.length === 0 || req.refresh ? 'atlassian' : 'stored';
      if (source === 'atlassian') {
        if (conn.status !== 'connected') throw new UserError(`${req.site} is disconnected: connect again to list its groups.`);
        const api = await ctx.apiFor(conn);
        const all: GroupRef[] = [];
        try {
          for (let start: number | null = 0; start !== null; ) {
            const page = await api.listGroups(start, 200);
            all.push(...page.groups);
            start = page.nextStart;
          }
        } catch (error) {
          await ctx.recordError(req.site, error);
          ctx.changed(req.site);
          throw error;
        }
        await replaceGroups(s, req.site, all);
        groups = await listGroups(s, req.site);
      }
      // Issue 8, item 10: other sites' default groups (the list spans the organisation) unchecked.
      const canonical = normaliseSiteUrl(req.site);
      const defaults = groupDefaults(groups, canonical.ok ? canonical.name : undefined);
      const selected = new Set(conn.selectedGroupIds ?? defaults.selected);
      const otherSite = new Set(defaults.otherSite);
      return {
        groups: groups.map((g) => ({ id: g.id, name: g.name, selected: selected.has(g.id), otherSite: otherSite.has(g.id) })),
        source,
      };
    },
  }),

  /** Saves the monitored groups and starts a sync of them. */
  saveGroups: defineRequest({
    schema: z.object({ type: z.literal('saveGroups'), site, groupIds: z.array(z.string().min(1)).max(5000) }),
    from: ['page'],
    async handle(req, ctx): Promise<{ ok: true }> {
      const s = await ctx.store();
      await ctx.requireConnection(req.site);
      const known = new Set((await listGroups(s, req.site)).map((g) => g.id));
      const unknown = req.groupIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new UserError(`Unknown group id(s): ${unknown.slice(0, 5).join(', ')}. Refresh the group list.`);
      await updateConnection(s, req.site, (c) => ({ ...c, selectedGroupIds: [...new Set(req.groupIds)] }));
      await ctx.audit(req.site, 'groups_saved', { groupIds: [...new Set(req.groupIds)], count: new Set(req.groupIds).size });
      // Starting a sync announces the change itself.
      if (!(req.groupIds.length > 0 && ctx.syncs.start(req.site, 'groups-saved'))) ctx.changed(req.site);
      return { ok: true };
    },
  }),
};
