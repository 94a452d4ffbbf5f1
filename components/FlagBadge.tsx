import type { Flag } from '@/lib/model';
import { FLAG_LABELS } from '@/lib/review/filters';

export { FLAG_LABELS };

/** A flag as a labelled badge: the words carry the meaning, the colour only supplements them. */
export function FlagBadge({ flag }: { flag: Flag }) {
  return <span class={`badge flag-${flag}`}>{FLAG_LABELS[flag]}</span>;
}
