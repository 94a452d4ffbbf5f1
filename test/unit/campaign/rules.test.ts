import { describe, expect, it } from 'vitest';
import { checkDecision, completionError, isReviewDue, lockError, noteRule, remediationDone, remediationItems, remediationStatus } from '../../../lib/campaign/rules';
import type { DecisionRecord, RemediationItem } from '../../../lib/campaign/types';
import { REVIEWER, account, campaign, sampleRows } from './fixtures';

const AT = '2025-03-10T10:00:00.000Z';
const [ada, admin, bot, lee] = (() => {
  const byId = new Map(sampleRows().map((r) => [r.account.accountId, r]));
  return [byId.get('ada')!, byId.get('admin-1')!, byId.get('bot')!, byId.get('lee')!];
})();

describe('note rules', () => {
  it('an unflagged Keep needs no note; Revoke and Modify access always do', () => {
    expect(ada.flags).toEqual([]);
    expect(checkDecision({ decision: 'keep', note: '', removeFromGroupIds: [] }, ada, REVIEWER, AT)).toMatchObject({ ok: true, value: { decision: 'keep', note: '' } });
    expect(checkDecision({ decision: 'revoke', note: '  ', removeFromGroupIds: [] }, ada, REVIEWER, AT)).toEqual({ ok: false, error: 'A note is required to revoke access.' });
    expect(checkDecision({ decision: 'modify', note: '', removeFromGroupIds: ['g2'] }, ada, REVIEWER, AT)).toEqual({ ok: false, error: 'A note is required to modify access.' });
  });

  it('Keep on a flagged account needs a note that names the flags', () => {
    expect(lee.flags.map((f) => f.flag)).toContain('should_revoke');
    const refused = checkDecision({ decision: 'keep', note: '', removeFromGroupIds: [] }, lee, REVIEWER, AT);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/^A note is required to keep a flagged account \(.*Should revoke.*\)\.$/);
    expect(checkDecision({ decision: 'keep', note: 'Contractor until April, approved by CISO', removeFromGroupIds: [] }, lee, REVIEWER, AT)).toMatchObject({
      ok: true,
      value: { decision: 'keep', note: 'Contractor until April, approved by CISO', decidedBy: REVIEWER, decidedAt: AT },
    });
  });

  it('any decision on the reviewer’s own account needs a note (self-review)', () => {
    expect(admin.flags).toEqual([]);
    for (const decision of ['keep', 'revoke', 'modify'] as const) {
      expect(noteRule(decision, admin, REVIEWER)).toMatch(/own account/);
      const r = checkDecision({ decision, note: '', removeFromGroupIds: ['g1'] }, admin, REVIEWER, AT);
      expect(r).toEqual({ ok: false, error: 'A note is required for any decision on your own account (self-review is an audit finding).' });
    }
    expect(checkDecision({ decision: 'keep', note: 'Reviewed by the CISO', removeFromGroupIds: [] }, admin, REVIEWER, AT).ok).toBe(true);
    // Someone else reviewing the same account needs no note for an unflagged Keep.
    expect(noteRule('keep', admin, { name: 'Other', accountId: 'other' })).toBe('');
  });

  it('Modify access needs at least one of the account’s own groups', () => {
    expect(checkDecision({ decision: 'modify', note: 'Least privilege', removeFromGroupIds: [] }, ada, REVIEWER, AT)).toEqual({
      ok: false,
      error: 'Choose at least one group to remove the account from.',
    });
    expect(checkDecision({ decision: 'modify', note: 'Least privilege', removeFromGroupIds: ['g9'] }, ada, REVIEWER, AT)).toMatchObject({ ok: false });
    expect(checkDecision({ decision: 'modify', note: 'Least privilege', removeFromGroupIds: ['g2'] }, ada, REVIEWER, AT)).toMatchObject({
      ok: true,
      value: { removeFromGroups: [{ id: 'g2', name: 'confluence-admins' }] },
    });
    // The groups to leave are recorded only for Modify access.
    expect(checkDecision({ decision: 'revoke', note: 'Left', removeFromGroupIds: ['g2'] }, ada, REVIEWER, AT)).toMatchObject({ ok: true, value: { removeFromGroups: [] } });
  });

  it('a filtered-out account takes no decision', () => {
    expect(checkDecision({ decision: 'keep', note: 'x', removeFromGroupIds: [] }, bot, REVIEWER, AT)).toMatchObject({ ok: false, error: expect.stringMatching(/filtered out/) });
  });
});

