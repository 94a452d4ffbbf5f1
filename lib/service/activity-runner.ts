/**
 * The activity phase (issue 11, source 2): with an organisation API key saved, after each sync
 * (and on demand) fetch last activity, status and 2SV of the review's accounts from Atlassian's
 * organisation admin API, within its small rate limit, one site at a time, never blocking the
 * review. A long rate-limit pause stops the run with its checkpoint and an alarm at the reset
 * time; a stopped worker picks the run up at its next start. The key is read here only and goes
 * only to https://api.atlassian.com/admin/ (lib/activity/org-api.ts refuses anything else).
 */
import { createOrgApi } from '../activity/org-api';
import { runActivityPhase, type ActivityProgress } from '../activity/phase';
import { createRateLimiter, type RateLimiter } from '../activity/rate-limit';
import type { SiteUrl } from '../model';
import {
  getActivityRun,
  getOrgKey,
  orgActivityFetchedAt,
  putActivityRun,
  saveOrgActivityBatch,
} from '../store/activity';
import { getConnection, listConnections } from '../store/connections';
import type { BaseContext } from './context';
import type { ReviewModels } from './reviews';

export interface ActivityRunner {
  /** Starts the site's phase unless one runs or no key is saved; true when started. */
  start(site: SiteUrl): boolean;
  isRunning(site: SiteUrl): boolean;
  progress(site: SiteUrl): ActivityProgress | null;
  /** Stops every run (the key was forgotten); what was fetched stays. */
  stopAll(): Promise<void>;
  /** Picks up runs a stopped worker left, and alarms for paused ones. */
  resumeInterrupted(): Promise<void>;
  idle(): Promise<void>;
}

/** How often a running phase re-flags the review with what it fetched so far. */
const REFRESH_EVERY_MS = 15_000;

export function createActivityRunner(ctx: BaseContext, reviews: ReviewModels): ActivityRunner {
  const running = new Map<SiteUrl, { done: Promise<void>; abort: AbortController }>();
  const progress = new Map<SiteUrl, ActivityProgress>();
  // One budget per organisation: every site of it spends from the same ~200 requests a minute.
  const limiters = new Map<string, RateLimiter>();

  function start(site: SiteUrl): boolean {
    if (running.has(site)) return false;
    const abort = new AbortController();
    const done = (async () => {
      const s = await ctx.store();
      const [key, conn] = await Promise.all([getOrgKey(s), getConnection(s, site)]);
      if (!key || !conn?.activeSnapshotId) return;
      const previous = await getActivityRun(s, site);
      const fail = async (message: string) => {
        await putActivityRun(s, { site, checkpoint: previous?.checkpoint ?? null, status: 'failed', resumeAt: null, error: message });
      };
      if (!conn.cloudId) {
        await fail('The site has no cloud id yet, so its Confluence activity cannot be told apart: sync the site, then fetch again.');
        return;
      }
      const model = await reviews.get(site);
      if (!model) return;
      const accountIds = model.rows().filter((r) => r.account.filteredReason === null).map((r) => r.account.accountId);
      let limiter = limiters.get(key.orgId);
      if (!limiter) limiters.set(key.orgId, (limiter = createRateLimiter({ now: ctx.nowMs })));
      let api;
      try {
        api = createOrgApi({ fetch: ctx.platform.fetch, apiKey: key.apiKey, orgId: key.orgId, limiter, now: ctx.nowMs });
      } catch (error) {
        await fail(error instanceof Error ? error.message : String(error));
        return;
      }
      await putActivityRun(s, { site, checkpoint: previous?.checkpoint ?? null, status: 'running', resumeAt: null, error: null });
      await ctx.platform.setActivityAlarm(site, null);
      ctx.changed(site);
      let lastRefresh = ctx.nowMs();
      const result = await runActivityPhase({
        api,
        cloudId: conn.cloudId,
        accountIds,
        checkpoint: previous?.status === 'running' || previous?.status === 'paused' ? previous.checkpoint : null,
        storage: {
          fetchedAt: (ids) => orgActivityFetchedAt(s, site, ids),
          saveBatch: async (records, checkpoint) => {
            await saveOrgActivityBatch(s, site, records, { checkpoint, status: 'running', resumeAt: null, error: null });
            if (records.length > 0 && ctx.nowMs() - lastRefresh >= REFRESH_EVERY_MS) {
              lastRefresh = ctx.nowMs();
              await reviews.activityChanged(site);
              ctx.changed(site);
            }
          },
        },
        now: ctx.nowMs,
        signal: abort.signal,
        onProgress: (p) => {
          progress.set(site, p);
          ctx.platform.broadcast({ type: 'activityProgress', site, progress: p });
        },
      });
      switch (result.outcome) {
        case 'done':
          await putActivityRun(s, { site, checkpoint: result.checkpoint, status: 'done', resumeAt: null, error: null });
          break;
        case 'paused':
          await putActivityRun(s, { site, checkpoint: result.checkpoint, status: 'paused', resumeAt: result.resumeAt, error: null });
          await ctx.platform.setActivityAlarm(site, result.resumeAt);
          break;
        case 'failed':
          await putActivityRun(s, { site, checkpoint: result.checkpoint, status: 'failed', resumeAt: null, error: result.error.message });
          break;
        case 'aborted':
          break;
      }
      await reviews.activityChanged(site);
    })()
      .catch((error: unknown) => console.error('Access Lens: activity phase crashed', error instanceof Error ? error.message : error))
      .finally(() => {
        running.delete(site);
        progress.delete(site);
        ctx.changed(site);
      });
    running.set(site, { done, abort });
    return true;
  }

  return {
    start,
    isRunning: (site) => running.has(site),
    progress: (site) => progress.get(site) ?? null,
    async stopAll() {
      for (const { abort } of running.values()) abort.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    },
    async resumeInterrupted() {
      const s = await ctx.store();
      if (!(await getOrgKey(s))) return;
      for (const conn of await listConnections(s)) {
        const run = await getActivityRun(s, conn.site);
        if (run?.status === 'running') start(conn.site);
        else if (run?.status === 'paused') {
          if ((run.resumeAt ?? 0) <= ctx.nowMs()) start(conn.site);
          else await ctx.platform.setActivityAlarm(conn.site, run.resumeAt);
        }
      }
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
