/**
 * The review's filters and sort orders, shared by the warm review model (which answers the side
 * panel's paged queries) and the pages (which label them). Pure.
 */
import type { Flag, ReviewRow } from '../model';

/** Flag labels as the UI and the page badges show them. */
export const FLAG_LABELS: Record<Flag, string> = {
  unattributed: 'Unattributed',
  should_revoke: 'Should revoke',
  revoke_overdue: 'Revoke overdue',
  needs_confirmation: 'Needs confirmation',
  privileged_guest: 'Privileged guest',
  dormant: 'Dormant',
  admin_without_2sv: 'Admin without 2SV',
};

/** Flags in the order a badge or a list names them: most severe first. */
export const FLAG_ORDER: readonly Flag[] = [
  'should_revoke',
  'revoke_overdue',
  'privileged_guest',
  'admin_without_2sv',
  'unattributed',
  'dormant',
  'needs_confirmation',
];

/**
 * The side panel's "Show" filters. `review` is every account in the review; `filtered` the app and
 * inactive accounts kept out of it; the others are accounts in the review carrying that flag
 * (`should_revoke` includes the overdue ones, which always carry both flags). `undecided` and
 * `new` belong to an open access review (lib/campaign/model.ts); the live review counts none.
 */
export const REVIEW_FILTERS = [
  'review',
  'flagged',
  'unattributed',
  'should_revoke',
  'revoke_overdue',
  'needs_confirmation',
  'privileged_guest',
  'admin_without_2sv',
  'dormant',
  'filtered',
  // Access reviews (lib/campaign): accounts in the review without a decision yet, and accounts
  // that were not in the previous completed review. Only a review's own query sets them.
  'undecided',
  'new',
] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

export type FilterCounts = Record<ReviewFilter, number>;

export const REVIEW_SORTS = ['severity', 'name', 'groups', 'role', 'activity'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

const FILTER_BIT = new Map<ReviewFilter, number>(REVIEW_FILTERS.map((f, i) => [f, 1 << i]));

export function filterBit(filter: ReviewFilter): number {
  return FILTER_BIT.get(filter) ?? 0;
}

/** The filters a row falls under, as a bit set (bit i = REVIEW_FILTERS[i]). */
export function filterBits(row: ReviewRow): number {
  if (row.account.filteredReason !== null) return filterBit('filtered');
  let bits = filterBit('review');
  if (row.flags.length > 0) bits |= filterBit('flagged');
  for (const { flag } of row.flags) bits |= filterBit(flag);
  return bits;
}

export function emptyCounts(): FilterCounts {
  return Object.fromEntries(REVIEW_FILTERS.map((f) => [f, 0])) as FilterCounts;
}

/** For the "severity" sort: overdue revocations first, then revocations, then the rest. */
export function rowSeverity(row: ReviewRow): number {
  let severity = 0;
  for (const { flag } of row.flags) {
    const s =
      flag === 'revoke_overdue' ? 4
      : flag === 'should_revoke' ? 3
      : flag === 'privileged_guest' || flag === 'unattributed' || flag === 'admin_without_2sv' ? 2
      : 1;
    if (s > severity) severity = s;
  }
  return severity;
}

/** The labels of a row's flags, most severe first. */
export function flagLabels(flags: readonly Flag[]): string[] {
  return FLAG_ORDER.filter((f) => flags.includes(f)).map((f) => FLAG_LABELS[f]);
}
