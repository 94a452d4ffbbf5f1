/**
 * Badges on Atlassian's own pages (the content script's DOM work, kept apart from `browser.*` so
 * it runs in unit tests and benchmarks as it runs on the page).
 *
 * Every link to a person of the page's own site (`/wiki/people/<accountId>`, with or without a
 * query; on admin.atlassian.com links and rows carrying `/users/<accountId>`) gets, when that
 * account is flagged, a small badge right after it: a button in a closed shadow root whose
 * accessible name is the background's label (`Access Lens: Should revoke, Revoke overdue`), its
 * tooltip the one-line explanation. Pages are single-page apps that render late and change, so a
 * MutationObserver collects added nodes and scans them at most once per `throttleMs`. The
 * background is asked only about accounts not asked about before; unflagged accounts get nothing.
 * Nothing is written to the page but the badges themselves (no attribute marks the page).
 */
import type { PageBadge } from './messages';
import { accountIdFromLink, accountIdFromUrl } from './page-context';

export interface AnnotatorOptions {
  document: Document;
  /** The page's URL (`location.href`), read again on every scan: single-page apps navigate. */
  url: () => string;
  /** Asks the background for the badges of these accounts (at most `batch` per call). */
  ask(accountIds: string[]): Promise<PageBadge[]>;
  /**
   * The admin clicked a badge: open the side panel on that account. Resolves false when the
   * browser would not open it (the badge then says how to see the account).
   */
  open(accountId: string): Promise<boolean> | void;
  /** Scans happen at most this often, ms (default 150). */
  throttleMs?: number;
  /** Accounts per `ask` (default 500, the background's limit). */
  batch?: number;
}

export interface Annotator {
  /** Scans the whole page now and watches for changes. */
  start(): Promise<void>;
  stop(): void;
  /** Forgets every answer and asks again (the page navigated, or the review may have changed). */
  refresh(): Promise<void>;
  /** Resolves when queued scans and questions are done. */
  idle(): Promise<void>;
}

const BADGE_TAG = 'access-lens-badge';
const LINK_SELECTOR = 'a[href], [data-href]';
const ROW_CELL = 'td, th, [role="cell"], [role="gridcell"]';

// Atlassian's red and amber tokens (light and dark), so the badge looks at home on the page.
const BADGE_STYLE = `
:host { all: initial; display: inline-block; vertical-align: middle; margin: 0 0 0 4px; }
button { font: 600 11px/16px system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0; padding: 0 6px;
  border: 1px solid currentColor; border-radius: 8px; cursor: pointer; white-space: nowrap;
  max-width: 24em; overflow: hidden; text-overflow: ellipsis; background: #fff7d6; color: #7f5f01; }
button.revoke { background: #ffeceb; color: #ae2e24; }
button:focus-visible { outline: 2px solid #0c66e4; outline-offset: 1px; }
.note { position: absolute; z-index: 2147483647; margin: 20px 0 0 0; padding: 4px 8px; max-width: 18em; white-space: normal;
  font: 12px/16px system-ui, -apple-system, 'Segoe UI', sans-serif; background: #172b4d; color: #fff; border-radius: 4px; }
@media (prefers-color-scheme: dark) {
  button { background: #533f04; color: #f5cd47; }
  button.revoke { background: #5d1f1a; color: #fd9891; }
  button:focus-visible { outline-color: #85b8ff; }
}
.page { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; font-size: 13px; line-height: 20px; padding: 4px 10px; }
`;

/** One parsed stylesheet shared by every badge's shadow root, where the browser allows it. */
let sharedSheet: CSSStyleSheet | null | undefined;
function badgeSheet(): CSSStyleSheet | null {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(BADGE_STYLE);
    } catch {
      sharedSheet = null;
    }
  }
  return sharedSheet;
}

interface Annotation {
  accountId: string;
  label: string;
  host: HTMLElement;
}

