/**
 * Runs on Atlassian pages: badges next to the links to flagged people (lib/page-badges.ts). It
 * may ask the background two things only — the badges of the accounts linked on this page
 * (`pageBadges`), and to open the side panel on one of them (`openPanel`) — and the background
 * answers about this page's own site, which it reads from the browser-stamped sender URL.
 * It marks nothing on the page but the badges themselves.
 *
 * Test pages (served by the fake, test/fake-atlassian/pages.ts):
 * https://<site>.atlassian.net/wiki/spaces/…, https://<site>.atlassian.net/wiki/people/<accountId>,
 * https://admin.atlassian.com/o/<orgId>/users
 */
import type { PageBadgesResponse } from '@/lib/messages';
import { isError } from '@/lib/messages';
import { createAnnotator } from '@/lib/page-badges';

export default defineContentScript({
  matches: ['https://*.atlassian.net/*', 'https://admin.atlassian.com/*'],
  async main(ctx) {
    const annotator = createAnnotator({
      document,
      url: () => location.href,
      async ask(accountIds) {
        const answer: unknown = await browser.runtime.sendMessage({ type: 'pageBadges', accountIds });
        if (isError(answer)) throw new Error(answer.error);
        if (!answer) throw new Error('no answer');
        return (answer as PageBadgesResponse).badges;
      },
      async open(accountId) {
        // Sent from the click itself, in case the browser lets the background open the side panel.
        const answer: unknown = await browser.runtime.sendMessage({ type: 'openPanel', accountId }).catch(() => null);
        return typeof answer === 'object' && answer !== null && (answer as { opened?: unknown }).opened === true;
      },
    });
    ctx.onInvalidated(() => annotator.stop());
    await annotator.start();

    // Single-page apps change the URL without a load; a tab coming back may show a changed review.
    let last = location.href;
    ctx.setInterval(() => {
      if (location.href !== last) {
        last = location.href;
        void annotator.refresh();
      }
    }, 1000);
    ctx.addEventListener(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') void annotator.refresh();
    });
  },
});
