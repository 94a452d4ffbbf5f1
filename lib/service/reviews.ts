/**
 * The warm review models, one per site, and the review counts stored for the popup.
 *
 * A model is built once from the active snapshot, the roster and the marks (`get`), then kept
 * current: a mark updates one row (`markChanged`); a roster import or a settings change is applied
 * the next time the model is used (the roster index is shared by every site); a sync that switches
 * snapshots drops it (`snapshotChanged`). After every change the site's counts are stored
 * (ReviewSummaryRecord) so `getState` answers without building or matching anything.
 */
import { sourceOfFetched } from '../activity/phase';
import { mergeActivity, type AccountActivity, type ActivityFacts, type ActivitySource } from '../activity/types';
import { activitySourceOf } from '../activity/user-export';
import type { OwnerMark, ReviewSettings, RosterMeta, SiteUrl } from '../model';
import type { FilterCounts } from '../review/filters';
import { ReviewModel, rosterContext, type ReviewModelStats, type RosterContext } from '../review/model';
import { getActiveAccounts } from '../store/accounts';
import { getUserExport, listOrgActivity } from '../store/activity';
import { getConnection, listConnections } from '../store/connections';
import { listMarks } from '../store/marks';
import { getRoster, getRosterMeta } from '../store/roster';
import type { ConnectionRecord, ReviewSummaryRecord } from '../store/schema';
import { getSettings } from '../store/settings';
import { listReviewSummaries, putReviewSummary } from '../store/summaries';
import type { BaseContext } from './context';

export interface ReviewModels {
  /** The site's model, current with the roster, settings and date; null before a complete sync. */
  get(site: SiteUrl): Promise<ReviewModel | null>;
  /** A mark was stored (or cleared): update the warm model, if any, and the stored counts. */
  markChanged(site: SiteUrl, accountId: string, mark: OwnerMark | null): Promise<void>;
  /** The site's active snapshot changed: build the new model and store its counts. */
  snapshotChanged(site: SiteUrl): Promise<void>;
  /** The site's activity data changed (an import, a fetch): flags are recomputed, counts stored. */
  activityChanged(site: SiteUrl): Promise<void>;
  /** The site's data was deleted. */
  forget(site: SiteUrl): void;
  /** A roster was imported: every site's counts are refreshed in the background. */
  rosterChanged(): void;
  /** Review settings changed: every site's counts are refreshed in the background. */
  settingsChanged(): void;
  /**
   * The stored counts of each connected site, without building anything. Counts that are out of
   * date (another day, another roster) are still answered and refreshed in the background; the
   * refresh broadcasts `stateChanged` when done.
   */
  storedCounts(connections: readonly ConnectionRecord[]): Promise<Map<SiteUrl, FilterCounts | null>>;
  /** The roster as matching sees it (cached until the next import). */
  roster(): Promise<RosterContext>;
  /** Resolves when background refreshes have finished (tests, demo). */
  idle(): Promise<void>;
  readonly stats: ReviewModelStats;
}

/** Rows whose search text is folded per idle slice (a few milliseconds each). */
const SEARCH_SLICE = 2000;

function rosterKeyOf(meta: RosterMeta | null): string {
  return meta ? `${meta.importedAt}|${meta.people}|${meta.fileName}` : '';
}

function contextKeyOf(today: string, settings: ReviewSettings): string {
  return `${today}|${JSON.stringify(settings)}`;
}

