import { describe, expect, it } from 'vitest';
import { emptyCounts } from '@/lib/review/filters';
import { BADGE_COLORS, compactCount, toolbarBadge, type ToolbarBadgeSite } from '@/lib/service/toolbar-badge';

const site = (over: Partial<ToolbarBadgeSite> = {}): ToolbarBadgeSite => ({
  siteName: 'acme',
  counts: { ...emptyCounts(), review: 120, flagged: 7, unattributed: 5, should_revoke: 2, revoke_overdue: 1 },
  status: 'connected',
  lastError: null,
  syncing: false,
  ...over,
});

describe('toolbarBadge', () => {
  it('no connected site on the tab: no badge', () => {
    expect(toolbarBadge({ sites: [], reviewDue: false })).toEqual({ text: '', title: 'Access Lens', color: BADGE_COLORS.neutral });
  });

  it('the number of accounts needing action, red when someone should be revoked', () => {
    expect(toolbarBadge({ sites: [site()], reviewDue: false })).toEqual({
      text: '7',
      title: 'Access Lens\nacme: 7 accounts need action (2 should be revoked)',
      color: BADGE_COLORS.revoke,
    });
  });

  it('amber when only other flags, nothing when nothing is flagged', () => {
    const amber = toolbarBadge({ sites: [site({ counts: { ...emptyCounts(), review: 3, flagged: 1, unattributed: 1 } })], reviewDue: false });
    expect(amber).toEqual({ text: '1', title: 'Access Lens\nacme: 1 account needs action', color: BADGE_COLORS.attention });
    const none = toolbarBadge({ sites: [site({ counts: { ...emptyCounts(), review: 3 } })], reviewDue: false });
    expect(none).toEqual({ text: '', title: 'Access Lens\nacme: no account needs action', color: BADGE_COLORS.neutral });
  });

  it('a review due adds "!" to the count, or shows "!" alone', () => {
    expect(toolbarBadge({ sites: [site()], reviewDue: true }).text).toBe('7!');
    const due = toolbarBadge({ sites: [site({ counts: { ...emptyCounts(), review: 3 } })], reviewDue: true });
    expect(due).toEqual({ text: '!', title: 'Access Lens\nacme: no account needs action\nAn access review is due', color: BADGE_COLORS.due });
    // Even on a tab with no site, the hint stays.
    expect(toolbarBadge({ sites: [], reviewDue: true }).text).toBe('!');
  });

  it('adds up every site of admin.atlassian.com and names each', () => {
    const b = toolbarBadge({ sites: [site(), site({ siteName: 'labs', counts: { ...emptyCounts(), flagged: 1200, unattributed: 1200 } })], reviewDue: false });
    expect(b.text).toBe('1.2k');
    expect(b.title.split('\n')).toEqual(['Access Lens', 'acme: 7 accounts need action (2 should be revoked)', 'labs: 1,200 accounts need action']);
  });

  it('says when a site is syncing, never synced, disconnected or failing', () => {
    expect(toolbarBadge({ sites: [site({ counts: null, syncing: true })], reviewDue: false })).toMatchObject({ text: '…', title: 'Access Lens\nacme: first sync running' });
    expect(toolbarBadge({ sites: [site({ counts: null })], reviewDue: false })).toMatchObject({ text: '', title: 'Access Lens\nacme: not synced yet' });
    expect(toolbarBadge({ sites: [site({ status: 'disconnected' })], reviewDue: false }).title).toMatch(/, disconnected$/);
    expect(toolbarBadge({ sites: [site({ lastError: 'boom', syncing: true })], reviewDue: false }).title).toMatch(/, syncing, last sync failed$/);
  });
});

describe('compactCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1k'],
    [1249, '1.2k'],
    [9999, '9.9k'],
    [12_345, '12k'],
    [100_000, '100k'],
    [2_500_000, '2M'],
  ])('%i → %s', (n, text) => expect(compactCount(n)).toBe(text));
});
