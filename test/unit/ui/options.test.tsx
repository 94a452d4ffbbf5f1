import { afterEach, describe, expect, it } from 'vitest';
import { OptionsApp } from '@/entrypoints/options/App';
import { click, choose, fakeBackground, getByRole, mount, pickFile, queryByRole, resetFakes, settle, text, typeInto, unmount } from './dom';
import { site, state, SITE } from './fixtures';
import { unpackPerson } from '../../../lib/roster/wire';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
});

const GROUPS = {
  groups: [
    { id: 'g1', name: 'confluence-users', selected: true },
    { id: 'g2', name: 'site-admins', selected: true },
    { id: 'g3', name: 'contractors', selected: false },
    { id: 'g4', name: 'jira-users', selected: false },
  ],
};

describe('connect form', () => {
  it('sends connectOAuth with the typed values and clears the secret after success', async () => {
    const bg = fakeBackground({ getState: state({ sites: [] }), connectOAuth: { site: SITE } });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'textbox', 'Site URL'), ' acme.atlassian.net ');
    await typeInto(getByRole(root, 'textbox', 'Client ID'), 'client-1');
    await typeInto(getByRole(root, 'textbox', 'Client secret'), 's3cret');
    await click(getByRole(root, 'button', 'Connect with Atlassian'));
    expect(bg.of('connectOAuth')).toEqual([
      { type: 'connectOAuth', siteUrl: 'acme.atlassian.net', clientId: 'client-1', clientSecret: 's3cret' },
    ]);
    expect(getByRole<HTMLInputElement>(root, 'textbox', 'Client secret').value).toBe('');
    expect(text(root)).toContain(`Connected ${SITE}`);
    // The state is reloaded so the new site shows up.
    expect(bg.of('getState').length).toBeGreaterThanOrEqual(2);
  });

  it('sends connectApiToken with email and token', async () => {
    const bg = fakeBackground({ getState: state({ sites: [] }), connectApiToken: { site: SITE } });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'textbox', 'Site URL'), 'https://acme.atlassian.net');
    await typeInto(getByRole(root, 'textbox', 'Email'), 'admin@acme.com');
    await typeInto(getByRole(root, 'textbox', 'API token'), 'tok');
    await click(getByRole(root, 'button', 'Connect with API token'));
    expect(bg.of('connectApiToken')).toEqual([
      { type: 'connectApiToken', siteUrl: 'https://acme.atlassian.net', email: 'admin@acme.com', apiToken: 'tok' },
    ]);
  });

  it('shows the error verbatim with the granted sites, and keeps the secret for a retry', async () => {
    const message = 'This authorisation is for another organisation: it does not include https://acme.atlassian.net.';
    fakeBackground({
      getState: state({ sites: [] }),
      connectOAuth: {
        error: message,
        grantedSites: [
          { url: 'https://other.atlassian.net', name: 'other' },
          { url: 'https://third.atlassian.net', name: 'third' },
        ],
      },
    });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'textbox', 'Site URL'), 'https://acme.atlassian.net');
    await typeInto(getByRole(root, 'textbox', 'Client ID'), 'c');
    await typeInto(getByRole(root, 'textbox', 'Client secret'), 's');
    await click(getByRole(root, 'button', 'Connect with Atlassian'));
    const alert = root.querySelector('[role="alert"]')!;
    expect(text(alert)).toContain(message);
    const granted = [...root.querySelectorAll('[data-testid="granted-sites"] li')].map((li) => text(li));
    expect(granted).toEqual(['other — https://other.atlassian.net', 'third — https://third.atlassian.net']);
    expect(getByRole<HTMLInputElement>(root, 'textbox', 'Client secret').value).toBe('s');
  });

  it('does not send when a required field is empty', async () => {
    const bg = fakeBackground({ getState: state({ sites: [] }), connectApiToken: { site: SITE } });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'textbox', 'Site URL'), 'https://acme.atlassian.net');
    await click(getByRole(root, 'button', 'Connect with API token'));
    expect(bg.of('connectApiToken')).toEqual([]);
    expect(text(root)).toContain('Fill in: Email, API token');
  });

  it('shows the OAuth callback URL', async () => {
    fakeBackground({ getState: state({ sites: [] }) });
    root = await mount(<OptionsApp />);
    expect(text(root.querySelector('[data-testid="copy-text"]')!)).toBe('https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/');
    expect(getByRole(root, 'button', 'Copy callback URL')).toBeTruthy();
  });
});

