/**
 * Running syncs: at most one per site, started by a page, a schedule, a group change or a worker
 * restart (resume). Progress goes to the pages as broadcasts; at the end the site's review model
 * is rebuilt from the new snapshot and its counts stored before the pages hear `stateChanged`.
 */
import type { SiteUrl, SyncProgress, SyncRunRecord } from '../model';
import { getConnection, listConnections, updateConnection } from '../store/connections';
import { listGroups } from '../store/groups';
import { collectGarbage, findPausedRun, findResumableRun, resumeDue, runSync, SyncPausedError } from '../sync';
import type { BaseContext } from './context';
import type { ActivityRunner } from './activity-runner';
import type { Campaigns } from './campaigns';
import type { ReviewModels } from './reviews';

export interface SyncRunner {
  /** Starts a sync of the site unless one runs; false when one was already running. */
  start(site: SiteUrl, trigger: SyncRunRecord['trigger'], runId?: string): boolean;
  isRunning(site: SiteUrl): boolean;
  /** Live progress of the site's sync, or a "starting" placeholder; null when none runs. */
  progress(site: SiteUrl): SyncProgress | null;
  /** Starts the syncs that are due to resume (after a worker restart) and tidies orphans. */
  resumeInterrupted(): Promise<void>;
  /** Resolves when the site's running sync (if any; all with no site) has ended. */
  idle(site?: SiteUrl): Promise<void>;
}

export function createSyncRunner(
  ctx: BaseContext,
  reviews: ReviewModels,
  activity: ActivityRunner,
  campaigns: Pick<Campaigns, 'verifyRemediation'>,
): SyncRunner {
  const running = new Map<SiteUrl, Promise<void>>();
  const progress = new Map<SiteUrl, SyncProgress>();

  function start(site: SiteUrl, trigger: SyncRunRecord['trigger'], runId?: string): boolean {
    if (running.has(site)) return false;
    const log: typeof ctx.audit = (...args) => ctx.audit(...args).catch((e: unknown) => console.error('Access Lens: audit log', e instanceof Error ? e.message : e));
    const work = (async () => {
      const s = await ctx.store();
      const conn = await getConnection(s, site);
      if (!conn || conn.status !== 'connected') return;
      const selected = conn.selectedGroupIds ?? [];
      if (selected.length === 0 && !runId) {
        await updateConnection(s, site, (c) => ({ ...c, lastError: 'No groups are selected: choose groups to monitor on the options page.', lastErrorFix: 'groups' }));
        return;
      }
      // A run paused by the rate limit resumes by its alarm; a scheduled or manual start waits
      // for it (a new selection of groups replaces it, as any new run replaces an unfinished one).
      if (!runId && trigger !== 'groups-saved' && (await findPausedRun(s, site))) return;
      const names = new Map((await listGroups(s, site)).map((g) => [g.id, g.name]));
      const groups = selected.map((id) => ({ id, name: names.get(id) ?? id }));
      await ctx.platform.setResumeAlarm(true);
      await log(site, 'sync_start', { trigger, resumedRunId: runId ?? null, groups: groups.map((g) => g.name) });
      try {
        const api = await ctx.apiFor(conn);
        const run = await runSync({
          store: s,
          api,
          site,
          groups,
          trigger,
          runId,
          // Older connections (no hasJira) try Jira; a Jira that fails only turns it off for the run.
          useJira: conn.hasJira ?? true,
          onProgress: (p) => {
            progress.set(site, p);
            ctx.platform.broadcast({ type: 'syncProgress', site, progress: p });
          },
          now: () => ctx.now(),
        });
        await log(site, 'sync_end', { runId: run.id, status: run.status, accounts: run.accounts, groups: run.groups.length, requests: run.requests });
        await updateConnection(s, site, (c) => ({ ...c, lastError: null, lastErrorFix: null }));
        // The new snapshot's counts, ready before the pages hear that the sync ended.
        await reviews.snapshotChanged(site).catch((error: unknown) =>
          console.error('Access Lens: review rebuild failed', error instanceof Error ? error.message : error),
        );
        // Remediation of completed access reviews is verified by the new snapshot.
        await campaigns.verifyRemediation(site).catch((e: unknown) => console.error('Access Lens: remediation check failed', e instanceof Error ? e.message : e));
        // Then, with an organisation key, last activity and 2SV of the new snapshot's accounts.
        activity.start(site);
      } catch (error) {
        // Issue 8, item 5: paused, not failed — wake up when Atlassian said requests may resume.
        if (error instanceof SyncPausedError) {
          await log(site, 'sync_end', { status: 'paused', until: error.until.toISOString() });
          await ctx.platform.setPauseAlarm(site, error.until);
        } else {
          await log(site, 'sync_end', { status: 'failed', error: error instanceof Error ? error.message : String(error) });
          await ctx.recordError(site, error);
        }
      } finally {
        progress.delete(site);
      }
    })()
      .catch((error) => console.error('Access Lens: sync crashed', error instanceof Error ? error.message : error))
      .finally(async () => {
        running.delete(site);
        if (running.size === 0) await ctx.platform.setResumeAlarm(false);
        ctx.changed(site);
      });
    running.set(site, work);
    ctx.changed(site);
    return true;
  }

  return {
    start,
    isRunning: (site) => running.has(site),
    progress(site) {
      const live = progress.get(site);
      if (live) return live;
      if (!running.has(site)) return null;
      return { runId: '', startedAt: ctx.nowIso(), groupsDone: 0, groupsTotal: 0, accountsFetched: 0, phase: 'members' };
    },
    async resumeInterrupted() {
      const s = await ctx.store();
      for (const conn of await listConnections(s)) {
        if (conn.status === 'connected') await ctx.platform.ensureSyncScheduled(conn.site, conn.syncIntervalHours);
        if (running.has(conn.site)) continue;
        const run = await findResumableRun(s, conn.site);
        if (!run || conn.status !== 'connected') continue;
        const paused = await findPausedRun(s, conn.site);
        if (paused && !resumeDue(paused.run, ctx.now())) {
          // Not yet: make sure the alarm for it exists (alarms may not survive a browser restart).
          await ctx.platform.setPauseAlarm(conn.site, paused.until);
          continue;
        }
        start(conn.site, 'resume', (paused?.run ?? run).id);
      }
      if (running.size === 0) {
        await collectGarbage(s);
        await ctx.platform.setResumeAlarm(false);
      }
    },
    async idle(site) {
      await Promise.all(site ? [running.get(site)] : [...running.values()]);
    },
  };
}
