/**
 * Access reviews (issue 9), as the side panel drives them: start, refresh, read the frozen
 * review a page at a time, decide (one account or in bulk), complete with a sign-off, and the
 * evidence package: a zip, which the page fetches from the service worker as bytes
 * (`/evidence/<id>.zip`, served once by the background's fetch handler) or, where there is no
 * such handler (Firefox's background page), reads in base64 parts: runtime messages carry JSON only.
 */
import { getRun } from '../../store/runs';
import { z } from 'zod';
import { toBase64 } from '../../campaign/base64';
import type { CampaignAccount, CampaignSummary } from '../../campaign/types';
import type { ReviewQueryResponse } from '../../messages';
import { REVIEW_FILTERS } from '../../review/filters';
import type { ServiceContext } from '../context';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { accountId, reviewPageFields, site } from './shared';

/** Base64 characters per part: well under Chrome's 64 MiB message cap. */
export const EVIDENCE_PART_CHARS = 8_000_000;

const note = z.string().max(2000).default('');

/** An evidence package built and waiting for its page to take it (one per site: a newer export replaces it). */
interface PreparedEvidence {
  id: string;
  fileName: string;
  zip: Uint8Array;
  /** Base64 parts, made on the first request for one. */
  parts: string[] | null;
}

const prepared = new WeakMap<ServiceContext, Map<string, PreparedEvidence>>();

/** How long a prepared package waits for its page. */
export const PREPARED_EVIDENCE_TTL_MS = 120_000;

/** Path under the extension's origin where the page fetches a prepared package. */
export const EVIDENCE_PATH = '/evidence/';

function partsOf(entry: PreparedEvidence): string[] {
  if (!entry.parts) {
    const text = toBase64(entry.zip);
    const parts: string[] = [];
    for (let i = 0; i < text.length || parts.length === 0; i += EVIDENCE_PART_CHARS) parts.push(text.slice(i, i + EVIDENCE_PART_CHARS));
    entry.parts = parts;
  }
  return entry.parts;
}

/**
 * The prepared package with this id, taken (it is served once): for the service worker's fetch
 * handler, which answers `/evidence/<id>.zip` to the extension's own pages only.
 */
export function takePreparedEvidence(ctx: ServiceContext, id: string): { fileName: string; zip: Uint8Array } | null {
  const cache = prepared.get(ctx);
  for (const [s, entry] of cache ?? []) {
    if (entry.id !== id) continue;
    cache?.delete(s);
    return { fileName: entry.fileName, zip: entry.zip };
  }
  return null;
}

async function summary(ctx: ServiceContext, s: string): Promise<{ summary: CampaignSummary | null }> {
  return { summary: await ctx.campaigns.summary(s) };
}

