/**
 * Access reviews of the connected sites (issue 9): start (freeze the latest sync), refresh,
 * decide, complete (sign off, lock, seal), remediation verified by later syncs, the evidence
 * package. Changes to one site's review happen one at a time. A warm CampaignModel per site's
 * latest review answers the side panel; it is built from the stored review after a worker
 * restart.
 */
import { sealOf } from '../campaign/canonical';
import { diffReviews } from '../campaign/diff';
import { reviewDocument, sealDocument } from '../campaign/document';
import { buildEvidence, evidenceFileName } from '../campaign/evidence';
import { CampaignModel } from '../campaign/model';
import {
  checkDecision,
  completionError,
  inReview,
  isReviewDue,
  isSelf,
  lockError,
  noteRule,
  remediationDone,
  remediationItems,
  remediationStatus,
} from '../campaign/rules';
import type {
  CampaignAccount,
  CampaignRecord,
  CampaignRoster,
  CampaignSummary,
  Decision,
  DecisionRecord,
  RemediationCounts,
  Reviewer,
  SiteReviewState,
} from '../campaign/types';
import type { ReviewRow, SiteUrl } from '../model';
import type { ExportDecisions } from '../review/export';
import type { ReviewFilter } from '../review/filters';
import { readAuditChain } from '../store/audit';
import {
  decisionBucketsFor,
  listCampaigns,
  putCampaign,
  putDecisions,
  readCampaignRows,
  readDecisions,
  writeCampaign,
} from '../store/campaigns';
import { getConnection } from '../store/connections';
import { listGroups } from '../store/groups';
import { getRosterMeta } from '../store/roster';
import { getRun } from '../store/runs';
import type { ConnectionRecord } from '../store/schema';
import { getCadence, getSettings } from '../store/settings';
import type { AuditFn } from './audit-log';
import type { BaseContext } from './context';
import { UserError } from './errors';
import { createKeyedQueue } from './keyed-queue';
import type { ReviewModels } from './reviews';

export type BulkRequest =
  | { kind: 'keepUnflagged' }
  | { kind: 'filter'; filter: ReviewFilter; search: string; decision: Exclude<Decision, 'modify'>; note: string; expectedCount: number };

export interface Campaigns {
  /** The site's latest review (open or completed), or null. */
  latest(site: SiteUrl): Promise<CampaignRecord | null>;
  /** The warm model of a stored review (the site's latest one is kept warm). */
  model(campaign: CampaignRecord): Promise<CampaignModel>;
  start(site: SiteUrl): Promise<CampaignRecord>;
  refresh(site: SiteUrl): Promise<CampaignRecord>;
  decide(site: SiteUrl, accountId: string, input: { decision: Decision; note: string; removeFromGroupIds: string[] }): Promise<DecisionRecord>;
  bulk(site: SiteUrl, request: BulkRequest): Promise<{ decided: number }>;
  complete(site: SiteUrl, signOff: string): Promise<CampaignRecord>;
  /** After a sync switched the site's snapshot: remediation items it shows done become verified. */
  verifyRemediation(site: SiteUrl): Promise<void>;
  summary(site: SiteUrl): Promise<CampaignSummary | null>;
  account(site: SiteUrl, accountId: string): Promise<CampaignAccount | null>;
  siteState(conn: ConnectionRecord): Promise<SiteReviewState>;
  /** `decision` and `note` of the latest review (open or completed), for the CSV/JSON export. */
  latestDecisions(site: SiteUrl): Promise<ExportDecisions | undefined>;
  evidence(site: SiteUrl): Promise<{ fileName: string; zip: Uint8Array; status: CampaignRecord['status']; seal: string | null }>;
  forget(site: SiteUrl): void;
}

