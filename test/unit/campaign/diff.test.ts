import { describe, expect, it } from 'vitest';
import { diffIndex, diffReviews } from '../../../lib/campaign/diff';
import { CampaignModel } from '../../../lib/campaign/model';
import type { OwnerMark } from '../../../lib/model';
import { account, campaign, rows, sampleRows, REVIEWER } from './fixtures';

describe('diff against the previous completed review', () => {
  const previous = sampleRows();
  const prev = { id: 'review-0', completedAt: '2025-01-01T00:00:00.000Z', rows: previous };

  it('tags new, removed, changed (with the fields) and unchanged accounts', () => {
    const current = rows(
      [
        // groups changed
        account({ accountId: 'ada', displayName: 'Ada Lovelace', email: 'ada@acme.com', emailSource: 'confluence', groups: [{ id: 'g1', name: 'confluence-users' }] }),
        // role changed, and no longer a leaver? no: still a leaver (flags unchanged)
        account({ accountId: 'lee', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'confluence', role: 'admin' }),
        // unchanged
        account({ accountId: 'admin-1', displayName: 'Avery Admin', email: 'avery@acme.com', emailSource: 'confluence' }),
        // new
        account({ accountId: 'zed', displayName: 'Zed New' }),
      ],
    );
    const diff = diffReviews(prev, current);
    expect(diff.previousReviewId).toBe('review-0');
    expect(diff.added).toEqual(['zed']);
    expect(diff.removed).toEqual(['bot']);
    expect(diff.removedNames).toEqual({ bot: 'Build Bot' });
    expect(diff.changed).toEqual([
      { accountId: 'ada', fields: ['groups'] },
      { accountId: 'lee', fields: ['role'] },
    ]);
    const tag = diffIndex(diff);
    expect(tag('zed')).toEqual({ tag: 'new', fields: [] });
    expect(tag('ada')).toEqual({ tag: 'changed', fields: ['groups'] });
    expect(tag('admin-1')).toEqual({ tag: 'unchanged', fields: [] });
    expect(diffIndex(null)('ada')).toBeNull();
  });

  it('owner and flags are compared too; group order does not matter', () => {
    const service: OwnerMark = { kind: 'service', reason: 'CI robot', at: '2025-03-01T00:00:00.000Z' };
    const current = rows(
      [
        account({ accountId: 'ada', displayName: 'Ada Lovelace', email: 'ada@acme.com', emailSource: 'confluence', groups: [{ id: 'g2', name: 'confluence-admins' }, { id: 'g1', name: 'confluence-users' }] }),
        account({ accountId: 'lee', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'confluence' }),
        account({ accountId: 'admin-1', displayName: 'Avery Admin', email: 'avery@acme.com', emailSource: 'confluence' }),
        account({ accountId: 'bot', displayName: 'Build Bot', accountType: 'app', filteredReason: 'app', filteredDetail: 'App account (accountType "app")' }),
      ],
      undefined,
      new Map([['lee', service]]),
    );
    const diff = diffReviews(prev, current);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    // Marked as a service account: the owner changes and the leaver's flags go away.
    expect(diff.changed).toEqual([{ accountId: 'lee', fields: ['owner', 'flags'] }]);
  });

  it('the review model filters "New since last review" and "Undecided"', () => {
    const current = [...sampleRows(), ...rows([account({ accountId: 'zed', displayName: 'Zed New' })])];
    const c = campaign({ inReview: 4, accounts: 5, diff: diffReviews(prev, current) });
    const m = new CampaignModel(c, current, []);
    const names = (filter: 'new' | 'undecided' | 'review') => m.query({ filter, search: '', sort: 'name', offset: 0, limit: 50 }).rows.map((r) => r.account.accountId);
    expect(names('new')).toEqual(['zed']);
    expect(names('undecided').sort()).toEqual(['ada', 'admin-1', 'lee', 'zed']);
    m.setDecisions([{ accountId: 'ada', decision: 'keep', note: '', removeFromGroups: [], decidedBy: REVIEWER, decidedAt: 'x' }]);
    expect(names('undecided').sort()).toEqual(['admin-1', 'lee', 'zed']);
    expect(m.decided).toBe(1);
    const counts = m.query({ filter: 'review', search: '', sort: 'name', offset: 0, limit: 0 }).counts;
    expect(counts).toMatchObject({ review: 4, undecided: 3, new: 1, filtered: 1 });
  });
});