export function createAnnotator(opts: AnnotatorOptions): Annotator {
  const doc = opts.document;
  const throttleMs = opts.throttleMs ?? 150;
  const batch = opts.batch ?? 500;
  /** Answers so far: the badge, or null for an account with none. */
  const known = new Map<string, PageBadge | null>();
  /** Elements linking to each account (pruned of detached ones on every refresh). */
  const links = new Map<string, Set<Element>>();
  const annotations = new WeakMap<Element, Annotation>();
  const ownHosts = new WeakSet<Node>();
  const queued = new Set<Node>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let observer: MutationObserver | null = null;
  let work: Promise<void> = Promise.resolve();
  let pageBadge: { accountId: string; host: HTMLElement } | null = null;
  let stopped = false;

  function pageHost(): string {
    try {
      return new URL(opts.url()).hostname.toLowerCase();
    } catch {
      return '';
    }
  }

  function makeBadge(accountId: string, badge: PageBadge, extraClass = ''): HTMLElement {
    const host = doc.createElement(BADGE_TAG);
    ownHosts.add(host);
    const root = host.attachShadow({ mode: 'closed' });
    let adopted = false;
    const sheet = badgeSheet();
    if (sheet) {
      try {
        root.adoptedStyleSheets = [sheet];
        adopted = true;
      } catch {
        // Firefox content scripts may not adopt a sheet made in their own world.
      }
    }
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = `${badge.flags[0] === 'Should revoke' || badge.flags[0] === 'Revoke overdue' ? 'revoke' : ''} ${extraClass}`.trim();
    button.setAttribute('aria-label', badge.label);
    button.title = badge.title;
    button.textContent = badge.flags.join(', ');
    // The note is made on the first click the browser would not turn into an open side panel.
    let note: HTMLElement | null = null;
    let hide: ReturnType<typeof setTimeout> | null = null;
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      void Promise.resolve(opts.open(accountId)).then((opened) => {
        if (opened !== false) return;
        if (!note) {
          note = doc.createElement('span');
          note.className = 'note';
          note.setAttribute('role', 'status');
          root.append(note);
        }
        const shown = note;
        shown.textContent = 'Open the Access Lens side panel (toolbar button, then "Open side panel") to see this account.';
        shown.hidden = false;
        if (hide !== null) clearTimeout(hide);
        hide = setTimeout(() => {
          shown.hidden = true;
        }, 8000);
      });
    });
    if (!adopted) {
      const style = doc.createElement('style');
      style.textContent = BADGE_STYLE;
      root.append(style);
    }
    root.append(button);
    return host;
  }

  function place(el: Element, host: HTMLElement): void {
    // A link gets its badge right after it; a clickable row (`data-href`) in its first cell.
    if (el instanceof HTMLAnchorElement) {
      el.after(host);
      return;
    }
    (el.querySelector(ROW_CELL) ?? el).append(host);
  }

  function apply(el: Element, accountId: string): void {
    const badge = known.get(accountId) ?? null;
    const current = annotations.get(el);
    if (current && current.accountId === accountId && current.label === badge?.label) return;
    current?.host.remove();
    annotations.delete(el);
    if (!badge) return;
    const host = makeBadge(accountId, badge);
    place(el, host);
    annotations.set(el, { accountId, label: badge.label, host });
  }

  function applyPageBadge(): void {
    const about = accountIdFromUrl(opts.url());
    const badge = about ? (known.get(about.accountId) ?? null) : null;
    if (pageBadge && (!about || pageBadge.accountId !== about.accountId || !badge)) {
      pageBadge.host.remove();
      pageBadge = null;
    }
    if (about && badge && !pageBadge) {
      const host = makeBadge(about.accountId, badge, 'page');
      doc.documentElement.append(host);
      pageBadge = { accountId: about.accountId, host };
    }
  }

  /** Finds person links in `nodes` (and below), remembers them, returns accounts not asked about yet. */
  function collect(nodes: Iterable<Node>): Set<string> {
    const host = pageHost();
    const base = opts.url();
    const unknown = new Set<string>();
    const visit = (el: Element) => {
      const raw = el.getAttribute(el instanceof HTMLAnchorElement ? 'href' : 'data-href');
      const id = raw === null ? null : accountIdFromLink(raw, host, base);
      if (!id) return;
      let set = links.get(id);
      if (!set) links.set(id, (set = new Set()));
      set.add(el);
      if (known.has(id)) apply(el, id);
      else unknown.add(id);
    };
    for (const node of nodes) {
      if (!(node instanceof Element) || ownHosts.has(node) || !node.isConnected) continue;
      if (node.matches(LINK_SELECTOR)) visit(node);
      for (const el of node.querySelectorAll(LINK_SELECTOR)) visit(el);
    }
    const about = accountIdFromUrl(opts.url());
    if (about && !known.has(about.accountId)) unknown.add(about.accountId);
    return unknown;
  }

  async function resolve(ids: Set<string>): Promise<void> {
    const list = [...ids];
    for (let i = 0; i < list.length; i += batch) {
      const chunk = list.slice(i, i + batch);
      let answers: PageBadge[];
      try {
        answers = await opts.ask(chunk);
      } catch {
        return; // the extension was reloaded or the background is away: stay silent on the page
      }
      if (stopped) return;
      const byId = new Map(answers.map((b) => [b.accountId, b]));
      for (const id of chunk) {
        known.set(id, byId.get(id) ?? null);
        for (const el of links.get(id) ?? []) if (el.isConnected) apply(el, id);
      }
    }
    applyPageBadge();
  }

  function enqueue(task: () => Promise<void>): Promise<void> {
    work = work.then(task, task);
    return work;
  }

  function flush(): void {
    timer = null;
    if (stopped) return;
    const nodes = [...queued];
    queued.clear();
    void enqueue(async () => {
      const unknown = collect(nodes);
      if (unknown.size > 0) await resolve(unknown);
      else applyPageBadge();
    });
  }

  function onMutations(records: MutationRecord[]): void {
    let any = false;
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1 || ownHosts.has(node)) continue;
        queued.add(node);
        any = true;
      }
    }
    if (any && timer === null) timer = setTimeout(flush, throttleMs);
  }

  async function scanAll(): Promise<void> {
    const unknown = collect([doc.documentElement]);
    if (unknown.size > 0) await resolve(unknown);
    else applyPageBadge();
  }

  return {
    async start() {
      stopped = false;
      observer = new MutationObserver(onMutations);
      observer.observe(doc.documentElement, { childList: true, subtree: true });
      await enqueue(scanAll);
    },
    stop() {
      stopped = true;
      pageBadge?.host.remove();
      pageBadge = null;
      observer?.disconnect();
      observer = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    refresh() {
      return enqueue(async () => {
        known.clear();
        for (const [id, set] of links) {
          for (const el of set) if (!el.isConnected) set.delete(el);
          if (set.size === 0) links.delete(id);
        }
        await scanAll();
      });
    },
    async idle() {
      for (;;) {
        const current = work;
        await current;
        if (current === work && timer === null) return;
        if (timer !== null) await new Promise((r) => setTimeout(r, throttleMs));
      }
    },
  };
}