describe('disconnect', () => {
  it('asks for confirmation and only then sends, with the delete-data choice', async () => {
    const bg = fakeBackground({ getState: state(), listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, disconnect: { ok: true } });
    root = await mount(<OptionsApp />);
    await click(getByRole(root, 'button', 'Disconnect'));
    expect(bg.of('disconnect')).toEqual([]);
    await click(getByRole(root, 'checkbox', "Also delete this site's synced data"));
    await click(getByRole(root, 'button', 'Confirm'));
    expect(bg.of('disconnect')).toEqual([{ type: 'disconnect', site: SITE, deleteData: true }]);
  });

  it('cancel sends nothing', async () => {
    const bg = fakeBackground({ getState: state(), listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, disconnect: { ok: true } });
    root = await mount(<OptionsApp />);
    await click(getByRole(root, 'button', 'Disconnect'));
    await click(getByRole(root, 'button', 'Cancel'));
    expect(bg.of('disconnect')).toEqual([]);
    expect(queryByRole(root, 'button', 'Confirm')).toBeNull();
  });
});

describe('group picker', () => {
  const firstRun = state({ sites: [site({ selectedGroupIds: [] })] });

  it('renders the pre-selection from listGroups and counts it', async () => {
    fakeBackground({ getState: firstRun, listGroups: GROUPS, getDiagnostics: { error: 'n/a' } });
    root = await mount(<OptionsApp />);
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'confluence-users').checked).toBe(true);
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'site-admins').checked).toBe(true);
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'contractors').checked).toBe(false);
    expect(text(root.querySelector('[data-testid="groups-count"]')!)).toBe('2 of 4 selected');
  });

  it('filters by search and saves ids (not names), then collapses to a summary', async () => {
    const bg = fakeBackground({ getState: firstRun, listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, saveGroups: { ok: true } });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'textbox', 'Search groups'), 'USERS');
    expect(queryByRole(root, 'checkbox', 'site-admins')).toBeNull();
    expect(queryByRole(root, 'checkbox', 'contractors')).toBeNull();
    await click(getByRole(root, 'checkbox', 'jira-users'));
    await click(getByRole(root, 'checkbox', 'confluence-users'));
    expect(text(root.querySelector('[data-testid="groups-count"]')!)).toBe('2 of 4 selected');
    await click(getByRole(root, 'button', 'Save groups'));
    const saved = bg.of('saveGroups');
    expect(saved).toHaveLength(1);
    expect(saved[0]!.site).toBe(SITE);
    expect([...saved[0]!.groupIds].sort()).toEqual(['g2', 'g4']);
    expect(text(root.querySelector('[data-testid="groups-summary"]')!)).toBe('2 groups tracked: jira-users, site-admins');
    expect(queryByRole(root, 'button', 'Save groups')).toBeNull();
  });

  it('shows the summary for a site with saved groups and reopens the picker on "Edit tracked groups"', async () => {
    fakeBackground({
      getState: state({ sites: [site({ selectedGroupIds: ['g1', 'g3'] })] }),
      listGroups: { groups: GROUPS.groups.map((g) => ({ ...g, selected: g.id === 'g1' || g.id === 'g3' })) },
      getDiagnostics: { error: 'n/a' },
    });
    root = await mount(<OptionsApp />);
    expect(text(root.querySelector('[data-testid="groups-summary"]')!)).toBe('2 groups tracked: confluence-users, contractors');
    expect(queryByRole(root, 'checkbox', 'contractors')).toBeNull();
    await click(getByRole(root, 'button', 'Edit tracked groups'));
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'contractors').checked).toBe(true);
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'site-admins').checked).toBe(false);
    expect(getByRole(root, 'button', 'Save groups')).toBeTruthy();
  });

  it('keeps the picker open and shows the error when saving fails', async () => {
    fakeBackground({ getState: firstRun, listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, saveGroups: { error: 'Site is disconnected' } });
    root = await mount(<OptionsApp />);
    await click(getByRole(root, 'button', 'Save groups'));
    expect(text(root)).toContain('Site is disconnected');
    expect(getByRole(root, 'button', 'Save groups')).toBeTruthy();
  });

  it('renders hundreds of groups only up to a cap, and search reaches the rest', async () => {
    const many = Array.from({ length: 900 }, (_, i) => ({ id: `id${i}`, name: `group-${String(i).padStart(3, '0')}`, selected: false }));
    fakeBackground({ getState: firstRun, listGroups: { groups: many }, getDiagnostics: { error: 'n/a' } });
    root = await mount(<OptionsApp />);
    expect(root.querySelectorAll('.group-list input[type="checkbox"]').length).toBe(300);
    expect(text(root.querySelector('[data-testid="groups-count"]')!)).toBe('0 of 900 selected');
    await typeInto(getByRole(root, 'textbox', 'Search groups'), 'group-899');
    expect(getByRole(root, 'checkbox', 'group-899')).toBeTruthy();
  });
});

