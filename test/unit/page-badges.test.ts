/** The content script's DOM work: which links get a badge, what it says, and what is asked. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageBadge } from '@/lib/messages';
import { createAnnotator, type Annotator } from '@/lib/page-badges';

const A = '5b10ac8d82e05b22cc7d4ef5';
const B = '557058:f6688130-1234-4abc-9def-0123456789ab';
const C = '5b10ac8d82e05b22cc7d4ef6';
const BADGES: Record<string, PageBadge> = {
  [A]: { accountId: A, label: 'Access Lens: Should revoke, Revoke overdue', flags: ['Should revoke', 'Revoke overdue'], title: 'Grace Hopper has left' },
  [B]: { accountId: B, label: 'Access Lens: Unattributed', flags: ['Unattributed'], title: 'No roster person' },
};

/** Closed shadow roots are invisible from outside; record them as they are attached. */
const roots = new Map<Element, ShadowRoot>();
const realAttach = Element.prototype.attachShadow;
beforeEach(() => {
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = realAttach.call(this, init);
    roots.set(this, root);
    return root;
  });
});

let annotator: Annotator | null = null;
afterEach(() => {
  annotator?.stop();
  annotator = null;
  roots.clear();
  document.body.innerHTML = '';
});

function start(url = 'https://acme.atlassian.net/wiki/spaces/ENG/pages/1') {
  const asked: string[][] = [];
  const opened: string[] = [];
  annotator = createAnnotator({
    document,
    url: () => url,
    throttleMs: 10,
    async ask(ids) {
      asked.push([...ids]);
      return ids.flatMap((id) => (BADGES[id] ? [BADGES[id]!] : []));
    },
    open: (id) => {
      opened.push(id);
    },
  });
  return { asked, opened };
}

/** For each badge on the page: what its button is called and says, and what it follows. */
function badges(): { after: string; name: string | null; text: string; title: string }[] {
  return [...document.querySelectorAll('access-lens-badge')].map((host) => {
    const button = roots.get(host)!.querySelector('button')!;
    return {
      after: (host.previousElementSibling as HTMLElement | null)?.textContent ?? host.parentElement?.tagName ?? '',
      name: button.getAttribute('aria-label'),
      text: button.textContent ?? '',
      title: button.title,
    };
  });
}

