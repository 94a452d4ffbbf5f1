import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp, type PopupActions } from '@/entrypoints/popup/App';
import { click, fakeBackground, getByRole, mount, queryByRole, resetFakes, text, unmount } from './dom';
import { site, state, SITE } from './fixtures';
import { prefetchState } from '@/components/useAppState';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
});

function fakeActions(): PopupActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    currentWindowId: async () => 7,
    openSidePanel: async (windowId) => {
      calls.push(`sidePanel:${windowId}`);
    },
    openOptionsPage: async () => {
      calls.push('options');
    },
  };
}

describe('popup', () => {
  it('shows status, "Last synced …" and counts for a connected site', async () => {
    fakeBackground({ getState: state() });
    root = await mount(<PopupApp actions={fakeActions()} />);
    expect(text(root.querySelector('[data-testid="last-synced"]')!)).toBe('Last synced 27 Nov 2026, 14:03');
    expect(text(root)).toContain('Connected');
    const counts = text(root.querySelector('dl.counts')!);
    expect(counts).toBe('In review12Flagged4Unattributed2Should revoke1Dormant0Admins without 2SV0Filtered3');
  });

  it('shows the disconnection reason', async () => {
    fakeBackground({ getState: state({ sites: [site({ status: 'disconnected', lastError: 'Access was revoked — reconnect' })] }) });
    root = await mount(<PopupApp actions={fakeActions()} />);
    expect(text(root)).toContain('Disconnected — Access was revoked — reconnect');
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Sync now').disabled).toBe(true);
  });

  it('shows a sync paused by Atlassian\'s rate limit, with its time, and offers no Sync now until then (issue 8, item 5)', async () => {
    fakeBackground({ getState: state({ sites: [site({ pausedUntil: '2026-11-27T15:03:00' })] }) });
    root = await mount(<PopupApp actions={fakeActions()} />);
    expect(text(root.querySelector('[data-testid="sync-paused"]')!)).toBe("Paused by Atlassian's rate limit until 27 Nov 2026, 15:03");
    expect(getByRole<HTMLButtonElement>(root, 'button', 'Sync now').disabled).toBe(true);
  });

  it('shows live progress from syncProgress broadcasts and reloads on stateChanged', async () => {
    const bg = fakeBackground({ getState: state() });
    root = await mount(<PopupApp actions={fakeActions()} />);
    await bg.broadcast({
      type: 'syncProgress',
      site: SITE,
      progress: { runId: 'r', startedAt: '2026-11-27T14:00:00', groupsDone: 3, groupsTotal: 12, accountsFetched: 1240, phase: 'members' },
    });
    expect(text(root.querySelector('.progress')!)).toBe('Syncing… 3/12 groups, 1,240 accounts');
    const before = bg.of('getState').length;
    bg.handlers.getState = state({ sites: [site({ lastSyncedAt: '2026-11-27T15:30:00' })] });
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    expect(bg.of('getState').length).toBe(before + 1);
    expect(text(root.querySelector('[data-testid="last-synced"]')!)).toBe('Last synced 27 Nov 2026, 15:30');
    expect(root.querySelector('.progress')).toBeNull();
  });

  it('"Sync now" asks the background to sync that site', async () => {
    const bg = fakeBackground({ getState: state(), syncNow: { started: [SITE] } });
    root = await mount(<PopupApp actions={fakeActions()} />);
    await click(getByRole(root, 'button', 'Sync now'));
    expect(bg.of('syncNow')).toEqual([{ type: 'syncNow', site: SITE }]);
  });

  it('opens the side panel for the current window and the settings page', async () => {
    fakeBackground({ getState: state() });
    const actions = fakeActions();
    root = await mount(<PopupApp actions={actions} />);
    await click(getByRole(root, 'button', 'Open side panel'));
    await click(getByRole(root, 'button', 'Settings'));
    expect(actions.calls).toEqual(['sidePanel:7', 'options']);
  });

  it('calls sidePanel.open synchronously inside the click (user gesture)', async () => {
    fakeBackground({ getState: state() });
    const actions = fakeActions();
    const open = vi.fn(async () => {});
    root = await mount(<PopupApp actions={{ ...actions, openSidePanel: open }} />);
    getByRole(root, 'button', 'Open side panel').click();
    expect(open).toHaveBeenCalledWith(7);
  });

  it('with no site: a message and "Connect a site" opening the options page', async () => {
    fakeBackground({ getState: state({ sites: [] }) });
    const actions = fakeActions();
    root = await mount(<PopupApp actions={actions} />);
    expect(text(root)).toContain('No site connected');
    expect(queryByRole(root, 'button', 'Sync now')).toBeNull();
    await click(getByRole(root, 'button', 'Connect a site'));
    expect(actions.calls).toEqual(['options']);
  });
});