describe('real sites (issue 8)', () => {
  it('explains the scopes a scoped API token needs', async () => {
    fakeBackground({ getState: state({ sites: [] }) });
    root = await mount(<OptionsApp />);
    const help = text(root.querySelector('[data-testid="scoped-token-help"]')!);
    for (const scope of ['read:group:confluence', 'read:user:confluence', 'read:content-details:confluence', 'read:user:jira']) expect(help).toContain(scope);
    expect(help).toContain('api.atlassian.com');
  });

  it('says which kind of token a site connected with, whether Jira is used, and a rate-limit pause', async () => {
    fakeBackground({
      getState: state({ sites: [site({ authMethod: 'apiToken', apiBase: 'gateway', hasJira: false, pausedUntil: '2026-11-27T15:03:00' })] }),
      listGroups: GROUPS,
      getDiagnostics: { error: 'n/a' },
    });
    root = await mount(<OptionsApp />);
    const connection = text(root.querySelector('section[aria-labelledby="h-connection"]')!);
    expect(connection).toContain('Scoped API token (through api.atlassian.com)');
    expect(connection).toContain('No Jira email lookup');
    expect(connection).toContain("Paused by Atlassian's rate limit until 27 Nov 2026, 15:03");
  });

  it('a classic token says so', async () => {
    fakeBackground({ getState: state({ sites: [site({ authMethod: 'apiToken', apiBase: 'site' })] }), listGroups: GROUPS, getDiagnostics: { error: 'n/a' } });
    root = await mount(<OptionsApp />);
    expect(text(root.querySelector('section[aria-labelledby="h-connection"]')!)).toContain('API token (classic, site URL) · Jira email lookup on');
  });

  const ORG = [
    { id: 'g1', name: 'confluence-users-acme', selected: true, otherSite: false },
    { id: 'g2', name: 'confluence-users-acme-labs', selected: false, otherSite: true },
    { id: 'g3', name: 'engineering', selected: false, otherSite: false },
  ];

  it('shows other sites\' default groups unchecked, with the hint as their description', async () => {
    fakeBackground({ getState: state({ sites: [site({ selectedGroupIds: [] })] }), listGroups: { groups: ORG, source: 'atlassian' }, getDiagnostics: { error: 'n/a' } });
    root = await mount(<OptionsApp />);
    const other = getByRole<HTMLInputElement>(root, 'checkbox', 'confluence-users-acme-labs');
    expect(other.checked).toBe(false);
    const hint = root.querySelector(`#${other.getAttribute('aria-describedby')}`)!;
    expect(text(hint)).toBe('may belong to another site of your organisation');
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'confluence-users-acme').getAttribute('aria-describedby')).toBeNull();
    expect(root.querySelectorAll('[data-testid="other-site-hint"]')).toHaveLength(1);
  });

  it('shows the saved list at once, refreshes it in the background, and keeps what the admin ticked', async () => {
    let answerRefresh: (value: unknown) => void = () => {};
    const bg = fakeBackground({
      getState: state({ sites: [site({ selectedGroupIds: [] })] }),
      listGroups: (req: { refresh?: boolean }) =>
        req.refresh
          ? new Promise((resolve) => {
              answerRefresh = resolve;
            })
          : { groups: ORG, source: 'stored' },
      getDiagnostics: { error: 'n/a' },
    });
    root = await mount(<OptionsApp />);
    // The saved list is there while the refresh is still out.
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'confluence-users-acme').checked).toBe(true);
    expect(text(root)).toContain('Refreshing the group list from Atlassian…');
    expect(bg.of('listGroups').map((r) => r.refresh ?? false)).toEqual([false, true]);
    await click(getByRole(root, 'checkbox', 'engineering'));
    // The refresh brings a new group (pre-selected by the background) and a changed choice for a
    // group the admin already saw, which the admin's tick wins over.
    answerRefresh({ groups: [...ORG.map((g) => (g.id === 'g3' ? { ...g, selected: false } : g)), { id: 'g4', name: 'site-admins', selected: true, otherSite: false }], source: 'atlassian' });
    await settle();
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'engineering').checked).toBe(true);
    expect(getByRole<HTMLInputElement>(root, 'checkbox', 'site-admins').checked).toBe(true);
    expect(text(root)).not.toContain('Refreshing the group list');
    expect(text(root.querySelector('[data-testid="groups-count"]')!)).toBe('3 of 4 selected');
  });

  it('a failed background refresh keeps the saved list and says why', async () => {
    fakeBackground({
      getState: state({ sites: [site({ selectedGroupIds: [] })] }),
      listGroups: (req: { refresh?: boolean }) => (req.refresh ? { error: 'Atlassian took too long' } : { groups: ORG, source: 'stored' }),
      getDiagnostics: { error: 'n/a' },
    });
    root = await mount(<OptionsApp />);
    await settle();
    expect(getByRole(root, 'checkbox', 'engineering')).toBeTruthy();
    expect(text(root)).toContain('Could not refresh the group list from Atlassian: Atlassian took too long');
  });
});