describe('page badges', () => {
  it('badges every link to a flagged person of this site, with the label as its name', async () => {
    document.body.innerHTML = `
      <p><a href="/wiki/people/${A}?ref=confluence">Grace</a> and <a href="https://acme.atlassian.net/wiki/people/${encodeURIComponent(B)}">Bea</a>
      and <a href="/wiki/people/${C}">Carl (not flagged)</a> and <a href="https://other.atlassian.net/wiki/people/${A}">Grace elsewhere</a>
      and <a href="/wiki/people/${A}&src=profilecard">no id</a> and <a href="/wiki/spaces/ENG">a space</a></p>`;
    const { asked } = start();
    await annotator!.start();
    expect(asked).toEqual([[A, B, C]]);
    expect(badges()).toEqual([
      { after: 'Grace', name: 'Access Lens: Should revoke, Revoke overdue', text: 'Should revoke, Revoke overdue', title: 'Grace Hopper has left' },
      { after: 'Bea', name: 'Access Lens: Unattributed', text: 'Unattributed', title: 'No roster person' },
    ]);
    // Nothing marks the page itself.
    expect([...document.documentElement.attributes].map((a) => a.name)).toEqual([]);
  });

  it('annotates links added later, asking only about accounts not asked before', async () => {
    document.body.innerHTML = `<a href="/wiki/people/${A}">Grace</a>`;
    const { asked } = start();
    await annotator!.start();
    const later = document.createElement('div');
    later.innerHTML = `<a href="/wiki/people/${A}">Grace again</a> <a href="/wiki/people/${B}">Bea</a>`;
    document.body.append(later);
    await vi.waitFor(() => expect(badges()).toHaveLength(3));
    await annotator!.idle();
    expect(asked).toEqual([[A], [B]]);
    expect(badges().map((b) => b.after)).toEqual(['Grace', 'Grace again', 'Bea']);
  });

  it('on admin.atlassian.com: user links and clickable rows carrying /users/<id>', async () => {
    document.body.innerHTML = `<table><tbody>
      <tr data-href="/o/org-1/users/${A}"><td>Grace</td><td>grace@acme.test</td></tr>
      <tr><td><a href="/o/org-1/users/${encodeURIComponent(B)}">Bea</a></td></tr>
      <tr data-href="/o/org-1/groups/abc"><td>a group</td></tr>
    </tbody></table>`;
    const { asked } = start('https://admin.atlassian.com/o/org-1/users');
    await annotator!.start();
    expect(asked).toEqual([[A, B]]);
    const hosts = [...document.querySelectorAll('access-lens-badge')];
    expect(hosts.map((h) => h.parentElement?.tagName)).toEqual(['TD', 'TD']);
    expect(hosts[0]!.parentElement!.textContent).toBe('Grace');
  });

  it('a click opens the side panel on that account and does not follow the link', async () => {
    document.body.innerHTML = `<a href="/wiki/people/${A}">Grace</a>`;
    const { opened } = start();
    await annotator!.start();
    const host = document.querySelector('access-lens-badge')!;
    const event = new MouseEvent('click', { bubbles: true, cancelable: true });
    roots.get(host)!.querySelector('button')!.dispatchEvent(event);
    expect(opened).toEqual([A]);
    expect(event.defaultPrevented).toBe(true);
  });

  it('says how to see the account when the browser would not open the side panel', async () => {
    document.body.innerHTML = `<a href="/wiki/people/${A}">Grace</a>`;
    annotator = createAnnotator({ document, url: () => 'https://acme.atlassian.net/wiki', throttleMs: 10, ask: async () => [BADGES[A]!], open: async () => false });
    await annotator.start();
    const root = roots.get(document.querySelector('access-lens-badge')!)!;
    expect(root.querySelector('[role="status"]')).toBeNull();
    root.querySelector('button')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLElement>('[role="status"]')?.hidden).toBe(false));
    expect(root.querySelector('[role="status"]')!.textContent).toMatch(/^Open the Access Lens side panel/);
  });

  it('the page about a flagged person gets its own badge', async () => {
    const { asked } = start(`https://acme.atlassian.net/wiki/people/${A}`);
    await annotator!.start();
    expect(asked).toEqual([[A]]);
    const host = document.documentElement.lastElementChild!;
    expect(host.tagName).toBe('ACCESS-LENS-BADGE');
    expect(roots.get(host)!.querySelector('button')!.getAttribute('aria-label')).toBe(BADGES[A]!.label);
  });

  it('refresh asks again and removes a badge whose account is no longer flagged', async () => {
    document.body.innerHTML = `<a href="/wiki/people/${A}">Grace</a>`;
    const { asked } = start();
    await annotator!.start();
    expect(badges()).toHaveLength(1);
    const saved = BADGES[A]!;
    delete BADGES[A];
    try {
      await annotator!.refresh();
      expect(asked).toEqual([[A], [A]]);
      expect(badges()).toEqual([]);
    } finally {
      BADGES[A] = saved;
    }
  });

  it('stays silent when the background does not answer', async () => {
    document.body.innerHTML = `<a href="/wiki/people/${A}">Grace</a>`;
    annotator = createAnnotator({ document, url: () => 'https://acme.atlassian.net/wiki', ask: async () => Promise.reject(new Error('gone')), open: () => {} });
    await annotator.start();
    expect(document.querySelectorAll('access-lens-badge')).toHaveLength(0);
  });

  it('asks in batches', async () => {
    document.body.innerHTML = [A, B, C].map((id) => `<a href="/wiki/people/${id}">x</a>`).join('');
    const asked: number[] = [];
    annotator = createAnnotator({ document, url: () => 'https://acme.atlassian.net/wiki', batch: 2, ask: async (ids) => (asked.push(ids.length), []), open: () => {} });
    await annotator.start();
    expect(asked).toEqual([2, 1]);
  });
});
