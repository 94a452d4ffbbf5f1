/** The content script's question: which monitored account is this Atlassian page about? */
import { z } from 'zod';
import type { PageContextResponse } from '../../messages';
import { accountIdFromUrl, siteOfHost } from '../../page-context';
import { listConnections } from '../../store/connections';
import { defineRequest } from '../define';

export const pageRequests = {
  pageContext: defineRequest({
    schema: z.object({ type: z.literal('pageContext'), url: z.string().url().max(2000) }),
    from: ['page', 'content'],
    async handle(req, ctx): Promise<PageContextResponse> {
      const page = accountIdFromUrl(req.url);
      if (!page) return { site: null, accountId: null, row: null };
      const connections = await listConnections(await ctx.store());
      const own = siteOfHost(page.host);
      const candidates = own === null ? connections : connections.filter((c) => c.site === own);
      for (const conn of candidates) {
        const row = (await ctx.reviews.get(conn.site))?.row(page.accountId);
        if (row) return { site: conn.site, accountId: page.accountId, row };
      }
      return { site: candidates[0]?.site ?? null, accountId: page.accountId, row: null };
    },
  }),
};
