/**
 * The side panel's view in its URL hash (`#filter=flagged&q=ada&sort=name`), so a reload keeps
 * the filter, the search, the sort, the group and the chosen site. Pure; unknown or malformed
 * values fall back to the defaults.
 */
import { REVIEW_FILTERS, REVIEW_SORTS, type ReviewFilter, type ReviewSort } from '@/lib/review/filters';

export interface PanelView {
  site: string | null;
  filter: ReviewFilter;
  search: string;
  sort: ReviewSort;
  /** Members of this group only (id or name), e.g. when the tab shows a group page. */
  group: string | null;
}

export const DEFAULT_VIEW: PanelView = { site: null, filter: 'review', search: '', sort: 'severity', group: null };

const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : fallback;

export function parsePanelHash(hash: string): PanelView {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const text = (name: string, max: number) => {
    const v = p.get(name);
    return v === null || v.length > max ? null : v;
  };
  const site = text('site', 200);
  const group = text('group', 255);
  return {
    site: site && /^https:\/\/[a-z0-9][a-z0-9-]*\.atlassian\.net$/.test(site) ? site : null,
    filter: oneOf(REVIEW_FILTERS, p.get('filter'), DEFAULT_VIEW.filter),
    search: text('q', 320) ?? '',
    sort: oneOf(REVIEW_SORTS, p.get('sort'), DEFAULT_VIEW.sort),
    group: group && group.trim() !== '' ? group : null,
  };
}

/** The hash for a view; defaults are left out, so the plain view has an empty hash. */
export function formatPanelHash(view: PanelView): string {
  const p = new URLSearchParams();
  if (view.site) p.set('site', view.site);
  if (view.filter !== DEFAULT_VIEW.filter) p.set('filter', view.filter);
  if (view.search !== '') p.set('q', view.search);
  if (view.sort !== DEFAULT_VIEW.sort) p.set('sort', view.sort);
  if (view.group) p.set('group', view.group);
  const s = p.toString();
  return s === '' ? '' : `#${s}`;
}
