/**
 * The side panel's window on the review: pages of rows fetched from the background's warm model
 * as the list scrolls (`queryReview` with offset and limit), never the whole review. A change of
 * view (filter, search, sort, group, site) or of data (`stateChanged`) loads the pages in sight
 * into a fresh cache and swaps it in when they have arrived, so the list never flashes empty.
 */
import { useCallback, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { ReviewQueryResponse } from '@/lib/messages';
import type { ReviewRow } from '@/lib/model';
import type { ReviewFilter, ReviewSort } from '@/lib/review/filters';
import { errorText, send } from './messaging';

export const PAGE_SIZE = 100;
/** Pages kept per view (the ones farthest from sight go first): 4,000 rows at most in memory. */
const MAX_PAGES = 40;
/**
 * Page requests in flight per view. Scrolling fast through 100,000 rows passes hundreds of pages;
 * only the ones in sight when a request slot frees up are fetched.
 */
const MAX_IN_FLIGHT = 2;

export interface ReviewQueryView {
  site: string;
  filter: ReviewFilter;
  search: string;
  sort: ReviewSort;
  group: string | null;
  /** While an access review is open: its frozen snapshot (`queryCampaign`), not the live review. */
  campaign?: boolean;
}

export type ReviewMeta = Omit<ReviewQueryResponse, 'rows' | 'offset'>;

interface Cache {
  key: string;
  view: ReviewQueryView;
  version: number;
  pages: Map<number, ReviewRow[]>;
  inflight: Set<number>;
  meta: ReviewMeta | null;
  /** Pages that must be in before this cache replaces the shown one. */
  wanted: Set<number>;
}

function newCache(view: ReviewQueryView, version: number, wanted: number[]): Cache {
  return { key: JSON.stringify(view), view, version, pages: new Map(), inflight: new Set(), meta: null, wanted: new Set(wanted) };
}

export interface ReviewPages {
  /** The view the shown rows belong to (changes once its first pages are in). */
  key: string | null;
  meta: ReviewMeta | null;
  error: string | null;
  /** The row at `index` of the list, or undefined while its page loads. */
  rowAt(index: number): ReviewRow | undefined;
  /** The list shows rows `start`…`end`: load their pages. */
  ensure(start: number, end: number): void;
  /** True while a new view or new data is loading. */
  loading: boolean;
}

export function useReviewPages(view: ReviewQueryView | null, version: number): ReviewPages {
  const shown = useRef<Cache | null>(null);
  const next = useRef<Cache | null>(null);
  const range = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<string | null>(null);
  const key = view ? JSON.stringify(view) : null;

  const evict = (cache: Cache) => {
    if (cache.pages.size <= MAX_PAGES) return;
    const middle = Math.floor((range.current[0] + range.current[1]) / 2 / PAGE_SIZE);
    const far = [...cache.pages.keys()].sort((a, b) => Math.abs(b - middle) - Math.abs(a - middle));
    for (const p of far.slice(0, cache.pages.size - MAX_PAGES)) cache.pages.delete(p);
  };

  /** Fetches the pages in sight that are missing, nearest the middle first, within MAX_IN_FLIGHT. */
  const pump = (cache: Cache) => {
    const [start, end] = range.current;
    const total = cache.meta?.total ?? Infinity;
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor(end / PAGE_SIZE);
    const middle = (first + last) / 2;
    const missing: number[] = [];
    for (let p = first; p <= last; p++) if (p * PAGE_SIZE < total && !cache.pages.has(p) && !cache.inflight.has(p)) missing.push(p);
    missing.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle));
    for (const p of missing) {
      if (cache.inflight.size >= MAX_IN_FLIGHT) break;
      fetchPage(cache, p);
    }
  };

  const fetchPage = useCallback((cache: Cache, page: number) => {
    if (cache.pages.has(page) || cache.inflight.has(page)) return;
    cache.inflight.add(page);
    const { site, filter, search, sort, group, campaign } = cache.view;
    const offset = page * PAGE_SIZE;
    (campaign
      ? send({ type: 'queryCampaign', site, filter, search, sort, offset, limit: PAGE_SIZE })
      : send({ type: 'queryReview', site, filter, search, sort, group, offset, limit: PAGE_SIZE })
    ).then(
      (answer) => {
        cache.inflight.delete(page);
        if (cache !== shown.current && cache !== next.current) return;
        const { rows, offset: _offset, ...meta } = answer;
        cache.pages.set(page, rows);
        cache.meta = meta;
        evict(cache);
        if (cache === next.current && [...cache.wanted].every((p) => cache.pages.has(p) || p * PAGE_SIZE >= meta.total)) {
          shown.current = cache;
          next.current = null;
        }
        setError(null);
        rerender(0);
        pump(cache);
      },
      (e: unknown) => {
        cache.inflight.delete(page);
        if (cache !== shown.current && cache !== next.current) return;
        setError(errorText(e));
        // Nothing to show for the new view: show the error rather than stale rows forever.
        if (cache === next.current) {
          shown.current = null;
          next.current = null;
        }
        rerender(0);
      },
    );
  }, []);

  // A layout effect: the pages of a new view or new data are asked for as soon as the change is
  // rendered, not after the next frame is painted.
  useLayoutEffect(() => {
    if (!view) {
      shown.current = null;
      next.current = null;
      rerender(0);
      return;
    }
    const current = shown.current;
    // New data for the same view: reload the pages in sight. A new view: start at the top.
    const sameView = current?.key === key;
    const first = Math.floor(range.current[0] / PAGE_SIZE);
    const last = Math.floor(range.current[1] / PAGE_SIZE);
    const wanted = sameView ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [0];
    if (!sameView) range.current = [0, PAGE_SIZE - 1];
    const cache = newCache(view, version, wanted);
    next.current = cache;
    for (const p of wanted) fetchPage(cache, p);
  }, [key, version, fetchPage]);

  const ensure = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      // The shown cache serves the scroll until a new one swaps in.
      if (shown.current) pump(shown.current);
      if (next.current && next.current.meta) pump(next.current);
    },
    [fetchPage],
  );

  const cache = shown.current;
  return {
    key: cache?.key ?? null,
    meta: cache?.meta ?? null,
    error,
    rowAt: (index) => cache?.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    ensure,
    loading: next.current !== null,
  };
}
