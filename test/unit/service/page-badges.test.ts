// @vitest-environment node
/**
 * The content script's two requests (security review findings 2 and 5): the page is the
 * browser-stamped sender URL, never the message; a site page hears only about its own site,
 * admin.atlassian.com about the connected sites; a badge carries its label and explanation and
 * nothing else about the person.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PageBadgesResponse } from '../../../lib/messages';
import type { ReviewRow } from '../../../lib/model';
import type { SenderInfo } from '../../../lib/service/sender';
import { ACME, EXTENSION_ID, startHarness, type Harness } from './harness';

let h: Harness;
let rows: ReviewRow[];
let flagged: ReviewRow;
let unflaggedId: string;

const content = (url: string, tab = 7, windowId = 2): SenderInfo => ({ id: EXTENSION_ID, url, tab: { id: tab, url, windowId } });
const ACME_PAGE = `${ACME}/wiki/spaces/ENG/pages/1/Team`;

async function badges(sender: SenderInfo, accountIds: string[], extra: Record<string, unknown> = {}): Promise<PageBadgesResponse> {
  const answer = (await h.dispatch({ type: 'pageBadges', accountIds, ...extra }, sender)) as PageBadgesResponse | { error: string };
  if ('error' in answer) throw new Error(answer.error);
  return answer;
}

beforeAll(async () => {
  h = await startHarness();
  await h.connectApiToken();
  const all = h.fake.state.site('acme').site.groups.filter((g) => g.name.startsWith('confluence-')).map((g) => g.id);
  await h.selectAndSync(ACME, all);
  rows = await h.rows(ACME);
  // No roster: every active account in the review is unattributed; a filtered one has no flag.
  flagged = rows.find((r) => r.flags.some((f) => f.flag === 'unattributed'))!;
  unflaggedId = rows.find((r) => r.account.filteredReason !== null)!.account.accountId;
});
afterEach(() => {
  expect(h.leakedSecrets()).toEqual([]);
});
afterAll(() => h.close());

describe('pageBadges', () => {
  it('gives a flagged account its label and explanation, and nothing else', async () => {
    const answer = await badges(content(ACME_PAGE), [flagged.account.accountId, unflaggedId]);
    expect(answer.badges).toHaveLength(1);
    const badge = answer.badges[0]!;
    expect(Object.keys(badge).sort()).toEqual(['accountId', 'flags', 'label', 'title']);
    expect(badge.accountId).toBe(flagged.account.accountId);
    expect(badge.label).toBe('Access Lens: Unattributed');
    expect(badge.flags).toEqual(['Unattributed']);
    expect(badge.title).toBe('Active account with no roster person, not marked External or Service');
    // No email, group, role or roster field of the person travels.
    const text = JSON.stringify(answer);
    for (const secret of [flagged.account.email, flagged.account.displayName, ...flagged.account.groups.map((g) => g.name)]) {
      if (secret) expect(text).not.toContain(secret);
    }
  });

  it('orders labels most severe first and joins them with ", "', async () => {
    const leaver = rows.find((r) => r.account.filteredReason === null && r.flags.length === 1)!;
    await h.ok({ type: 'importRoster', fileName: 'hr.csv', people: [
      { id: 'email:x', name: leaver.account.displayName, workEmail: leaver.account.email ?? 'nobody@acme.test', altEmails: [], status: 'Terminated', statusTerminated: true, endDate: '2020-01-01', startDate: null, employeeType: null, department: 'Secret department', manager: 'Secret Manager', row: 2 },
    ] });
    await h.service.idle();
    const [badge] = (await badges(content(ACME_PAGE), [leaver.account.accountId])).badges;
    expect(badge?.label).toMatch(/^Access Lens: Should revoke, Revoke overdue(, Needs confirmation)?$/);
    expect(badge?.title).toContain('has left');
    expect(JSON.stringify(badge)).not.toMatch(/Secret (department|Manager)/);
    await h.ok({ type: 'importRoster', fileName: 'empty.csv', people: [] });
    await h.service.idle();
  });

  it('answers a page of another site, connected or not, about nothing', async () => {
    for (const url of ['https://acme-labs.atlassian.net/wiki/home', 'https://globex.atlassian.net/wiki/people/x']) {
      expect((await badges(content(url), [flagged.account.accountId])).badges).toEqual([]);
    }
  });

  it('takes the page from the sender, not from the message', async () => {
    const answer = await badges(content('https://globex.atlassian.net/wiki/home'), [flagged.account.accountId], { url: ACME_PAGE, site: ACME });
    expect(answer.badges).toEqual([]);
  });

  it('answers admin.atlassian.com about the connected sites', async () => {
    const answer = await badges(content('https://admin.atlassian.com/o/org-1/users'), [flagged.account.accountId]);
    expect(answer.badges.map((b) => b.label)).toEqual(['Access Lens: Unattributed']);
  });

  it('is refused to extension pages and limited to 500 accounts', async () => {
    expect(await h.ask({ type: 'pageBadges', accountIds: [flagged.account.accountId] } as never)).toEqual({
      error: 'Refused: extension pages may not send "pageBadges"',
    });
    const many = Array.from({ length: 501 }, (_, i) => `5b10ac8d82e05b22cc7d${String(i).padStart(4, '0')}`);
    expect(await h.dispatch({ type: 'pageBadges', accountIds: many }, content(ACME_PAGE))).toMatchObject({ error: expect.stringMatching(/^Invalid request: accountIds/) });
  });
});

describe('openPanel and the side panel focus', () => {
  it('opens the side panel of the sender\'s tab and leaves the account for the panel of its window', async () => {
    const answer = await h.dispatch({ type: 'openPanel', accountId: flagged.account.accountId }, content(ACME_PAGE, 9, 4));
    expect(answer).toEqual({ opened: true });
    expect(h.openedPanels.at(-1)).toEqual({ tabId: 9, windowId: 4 });
    expect(h.broadcasts.at(-1)).toEqual({ type: 'panelFocus', windowId: 4, focus: { site: ACME, accountId: flagged.account.accountId } });
    expect(await h.ok({ type: 'takePanelFocus', windowId: 4 })).toEqual({ focus: { site: ACME, accountId: flagged.account.accountId } });
    // Taken once.
    expect(await h.ok({ type: 'takePanelFocus', windowId: 4 })).toEqual({ focus: null });
  });

  it('without a user gesture the panel stays closed but still shows the account when opened', async () => {
    h.setPanelGesture(false);
    try {
      expect(await h.dispatch({ type: 'openPanel', accountId: flagged.account.accountId }, content(ACME_PAGE, 9, 5))).toEqual({ opened: false });
      expect(await h.ok({ type: 'takePanelFocus', windowId: 5 })).toEqual({ focus: { site: ACME, accountId: flagged.account.accountId } });
    } finally {
      h.setPanelGesture(true);
    }
  });

  it('does nothing for an account of another site', async () => {
    const before = h.openedPanels.length;
    expect(await h.dispatch({ type: 'openPanel', accountId: flagged.account.accountId }, content('https://globex.atlassian.net/wiki/home', 9, 6))).toEqual({ opened: false });
    expect(h.openedPanels.length).toBe(before);
    expect(await h.ok({ type: 'takePanelFocus', windowId: 6 })).toEqual({ focus: null });
  });

  it('the popup focuses a site for the panel it opens', async () => {
    await h.ok({ type: 'focusPanel', site: ACME, windowId: 8 });
    expect(await h.ok({ type: 'takePanelFocus', windowId: 8 })).toEqual({ focus: { site: ACME, accountId: null } });
    expect(await h.ask({ type: 'focusPanel', site: 'https://globex.atlassian.net', windowId: 8 })).toEqual({ error: 'https://globex.atlassian.net is not connected.' });
  });
});

describe('toolbar badge', () => {
  it('shows the flagged count of the tab\'s site, nothing on other tabs, and follows changes', async () => {
    const counts = (await h.ok({ type: 'getState' })).sites[0]!.counts!;
    await h.service.tabChanged(21, ACME_PAGE);
    await h.service.tabChanged(22, 'https://example.com/');
    await h.service.tabChanged(23, 'https://admin.atlassian.com/o/org-1/users');
    const last = (tabId: number) => h.toolbarBadges.filter((b) => b.tabId === tabId).at(-1)!.badge;
    // The site was synced but never reviewed, so an access review is due: the count gets a "!".
    const due = (n: number) => `${n}!`;
    expect(last(21).text).toBe(due(counts.flagged));
    expect(last(21).title).toContain(`${counts.flagged} accounts need action`);
    expect(last(21).title).toContain('An access review is due');
    expect(last(22)).toEqual({ text: '', title: 'Access Lens', color: '#5e6c84' });
    expect(last(23).text).toBe(due(counts.flagged));

    // Marking one account Service takes it out of the count, on the next stateChanged.
    await h.ok({ type: 'setMark', site: ACME, accountId: flagged.account.accountId, mark: { kind: 'service', reason: 'robot' } });
    await h.service.idle();
    expect(last(21).text).toBe(due(counts.flagged - 1));
    await h.ok({ type: 'setMark', site: ACME, accountId: flagged.account.accountId, mark: null });
    await h.service.idle();
    expect(last(21).text).toBe(due(counts.flagged));
  });
});
