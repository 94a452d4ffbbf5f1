/** The access review in the side panel, against a fake background (issue 9). */
import { afterEach, describe, expect, it } from 'vitest';
import { SidePanelApp } from '@/entrypoints/sidepanel/App';
import type { ActiveTabWatcher } from '@/components/activeTab';
import type { CampaignAccount, CampaignSummary } from '@/lib/campaign/types';
import type { Request } from '@/lib/messages';
import { click, fakeBackground, getByRole, mount, queryByRole, resetFakes, text, typeInto, unmount } from './dom';
import { account, reviewHandlers, row, site, state, SITE } from './fixtures';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
});

const noTab: ActiveTabWatcher = () => () => {};
const REVIEWER = { name: 'Avery Admin', accountId: 'admin-1' };
const ROWS = [
  row({ account: account({ accountId: 'a1', displayName: 'Ada Lovelace', groups: [{ id: 'g1', name: 'confluence-users' }, { id: 'g2', name: 'confluence-admins' }] }) }),
  row({ account: account({ accountId: 'a2', displayName: 'Lee Park' }), flags: [{ flag: 'should_revoke', explanation: 'Lee left' }] }),
];

function summary(overrides: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    id: 'review-1', status: 'open', startedAt: '2026-11-27T15:00:00Z', completedAt: null, frozenAt: '2026-11-27T15:00:00Z', syncedAt: '2026-11-27T14:03:00Z',
    reviewer: REVIEWER, inReview: 2, accounts: 2, decided: 1, signOff: null, seal: null, hasPrevious: false, diff: null,
    remediation: { pending: 0, overdue: 0, verified: 0 }, newerSync: false, ...overrides,
  };
}

function reviewAccount(accountId: string): CampaignAccount {
  const r = ROWS.find((x) => x.account.accountId === accountId)!;
  return {
    row: r, decision: null, diff: null, self: false, remediation: null, locked: false,
    noteRules: { keep: r.flags.length > 0 ? 'A note is required to keep a flagged account (Should revoke).' : '', revoke: 'A note is required to revoke access.', modify: 'A note is required to modify access.' },
  };
}

const openState = state({ sites: [site({ review: { open: { id: 'review-1', startedAt: '2026-11-27T15:00:00Z' }, lastCompletedAt: null, reviewDue: true, remediation: { pending: 0, overdue: 0, verified: 0 } } })] });
const live = reviewHandlers({ site: SITE, rows: ROWS, people: [], lastSyncedAt: '2026-11-27T14:03:00' });

function campaignHandlers(decide: (req: Extract<Request, { type: 'decide' }>) => unknown) {
  return {
    getState: openState,
    getCampaign: { summary: summary() },
    queryCampaign: (req: Extract<Request, { type: 'queryCampaign' }>) => ({ ...live.queryReview({ ...req, type: 'queryReview' }), reviewId: 'review-1' }),
    getReviewAccount: (req: Extract<Request, { type: 'getReviewAccount' }>) => ({ account: reviewAccount(req.accountId) }),
    decide,
  };
}

async function open(name: string) {
  const button = [...root!.querySelectorAll<HTMLButtonElement>('button.account')].find((b) => text(b.querySelector('.name')!) === name)!;
  await click(button);
}

describe('an open review in the side panel', () => {
  it('lists the frozen review, offers its filters and shows the progress', async () => {
    const bg = fakeBackground(campaignHandlers(() => ({ error: 'unused' })));
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(bg.of('queryCampaign').length).toBeGreaterThan(0);
    expect(bg.of('queryReview')).toEqual([]);
    expect(text(root.querySelector('[data-testid="review-progress"]')!)).toBe('1 of 2 decided');
    const labels = [...getByRole<HTMLSelectElement>(root, 'combobox', 'Show').options].map((o) => o.text);
    expect(labels.slice(-2)).toEqual(['Undecided', 'New since last review']);
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Complete review').disabled).toBe(true);
    expect(queryByRole(root, 'button', 'Refresh snapshot')).not.toBeNull();
  });

  it('sends a decision with the note; shows a refusal as an alert', async () => {
    const bg = fakeBackground(campaignHandlers((req) => ((req.note ?? '').trim() === '' ? { error: 'A note is required to revoke access.' } : { decision: null })));
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await open('Lee Park');
    expect(text(root.querySelector('[data-testid="decision-status"]')!)).toBe('Undecided');
    await click(getByRole(root, 'button', 'Revoke'));
    expect(text(root.querySelector('[role="alert"]')!)).toContain('A note is required to revoke access.');
    await typeInto(getByRole(root, 'textbox', 'Decision note'), 'Left in January');
    await click(getByRole(root, 'button', 'Revoke'));
    expect(bg.of('decide')).toEqual([
      { type: 'decide', site: SITE, accountId: 'a2', decision: 'revoke', note: '', removeFromGroupIds: [] },
      { type: 'decide', site: SITE, accountId: 'a2', decision: 'revoke', note: 'Left in January', removeFromGroupIds: [] },
    ]);
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });

  it('Modify access asks which groups to leave and sends them with "Confirm modification"', async () => {
    const bg = fakeBackground(campaignHandlers(() => ({ decision: null })));
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await open('Ada Lovelace');
    await click(getByRole(root, 'button', 'Modify access'));
    expect(queryByRole(root, 'checkbox', 'Remove from confluence-users')).not.toBeNull();
    await click(getByRole(root, 'checkbox', 'Remove from confluence-admins'));
    await typeInto(getByRole(root, 'textbox', 'Decision note'), 'Least privilege');
    await click(getByRole(root, 'button', 'Confirm modification'));
    expect(bg.of('decide')).toEqual([{ type: 'decide', site: SITE, accountId: 'a1', decision: 'modify', note: 'Least privilege', removeFromGroupIds: ['g2'] }]);
  });
});
