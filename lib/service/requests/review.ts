/**
 * The review as the side panel reads it: a page of rows at a time from the warm review model,
 * one account in full, owner marks, and exports generated here and fetched in parts (a large
 * site's export is bigger than one runtime message may be).
 */
import { z } from 'zod';
import type { ReviewQueryResponse } from '../../messages';
import { ownerMarkInputSchema } from '../../model-schema';
import type { AccountMark, OwnerMark, ReviewRow } from '../../model';
import { toCsv, toJson } from '../../review/export';
import { emptyCounts } from '../../review/filters';
import { clearMark, setMark } from '../../store/marks';
import { getRosterMeta } from '../../store/roster';
import { getRun } from '../../store/runs';
import type { ServiceContext } from '../context';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { accountId, reviewPageFields, site } from './shared';

/** Characters per export part: well under Chrome's 64 MiB message cap even when every one is escaped. */
export const EXPORT_PART_CHARS = 4_000_000;

interface PreparedExport {
  id: string;
  parts: string[];
}
const preparedExports = new WeakMap<ServiceContext, Map<string, PreparedExport>>();

/** What limits the snapshot's data: the caveats of the sync run that made it (its id is the run's). */
async function snapshotCaveats(ctx: ServiceContext, snapshotId: string | null): Promise<string[]> {
  if (!snapshotId) return [];
  return (await getRun(await ctx.store(), snapshotId))?.caveats ?? [];
}

export const reviewRequests = {
  queryReview: defineRequest({
    schema: z.object({
      type: z.literal('queryReview'),
      site,
      ...reviewPageFields,
      /** Only members of this group (its id or name): the side panel following a group page. */
      group: z.string().min(1).max(255).nullable().default(null),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<ReviewQueryResponse> {
      const conn = await ctx.requireConnection(req.site);
      const [model, roster] = await Promise.all([ctx.reviews.get(req.site), ctx.reviews.roster()]);
      const page = model
        ? model.query(req)
        : { total: 0, counts: emptyCounts(), offset: req.offset, rows: [], group: null };
      return {
        site: req.site,
        lastSyncedAt: conn.lastSyncedAt,
        caveats: await snapshotCaveats(ctx, conn.activeSnapshotId),
        synced: model !== null,
        hasRoster: roster.people.length > 0,
        ...page,
      };
    },
  }),

  getAccount: defineRequest({
    schema: z.object({ type: z.literal('getAccount'), site, accountId }),
    from: ['page'],
    async handle(req, ctx): Promise<{ row: ReviewRow | null }> {
      await ctx.requireConnection(req.site);
      const model = await ctx.reviews.get(req.site);
      return { row: model?.row(req.accountId) ?? null };
    },
  }),

  setMark: defineRequest({
    schema: z.object({ type: z.literal('setMark'), site, accountId, mark: ownerMarkInputSchema.nullable() }),
    from: ['page'],
    async handle(req, ctx): Promise<{ mark: AccountMark | null }> {
      const s = await ctx.store();
      await ctx.requireConnection(req.site);
      let stored: AccountMark | null = null;
      if (!req.mark) {
        await clearMark(s, req.site, req.accountId);
      } else {
        const model = await ctx.reviews.get(req.site);
        if (!model?.row(req.accountId)) throw new UserError(`Account ${req.accountId} is not in the last sync of ${req.site}.`);
        if ('personId' in req.mark && !(await ctx.reviews.roster()).index.byId.has(req.mark.personId)) {
          throw new UserError('That person is not in the current roster.');
        }
        stored = { site: req.site, accountId: req.accountId, mark: { ...req.mark, at: ctx.nowIso() } as OwnerMark };
        await setMark(s, stored);
      }
      // The warm model and stored counts, and the audit entry: independent writes, done together.
      await Promise.all([
        ctx.reviews.markChanged(req.site, req.accountId, stored?.mark ?? null),
        ctx.audit(req.site, 'mark', { accountId: req.accountId, ...(req.mark ?? { kind: 'clear' }) }),
      ]);
      ctx.changed(req.site);
      return { mark: stored };
    },
  }),

  /**
   * The CSV or JSON export of every synced account of the site (filtered ones included), in parts
   * of EXPORT_PART_CHARS. Part 0 prepares the export and names it (`exportId`); later parts name
   * it back, so every part comes from the same review and the same export time.
   */
  exportReview: defineRequest({
    schema: z.object({
      type: z.literal('exportReview'),
      site,
      format: z.enum(['csv', 'json']),
      part: z.number().int().min(0).default(0),
      exportId: z.string().max(100).optional(),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ exportId: string; part: number; parts: number; text: string }> {
      let cache = preparedExports.get(ctx);
      if (!cache) preparedExports.set(ctx, (cache = new Map()));
      const key = `${req.site}|${req.format}`;
      let prepared = cache.get(key);
      if (req.part === 0) {
        const conn = await ctx.requireConnection(req.site);
        const model = await ctx.reviews.get(req.site);
        if (!model) throw new UserError(`Nothing has been synced for ${req.site} yet: run a sync first.`);
        const rows = model.rows();
        // `decision` and `note` from the site's latest access review (open or completed).
        const decisions = await ctx.campaigns.latestDecisions(req.site);
        await ctx.audit(req.site, 'export', { format: req.format, accounts: rows.length });
        let text: string;
        if (req.format === 'csv') {
          text = toCsv(rows, req.site, decisions);
        } else {
          const roster = await getRosterMeta(await ctx.store());
          text = toJson(rows, req.site, {
            exportedAt: ctx.nowIso(),
            lastSyncedAt: conn.lastSyncedAt,
            roster: roster && { fileName: roster.fileName, importedAt: roster.importedAt },
            caveats: await snapshotCaveats(ctx, conn.activeSnapshotId),
          }, decisions);
        }
        const parts: string[] = [];
        for (let i = 0; i < text.length || parts.length === 0; i += EXPORT_PART_CHARS) parts.push(text.slice(i, i + EXPORT_PART_CHARS));
        prepared = { id: crypto.randomUUID(), parts };
        cache.set(key, prepared);
      } else if (!prepared || prepared.id !== req.exportId) {
        throw new UserError('That export is no longer available: export again.');
      }
      const text = prepared.parts[req.part];
      if (text === undefined) throw new UserError(`The export has ${prepared.parts.length} part(s); part ${req.part} does not exist.`);
      // The last part frees the prepared text.
      if (req.part === prepared.parts.length - 1) cache.delete(key);
      return { exportId: prepared.id, part: req.part, parts: prepared.parts.length, text };
    },
  }),
};
