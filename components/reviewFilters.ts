/** The side panel's "Show" filter: labels for the review's filters (lib/review/filters.ts). */
import type { ReviewFilter } from '@/lib/review/filters';

export const SHOW_OPTIONS: readonly { value: ReviewFilter; label: string }[] = [
  { value: 'review', label: 'All in review' },
  { value: 'flagged', label: 'Flagged' },
  { value: 'unattributed', label: 'Unattributed' },
  { value: 'should_revoke', label: 'Should revoke' },
  { value: 'revoke_overdue', label: 'Revoke overdue' },
  { value: 'needs_confirmation', label: 'Needs confirmation' },
  { value: 'privileged_guest', label: 'Privileged guests' },
  { value: 'admin_without_2sv', label: 'Admins without 2SV' },
  { value: 'dormant', label: 'Dormant' },
  { value: 'filtered', label: 'Filtered out' },
];

export type ShowFilter = ReviewFilter;
