import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidePanelApp } from '@/entrypoints/sidepanel/App';
import type { ActiveTabWatcher } from '@/components/activeTab';
import { EXPORT_COLUMNS } from '@/lib/review/export';
import { act } from 'preact/test-utils';
import { choose, click, fakeBackground, getByRole, mount, queryByRole, resetFakes, settle, text, typeInto, unmount } from './dom';
import { account, person, reviewHandlers, row, site, state, SITE, type ReviewFixture } from './fixtures';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
  // The panel keeps its view in the URL hash; each test starts from the plain view.
  history.replaceState(null, '', location.pathname);
});

const ada = person();
const grace = person({ id: 'email:grace@acme.com', name: 'Grace Hopper', workEmail: 'grace@acme.com', endDate: '2026-01-31', row: 3 });

const ROWS = [
  row({
    account: account(),
    match: { rule: 'email', personId: ada.id, confirmed: true, candidates: [], explanation: 'Work email matches' },
    person: ada,
    ownerType: 'person',
  }),
  row({
    account: account({ accountId: '557058:f6688130-1234-4abc-9def-0123456789ab', displayName: 'Grace H', email: null, emailSource: 'none', role: 'admin' }),
    match: { rule: 'name', personId: grace.id, confirmed: false, candidates: [], explanation: 'Display name matches Grace Hopper' },
    person: grace,
    ownerType: 'person',
    flags: [
      { flag: 'needs_confirmation', explanation: 'Matched by name only' },
      { flag: 'should_revoke', explanation: 'Grace Hopper left on 2026-01-31' },
    ],
  }),
  row({
    account: account({ accountId: '5b10ac8d82e05b22cc7d4ef6', displayName: 'Mystery Guest', email: 'x@partner.com', isGuest: true, role: 'admin' }),
    flags: [
      { flag: 'unattributed', explanation: 'No person in the roster' },
      { flag: 'privileged_guest', explanation: 'Guest with admin role' },
    ],
  }),
  row({
    account: account({
      accountId: '5b10ac8d82e05b22cc7d4ef7',
      displayName: 'Jira Bot',
      accountType: 'app',
      filteredReason: 'app',
      filteredDetail: 'App account (accountType "app")',
    }),
  }),
];

function review(overrides: Partial<ReviewFixture> = {}) {
  return reviewHandlers({ site: SITE, rows: ROWS, people: [ada, grace], lastSyncedAt: '2026-11-27T14:03:00', ...overrides });
}

const noTab: ActiveTabWatcher = () => () => {};

/** The text of the <dd> that follows the <dt> with this label. */
function fact(root: HTMLElement, label: string): string {
  const dt = [...root.querySelectorAll('dl.facts dt')].find((d) => text(d) === label);
  if (!dt?.nextElementSibling) throw new Error(`no fact ${label}`);
  return text(dt.nextElementSibling);
}

function listedNames(root: HTMLElement): string[] {
  return [...root.querySelectorAll('ul[aria-label="Accounts"] .name')].map((n) => text(n));
}

describe('side panel list', () => {
  it('lists accounts in review with email or "email hidden", role, groups and flag badges', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(listedNames(root).sort()).toEqual(['Ada Lovelace', 'Grace H', 'Mystery Guest']);
    const items = [...root.querySelectorAll('ul[aria-label="Accounts"] li')].map((li) => text(li));
    expect(items.find((t) => t.startsWith('Grace H'))).toBe('Grace H email hidden · Admin · 1 group Needs confirmation Should revoke');
  });

  it('filters with "Show" and searches', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    const show = getByRole(root, 'combobox', 'Show');
    const expectations: [string, string[]][] = [
      ['flagged', ['Grace H', 'Mystery Guest']],
      ['unattributed', ['Mystery Guest']],
      ['should_revoke', ['Grace H']],
      ['needs_confirmation', ['Grace H']],
      ['privileged_guest', ['Mystery Guest']],
      ['filtered', ['Jira Bot']],
    ];
    for (const [value, names] of expectations) {
      await choose(show, value);
      expect(listedNames(root).sort(), value).toEqual(names);
    }
    await choose(show, 'review');
    await typeInto(getByRole(root, 'textbox', 'Search accounts'), 'ADA@acme');
    expect(listedNames(root)).toEqual(['Ada Lovelace']);
  });

  it('has the ten "Show" options', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    const labels = [...getByRole<HTMLSelectElement>(root, 'combobox', 'Show').options].map((o) => o.text);
    expect(labels).toEqual([
      'All in review',
      'Flagged',
      'Unattributed',
      'Should revoke',
      'Revoke overdue',
      'Needs confirmation',
      'Privileged guests',
      'Admins without 2SV',
      'Dormant',
      'Filtered out',
    ]);
  });
});

