/**
 * Atlassian pages and the side panel. The content script may ask two things, both about the
 * page it runs on — which the background takes from the browser-stamped `sender.url`, never from
 * the message (security review findings 2 and 5):
 *   - `pageBadges`: for the accounts linked on the page, what each flagged one's badge shows
 *     (label and one-line explanation, built here). Nothing else about people reaches a page.
 *   - `openPanel`: a badge was clicked: open the side panel on that account where the browser
 *     allows, and tell the panel which account to show.
 * A `*.atlassian.net` page is answered about that site only (if connected); an
 * admin.atlassian.com page about the connected sites.
 */
import { z } from 'zod';
import { visibleText } from '../../display-text';
import type { PageBadge, PageBadgesResponse, PanelFocus } from '../../messages';
import type { Flag, ReviewRow, SiteUrl } from '../../model';
import { siteOfHost } from '../../page-context';
import { FLAG_LABELS, FLAG_ORDER } from '../../review/filters';
import { listConnections } from '../../store/connections';
import type { ConnectionRecord } from '../../store/schema';
import type { ServiceContext } from '../context';
import { defineRequest, type RequestSender } from '../define';
import { UserError } from '../errors';
import { accountId, site } from './shared';

/** Accounts one `pageBadges` request may ask about (a page of people links is well under it). */
export const PAGE_BADGE_BATCH = 500;
/** Characters of a badge's explanation; longer ones end with an ellipsis. */
const BADGE_TITLE_CHARS = 1000;
/** A focus not taken within this time is forgotten (the admin did not open the panel). */
const FOCUS_TTL_MS = 60_000;

interface StoredFocus {
  focus: PanelFocus;
  at: number;
}
/** Per window (`null`: any window), the focus the next side panel to load should show. */
const pendingFocus = new WeakMap<ServiceContext, Map<number | null, StoredFocus>>();

function focusStore(ctx: ServiceContext): Map<number | null, StoredFocus> {
  let store = pendingFocus.get(ctx);
  if (!store) pendingFocus.set(ctx, (store = new Map()));
  return store;
}

function setFocus(ctx: ServiceContext, windowId: number | null, focus: PanelFocus): void {
  focusStore(ctx).set(windowId, { focus, at: ctx.nowMs() });
  ctx.platform.broadcast({ type: 'panelFocus', windowId, focus });
}

/** The connected sites (with a synced review) a page on `url` may hear about. */
async function sitesOfPage(ctx: ServiceContext, url: string): Promise<ConnectionRecord[]> {
  const host = new URL(url).hostname.toLowerCase();
  const connections = (await listConnections(await ctx.store())).filter((c) => c.activeSnapshotId !== null);
  if (host === 'admin.atlassian.com') return connections;
  const own = siteOfHost(host);
  return connections.filter((c) => c.site === own);
}

function clip(text: string): string {
  const shown = visibleText(text.replace(/\s+/g, ' ').trim());
  return shown.length > BADGE_TITLE_CHARS ? `${shown.slice(0, BADGE_TITLE_CHARS - 1)}…` : shown;
}

/** The badge of one account from its rows on the page's sites; null when nothing is flagged. */
export function badgeFor(accountIdValue: string, rows: readonly { siteName: string; row: ReviewRow }[]): PageBadge | null {
  const flagged = rows.filter((r) => r.row.flags.length > 0);
  if (flagged.length === 0) return null;
  const flags = new Set<Flag>();
  const lines: string[] = [];
  for (const { siteName, row } of flagged) {
    const ordered = FLAG_ORDER.filter((f) => row.flags.some((x) => x.flag === f));
    for (const f of ordered) flags.add(f);
    const text = ordered.map((f) => row.flags.find((x) => x.flag === f)!.explanation).join(' · ');
    lines.push(rows.length > 1 ? `${siteName}: ${text}` : text);
  }
  const labels = FLAG_ORDER.filter((f) => flags.has(f)).map((f) => FLAG_LABELS[f]);
  return { accountId: accountIdValue, label: `Access Lens: ${labels.join(', ')}`, flags: labels, title: clip(lines.join(' — ')) };
}

function requireTab(sender: RequestSender): number {
  if (sender.tabId === undefined) throw new UserError('Only a page in a tab can open the side panel.');
  return sender.tabId;
}

export const pageRequests = {
  pageBadges: defineRequest({
    schema: z.object({
      type: z.literal('pageBadges'),
      accountIds: z.array(accountId).max(PAGE_BADGE_BATCH),
    }),
    from: ['content'],
    async handle(req, ctx, sender): Promise<PageBadgesResponse> {
      const sites = await sitesOfPage(ctx, sender.url);
      const models = (await Promise.all(sites.map(async (c) => ({ siteName: c.siteName, model: await ctx.reviews.get(c.site) })))).filter(
        (m) => m.model !== null,
      );
      const badges: PageBadge[] = [];
      for (const id of new Set(req.accountIds)) {
        const rows = models.flatMap(({ siteName, model }) => {
          const row = model!.row(id);
          return row ? [{ siteName, row }] : [];
        });
        const badge = badgeFor(id, rows);
        if (badge) badges.push(badge);
      }
      return { badges };
    },
  }),

  openPanel: defineRequest({
    schema: z.object({ type: z.literal('openPanel'), accountId }),
    from: ['content'],
    async handle(req, ctx, sender): Promise<{ opened: boolean }> {
      const tabId = requireTab(sender);
      const sites = await sitesOfPage(ctx, sender.url);
      let found: SiteUrl | null = null;
      for (const c of sites) {
        if ((await ctx.reviews.get(c.site))?.row(req.accountId)) {
          found = c.site;
          break;
        }
      }
      if (!found) return { opened: false };
      setFocus(ctx, sender.windowId ?? null, { site: found, accountId: req.accountId });
      try {
        await ctx.platform.openSidePanel({ tabId, ...(sender.windowId !== undefined && { windowId: sender.windowId }) });
        return { opened: true };
      } catch {
        // No user gesture reached the browser's API, or no side panel here: the panel shows the
        // account when the admin opens it.
        return { opened: false };
      }
    },
  }),

  /** The popup's "Open side panel" of one site: the panel that opens (or is open) shows it. */
  focusPanel: defineRequest({
    schema: z.object({
      type: z.literal('focusPanel'),
      site,
      accountId: accountId.nullable().default(null),
      windowId: z.number().int().nullable().default(null),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ ok: true }> {
      await ctx.requireConnection(req.site);
      // An account a page badge asked for (on that site) stays the one to show.
      const pending = focusStore(ctx).get(req.windowId);
      const keep = req.accountId === null && pending && pending.focus.site === req.site && pending.focus.accountId !== null && ctx.nowMs() - pending.at <= FOCUS_TTL_MS;
      if (!keep) setFocus(ctx, req.windowId, { site: req.site, accountId: req.accountId });
      return { ok: true };
    },
  }),

  /** A side panel starting up takes the focus left for its window (once). */
  takePanelFocus: defineRequest({
    schema: z.object({ type: z.literal('takePanelFocus'), windowId: z.number().int().nullable().default(null) }),
    from: ['page'],
    async handle(req, ctx): Promise<{ focus: PanelFocus | null }> {
      const store = focusStore(ctx);
      for (const key of [req.windowId, null]) {
        const stored = store.get(key);
        if (!stored) continue;
        store.delete(key);
        if (ctx.nowMs() - stored.at <= FOCUS_TTL_MS) return { focus: stored.focus };
      }
      return { focus: null };
    },
  }),
};
