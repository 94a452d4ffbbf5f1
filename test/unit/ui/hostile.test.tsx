/**
 * Issue 12, hostile input (tests that stay): strings an attacker can put in every Atlassian field
 * (display and public names, emails, group names, site names, errors that quote them) and every
 * roster field render as text in the popup, the side panel, the options page and the page badge —
 * never as HTML, never as a link — and bidirectional controls are shown, not obeyed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '@/entrypoints/popup/App';
import { SidePanelApp } from '@/entrypoints/sidepanel/App';
import { OptionsApp } from '@/entrypoints/options/App';
import type { ActiveTabWatcher } from '@/components/activeTab';
import { createAnnotator } from '@/lib/page-badges';
import { visibleText } from '@/lib/display-text';
import { click, fakeBackground, mount, resetFakes, text, unmount } from './dom';
import { account, person, reviewHandlers, row, site, state, SITE } from './fixtures';

const RLO = '\u202E';
const HOSTILE = {
  html: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>',
  js: 'javascript:alert(1)',
  rtl: `Ann ${RLO}gpj.exe`,
  zeroWidth: 'Zo\u200Be\uFEFF',
  nul: 'Nul\u0000l',
  long: 'L'.repeat(10_000),
  empty: '',
};
const HOSTILE_EMAIL = `x${RLO}moc.live@acme.test`;

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
  history.replaceState(null, '', location.pathname);
  delete (window as { __pwned?: number }).__pwned;
});

/** Nothing the hostile strings carried became markup or ran. */
function expectInert(container: ParentNode): void {
  expect(container.querySelector('img, script, b, iframe, object')).toBeNull();
  expect([...container.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => h?.startsWith('javascript:'))).toEqual([]);
  expect((window as { __pwned?: number }).__pwned).toBeUndefined();
}

const hostileRows = () => {
  const people = [
    person({ id: 'p1', name: HOSTILE.html, workEmail: HOSTILE_EMAIL, status: HOSTILE.js, department: HOSTILE.html, manager: HOSTILE.rtl }),
  ];
  const rows = [
    row({
      account: account({ accountId: '5b10ac8d82e05b22cc7d4e01', displayName: HOSTILE.html, publicName: HOSTILE.js, email: HOSTILE_EMAIL, groups: [{ id: 'g1', name: HOSTILE.html }] }),
      match: { rule: 'email', personId: 'p1', confirmed: true, candidates: [], explanation: `Work email ${HOSTILE_EMAIL} matches ${HOSTILE.html}` },
      person: people[0]!,
      ownerType: 'person',
      flags: [{ flag: 'should_revoke', explanation: `${HOSTILE.html} has left (status "${HOSTILE.js}")` }],
    }),
    row({ account: account({ accountId: '5b10ac8d82e05b22cc7d4e02', displayName: HOSTILE.rtl, email: null, emailSource: 'none' }), flags: [{ flag: 'unattributed', explanation: 'No roster person' }] }),
    row({ account: account({ accountId: '5b10ac8d82e05b22cc7d4e03', displayName: HOSTILE.zeroWidth + HOSTILE.nul }) }),
    row({ account: account({ accountId: '5b10ac8d82e05b22cc7d4e04', displayName: HOSTILE.long, publicName: HOSTILE.long }) }),
    row({ account: account({ accountId: '5b10ac8d82e05b22cc7d4e05', displayName: HOSTILE.empty, publicName: HOSTILE.empty }) }),
  ];
  return { rows, people };
};

const noTab: ActiveTabWatcher = () => () => {};

