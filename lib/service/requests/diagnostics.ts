/** Diagnostics: what is wrong with a site's setup, its sync history, and "why is X missing?". */
import { z } from 'zod';
import type { DiagnosticsResponse, WhyMissingAnswer } from '../../messages';
import { lookupAccounts } from '../../store/accounts';
import { listGroups } from '../../store/groups';
import { listRuns } from '../../store/runs';
import { diagnose } from '../../sync';
import { defineRequest } from '../define';
import { site } from './shared';

export const diagnosticsRequests = {
  getDiagnostics: defineRequest({
    schema: z.object({ type: z.literal('getDiagnostics'), site }),
    from: ['page'],
    async handle(req, ctx): Promise<DiagnosticsResponse> {
      const s = await ctx.store();
      const conn = await ctx.requireConnection(req.site);
      const [runs, groups] = await Promise.all([listRuns(s, req.site, 20), listGroups(s, req.site)]);
      return {
        site: conn.site,
        siteName: conn.siteName,
        cloudId: conn.cloudId,
        authMethod: conn.authMethod,
        apiBase: conn.authMethod === 'apiToken' ? (conn.apiBase ?? 'site') : null,
        hasJira: conn.hasJira ?? true,
        connectedAs: conn.connectedAs,
        status: conn.status,
        problems: diagnose({ connection: conn, lastRuns: runs, groups }),
        history: runs.map(({ checkpoint: _c, failure: _f, ...run }) => run),
      };
    },
  }),

  whyMissing: defineRequest({
    schema: z.object({ type: z.literal('whyMissing'), site, query: z.string().trim().min(1).max(320) }),
    from: ['page'],
    async handle(req, ctx): Promise<WhyMissingAnswer> {
      const s = await ctx.store();
      const conn = await ctx.requireConnection(req.site);
      if (!conn.activeSnapshotId) {
        return { query: req.query, verdict: 'not_found', account: null, explanation: 'Nothing has been synced for this site yet: run a sync first.' };
      }
      const found = await lookupAccounts(s, req.site, req.query);
      const account = found[0];
      if (!account) {
        const groups = conn.selectedGroupIds?.length ?? 0;
        return {
          query: req.query,
          verdict: 'not_found',
          account: null,
          explanation:
            `No account matching "${req.query}" is a member of the ${groups} monitored group(s) as of the last sync ` +
            `(${conn.lastSyncedAt ?? 'never'}). It is either in a group you do not monitor or does not exist: ` +
            'add its group under Groups to bring it into the review.',
        };
      }
      const more = found.length > 1 ? ` (${found.length - 1} more account(s) also match "${req.query}")` : '';
      const groupsText = account.groups.map((g) => g.name).join(', ');
      if (account.filteredReason === 'app') {
        return { query: req.query, verdict: 'filtered_app', account, explanation: `${account.displayName} is filtered out of the review as an app/bot account: ${account.filteredDetail ?? 'accountType "app"'}. Groups: ${groupsText}.${more}` };
      }
      if (account.filteredReason === 'inactive') {
        return { query: req.query, verdict: 'filtered_inactive', account, explanation: `${account.displayName} is filtered out of the review as inactive: ${account.filteredDetail ?? account.statusSignal ?? 'inactive'}. Groups: ${groupsText}.${more}` };
      }
      return { query: req.query, verdict: 'in_review', account, explanation: `${account.displayName} is in the review (groups: ${groupsText}).${more}` };
    },
  }),
};