describe('roster import', () => {
  const good = 'Work Email,Full Name,Status,Termination Date\nada@acme.com,Ada Lovelace,Active,\ngrace@acme.com,Grace Hopper,Terminated,2026-01-31\n';
  const bad = 'Work Email,Full Name,Termination Date\nada@acme.com,Ada Lovelace,\nnot-an-email,Bob,31/31/2026\n';

  it('previews people and imports them; shows the new roster line', async () => {
    const bg = fakeBackground({
      getState: state({ sites: [] }),
      importRoster: { meta: { fileName: 'hr.csv', importedAt: '2026-11-27T10:00:00', people: 2 } },
    });
    root = await mount(<OptionsApp />);
    expect(text(root.querySelector('[data-testid="roster-status"]')!)).toBe('No roster imported yet.');
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([good], 'hr.csv', { type: 'text/csv' }));
    const preview = root.querySelector('table[aria-label="Roster preview"]')!;
    expect(preview.querySelectorAll('tbody tr').length).toBe(2);
    expect(text(preview)).toContain('Grace Hopper');
    expect(getByRole<HTMLSelectElement>(root, 'combobox', 'Work email column').value).toBe('Work Email');
    const importButton = getByRole<HTMLButtonElement>(root, 'button', 'Import roster');
    expect(importButton.disabled).toBe(false);
    await click(importButton);
    const sent = bg.of('importRoster');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fileName).toBe('hr.csv');
    // The page sends the people packed (lib/roster/wire.ts), never both forms.
    expect(sent[0]!.people).toBeUndefined();
    expect(sent[0]!.packedPeople?.map(unpackPerson).map((p) => p.workEmail)).toEqual(['ada@acme.com', 'grace@acme.com']);
    expect(text(root.querySelector('[data-testid="roster-status"]')!)).toBe('Roster: hr.csv — 2 people, imported 27 Nov 2026, 10:00');
  });

  it('lists row errors and disables "Import roster"', async () => {
    const bg = fakeBackground({ getState: state({ sites: [] }), importRoster: { error: 'should not be called' } });
    root = await mount(<OptionsApp />);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([bad], 'bad.csv'));
    const errors = root.querySelector('table[aria-label="Roster errors"]')!;
    const firstRow = [...errors.querySelectorAll('tbody tr')[0]!.querySelectorAll('td')].map((td) => text(td));
    expect(firstRow[0]).toBe('3');
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Import roster').disabled).toBe(true);
    await click(getByRole(root, 'button', 'Import roster'));
    expect(bg.of('importRoster')).toEqual([]);
  });

  it('a corrected column mapping re-parses the file', async () => {
    fakeBackground({ getState: state({ sites: [] }) });
    root = await mount(<OptionsApp />);
    const csv = 'Mail,Who\nada@acme.com,Ada Lovelace\n';
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([csv], 'odd.csv'));
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Import roster').disabled).toBe(true);
    await choose(getByRole(root, 'combobox', 'Work email column'), 'Mail');
    await choose(getByRole(root, 'combobox', 'Full name column'), 'Who');
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Import roster').disabled).toBe(false);
    expect(text(root.querySelector('table[aria-label="Roster preview"]')!)).toContain('Ada Lovelace');
  });

  it('a failed import shows the error and keeps the previous roster line', async () => {
    fakeBackground({
      getState: state({ sites: [], roster: { fileName: 'old.csv', importedAt: '2026-11-01T09:00:00', people: 40 } }),
      importRoster: { error: 'Storage quota exceeded' },
    });
    root = await mount(<OptionsApp />);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([good], 'hr.csv'));
    await click(getByRole(root, 'button', 'Import roster'));
    expect(text(root)).toContain('Import failed: Storage quota exceeded');
    expect(text(root.querySelector('[data-testid="roster-status"]')!)).toBe('Roster: old.csv — 40 people, imported 1 Nov 2026, 09:00');
  });
});