export const campaignRequests = {
  /** The site's latest review (open or completed), with progress, seal and remediation. */
  getCampaign: defineRequest({
    schema: z.object({ type: z.literal('getCampaign'), site }),
    from: ['page'],
    async handle(req, ctx) {
      await ctx.requireConnection(req.site);
      return summary(ctx, req.site);
    },
  }),

  startReview: defineRequest({
    schema: z.object({ type: z.literal('startReview'), site }),
    from: ['page'],
    async handle(req, ctx) {
      await ctx.campaigns.start(req.site);
      return summary(ctx, req.site);
    },
  }),

  refreshReview: defineRequest({
    schema: z.object({ type: z.literal('refreshReview'), site }),
    from: ['page'],
    async handle(req, ctx) {
      await ctx.campaigns.refresh(req.site);
      return summary(ctx, req.site);
    },
  }),

  /** A page of the open review's frozen rows (same shape as queryReview's answer). */
  queryCampaign: defineRequest({
    schema: z.object({
      type: z.literal('queryCampaign'),
      site,
      ...reviewPageFields,
    }),
    from: ['page'],
    async handle(req, ctx): Promise<ReviewQueryResponse & { reviewId: string }> {
      await ctx.requireConnection(req.site);
      const current = await ctx.campaigns.latest(req.site);
      if (!current) throw new UserError(`No review of ${req.site} has been started.`);
      const m = await ctx.campaigns.model(current);
      return {
        site: req.site,
        reviewId: current.id,
        lastSyncedAt: current.sync.syncedAt,
        // The caveats of the sync the review froze.
        caveats: (await getRun(await ctx.store(), current.sync.runId))?.caveats ?? [],
        synced: true,
        // A review lists its frozen snapshot whole: group pages do not narrow it.
        group: null,
        hasRoster: current.roster !== null,
        ...m.query(req),
      };
    },
  }),

  /** One account of the latest review, with its decision, diff and the note rules that apply. */
  getReviewAccount: defineRequest({
    schema: z.object({ type: z.literal('getReviewAccount'), site, accountId }),
    from: ['page'],
    async handle(req, ctx): Promise<{ account: CampaignAccount | null }> {
      await ctx.requireConnection(req.site);
      return { account: await ctx.campaigns.account(req.site, req.accountId) };
    },
  }),

  decide: defineRequest({
    schema: z.object({
      type: z.literal('decide'),
      site,
      accountId,
      decision: z.enum(['keep', 'revoke', 'modify']),
      note,
      removeFromGroupIds: z.array(z.string().min(1).max(200)).max(500).default([]),
    }),
    from: ['page'],
    async handle(req, ctx) {
      const decision = await ctx.campaigns.decide(req.site, req.accountId, req);
      return { decision };
    },
  }),

  /** "Keep all unflagged", or one decision with one note for every account a filter shows. */
  decideBulk: defineRequest({
    schema: z.discriminatedUnion('kind', [
      z.object({ type: z.literal('decideBulk'), site, kind: z.literal('keepUnflagged') }),
      z.object({
        type: z.literal('decideBulk'),
        site,
        kind: z.literal('filter'),
        filter: z.enum(REVIEW_FILTERS),
        search: z.string().max(320).default(''),
        decision: z.enum(['keep', 'revoke']),
        note,
        /** How many accounts the page showed and the admin confirmed. */
        expectedCount: z.number().int().min(0),
      }),
    ]),
    from: ['page'],
    async handle(req, ctx) {
      const { type: _t, site: s, ...bulk } = req;
      return ctx.campaigns.bulk(s, bulk);
    },
  }),

  completeReview: defineRequest({
    schema: z.object({ type: z.literal('completeReview'), site, signOff: z.string().max(5000).default('') }),
    from: ['page'],
    async handle(req, ctx) {
      await ctx.campaigns.complete(req.site, req.signOff);
      return summary(ctx, req.site);
    },
  }),

  /**
   * The evidence package of the site's latest review. Part 0 builds it (and logs the export);
   * later parts name it back by `exportId`.
   */
  exportEvidence: defineRequest({
    schema: z.object({
      type: z.literal('exportEvidence'),
      site,
      part: z.number().int().min(0).default(0),
      /** Which package: absent, a new one is built (and part 0 answered). */
      exportId: z.string().max(100).optional(),
      /** 'fetch': answer with the package's URL and no part (the page fetches the bytes). */
      via: z.enum(['message', 'fetch']).default('message'),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ exportId: string; fileName: string; part: number; parts: number; base64: string; url: string | null; bytes: number }> {
      let cache = prepared.get(ctx);
      if (!cache) prepared.set(ctx, (cache = new Map()));
      let entry = cache.get(req.site);
      if (req.exportId === undefined) {
        if (req.part !== 0) throw new UserError('Ask for part 0 first: it builds the package.');
        await ctx.requireConnection(req.site);
        const pkg = await ctx.campaigns.evidence(req.site);
        const made: PreparedEvidence = { id: crypto.randomUUID(), fileName: pkg.fileName, zip: pkg.zip, parts: null };
        entry = made;
        cache.set(req.site, made);
        // A page that never came for it (closed meanwhile) does not keep megabytes in memory.
        const waiting = cache;
        setTimeout(() => {
          if (waiting.get(req.site) === made) waiting.delete(req.site);
        }, PREPARED_EVIDENCE_TTL_MS);
        if (req.via === 'fetch') {
          const parts = Math.max(1, Math.ceil((4 * Math.ceil(pkg.zip.length / 3)) / EVIDENCE_PART_CHARS));
          return { exportId: entry.id, fileName: entry.fileName, part: 0, parts, base64: '', url: `${EVIDENCE_PATH}${entry.id}.zip`, bytes: pkg.zip.length };
        }
      } else if (!entry || entry.id !== req.exportId) {
        throw new UserError('That evidence package is no longer available: export it again.');
      }
      const parts = partsOf(entry);
      const base64 = parts[req.part];
      if (base64 === undefined) throw new UserError(`The package has ${parts.length} part(s); part ${req.part} does not exist.`);
      if (req.part === parts.length - 1) cache.delete(req.site);
      return { exportId: entry.id, fileName: entry.fileName, part: req.part, parts: parts.length, base64, url: null, bytes: entry.zip.length };
    },
  }),
};