describe('lock rules', () => {
  it('an open review may change; a completed one refuses everything', () => {
    expect(lockError(campaign())).toBeNull();
    expect(lockError(campaign({ status: 'completed', completedAt: '2025-03-11T00:00:00.000Z' }))).toBe(
      'This review was completed at 2025-03-11T00:00:00.000Z and is locked: nothing in it can change.',
    );
  });

  it('completion needs a decision on every in-review account', () => {
    expect(completionError(2, 3)).toBe('1 of 3 accounts have no decision yet.');
    expect(completionError(3, 3)).toBeNull();
    expect(completionError(0, 0)).toBeNull();
  });
});

describe('remediation rules', () => {
  const decided = (accountId: string, decision: DecisionRecord['decision'], groups: DecisionRecord['removeFromGroups'] = []): DecisionRecord => ({
    accountId, decision, note: 'n', removeFromGroups: groups, decidedBy: REVIEWER, decidedAt: AT,
  });
  const decisions = new Map([
    ['ada', decided('ada', 'modify', [{ id: 'g2', name: 'confluence-admins' }])],
    ['lee', decided('lee', 'revoke')],
    ['admin-1', decided('admin-1', 'keep')],
  ]);
  const items = remediationItems(sampleRows(), decisions);
  const item = (id: string) => items.find((i) => i.accountId === id) as RemediationItem;
  const all = new Set(['g1', 'g2']);

  it('every Revoke and Modify access becomes an item, Keep does not', () => {
    expect(items.map((i) => [i.accountId, i.decision, i.groups.map((g) => g.id)])).toEqual([
      ['ada', 'modify', ['g2']],
      ['lee', 'revoke', ['g1']],
    ]);
    expect(items.every((i) => i.verifiedAt === null)).toBe(true);
  });

  it('Revoke is done when the account is in no monitored group any more, or deactivated', () => {
    expect(remediationDone(item('lee'), lee.account, all)).toBe(false);
    expect(remediationDone(item('lee'), undefined, all)).toBe(true);
    expect(remediationDone(item('lee'), account({ accountId: 'lee', status: 'inactive', groups: [{ id: 'g1', name: 'confluence-users' }] }), all)).toBe(true);
    // Its group was not read by that sync (no longer monitored): absence proves nothing.
    expect(remediationDone(item('lee'), undefined, new Set(['g2']))).toBe(false);
  });

  it('Modify access is done when the account is in none of the groups it was to leave', () => {
    expect(remediationDone(item('ada'), ada.account, all)).toBe(false);
    expect(remediationDone(item('ada'), account({ accountId: 'ada', groups: [{ id: 'g1', name: 'confluence-users' }] }), all)).toBe(true);
    expect(remediationDone(item('ada'), undefined, all)).toBe(true);
  });

  it('pending turns overdue after the due days; verified stays verified', () => {
    const completed = '2025-03-10T00:00:00.000Z';
    expect(remediationStatus(item('lee'), completed, 14, new Date('2025-03-24T00:00:00.000Z'))).toBe('pending');
    expect(remediationStatus(item('lee'), completed, 14, new Date('2025-03-24T00:00:01.000Z'))).toBe('overdue');
    expect(remediationStatus({ ...item('lee'), verifiedAt: '2025-04-01T00:00:00.000Z' }, completed, 14, new Date('2025-05-01'))).toBe('verified');
  });
});

describe('cadence', () => {
  const now = new Date('2025-06-30T00:00:00.000Z');
  it('a synced site with no completed review is due; an unsynced one is not', () => {
    expect(isReviewDue({ synced: true, lastCompletedAt: null, reviewEveryDays: 90, now })).toBe(true);
    expect(isReviewDue({ synced: false, lastCompletedAt: null, reviewEveryDays: 90, now })).toBe(false);
  });
  it('due once the last completed review is older than the cadence', () => {
    // 1 April → 30 June is exactly 90 days: not older than 90, older than 89.
    expect(isReviewDue({ synced: true, lastCompletedAt: '2025-04-01T00:00:00.000Z', reviewEveryDays: 90, now })).toBe(false);
    expect(isReviewDue({ synced: true, lastCompletedAt: '2025-04-01T00:00:00.000Z', reviewEveryDays: 89, now })).toBe(true);
    expect(isReviewDue({ synced: true, lastCompletedAt: '2025-03-31T23:59:59.000Z', reviewEveryDays: 91, now })).toBe(false);
    expect(isReviewDue({ synced: true, lastCompletedAt: '2025-03-31T23:59:59.000Z', reviewEveryDays: 90, now })).toBe(true);
  });
});
