/**
 * What the toolbar icon's badge says for the current tab: the number of accounts needing action
 * (flagged accounts in the review) on the tab's site — every connected site on
 * admin.atlassian.com — with a colour for the worst kind and a title that says it in words.
 * Pure: the background feeds it stored counts (never a rebuild) and paints the result through
 * `Platform.setToolbarBadge`.
 */
import type { FilterCounts } from '../review/filters';

export interface ToolbarBadgeSite {
  siteName: string;
  /** Stored review counts; null before the first complete sync. */
  counts: FilterCounts | null;
  status: 'connected' | 'disconnected';
  lastError: string | null;
  syncing: boolean;
}

export interface ToolbarBadgeInput {
  /** The connected sites the tab is about: none on an unrelated tab. */
  sites: readonly ToolbarBadgeSite[];
  /** An access review is due (access-review campaigns); adds a "!" to the badge. */
  reviewDue: boolean;
}

export interface ToolbarBadge {
  /** At most 5 characters; '' shows no badge. */
  text: string;
  /** The icon's tooltip. */
  title: string;
  /** Badge background, a CSS hex colour. */
  color: string;
}

export const BADGE_COLORS = {
  /** Someone who left still has access. */
  revoke: '#b3261e',
  /** Other flags: unattributed, privileged guests, unconfirmed matches. */
  attention: '#8a5a00',
  /** Nothing flagged, but a review is due. */
  due: '#0b57d0',
  neutral: '#5e6c84',
} as const;

/** `7`, `999`, `1.2k`, `12k`, `100k`: the badge has room for about four characters. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) {
    const k = Math.floor(n / 100) / 10;
    return `${Number.isInteger(k) ? k.toFixed(0) : k.toFixed(1)}k`;
  }
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  return `${Math.floor(n / 1_000_000)}M`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function toolbarBadge(input: ToolbarBadgeInput): ToolbarBadge {
  const lines: string[] = [];
  let needing = 0;
  let revoke = 0;
  let known = false;
  for (const s of input.sites) {
    const parts: string[] = [];
    if (s.counts) {
      known = true;
      needing += s.counts.flagged;
      revoke += s.counts.should_revoke;
      parts.push(
        s.counts.flagged === 0
          ? 'no account needs action'
          : `${plural(s.counts.flagged, 'account')} ${s.counts.flagged === 1 ? 'needs' : 'need'} action${s.counts.should_revoke > 0 ? ` (${s.counts.should_revoke.toLocaleString('en')} should be revoked)` : ''}`,
      );
    } else {
      parts.push(s.syncing ? 'first sync running' : 'not synced yet');
    }
    if (s.counts && s.syncing) parts.push('syncing');
    if (s.status === 'disconnected') parts.push('disconnected');
    else if (s.lastError) parts.push('last sync failed');
    lines.push(`${s.siteName}: ${parts.join(', ')}`);
  }
  if (input.reviewDue) lines.push('An access review is due');

  const count = needing > 0 ? compactCount(needing) : '';
  let text = count;
  if (input.reviewDue) text = `${count}!`;
  else if (input.sites.length > 0 && !known && input.sites.some((s) => s.syncing)) text = '…';

  const color = revoke > 0 ? BADGE_COLORS.revoke : needing > 0 ? BADGE_COLORS.attention : input.reviewDue ? BADGE_COLORS.due : BADGE_COLORS.neutral;
  const title = lines.length > 0 ? `Access Lens\n${lines.join('\n')}` : 'Access Lens';
  return { text, title, color };
}
