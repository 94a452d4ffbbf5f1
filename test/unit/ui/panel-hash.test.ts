import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatPanelHash, parsePanelHash } from '@/components/panelHash';

describe('the side panel view in the URL hash', () => {
  it('round-trips a view, leaving defaults out', () => {
    const view = { site: 'https://acme.atlassian.net', filter: 'should_revoke' as const, search: 'ada & co', sort: 'name' as const, group: 'confluence-admins' };
    const hash = formatPanelHash(view);
    expect(hash).toBe('#site=https%3A%2F%2Facme.atlassian.net&filter=should_revoke&q=ada+%26+co&sort=name&group=confluence-admins');
    expect(parsePanelHash(hash)).toEqual(view);
    expect(formatPanelHash(DEFAULT_VIEW)).toBe('');
    expect(parsePanelHash('')).toEqual(DEFAULT_VIEW);
  });

  it('falls back to defaults for unknown or malformed values', () => {
    expect(parsePanelHash('#filter=constructor&sort=__proto__&site=https://evil.example&q=' + 'x'.repeat(321))).toEqual(DEFAULT_VIEW);
    expect(parsePanelHash('#group=%20%20').group).toBeNull();
  });
});
