/**
 * Connecting a site (OAuth 2.0 3LO or email + API token) and disconnecting it. The secrets in
 * these requests travel inward only; no answer carries one.
 */
import { z } from 'zod';
import type { ConfluenceApi } from '../../atlassian/api';
import { createConfluenceApi } from '../../atlassian/confluence';
import { ApiTokenConnectError, probeApiToken } from '../../atlassian/api-token-probe';
import { buildAuthorizeUrl, chooseJira, chooseResource, exchangeCode, getAccessibleResources, parseCallback } from '../../atlassian/oauth';
import type { SiteUrl } from '../../model';
import { DEFAULT_SYNC_INTERVAL_HOURS, getConnection, putConnection, updateConnection } from '../../store/connections';
import { deleteCredentials, putCredentials } from '../../store/credentials';
import type { ConnectionRecord, CredentialsRecord } from '../../store/schema';
import { deleteSiteData } from '../../store/site-data';
import type { ServiceContext } from '../context';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { parseSite, site, siteInput } from './shared';

async function saveConnection(
  ctx: ServiceContext,
  site: SiteUrl,
  fields: Pick<ConnectionRecord, 'siteName' | 'cloudId' | 'authMethod' | 'connectedAs' | 'apiBase' | 'hasJira'>,
  creds: CredentialsRecord,
): Promise<void> {
  const s = await ctx.store();
  const existing = await getConnection(s, site);
  ctx.forgetTokens(site);
  await putCredentials(s, creds);
  // Reconnecting keeps the site's groups, snapshot and history: only the credentials change.
  await putConnection(s, {
    site,
    createdAt: existing?.createdAt ?? ctx.nowIso(),
    selectedGroupIds: existing?.selectedGroupIds ?? null,
    syncIntervalHours: existing?.syncIntervalHours ?? DEFAULT_SYNC_INTERVAL_HOURS,
    activeSnapshotId: existing?.activeSnapshotId ?? null,
    lastSyncedAt: existing?.lastSyncedAt ?? null,
    ...fields,
    status: 'connected',
    lastError: null,
  });
  const conn = await ctx.requireConnection(site);
  await ctx.audit(site, 'connect', { authMethod: fields.authMethod, connectedAs: fields.connectedAs, cloudId: fields.cloudId });
  await ctx.platform.scheduleSync(site, conn.syncIntervalHours);
  ctx.changed(site);
}

async function whoAmI(api: ConfluenceApi): Promise<string | null> {
  const me = await api.currentUser();
  return me.displayName ?? me.publicName ?? null;
}

export const connectRequests = {
  connectOAuth: defineRequest({
    schema: z.object({
      type: z.literal('connectOAuth'),
      siteUrl: siteInput,
      clientId: z.string().trim().min(1).max(200),
      clientSecret: z.string().trim().min(1).max(500),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ site: SiteUrl }> {
      const { site } = parseSite(req.siteUrl);
      const { platform } = ctx;
      const state = platform.randomState();
      const authorizeUrl = buildAuthorizeUrl({ clientId: req.clientId, redirectUri: platform.redirectUrl, state });
      let redirected: string;
      try {
        redirected = await platform.launchWebAuthFlow(authorizeUrl);
      } catch (error) {
        throw new UserError(`The Atlassian sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`);
      }
      const callback = parseCallback(redirected, state);
      if ('error' in callback) throw new UserError(callback.error);
      const tokens = await exchangeCode(
        platform.fetch,
        { clientId: req.clientId, clientSecret: req.clientSecret, code: callback.code, redirectUri: platform.redirectUrl },
        ctx.nowMs,
      );
      const resources = await getAccessibleResources(platform.fetch, tokens.accessToken);
      const chosen = chooseResource(resources, site);
      if (!chosen.ok) throw new UserError(chosen.error, chosen.granted);
      const creds: CredentialsRecord = { site, kind: 'oauth', clientId: req.clientId, clientSecret: req.clientSecret, tokens };
      const api = createConfluenceApi({
        fetch: platform.fetch,
        site,
        cloudId: chosen.resource.id,
        auth: { kind: 'bearer', getAccessToken: async () => tokens.accessToken, refreshAccessToken: async () => tokens.accessToken },
      });
      const connectedAs = await whoAmI(api).catch(() => null);
      // Issue 8, item 2: Jira only when the grant lists its scope for this site and a Jira answers.
      const hasJira = chooseJira(resources, chosen.resource) && (await api.probeJira()).ok;
      await saveConnection(ctx, site, { siteName: chosen.resource.name, cloudId: chosen.resource.id, authMethod: 'oauth', connectedAs, hasJira }, creds);
      return { site };
    },
  }),

  connectApiToken: defineRequest({
    schema: z.object({
      type: z.literal('connectApiToken'),
      siteUrl: siteInput,
      email: z.string().trim().min(3).max(320),
      apiToken: z.string().trim().min(1).max(1000),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ site: SiteUrl }> {
      const { site, name } = parseSite(req.siteUrl);
      let probe;
      try {
        // Issue 8, item 1: the site URL for classic tokens, the gateway for scoped ones.
        probe = await probeApiToken({ fetch: ctx.platform.fetch, site, email: req.email, apiToken: req.apiToken });
      } catch (error) {
        if (error instanceof ApiTokenConnectError) throw new UserError(error.message);
        throw error;
      }
      await saveConnection(
        ctx,
        site,
        {
          siteName: name,
          cloudId: probe.cloudId,
          authMethod: 'apiToken',
          connectedAs: probe.connectedAs ?? req.email,
          apiBase: probe.apiBase,
          hasJira: probe.hasJira,
        },
        { site, kind: 'apiToken', email: req.email, apiToken: req.apiToken },
      );
      return { site };
    },
  }),

  disconnect: defineRequest({
    schema: z.object({ type: z.literal('disconnect'), site, deleteData: z.boolean() }),
    from: ['page'],
    async handle(req, ctx): Promise<{ ok: true }> {
      const s = await ctx.store();
      await ctx.requireConnection(req.site);
      await ctx.audit(req.site, 'disconnect', { deleteData: req.deleteData });
      await ctx.platform.scheduleSync(req.site, null);
      await ctx.platform.setPauseAlarm(req.site, null);
      ctx.forgetTokens(req.site);
      if (req.deleteData) {
        await deleteSiteData(s, req.site);
        ctx.reviews.forget(req.site);
        ctx.campaigns.forget(req.site);
      } else {
        await deleteCredentials(s, req.site);
        await updateConnection(s, req.site, (c) => ({ ...c, status: 'disconnected', lastError: 'Disconnected by you.' }));
      }
      ctx.changed(req.site);
      return { ok: true };
    },
  }),
};
