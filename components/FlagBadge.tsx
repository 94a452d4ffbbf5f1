import type { Flag } from '@/lib/model';

export const FLAG_LABELS: Record<Flag, string> = {
  unattributed: 'Unattributed',
  should_revoke: 'Should revoke',
  revoke_overdue: 'Revoke overdue',
  needs_confirmation: 'Needs confirmation',
  privileged_guest: 'Privileged guest',
};

/** A flag as a labelled badge: the words carry the meaning, the colour only supplements them. */
export function FlagBadge({ flag }: { flag: Flag }) {
  return <span class={`badge flag-${flag}`}>{FLAG_LABELS[flag]}</span>;
}