export function createCampaigns(ctx: BaseContext & { audit: AuditFn }, reviews: ReviewModels, extensionVersion: string): Campaigns {
  const warm = new Map<SiteUrl, { id: string; model: Promise<CampaignModel> }>();
  const locks = createKeyedQueue();
  let rosterHash: { key: string; roster: Promise<CampaignRoster | null> } | null = null;
  /**
   * Each site's review records, read once per worker: every change to them goes through this
   * module, which drops the site's entry after writing (getState asks on every page reload).
   */
  const lists = new Map<SiteUrl, Promise<CampaignRecord[]>>();

  function listOf(site: SiteUrl): Promise<CampaignRecord[]> {
    let list = lists.get(site);
    if (!list) {
      const read = ctx.store().then((s) => listCampaigns(s, site));
      list = read;
      lists.set(site, read);
      read.catch(() => lists.get(site) === read && lists.delete(site));
    }
    return list;
  }

  /** Runs `job` after the site's earlier changes. */
  const serial = <T>(site: SiteUrl, job: () => Promise<T>): Promise<T> => locks.run(site, job);

  async function latest(site: SiteUrl): Promise<CampaignRecord | null> {
    return (await listOf(site)).at(-1) ?? null;
  }

  async function latestCompleted(site: SiteUrl): Promise<CampaignRecord | null> {
    return (await listOf(site)).filter((c) => c.status === 'completed').at(-1) ?? null;
  }

  async function requireOpen(site: SiteUrl): Promise<CampaignRecord> {
    const current = await latest(site);
    if (!current) throw new UserError(`No review of ${site} has been started: press Start review first.`);
    const locked = lockError(current);
    if (locked) throw new UserError(locked);
    return current;
  }

  /** `keep`: the site's latest review, kept warm; an older one (a diff's base) is read once. */
  function model(campaign: CampaignRecord, keep = true): Promise<CampaignModel> {
    const entry = warm.get(campaign.site);
    if (entry?.id === campaign.id) {
      return entry.model.then((m) => {
        m.record = campaign;
        return m;
      });
    }
    const built = (async () => {
      const s = await ctx.store();
      const [rows, decisions] = await Promise.all([readCampaignRows(s, campaign.id), readDecisions(s, campaign.id)]);
      return new CampaignModel(campaign, rows, decisions);
    })();
    if (keep) {
      const next = { id: campaign.id, model: built };
      warm.set(campaign.site, next);
      built.catch(() => warm.get(campaign.site) === next && warm.delete(campaign.site));
    }
    return built;
  }

  /** The roster the live review was matched against: meta and the SHA-256 of its canonical rows. */
  async function frozenRoster(): Promise<CampaignRoster | null> {
    const roster = await reviews.roster();
    if (rosterHash?.key !== roster.key) {
      rosterHash = {
        key: roster.key,
        roster: (async () => {
          const meta = await getRosterMeta(await ctx.store());
          if (!meta) return null;
          return { fileName: meta.fileName, importedAt: meta.importedAt, rows: roster.people.length, sha256: await sealOf(roster.people) };
        })(),
      };
    }
    return rosterHash.roster;
  }

  /** Everything a freeze takes from the live review and the latest sync. */
  async function freeze(site: SiteUrl) {
    const s = await ctx.store();
    const conn = await ctx.requireConnection(site);
    const live = await reviews.get(site);
    if (!live || !conn.activeSnapshotId) throw new UserError(`Nothing has been synced for ${site} yet: run a sync first.`);
    const rows = [...live.rows()];
    const [run, groupList, roster, settings] = await Promise.all([
      getRun(s, conn.activeSnapshotId),
      listGroups(s, site),
      frozenRoster(),
      getSettings(s),
    ]);
    const names = new Map(groupList.map((g) => [g.id, g.name]));
    const groups = run?.groups.map((g) => ({ id: g.id, name: g.name })) ?? (conn.selectedGroupIds ?? []).map((id) => ({ id, name: names.get(id) ?? id }));
    const previous = await latestCompleted(site);
    const diff = previous
      ? diffReviews({ id: previous.id, completedAt: previous.completedAt ?? previous.startedAt, rows: (await model(previous, false)).rows() }, rows)
      : null;
    return {
      conn,
      rows,
      fields: {
        sync: { runId: conn.activeSnapshotId, syncedAt: conn.lastSyncedAt },
        frozenAt: ctx.nowIso(),
        groups,
        roster,
        graceDays: settings.graceDays,
        today: ctx.today(),
        accounts: rows.length,
        inReview: rows.filter(inReview).length,
        rowChunks: 0,
        decisionBuckets: decisionBucketsFor(rows.length),
        diff,
      } satisfies Partial<CampaignRecord>,
    };
  }

  function setWarm(site: SiteUrl, m: CampaignModel): void {
    warm.set(site, { id: m.record.id, model: Promise.resolve(m) });
  }

  function remediationCounts(campaigns: readonly CampaignRecord[], dueDays: number): RemediationCounts {
    const counts: RemediationCounts = { pending: 0, overdue: 0, verified: 0 };
    const now = ctx.now();
    for (const c of campaigns) {
      if (c.status !== 'completed' || !c.completedAt) continue;
      for (const item of c.remediation) counts[remediationStatus(item, c.completedAt, dueDays, now)]++;
    }
    return counts;
  }

  const campaigns: Campaigns = {
    latest,
    model: (campaign) => model(campaign),

    start: (site) =>
      serial(site, async () => {
        const conn = await ctx.requireConnection(site);
        if (conn.status !== 'connected') throw new UserError(`${site} is disconnected: connect again to start a review.`);
        const current = await latest(site);
        if (current?.status === 'open') throw new UserError(`A review of ${site} is already open (started ${current.startedAt}).`);
        const { rows, fields } = await freeze(site);
        let reviewer: Reviewer;
        try {
          // The reviewer is the connected Atlassian account (atlassian-api.md §3.4, user/current).
          const me = await (await ctx.apiFor(conn)).currentUser();
          reviewer = { name: me.displayName || me.publicName, accountId: me.accountId };
        } catch (error) {
          throw new UserError(`Could not read the connected Atlassian account (user/current), so the review has no reviewer: ${error instanceof Error ? error.message : String(error)}`);
        }
        const record: CampaignRecord = {
          id: crypto.randomUUID(),
          site,
          siteName: conn.siteName,
          cloudId: conn.cloudId,
          status: 'open',
          startedAt: fields.frozenAt,
          completedAt: null,
          reviewer,
          ...fields,
          rowChunks: Math.max(1, Math.ceil(rows.length / 1000)),
          refreshes: [],
          signOff: null,
          seal: null,
          remediation: [],
          extensionVersion,
        };
        await writeCampaign(await ctx.store(), record, rows, []);
        lists.delete(site);
        setWarm(site, new CampaignModel(record, rows, []));
        await ctx.audit(site, 'review_start', {
          reviewId: record.id,
          syncRunId: record.sync.runId,
          syncedAt: record.sync.syncedAt,
          accounts: record.accounts,
          inReview: record.inReview,
          reviewer: record.reviewer.name,
          reviewerAccountId: record.reviewer.accountId,
        }, { name: reviewer.name, accountId: reviewer.accountId });
        ctx.changed(site);
        return record;
      }),

    refresh: (site) =>
      serial(site, async () => {
        const current = await requireOpen(site);
        const m = await model(current);
        const { rows, fields } = await freeze(site);
        const present = new Set(rows.map((r) => r.account.accountId));
        const kept = [...m.decisions().values()].filter((d) => present.has(d.accountId));
        const dropped = m.decisions().size - kept.length;
        const record: CampaignRecord = {
          ...current,
          ...fields,
          rowChunks: Math.max(1, Math.ceil(rows.length / 1000)),
          refreshes: [
            ...current.refreshes,
            { at: fields.frozenAt, by: current.reviewer, fromSyncAt: current.sync.syncedAt, toSyncAt: fields.sync.syncedAt, kept: kept.length, dropped },
          ],
        };
        await writeCampaign(await ctx.store(), record, rows, kept);
        lists.delete(site);
        m.replace(record, rows);
        setWarm(site, m);
        await ctx.audit(site, 'review_refresh', {
          reviewId: record.id,
          fromSyncAt: current.sync.syncedAt,
          toSyncAt: record.sync.syncedAt,
          syncRunId: record.sync.runId,
          accounts: record.accounts,
          keptDecisions: kept.length,
          droppedDecisions: dropped,
        }, current.reviewer);
        ctx.changed(site);
        return record;
      }),

    decide: (site, accountId, input) =>
      serial(site, async () => {
        const current = await requireOpen(site);
        const m = await model(current);
        const row = m.row(accountId);
        if (!row) throw new UserError(`Account ${accountId} is not in this review's snapshot.`);
        const checked = checkDecision(input, row, current.reviewer, ctx.nowIso());
        if (!checked.ok) throw new UserError(checked.error);
        await putDecisions(await ctx.store(), current, [checked.value]);
        m.setDecisions([checked.value]);
        const d = checked.value;
        await ctx.audit(site, 'decision', {
          reviewId: current.id,
          accountId,
          displayName: row.account.displayName,
          decision: d.decision,
          note: d.note,
          removeFromGroups: d.removeFromGroups.map((g) => g.name),
        }, current.reviewer);
        ctx.changed(site);
        return d;
      }),

    bulk: (site, request) =>
      serial(site, async () => {
        const current = await requireOpen(site);
        const m = await model(current);
        const at = ctx.nowIso();
        const records: DecisionRecord[] = [];
        if (request.kind === 'keepUnflagged') {
          for (const row of m.rows()) {
            if (!inReview(row) || row.flags.length > 0 || isSelf(row, current.reviewer) || m.decision(row.account.accountId)) continue;
            records.push({ accountId: row.account.accountId, decision: 'keep', note: 'No findings', removeFromGroups: [], decidedBy: current.reviewer, decidedAt: at });
          }
        } else {
          // The count the admin confirmed is what the list showed.
          const shown = m.matching(request.filter, request.search);
          if (shown.length !== request.expectedCount) {
            throw new UserError(`The list changed: ${shown.length} account(s) now match, not ${request.expectedCount}. Check the list and try again.`);
          }
          // The reviewer's own account needs its own decision; filtered-out accounts need none.
          const rows = shown.filter((r) => inReview(r) && !isSelf(r, current.reviewer));
          for (const row of rows) {
            const checked = checkDecision({ decision: request.decision, note: request.note, removeFromGroupIds: [] }, row, current.reviewer, at);
            if (!checked.ok) throw new UserError(`${checked.error} (${row.account.displayName}); no decision was recorded.`);
            records.push(checked.value);
          }
        }
        if (records.length > 0) {
          await putDecisions(await ctx.store(), current, records);
          m.setDecisions(records);
          await ctx.audit(site, 'decision_bulk', {
            reviewId: current.id,
            action: request.kind === 'keepUnflagged' ? 'Keep all unflagged' : 'Decide all shown',
            decision: request.kind === 'keepUnflagged' ? 'keep' : request.decision,
            note: request.kind === 'keepUnflagged' ? 'No findings' : request.note.trim(),
            filter: request.kind === 'filter' ? request.filter : null,
            search: request.kind === 'filter' ? request.search : null,
            count: records.length,
          }, current.reviewer);
          ctx.changed(site);
        }
        return { decided: records.length };
      }),

    complete: (site, signOff) =>
      serial(site, async () => {
        const current = await requireOpen(site);
        const m = await model(current);
        const incomplete = completionError(m.decided, current.inReview);
        if (incomplete) throw new UserError(`The review cannot be completed: ${incomplete}`);
        const cadence = await getCadence(await ctx.store());
        const completed: CampaignRecord = {
          ...current,
          status: 'completed',
          completedAt: ctx.nowIso(),
          signOff: signOff.trim() === '' ? null : signOff.trim(),
          remediation: remediationItems(m.rows(), m.decisions()),
        };
        const doc = reviewDocument(completed, m.rows(), m.decisions(), {
          now: ctx.now(),
          remediationDueDays: cadence.remediationDueDays,
          generatedAt: completed.completedAt ?? '',
          extensionVersion,
        });
        const sealed: CampaignRecord = { ...completed, seal: await sealDocument(doc) };
        await putCampaign(await ctx.store(), sealed);
        lists.delete(site);
        m.record = sealed;
        const count = (d: Decision) => [...m.decisions().values()].filter((x) => x.decision === d).length;
        await ctx.audit(site, 'review_complete', {
          reviewId: sealed.id,
          seal: sealed.seal,
          signOff: sealed.signOff,
          keep: count('keep'),
          revoke: count('revoke'),
          modify: count('modify'),
          remediationItems: sealed.remediation.length,
        }, sealed.reviewer);
        ctx.changed(site);
        return sealed;
      }),

    verifyRemediation: (site) =>
      serial(site, async () => {
        const s = await ctx.store();
        const conn = await getConnection(s, site);
        if (!conn?.activeSnapshotId || !conn.lastSyncedAt) return;
        const syncedAt = conn.lastSyncedAt;
        const pending = (await listOf(site)).filter(
          (c) => c.status === 'completed' && c.completedAt !== null && c.completedAt < syncedAt && c.remediation.some((i) => i.verifiedAt === null),
        );
        if (pending.length === 0) return;
        const [live, run] = await Promise.all([reviews.get(site), getRun(s, conn.activeSnapshotId)]);
        if (!live || !run) return;
        const synced = new Set(run.groups.map((g) => g.id));
        for (const c of pending) {
          const verified: typeof c.remediation = [];
          const remediation = c.remediation.map((item) => {
            if (item.verifiedAt !== null || !remediationDone(item, live.row(item.accountId)?.account, synced)) return item;
            const done = { ...item, verifiedAt: syncedAt, verifiedRunId: conn.activeSnapshotId };
            verified.push(done);
            return done;
          });
          if (verified.length === 0) continue;
          const updated = { ...c, remediation };
          await putCampaign(s, updated);
          lists.delete(site);
          const w = warm.get(site);
          if (w?.id === c.id) void w.model.then((wm) => (wm.record = updated));
          for (const item of verified) {
            await ctx.audit(site, 'remediation_verified', {
              reviewId: c.id,
              accountId: item.accountId,
              displayName: item.displayName,
              decision: item.decision,
              groups: item.groups.map((g) => g.name),
              syncRunId: item.verifiedRunId,
              syncedAt,
            });
          }
        }
      }),

    async summary(site) {
      const current = await latest(site);
      if (!current) return null;
      const s = await ctx.store();
      const [m, conn, cadence, all] = await Promise.all([model(current), getConnection(s, site), getCadence(s), listOf(site)]);
      return {
        id: current.id,
        status: current.status,
        startedAt: current.startedAt,
        completedAt: current.completedAt,
        frozenAt: current.frozenAt,
        syncedAt: current.sync.syncedAt,
        reviewer: current.reviewer,
        inReview: current.inReview,
        accounts: current.accounts,
        decided: m.decided,
        signOff: current.signOff,
        seal: current.seal,
        hasPrevious: current.diff !== null,
        diff: current.diff && { added: current.diff.added.length, removed: current.diff.removed.length, changed: current.diff.changed.length },
        remediation: remediationCounts(all, cadence.remediationDueDays),
        newerSync: (conn?.activeSnapshotId ?? null) !== null && conn?.activeSnapshotId !== current.sync.runId,
      };
    },

    async account(site, accountId) {
      const current = await latest(site);
      if (!current) return null;
      const m = await model(current);
      const row: ReviewRow | undefined = m.row(accountId);
      if (!row) return null;
      const cadence = await getCadence(await ctx.store());
      const item = current.remediation.find((i) => i.accountId === accountId);
      return {
        row,
        decision: m.decision(accountId),
        diff: m.diff(accountId),
        self: isSelf(row, current.reviewer),
        noteRules: {
          keep: noteRule('keep', row, current.reviewer),
          revoke: noteRule('revoke', row, current.reviewer),
          modify: noteRule('modify', row, current.reviewer),
        },
        remediation: item && current.completedAt ? { ...item, status: remediationStatus(item, current.completedAt, cadence.remediationDueDays, ctx.now()) } : null,
        locked: current.status === 'completed',
      };
    },

    async siteState(conn) {
      const s = await ctx.store();
      const [all, cadence] = await Promise.all([listOf(conn.site), getCadence(s)]);
      const open = all.find((c) => c.status === 'open') ?? null;
      const lastCompletedAt = all.filter((c) => c.completedAt).map((c) => c.completedAt as string).sort().at(-1) ?? null;
      return {
        open: open && { id: open.id, startedAt: open.startedAt },
        lastCompletedAt,
        reviewDue: isReviewDue({ synced: conn.activeSnapshotId !== null, lastCompletedAt, reviewEveryDays: cadence.reviewEveryDays, now: ctx.now() }),
        remediation: remediationCounts(all, cadence.remediationDueDays),
      };
    },

    async latestDecisions(site) {
      const current = await latest(site);
      if (!current) return undefined;
      const m = await model(current);
      const out = new Map<string, { decision: string; note: string }>();
      for (const [id, d] of m.decisions()) out.set(id, { decision: d.decision, note: d.note });
      return out;
    },

    async evidence(site) {
      const current = await latest(site);
      if (!current) throw new UserError(`No review of ${site} has been started: there is no evidence to export yet.`);
      const m = await model(current);
      const s = await ctx.store();
      const generatedAt = ctx.nowIso();
      const fileName = evidenceFileName(site, ctx.today());
      // Logged first, so the package's audit log includes its own export.
      await ctx.audit(site, 'export', { format: 'evidence', fileName, reviewId: current.id, status: current.status, seal: current.seal });
      const [entries, cadence] = await Promise.all([readAuditChain(s, site), getCadence(s)]);
      const pkg = await buildEvidence({
        campaign: current,
        rows: m.rows(),
        decisions: m.decisions(),
        auditEntries: entries,
        generatedAt,
        now: ctx.now(),
        remediationDueDays: cadence.remediationDueDays,
        extensionVersion,
      });
      return { fileName, zip: pkg.zip, status: current.status, seal: current.seal };
    },

    forget(site) {
      warm.delete(site);
      lists.delete(site);
    },
  };
  return campaigns;
}
