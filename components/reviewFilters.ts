/** The side panel's "Show" filter and search, as pure functions over review rows. */
import type { ReviewRow } from '@/lib/model';

export const SHOW_OPTIONS = [
  { value: 'review', label: 'All in review' },
  { value: 'flagged', label: 'Flagged' },
  { value: 'unattributed', label: 'Unattributed' },
  { value: 'should_revoke', label: 'Should revoke' },
  { value: 'needs_confirmation', label: 'Needs confirmation' },
  { value: 'privileged_guest', label: 'Privileged guests' },
  { value: 'filtered', label: 'Filtered out' },
] as const;

export type ShowFilter = (typeof SHOW_OPTIONS)[number]['value'];

const hasFlag = (row: ReviewRow, ...flags: string[]) => row.flags.some((f) => flags.includes(f.flag));

export function matchesShow(row: ReviewRow, show: ShowFilter): boolean {
  const inReview = row.account.filteredReason === null;
  switch (show) {
    case 'review':
      return inReview;
    case 'filtered':
      return !inReview;
    case 'flagged':
      return inReview && row.flags.length > 0;
    // An overdue revocation is a should-revoke that is also late.
    case 'should_revoke':
      return inReview && hasFlag(row, 'should_revoke', 'revoke_overdue');
    default:
      return inReview && hasFlag(row, show);
  }
}

export function matchesQuery(row: ReviewRow, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const a = row.account;
  const haystack = [a.displayName, a.publicName, a.email, a.accountId, row.person?.name, row.person?.workEmail, ...a.groups.map((g) => g.name)];
  return haystack.some((v) => typeof v === 'string' && v.toLowerCase().includes(q));
}

/** Rows to list, flagged first (most severe first), then by name. */
export function visibleRows(rows: ReviewRow[], show: ShowFilter, query: string): ReviewRow[] {
  return rows
    .filter((r) => matchesShow(r, show) && matchesQuery(r, query))
    .sort((x, y) => severity(y) - severity(x) || x.account.displayName.localeCompare(y.account.displayName));
}

function severity(row: ReviewRow): number {
  if (hasFlag(row, 'revoke_overdue')) return 4;
  if (hasFlag(row, 'should_revoke')) return 3;
  if (hasFlag(row, 'privileged_guest', 'unattributed')) return 2;
  return row.flags.length > 0 ? 1 : 0;
}
