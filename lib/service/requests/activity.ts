/**
 * Last activity and 2SV (issue 11): the admin user export a page parsed and sends here, the
 * organisation API key, and the activity phase that uses it. The key travels inward only: no
 * answer carries it.
 */
import { z } from 'zod';
import { accountActivitySchema } from '../../activity/types';
import { MAX_USER_EXPORT_ACCOUNTS, userExportMetaSchema } from '../../activity/user-export';
import type { ActivityStatus } from '../../messages';
import type { SiteUrl } from '../../model';
import { deleteOrgKeys, getActivityRun, getOrgKey, getUserExportMeta, putOrgKey, replaceUserExport } from '../../store/activity';
import { listConnections } from '../../store/connections';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { site } from './shared';

/** Admin OpenAPI: organisation ids are `[A-Za-z0-9_-]`; keys are printable ASCII without spaces. */
const orgId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,128}$/, 'The Organization ID is not valid: copy it from the Atlassian Administration URL (admin.atlassian.com/o/<id>/…).');
const apiKey = z.string().trim().regex(/^[\x21-\x7e]{1,4096}$/, 'The organization API key contains spaces or characters a key cannot have. Paste the key again.');

export const activityRequests = {
  /** Replaces the site's imported user export, all at once (the previous one stays on any error). */
  importUserExport: defineRequest({
    schema: z.object({
      type: z.literal('importUserExport'),
      site,
      meta: userExportMetaSchema,
      accounts: z.array(accountActivitySchema).max(MAX_USER_EXPORT_ACCOUNTS),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ importedAt: string }> {
      await ctx.requireConnection(req.site);
      const ids = new Set<string>();
      for (const a of req.accounts) {
        if (ids.has(a.accountId)) throw new UserError(`The user export lists account ${a.accountId} twice; export again and import the new file.`);
        ids.add(a.accountId);
      }
      const importedAt = ctx.nowIso();
      await replaceUserExport(await ctx.store(), req.site, { ...req.meta, importedAt }, req.accounts);
      await ctx.audit(req.site, 'activity_import', {
        fileName: req.meta.fileName,
        accounts: req.accounts.length,
        dataDate: req.meta.dataDate,
        importedAt,
      });
      await ctx.reviews.activityChanged(req.site);
      ctx.changed(req.site);
      return { importedAt };
    },
  }),

  getActivityStatus: defineRequest({
    schema: z.object({ type: z.literal('getActivityStatus'), site }),
    from: ['page'],
    async handle(req, ctx): Promise<ActivityStatus> {
      await ctx.requireConnection(req.site);
      const s = await ctx.store();
      const [userExport, key, run] = await Promise.all([getUserExportMeta(s, req.site), getOrgKey(s), getActivityRun(s, req.site)]);
      return {
        site: req.site,
        userExport,
        // Whether a key is saved and for which organisation: never the key itself.
        orgKey: key ? { orgId: key.orgId, savedAt: key.savedAt } : null,
        phase: run
          ? {
              status: ctx.activity.isRunning(req.site) ? 'running' : run.status,
              done: ctx.activity.progress(req.site)?.done ?? run.checkpoint?.done ?? 0,
              total: ctx.activity.progress(req.site)?.total ?? run.checkpoint?.total ?? 0,
              notInOrg: run.checkpoint?.notInOrg ?? 0,
              searchUnavailable: run.checkpoint?.searchUnavailable ?? false,
              finishedAt: run.checkpoint?.finishedAt ? new Date(run.checkpoint.finishedAt).toISOString() : null,
              resumeAt: run.resumeAt ? new Date(run.resumeAt).toISOString() : null,
              error: run.error,
            }
          : null,
      };
    },
  }),

  /** Saves the organisation key (replacing any other) and fetches activity for every synced site. */
  saveOrgKey: defineRequest({
    schema: z.object({ type: z.literal('saveOrgKey'), orgId, apiKey }),
    from: ['page'],
    async handle(req, ctx): Promise<{ started: SiteUrl[] }> {
      const s = await ctx.store();
      await ctx.activity.stopAll();
      const savedAt = ctx.nowIso();
      await putOrgKey(s, { orgId: req.orgId, apiKey: req.apiKey, savedAt });
      // The organisation and the time only: never the key.
      await ctx.audit(null, 'org_key', { action: 'saved', orgId: req.orgId, savedAt });
      const started: SiteUrl[] = [];
      for (const conn of await listConnections(s)) if (conn.activeSnapshotId && ctx.activity.start(conn.site)) started.push(conn.site);
      ctx.changed(null);
      return { started };
    },
  }),

  /** "Forget key": stops any run and deletes the key; fetched activity stays in the review. */
  forgetOrgKey: defineRequest({
    schema: z.object({ type: z.literal('forgetOrgKey') }),
    from: ['page'],
    async handle(_req, ctx): Promise<{ ok: true }> {
      await ctx.activity.stopAll();
      const s = await ctx.store();
      const key = await getOrgKey(s);
      await deleteOrgKeys(s);
      if (key) await ctx.audit(null, 'org_key', { action: 'forgotten', orgId: key.orgId });
      ctx.changed(null);
      return { ok: true };
    },
  }),

  fetchActivityNow: defineRequest({
    schema: z.object({ type: z.literal('fetchActivityNow'), site }),
    from: ['page'],
    async handle(req, ctx): Promise<{ started: boolean }> {
      const conn = await ctx.requireConnection(req.site);
      const s = await ctx.store();
      if (!(await getOrgKey(s))) throw new UserError('Save an organization API key first.');
      if (!conn.activeSnapshotId) throw new UserError(`Nothing has been synced for ${req.site} yet: run a sync first.`);
      const started = ctx.activity.start(req.site as SiteUrl) || ctx.activity.isRunning(req.site);
      return { started };
    },
  }),
};