async function openDetail(name: string) {
  const button = [...root!.querySelectorAll<HTMLButtonElement>('button.account')].find((b) => text(b.querySelector('.name')!) === name);
  if (!button) throw new Error(`no account ${name}`);
  await click(button);
}

describe('account detail and owner actions', () => {
  it('shows the detail with match, person and flag explanations', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Grace H');
    expect(fact(root, 'Account id')).toBe('557058:f6688130-1234-4abc-9def-0123456789ab');
    expect(fact(root, 'Email')).toBe('email hidden');
    expect(fact(root, 'Role')).toBe('Admin');
    expect(fact(root, 'Groups')).toBe('confluence-users');
    expect(fact(root, 'Match')).toBe('Name match — Display name matches Grace Hopper');
    expect(fact(root, 'Person')).toBe('Grace Hopper · grace@acme.com · Active · ends 2026-01-31');
    const flags = [...root.querySelectorAll('ul[aria-label="Flags"] li')].map((li) => text(li));
    expect(flags).toEqual(['Needs confirmation Matched by name only', 'Should revoke Grace Hopper left on 2026-01-31']);
    expect(queryByRole(root, 'button', 'Clear mark')).toBeNull();
  });

  it('shows the filtered reason for a filtered account', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await choose(getByRole(root, 'combobox', 'Show'), 'filtered');
    await openDetail('Jira Bot');
    expect(fact(root, 'Filtered out')).toBe('App account (accountType "app")');
  });

  it('"Confirm match" and "Unlink" send the matched person id; the page reloads once per change, on the broadcast', async () => {
    const bg = fakeBackground({ getState: state(), ...review(), setMark: { mark: null } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Grace H');
    const reviewsBefore = bg.of('queryReview').length;
    const accountsBefore = bg.of('getAccount').length;
    await click(getByRole(root, 'button', 'Confirm match'));
    await click(getByRole(root, 'button', 'Unlink'));
    expect(bg.of('setMark')).toEqual([
      { type: 'setMark', site: SITE, accountId: '557058:f6688130-1234-4abc-9def-0123456789ab', mark: { kind: 'confirm', personId: grace.id } },
      { type: 'setMark', site: SITE, accountId: '557058:f6688130-1234-4abc-9def-0123456789ab', mark: { kind: 'unlink', personId: grace.id } },
    ]);
    // Answers do not reload the page; the background's broadcast of each change does, once.
    expect(bg.of('queryReview').length).toBe(reviewsBefore);
    expect(bg.of('getAccount').length).toBe(accountsBefore);
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    expect(bg.of('queryReview').length).toBe(reviewsBefore + 2);
    expect(bg.of('getAccount').length).toBe(accountsBefore + 2);
  });

  it('no "Confirm match" or "Unlink" without a match', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Mystery Guest');
    expect(queryByRole(root, 'button', 'Confirm match')).toBeNull();
    expect(queryByRole(root, 'button', 'Unlink')).toBeNull();
  });

  it('"Link to person": choose from the roster, then "Save link"', async () => {
    const bg = fakeBackground({ getState: state(), ...review(), setMark: { mark: null } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Mystery Guest');
    await click(getByRole(root, 'button', 'Link to person'));
    await click(getByRole(root, 'button', 'Save link'));
    expect(bg.of('setMark')).toEqual([]);
    expect(text(root)).toContain('Choose a person first.');
    await typeInto(getByRole(root, 'textbox', 'Search people'), 'grace');
    const select = getByRole<HTMLSelectElement>(root, 'combobox', 'Person');
    expect([...select.options].map((o) => o.value)).toEqual(['', grace.id]);
    await choose(select, grace.id);
    await click(getByRole(root, 'button', 'Save link'));
    expect(bg.of('setMark')).toEqual([
      { type: 'setMark', site: SITE, accountId: '5b10ac8d82e05b22cc7d4ef6', mark: { kind: 'link', personId: grace.id } },
    ]);
    expect(queryByRole(root, 'button', 'Save link')).toBeNull();
  });

  it('"Mark external" needs a reason: empty → inline error and nothing sent', async () => {
    const bg = fakeBackground({ getState: state(), ...review(), setMark: { mark: null } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Mystery Guest');
    await click(getByRole(root, 'button', 'Mark external'));
    await typeInto(getByRole(root, 'textbox', 'Reason'), '   ');
    await click(getByRole(root, 'button', 'Save mark'));
    expect(bg.of('setMark')).toEqual([]);
    expect(text(root)).toContain('A reason is required');
    await typeInto(getByRole(root, 'textbox', 'Reason'), ' Partner agency, contract 42 ');
    await click(getByRole(root, 'button', 'Save mark'));
    expect(bg.of('setMark')).toEqual([
      { type: 'setMark', site: SITE, accountId: '5b10ac8d82e05b22cc7d4ef6', mark: { kind: 'external', reason: 'Partner agency, contract 42' } },
    ]);
  });

  it('"Mark service" sends a service mark; "Clear mark" sends null', async () => {
    const marked = review({
      rows: ROWS.map((r) =>
        r.account.displayName === 'Mystery Guest'
          ? { ...r, ownerType: 'service' as const, mark: { kind: 'service' as const, reason: 'CI', at: '2026-11-20T10:00:00' }, flags: [] }
          : r,
      ),
    });
    const bg = fakeBackground({ getState: state(), ...marked, setMark: { mark: null } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Mystery Guest');
    expect(fact(root, 'Mark')).toBe('Marked service account (20 Nov 2026, 10:00): CI');
    await click(getByRole(root, 'button', 'Mark service'));
    await typeInto(getByRole(root, 'textbox', 'Reason'), 'Build robot');
    await click(getByRole(root, 'button', 'Save mark'));
    await click(getByRole(root, 'button', 'Clear mark'));
    expect(bg.of('setMark').map((r) => r.mark)).toEqual([{ kind: 'service', reason: 'Build robot' }, null]);
  });

  it('shows a failed setMark and keeps the form', async () => {
    fakeBackground({ getState: state(), ...review(), setMark: { error: 'A reason is required' } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await openDetail('Mystery Guest');
    await click(getByRole(root, 'button', 'Mark external'));
    await typeInto(getByRole(root, 'textbox', 'Reason'), 'x');
    await click(getByRole(root, 'button', 'Save mark'));
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('A reason is required');
    expect(getByRole(root, 'button', 'Save mark')).toBeTruthy();
  });
});

describe('export', () => {
  let blobs: Blob[];
  let names: string[];
  beforeEach(() => {
    blobs = [];
    names = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:fake';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
  });

  it('"Export CSV" downloads every synced account (filtered included) with the exact header', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-27T12:00:00'));
    try {
      fakeBackground({ getState: state(), ...review() });
      root = await mount(<SidePanelApp watchActiveTab={noTab} />);
      await click(getByRole(root, 'button', 'Export CSV'));
    } finally {
      vi.useRealTimers();
    }
    expect(names).toEqual(['access-lens-acme-2026-11-27.csv']);
    const csv = await blobs[0]!.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'site,account_id,display_name,email,email_source,account_type,status,groups,role,owner_type,person_name,person_email,match,flags,filtered_reason,decision,note,last_active,mfa',
    );
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + ROWS.length);
    expect(csv).toContain('Jira Bot');
  });

  it('"Export JSON" downloads all rows with metadata', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await click(getByRole(root, 'button', 'Export JSON'));
    expect(names[0]).toMatch(/^access-lens-acme-\d{4}-\d{2}-\d{2}\.json$/);
    const json = JSON.parse(await blobs[0]!.text());
    expect(json.site).toBe(SITE);
    expect(json.lastSyncedAt).toBe('2026-11-27T14:03:00');
    expect(json.rows).toHaveLength(ROWS.length);
  });
});

describe('page context and empty states', () => {
  it('selects the account of the active tab, and follows tab changes', async () => {
    let emit: (url: string | null) => void = () => {};
    const watcher: ActiveTabWatcher = (onUrl) => {
      emit = onUrl;
      onUrl('https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef6?ref=confluence');
      return () => {};
    };
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={watcher} />);
    expect(text(root.querySelector('#detail-name')!)).toBe('Mystery Guest');
    await act(async () => emit('https://admin.atlassian.com/o/org-1/users/557058%3Af6688130-1234-4abc-9def-0123456789ab'));
    await settle();
    expect(text(root.querySelector('#detail-name')!)).toBe('Grace H');
  });

  it('"Back to list" is not undone by a reload while the tab stays on the same page', async () => {
    const watcher: ActiveTabWatcher = (onUrl) => {
      onUrl('https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef6');
      return () => {};
    };
    const bg = fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={watcher} />);
    expect(text(root.querySelector('#detail-name')!)).toBe('Mystery Guest');
    await click(getByRole(root, 'button', '← Back to list'));
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    expect(root.querySelector('#detail-name')).toBeNull();
    expect(listedNames(root)).toHaveLength(3);
  });

  it('a profile page on another connected site switches to that site', async () => {
    const other = 'https://beta.atlassian.net';
    const bg = fakeBackground({
      getState: state({ sites: [site(), site({ site: other, siteName: 'beta' })] }),
      ...review(),
    });
    const watcher: ActiveTabWatcher = (onUrl) => {
      onUrl('https://beta.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef5');
      return () => {};
    };
    root = await mount(<SidePanelApp watchActiveTab={watcher} />);
    expect(bg.of('queryReview').at(-1)).toMatchObject({ type: 'queryReview', site: other });
    expect(getByRole<HTMLSelectElement>(root, 'combobox', 'Site').value).toBe(other);
    expect(text(root.querySelector('#detail-name')!)).toBe('Ada Lovelace');
  });

  it('no site connected', async () => {
    fakeBackground({ getState: state({ sites: [] }) });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(text(root)).toContain('No site connected — open Settings');
  });

  it('no sync yet', async () => {
    fakeBackground({ getState: state({ sites: [site({ lastSyncedAt: null, counts: null })] }), ...review({ rows: [], lastSyncedAt: null }) });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(text(root)).toContain('No sync yet — press Sync now in the popup');
  });

  it('no roster', async () => {
    fakeBackground({ getState: state(), ...review({ people: [] }) });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(text(root)).toContain('Import a roster on the Settings page to match accounts to people');
  });

  it('reloads the review on stateChanged', async () => {
    const bg = fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    Object.assign(bg.handlers, review({ rows: ROWS.slice(0, 1) }));
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    expect(listedNames(root)).toEqual(['Ada Lovelace']);
  });
});

describe('at any size: pages, chips, sort, hash, groups, focus', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      row({ account: account({ accountId: `5b10ac8d82e05b22cc7d${String(i).padStart(4, '0')}`, displayName: `Person ${String(i).padStart(4, '0')}` }) }),
    );

  it('asks for one page of rows at a time, never the whole review', async () => {
    const bg = fakeBackground({ getState: state(), ...reviewHandlers({ site: SITE, rows: many(1000), people: [], lastSyncedAt: '2026-11-27T14:03:00' }) });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(bg.of('queryReview').every((q) => (q.limit ?? 0) <= 100)).toBe(true);
    expect(bg.of('queryReview')[0]).toMatchObject({ offset: 0, limit: 100 });
    expect(text(root.querySelector('[role="status"].muted')!)).toBe('1,000 accounts');
    // Only the rows in sight (and a few more) are in the DOM, each with its place in the whole list.
    const items = [...root.querySelectorAll('ul[aria-label="Accounts"] li')];
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(40);
    expect(items[0]!.getAttribute('aria-setsize')).toBe('1000');
    expect(items.map((li) => li.getAttribute('aria-posinset')).slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('filter chips carry the counts and set the filter, as "Show" does', async () => {
    const bg = fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    const chips = [...root.querySelectorAll<HTMLButtonElement>('[role="group"][aria-label="Filters"] button')];
    expect(chips.map((c) => text(c))).toEqual([
      'All in review 3', 'Flagged 2', 'Unattributed 1', 'Should revoke 1', 'Revoke overdue 0', 'Needs confirmation 1', 'Privileged guests 1', 'Admins without 2SV 0', 'Dormant 0', 'Filtered out 1',
    ]);
    expect(chips[0]!.getAttribute('aria-pressed')).toBe('true');
    await click(chips[3]!);
    expect(listedNames(root)).toEqual(['Grace H']);
    expect(getByRole<HTMLSelectElement>(root, 'combobox', 'Show').value).toBe('should_revoke');
    expect(bg.of('queryReview').at(-1)).toMatchObject({ filter: 'should_revoke' });
  });

  it('sort, filter and search go to the hash, and a reload starts from it', async () => {
    const bg = fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    await choose(getByRole(root, 'combobox', 'Sort by'), 'name');
    await choose(getByRole(root, 'combobox', 'Show'), 'flagged');
    await typeInto(getByRole(root, 'textbox', 'Search accounts'), 'gr');
    expect(location.hash).toBe('#filter=flagged&q=gr&sort=name');
    await unmount(root);
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expect(bg.of('queryReview').at(-1)).toMatchObject({ filter: 'flagged', search: 'gr', sort: 'name' });
    expect(listedNames(root)).toEqual(['Grace H']);
  });

  it('a group page lists that group\'s members; "Show every group" lifts it', async () => {
    let emit: (url: string | null) => void = () => {};
    const watcher: ActiveTabWatcher = (onUrl) => {
      emit = onUrl;
      return () => {};
    };
    const rows = ROWS.map((r, i) => (i === 2 ? { ...r, account: { ...r.account, groups: [{ id: 'g-admins', name: 'confluence-admins' }] } } : r));
    const bg = fakeBackground({ getState: state(), ...review({ rows }) });
    root = await mount(<SidePanelApp watchActiveTab={watcher} />);
    await act(async () => emit('https://admin.atlassian.com/o/org-1/groups/g-admins'));
    await settle();
    expect(bg.of('queryReview').at(-1)).toMatchObject({ group: 'g-admins' });
    expect(listedNames(root)).toEqual(['Mystery Guest']);
    expect(text(root.querySelector('.group-filter')!)).toBe('Members of confluence-admins Show every group');
    await click(getByRole(root, 'button', 'Show every group'));
    expect(listedNames(root)).toHaveLength(3);
    // Confluence's own group page names the group.
    await act(async () => emit('https://acme.atlassian.net/wiki/admin/users/domembersofgroupsearch.action?membersOfGroupTerm=confluence-admins'));
    await settle();
    expect(listedNames(root)).toEqual(['Mystery Guest']);
  });

  it('Escape closes the account; a page badge focus opens one', async () => {
    const bg = fakeBackground({ getState: state(), ...review(), takePanelFocus: { focus: null } });
    root = await mount(<SidePanelApp watchActiveTab={noTab} windowId={async () => 5} />);
    await openDetail('Grace H');
    await act(async () => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await settle();
    expect(root.querySelector('#detail-name')).toBeNull();
    await bg.broadcast({ type: 'panelFocus', windowId: 9, focus: { site: SITE, accountId: '5b10ac8d82e05b22cc7d4ef6' } });
    expect(root.querySelector('#detail-name')).toBeNull(); // another window's
    await bg.broadcast({ type: 'panelFocus', windowId: 5, focus: { site: SITE, accountId: '5b10ac8d82e05b22cc7d4ef6' } });
    expect(text(root.querySelector('#detail-name')!)).toBe('Mystery Guest');
    expect(bg.of('takePanelFocus')[0]).toEqual({ type: 'takePanelFocus', windowId: 5 });
  });

  it('arrow keys move between accounts', async () => {
    fakeBackground({ getState: state(), ...review() });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    const buttons = () => [...root!.querySelectorAll<HTMLButtonElement>('button.account')];
    buttons()[0]!.focus();
    await act(async () => {
      buttons()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    await settle();
    expect(document.activeElement).toBe(buttons()[1]);
    expect(buttons().map((b) => b.tabIndex)).toEqual([-1, 0, -1]);
    await act(async () => {
      buttons()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    });
    await settle();
    expect(document.activeElement).toBe(buttons()[2]);
  });
});