describe('popup per site', () => {
  it('a progress bar while syncing, over the groups', async () => {
    const bg = fakeBackground({ getState: state() });
    root = await mount(<PopupApp actions={fakeActions()} />);
    await bg.broadcast({
      type: 'syncProgress',
      site: SITE,
      progress: { runId: 'r', startedAt: '2026-11-27T14:00:00', groupsDone: 3, groupsTotal: 12, accountsFetched: 1240, phase: 'members' },
    });
    const bar = root.querySelector<HTMLProgressElement>('progress')!;
    expect(bar.getAttribute('aria-label')).toBe('Sync progress');
    expect([bar.value, bar.max]).toEqual([3, 12]);
  });

  it('the action that fixes an error: Reconnect, Edit tracked groups', async () => {
    const opened: string[] = [];
    const actions = { ...fakeActions(), openOptionsSection: async (section: string, s: string) => void opened.push(`${section}:${s}`) };
    fakeBackground({
      getState: state({
        sites: [
          site({ status: 'disconnected', lastError: 'Access was revoked', fix: 'reconnect' }),
          site({ site: 'https://beta.atlassian.net', siteName: 'beta', lastError: 'Permission denied for GET /wiki/rest/api/group', fix: 'groups' }),
          site({ site: 'https://gamma.atlassian.net', siteName: 'gamma', lastError: 'timeout', fix: null }),
        ],
      }),
    });
    root = await mount(<PopupApp actions={actions} />);
    await click(getByRole(root, 'button', 'Reconnect'));
    await click(getByRole(root, 'button', 'Edit tracked groups'));
    expect(opened).toEqual([`connect:${SITE}`, 'groups:https://beta.atlassian.net']);
    // An error nothing in the options page fixes gets no such button.
    expect(root.querySelectorAll('article')[2]!.querySelectorAll('button.primary')).toHaveLength(1);
  });

  it('"Open side panel" of a site tells the panel which site, then opens it', async () => {
    const bg = fakeBackground({ getState: state({ sites: [site(), site({ site: 'https://beta.atlassian.net', siteName: 'beta' })] }), focusPanel: { ok: true } });
    const actions = fakeActions();
    root = await mount(<PopupApp actions={actions} />);
    const beta = root.querySelectorAll('article')[1]!;
    await click(getByRole(beta, 'button', 'Open side panel'));
    expect(bg.of('focusPanel')).toEqual([{ type: 'focusPanel', site: 'https://beta.atlassian.net', windowId: 7 }]);
    expect(actions.calls).toEqual(['sidePanel:7']);
  });

  it('before the first sync: says to press Sync now', async () => {
    fakeBackground({ getState: state({ sites: [site({ lastSyncedAt: null, counts: null })] }) });
    root = await mount(<PopupApp actions={fakeActions()} />);
    expect(text(root)).toContain('No sync yet: press Sync now');
  });
});

describe('popup: getState sent as the script starts (prefetchState)', () => {
  it('shows the early answer without asking again', async () => {
    const bg = fakeBackground({ getState: state() });
    const early = prefetchState();
    expect(bg.of('getState')).toHaveLength(1); // sent before anything is rendered
    root = await mount(<PopupApp actions={fakeActions()} early={early} />);
    expect(text(root.querySelector('dl.counts')!)).toContain('In review12');
    expect(bg.of('getState')).toHaveLength(1);
  });

  it('asks again when the state changed between the early request and the page listening', async () => {
    let answers = 0;
    const bg = fakeBackground({
      getState: () => {
        answers++;
        const s = state();
        return answers === 1 ? s : { ...s, sites: s.sites.map((x) => ({ ...x, counts: { ...x.counts!, review: 13 } })) };
      },
    });
    const early = prefetchState();
    await bg.broadcast({ type: 'stateChanged', site: SITE });
    root = await mount(<PopupApp actions={fakeActions()} early={early} />);
    expect(bg.of('getState')).toHaveLength(2);
    expect(text(root.querySelector('dl.counts')!)).toContain('In review13');
  });
});