describe('hostile strings render as text', () => {
  it('side panel list and account', async () => {
    const { rows, people } = hostileRows();
    fakeBackground({ getState: state({ sites: [site({ siteName: HOSTILE.html })] }), ...reviewHandlers({ site: SITE, rows, people, lastSyncedAt: '2026-11-27T14:03:00' }) });
    root = await mount(<SidePanelApp watchActiveTab={noTab} />);
    expectInert(root);
    const names = [...root.querySelectorAll('ul[aria-label="Accounts"] .name')].map((n) => n.textContent ?? '');
    // HTML shows as its text; the RLO is shown by name, not obeyed; zero-width and NUL are visible;
    // the empty name falls back to the account id; the long one is all there (CSS clips it).
    expect(names).toContain(HOSTILE.html);
    expect(names).toContain('Ann ⟨RLO⟩gpj.exe');
    expect(names).toContain('Zo⟨ZWSP⟩e⟨ZWNBSP⟩Nul␀l');
    expect(names).toContain(HOSTILE.long);
    expect(names).toContain('5b10ac8d82e05b22cc7d4e05');
    expect(text(root)).not.toContain(RLO);
    expect(text(root)).toContain('x⟨RLO⟩moc.live@acme.test');

    const button = [...root.querySelectorAll<HTMLButtonElement>('button.account')].find((b) => b.querySelector('.name')?.textContent === HOSTILE.html)!;
    await click(button);
    expectInert(root);
    const detail = text(root.querySelector('article')!);
    expect(detail).toContain(`${HOSTILE.html} has left (status "${HOSTILE.js}")`);
    expect(detail).toContain('x⟨RLO⟩moc.live@acme.test');
    expect(detail).not.toContain(RLO);
  });

  it('popup: site name and error text', async () => {
    fakeBackground({ getState: state({ sites: [site({ siteName: HOSTILE.html, status: 'disconnected', lastError: `Group ${HOSTILE.rtl} ${HOSTILE.js}`, fix: 'reconnect' })] }) });
    root = await mount(<PopupApp actions={{ openSidePanel: async () => {}, openOptionsPage: async () => {}, currentWindowId: async () => 1 }} />);
    expectInert(root);
    expect(text(root)).toContain(HOSTILE.html);
    expect(text(root)).toContain('Ann ⟨RLO⟩gpj.exe javascript:alert(1)');
  });

  it('options page: site, group names, errors', async () => {
    fakeBackground({
      getState: state({ sites: [site({ siteName: HOSTILE.html, lastError: HOSTILE.rtl, selectedGroupIds: ['g1'] })] }),
      listGroups: { groups: [{ id: 'g1', name: HOSTILE.html, selected: true }, { id: 'g2', name: HOSTILE.rtl, selected: false }] },
      getDiagnostics: { site: SITE, siteName: HOSTILE.html, cloudId: null, authMethod: 'apiToken', connectedAs: HOSTILE.js, status: 'connected', problems: [HOSTILE.rtl], history: [] },
    });
    root = await mount(<OptionsApp />);
    expectInert(root);
    expect(text(root)).toContain(HOSTILE.html);
    expect(text(root)).toContain('Ann ⟨RLO⟩gpj.exe');
    expect(text(root)).not.toContain(RLO);
  });
});

describe('the page badge', () => {
  it('shows only the label and a visible-text explanation, inert', async () => {
    const roots: ShadowRoot[] = [];
    const attach = Element.prototype.attachShadow;
    vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
      const r = attach.call(this, init);
      roots.push(r);
      return r;
    });
    document.body.innerHTML = '<a href="/wiki/people/5b10ac8d82e05b22cc7d4e01">someone</a>';
    const annotator = createAnnotator({
      document,
      url: () => 'https://acme.atlassian.net/wiki',
      // The background builds the title with visibleText (lib/service/requests/page.ts).
      ask: async (ids) => ids.map((accountId) => ({ accountId, label: 'Access Lens: Should revoke', flags: ['Should revoke'], title: visibleText(`${HOSTILE.html} ${HOSTILE.rtl}`) })),
      open: () => {},
    });
    await annotator.start();
    annotator.stop();
    const button = roots[0]!.querySelector('button')!;
    expect(roots[0]!.querySelector('img, script, b')).toBeNull();
    expect(button.title).toBe(`${HOSTILE.html} Ann ⟨RLO⟩gpj.exe`);
    expect(button.textContent).toBe('Should revoke');
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    document.body.innerHTML = '';
  });
});

describe('visibleText', () => {
  it('names every bidi control and shows control characters', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(visibleText(all)).toBe('⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩⟨RLO⟩⟨LRI⟩⟨RLI⟩⟨FSI⟩⟨PDI⟩⟨LRM⟩⟨RLM⟩⟨ALM⟩');
    expect(visibleText('a\u0000b\u0007c\u007fd\re')).toBe('a␀b␇c␡d␍e');
    // Tabs, newlines, joiners and real right-to-left text stay as they are.
    expect(visibleText('a\tb\nc \u200D\u200C שלום مرحبا')).toBe('a\tb\nc \u200D\u200C שלום مرحبا');
    expect(visibleText(HOSTILE.html)).toBe(HOSTILE.html);
  });
});
