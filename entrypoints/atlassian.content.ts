/**
 * Runs on Atlassian pages. When the page is about one account (a Confluence profile, an admin
 * user page) that Access Lens has synced, it shows a small read-only badge with the review's
 * verdict. It asks the background only for the page context (the one request content scripts may
 * send) and renders everything as text inside a closed shadow root.
 *
 * Test pages: https://<site>.atlassian.net/wiki/people/<accountId>,
 * https://admin.atlassian.com/o/<orgId>/users/<accountId>
 */
import type { ResponseMap } from '@/lib/messages';
import { isError } from '@/lib/messages';

type PageContext = ResponseMap['pageContext'];

function describe(ctx: PageContext): string | null {
  const row = ctx.row;
  if (!row) return null;
  const who = row.person ? `owned by ${row.person.name}` : 'no known owner';
  if (row.account.filteredReason) return `Access Lens: filtered out of the review (${row.account.filteredDetail ?? row.account.filteredReason})`;
  const flags = row.flags.map((f) => f.flag.replace(/_/g, ' ')).join(', ');
  return `Access Lens: ${row.account.displayName}, ${who}${flags ? ` — flagged: ${flags}` : ' — no flags'}`;
}

export default defineContentScript({
  matches: ['https://*.atlassian.net/*', 'https://admin.atlassian.com/*'],
  async main(ctx) {
    document.documentElement.dataset.accessLens = 'loaded';
    let host: HTMLElement | null = null;
    const show = async () => {
      let answer: unknown;
      try {
        answer = await browser.runtime.sendMessage({ type: 'pageContext', url: location.href });
      } catch {
        return; // extension reloaded or background unavailable: stay silent on the page
      }
      if (!answer || isError(answer)) return;
      const text = describe(answer as PageContext);
      host?.remove();
      host = null;
      if (!text) return;
      host = document.createElement('access-lens-badge');
      const root = host.attachShadow({ mode: 'closed' });
      const box = document.createElement('div');
      box.setAttribute('role', 'status');
      box.textContent = text;
      box.style.cssText =
        'position:fixed;right:16px;bottom:16px;z-index:2147483647;max-width:360px;padding:8px 12px;' +
        'font:13px/1.4 system-ui,sans-serif;background:#fff;color:#172b4d;border:1px solid #8993a4;' +
        'border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.2)';
      root.append(box);
      document.documentElement.append(host);
    };
    await show();
    // Atlassian pages are single-page apps: re-check when the URL changes.
    let last = location.href;
    ctx.setInterval(() => {
      if (location.href !== last) {
        last = location.href;
        void show();
      }
    }, 1000);
  },
});
