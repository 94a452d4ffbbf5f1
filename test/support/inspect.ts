/// <reference types="chrome" />
/**
 * What the e2e tests, the demo and the benchmarks read through the DevTools protocol, where a page
 * script cannot: badges inside closed shadow roots (by accessible name and tooltip), whether the
 * content script runs (its isolated world), and the real side panel (a target that is not one of
 * Playwright's pages).
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';

export interface PageBadgeSeen {
  /** The button's accessible name (`Access Lens: …`). */
  name: string;
  /** Its tooltip. */
  title: string;
  /** The link text (or row text) it follows. */
  next: string;
  /** The note a badge shows after a click that could not open the side panel ('' when hidden). */
  note: string;
}

type DomNode = {
  nodeId: number;
  nodeName: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
};

const attr = (n: DomNode, name: string) => {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1] ?? null;
  return null;
};

function text(n: DomNode): string {
  return (n.nodeValue ?? '') + [...(n.children ?? [])].map(text).join('');
}

/**
 * Every Access Lens badge on the page, in document order, read from the DOM with shadow roots
 * pierced: its name (aria-label, the accessible name), tooltip and what it annotates.
 */
export async function pageBadges(page: Page): Promise<PageBadgeSeen[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const found: PageBadgeSeen[] = [];
    const walk = (n: DomNode, parent: DomNode | null, index: number) => {
      if (n.nodeName === 'ACCESS-LENS-BADGE') {
        const inside = n.shadowRoots?.flatMap((r) => r.children ?? []) ?? [];
        const button = inside.find((c) => c.nodeName === 'BUTTON');
        const note = inside.find((c) => c.nodeName === 'SPAN' && attr(c, 'role') === 'status');
        const siblings = (parent?.children ?? []).slice(0, index).filter((c) => c.nodeName !== '#text' && c.nodeName !== 'ACCESS-LENS-BADGE');
        const before = siblings.at(-1);
        found.push({ name: (button && attr(button, 'aria-label')) ?? '', title: (button && attr(button, 'title')) ?? '', next: (before ? text(before) : text(parent ?? n)).trim(), note: note && attr(note, 'hidden') === null ? text(note) : '' });
      }
      (n.children ?? []).forEach((c, i) => walk(c, n, i));
      for (const r of n.shadowRoots ?? []) walk(r, n, 0);
    };
    walk(root, null, 0);
    return found;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Accessible names of the page's buttons, closed shadow roots included (Chromium's AX tree). */
export async function buttonNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value?: string }; name?: { value?: string }; ignored?: boolean }[] };
    return nodes.filter((n) => !n.ignored && n.role?.value === 'button').map((n) => n.name?.value ?? '');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** True when the extension's content script has an isolated world in the page (no DOM mark needed). */
export async function contentScriptRuns(page: Page, extensionName = 'Access Lens', timeoutMs = 5000): Promise<boolean> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    let seen = false;
    cdp.on('Runtime.executionContextCreated', (e: { context: { name: string; auxData?: { type?: string } } }) => {
      if (e.context.auxData?.type === 'isolated' && e.context.name === extensionName) seen = true;
    });
    // Enabling replays the existing contexts as events.
    await cdp.send('Runtime.enable');
    const deadline = Date.now() + timeoutMs;
    while (!seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return seen;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** A channel to an extension target that is not a Playwright page (the real side panel, the worker). */
export async function extensionTarget(
  page: Page,
  match: (t: { type: string; url: string }) => boolean,
): Promise<{ evaluate<T>(expression: string): Promise<T>; detach(): Promise<void> } | null> {
  const cdp = await page.context().newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.find(match);
  if (!target) {
    await cdp.detach().catch(() => undefined);
    return null;
  }
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let nextId = 1;
  const pending = new Map<number, (m: { result?: { result?: { value?: unknown } }; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message) as { id?: number };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg as never);
  });
  return {
    evaluate<T>(expression: string) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (m) => {
          pending.delete(id);
          if (m.error) reject(new Error(m.error.message));
          else resolve(m.result?.result?.value as T);
        });
        void cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true } }) })
          .catch(reject);
      });
    },
    async detach() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}

/** The real side panel's text (null while none is open), read through CDP. */
export async function sidePanelText(page: Page, selector = 'main'): Promise<string | null> {
  const panel = await extensionTarget(page, (t) => t.type === 'page' && t.url.includes('/sidepanel.html'));
  if (!panel) return null;
  try {
    return await panel.evaluate<string | null>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`);
  } finally {
    await panel.detach();
  }
}

/** The toolbar badge text of the tab showing `urlPattern` (read in the worker). */
export async function toolbarBadgeOf(worker: Worker, urlPattern: string): Promise<{ text: string; title: string }> {
  return worker.evaluate(async (pattern) => {
    const [tab] = await chrome.tabs.query({ url: pattern });
    if (!tab?.id) return { text: '(no tab)', title: '' };
    return { text: await chrome.action.getBadgeText({ tabId: tab.id }), title: await chrome.action.getTitle({ tabId: tab.id }) };
  }, urlPattern);
}

/** The side panel contexts the browser has open. */
export async function openSidePanels(worker: Worker): Promise<string[]> {
  return worker.evaluate(async () =>
    (await chrome.runtime.getContexts({})).filter((c) => c.contextType === 'SIDE_PANEL').map((c) => c.documentUrl ?? ''),
  );
}

export type { BrowserContext };