describe('settings', () => {
  it('saves grace days and the per-site interval', async () => {
    const bg = fakeBackground({ getState: state(), listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, saveSettings: { ok: true } });
    root = await mount(<OptionsApp />);
    expect(getByRole<HTMLInputElement>(root, 'spinbutton', 'Offboarding grace period (days)').value).toBe('3');
    await typeInto(getByRole(root, 'spinbutton', 'Offboarding grace period (days)'), '7');
    await typeInto(getByRole(root, 'spinbutton', 'Sync every (hours)'), '6');
    await click(getByRole(root, 'button', 'Save settings'));
    expect(bg.of('saveSettings')).toEqual([{ type: 'saveSettings', graceDays: 7, dormantDays: 90, site: SITE, syncIntervalHours: 6 }]);
    expect(text(root)).toContain('Settings saved');
  });

  it('rejects a negative grace period without sending', async () => {
    const bg = fakeBackground({ getState: state(), listGroups: GROUPS, getDiagnostics: { error: 'n/a' }, saveSettings: { ok: true } });
    root = await mount(<OptionsApp />);
    await typeInto(getByRole(root, 'spinbutton', 'Offboarding grace period (days)'), '-1');
    await click(getByRole(root, 'button', 'Save settings'));
    expect(bg.of('saveSettings')).toEqual([]);
  });
});

describe('diagnostics', () => {
  it('shows problems, history and the why-missing answer', async () => {
    const bg = fakeBackground({
      getState: state(),
      listGroups: GROUPS,
      getDiagnostics: {
        site: SITE,
        siteName: 'acme',
        cloudId: 'cloud-1',
        authMethod: 'oauth',
        connectedAs: 'admin@acme.com',
        status: 'connected',
        problems: ['The selected groups are empty'],
        history: [
          {
            id: 'r1',
            site: SITE,
            startedAt: '2026-11-27T14:00:00',
            endedAt: '2026-11-27T14:03:00',
            status: 'failed',
            trigger: 'manual',
            error: 'Rate limited too long',
            notes: ['Jira user lookup not permitted'],
            groups: [{ id: 'g1', name: 'confluence-users', members: 1240, done: true }],
            accounts: 1240,
            requests: 9,
          },
        ],
      },
      whyMissing: (req: { query: string }) => ({
        query: req.query,
        verdict: 'not_in_monitored_group',
        account: null,
        explanation: `${req.query} is not in any monitored group.`,
      }),
    });
    root = await mount(<OptionsApp />);
    expect(text(root.querySelector('[data-testid="problems"]')!)).toBe('The selected groups are empty');
    expect(text(root)).toContain('admin@acme.com');
    const history = text(root.querySelector('table[aria-label="Sync history"]')!);
    expect(history).toContain('27 Nov 2026, 14:00');
    expect(history).toContain('confluence-users: 1,240');
    expect(history).toContain('Rate limited too long');
    expect(history).toContain('Jira user lookup not permitted');
    await typeInto(getByRole(root, 'textbox', 'Why is this account missing?'), 'bob@acme.com');
    await click(getByRole(root, 'button', 'Look up'));
    expect(bg.of('whyMissing')).toEqual([{ type: 'whyMissing', site: SITE, query: 'bob@acme.com' }]);
    expect(text(root.querySelector('[data-testid="why-missing-answer"]')!)).toBe('bob@acme.com is not in any monitored group.');
  });

  it('the site selector decides which site the groups and diagnostics are about', async () => {
    const other = 'https://beta.atlassian.net';
    const bg = fakeBackground({
      getState: state({ sites: [site(), site({ site: other, siteName: 'beta' })] }),
      listGroups: GROUPS,
      getDiagnostics: { error: 'n/a' },
    });
    root = await mount(<OptionsApp />);
    await choose(getByRole(root, 'combobox', 'Site'), other);
    expect(bg.of('listGroups').at(-1)).toEqual({ type: 'listGroups', site: other });
    expect(bg.of('getDiagnostics').at(-1)).toEqual({ type: 'getDiagnostics', site: other });
  });
});