export function createReviewModels(ctx: BaseContext): ReviewModels {
  const stats: ReviewModelStats = { builds: 0, matched: 0 };
  const models = new Map<SiteUrl, { snapshotId: string; model: Promise<ReviewModel> }>();
  const refreshing = new Map<SiteUrl, Promise<void>>();
  /** Refreshes of every site, from the moment they are asked for (before the sites are known). */
  const refreshingAll = new Set<Promise<void>>();
  let roster: Promise<RosterContext> | null = null;
  let settings: Promise<ReviewSettings> | null = null;

  const currentRoster = () =>
    (roster ??= ctx.store().then(async (s) => {
      const { meta, people } = await getRoster(s);
      return rosterContext(rosterKeyOf(meta), people);
    }));
  const currentSettings = () => (settings ??= ctx.store().then(getSettings));

  /** Every source's activity for the site's accounts, merged per account (lib/activity). */
  async function loadActivity(site: SiteUrl): Promise<Map<string, ActivityFacts>> {
    const s = await ctx.store();
    const [userExport, fetched] = await Promise.all([getUserExport(s, site), listOrgActivity(s, site)]);
    const reports = new Map<string, { activity: AccountActivity; source: ActivitySource }[]>();
    const add = (activity: AccountActivity, source: ActivitySource) => {
      const list = reports.get(activity.accountId);
      if (list) list.push({ activity, source });
      else reports.set(activity.accountId, [{ activity, source }]);
    };
    if (userExport) {
      const source = activitySourceOf(userExport.meta, userExport.meta.importedAt);
      for (const activity of userExport.accounts) add(activity, source);
    }
    // An account the organisation's directory does not know has no facts from the API.
    for (const record of fetched) if (record.inOrg) add(record, sourceOfFetched(record, ctx.platform.timeZone));
    return new Map([...reports].map(([id, list]) => [id, mergeActivity(list)]));
  }

  async function build(site: SiteUrl, snapshotId: string): Promise<ReviewModel> {
    const s = await ctx.store();
    const [accounts, marks, rosterCtx, reviewSettings, activity] = await Promise.all([
      getActiveAccounts(s, site),
      listMarks(s, site),
      currentRoster(),
      currentSettings(),
      loadActivity(site),
    ]);
    return new ReviewModel(
      {
        site,
        snapshotId,
        accounts,
        roster: rosterCtx,
        marks: new Map(marks.map((m) => [m.accountId, m.mark])),
        settings: reviewSettings,
        today: ctx.today(),
        activity,
      },
      stats,
    );
  }

  /** Folds every row's search text in slices between other work, so the first search is quick. */
  function prepareSearch(model: ReviewModel): void {
    let next = 0;
    const slice = () => {
      next = model.prepareSearch(next, SEARCH_SLICE);
      if (next >= 0) setTimeout(slice, 0);
    };
    setTimeout(slice, 0);
  }

  async function get(site: SiteUrl): Promise<ReviewModel | null> {
    const conn = await getConnection(await ctx.store(), site);
    const snapshotId = conn?.activeSnapshotId ?? null;
    if (snapshotId === null) {
      models.delete(site);
      return null;
    }
    let entry = models.get(site);
    if (!entry || entry.snapshotId !== snapshotId) {
      const model = build(site, snapshotId);
      void model.then(prepareSearch, () => undefined);
      entry = { snapshotId, model };
      models.set(site, entry);
      model.catch(() => {
        if (models.get(site) === entry) models.delete(site);
      });
    }
    const model = await entry.model;
    const [rosterCtx, reviewSettings] = await Promise.all([currentRoster(), currentSettings()]);
    const before = model.version;
    model.setRoster(rosterCtx);
    model.setContext(reviewSettings, ctx.today());
    // Rows were rebuilt: their search text too.
    if (model.version !== before) prepareSearch(model);
    return model;
  }

  async function storeCounts(model: ReviewModel): Promise<void> {
    await putReviewSummary(await ctx.store(), {
      site: model.site,
      snapshotId: model.snapshotId,
      rosterKey: model.rosterKey,
      contextKey: model.contextKey,
      counts: model.counts(),
    });
  }

  /** Rebuilds (as needed) and stores one site's counts, then tells the pages; deduplicated. */
  function refresh(site: SiteUrl): Promise<void> {
    let pending = refreshing.get(site);
    if (!pending) {
      pending = (async () => {
        const model = await get(site);
        if (model) await storeCounts(model);
        ctx.changed(site);
      })()
        .catch((error: unknown) => console.error('Access Lens: review refresh failed', error instanceof Error ? error.message : error))
        .finally(() => refreshing.delete(site));
      refreshing.set(site, pending);
    }
    return pending;
  }

  function refreshAll(): void {
    const all = (async () => {
      const connections = await listConnections(await ctx.store());
      await Promise.all(connections.filter((c) => c.activeSnapshotId).map((c) => refresh(c.site)));
    })()
      .catch(() => undefined)
      .finally(() => refreshingAll.delete(all));
    refreshingAll.add(all);
  }

  return {
    get,
    stats,
    roster: currentRoster,

    async markChanged(site, accountId, mark) {
      // A cold model is built with the stored mark already in it; applying it again is harmless.
      const model = await get(site);
      if (!model) return;
      model.setMark(accountId, mark);
      await storeCounts(model);
    },

    async snapshotChanged(site) {
      models.delete(site);
      const model = await get(site);
      if (model) await storeCounts(model);
    },

    async activityChanged(site) {
      const entry = models.get(site);
      if (entry) {
        const [model, activity] = await Promise.all([entry.model, loadActivity(site)]);
        model.setActivity(activity);
        await storeCounts(model);
      } else {
        const model = await get(site);
        if (model) await storeCounts(model);
      }
    },

    forget(site) {
      models.delete(site);
    },

    rosterChanged() {
      roster = null;
      refreshAll();
    },

    settingsChanged() {
      settings = null;
      refreshAll();
    },

    async storedCounts(connections) {
      const s = await ctx.store();
      const [summaries, meta, reviewSettings] = await Promise.all([listReviewSummaries(s), getRosterMeta(s), currentSettings()]);
      const rosterKey = rosterKeyOf(meta);
      const contextKey = contextKeyOf(ctx.today(), reviewSettings);
      const answer = new Map<SiteUrl, FilterCounts | null>();
      for (const conn of connections) {
        const summary: ReviewSummaryRecord | undefined = summaries.get(conn.site);
        if (!conn.activeSnapshotId) {
          answer.set(conn.site, null);
          continue;
        }
        const sameSnapshot = summary?.snapshotId === conn.activeSnapshotId;
        answer.set(conn.site, sameSnapshot ? summary.counts : null);
        if (!sameSnapshot || summary.rosterKey !== rosterKey || summary.contextKey !== contextKey) void refresh(conn.site);
      }
      return answer;
    },

    async idle() {
      while (refreshing.size > 0 || refreshingAll.size > 0) await Promise.all([...refreshing.values(), ...refreshingAll]);
    },
  };
}
