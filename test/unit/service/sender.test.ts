/** Who may send what to the background: only browser-stamped sender fields are trusted. */
import { describe, expect, it } from 'vitest';
import type { RequestType } from '../../../lib/messages';
import { requests } from '../../../lib/service/requests';
import { classifySender, type SenderInfo, type SenderVerdict } from '../../../lib/service/sender';

const OWN_ID = 'poaokbhmjpleenafkjpmagkbbkbbilfk';
const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
const ALL_TYPES = Object.keys(requests) as RequestType[];

/** What the dispatcher decides: the sender's kind (browser-stamped), then the request's `from`. */
function authorizeSender(sender: SenderInfo, ownId: string, ownOrigin: string, type: RequestType): { ok: true; from: string } | { ok: false; reason: string } {
  const verdict: SenderVerdict = classifySender(sender, ownId, ownOrigin);
  if (!verdict.ok) return verdict;
  if (!(requests[type].from as readonly string[]).includes(verdict.kind)) return { ok: false, reason: `${verdict.kind === 'content' ? 'content scripts' : 'extension pages'} may not send "${type}"` };
  return { ok: true, from: verdict.kind };
}
const ATLASSIAN_PAGE = 'https://acme.atlassian.net/wiki/people/557058:07370d34-b060-435a-96ea-3d80dba8d397';

const contentScript = (url: string): SenderInfo => ({ id: OWN_ID, url, tab: { id: 7, url } });

describe('sender rules (classifySender + each request\'s `from`)', () => {
  it('knows every request type (guards the tables below)', () => {
    expect(ALL_TYPES).toContain('pageBadges');
    expect(ALL_TYPES).toContain('connectOAuth');
    expect(ALL_TYPES.length).toBeGreaterThan(10);
  });

  const ownPages: [string, SenderInfo][] = [
    ['popup (no tab)', { id: OWN_ID, url: `${OWN_ORIGIN}popup.html` }],
    ['side panel (no tab)', { id: OWN_ID, url: `${OWN_ORIGIN}sidepanel.html` }],
    ['options page open in a tab', { id: OWN_ID, url: `${OWN_ORIGIN}options.html#groups`, tab: { id: 3, url: `${OWN_ORIGIN}options.html#groups` } }],
  ];
  it.each(ownPages)('accepts every page request from our own %s, and no content-script one', (_name, sender) => {
    for (const type of ALL_TYPES) {
      const verdict = authorizeSender(sender, OWN_ID, OWN_ORIGIN, type);
      if ((requests[type].from as readonly string[]).includes('page')) expect(verdict).toEqual({ ok: true, from: 'page' });
      else expect(verdict).toEqual({ ok: false, reason: `extension pages may not send "${type}"` });
    }
    // The content script's requests are the only ones pages cannot send.
    expect(ALL_TYPES.filter((t) => !(requests[t].from as readonly string[]).includes('page')).sort()).toEqual(['openPanel', 'pageBadges']);
  });

  const atlassianPages = [ATLASSIAN_PAGE, 'https://ACME-LABS.atlassian.net/wiki/home', 'https://admin.atlassian.com/o/org-1/users/5b10ac8d82e05b22cc7d4ef5'];
  const CONTENT_TYPES: RequestType[] = ['pageBadges', 'openPanel'];
  it.each(atlassianPages)('lets a content script on %s ask only for its page\'s badges and to open the panel', (url) => {
    for (const type of ALL_TYPES) {
      const verdict = authorizeSender(contentScript(url), OWN_ID, OWN_ORIGIN, type);
      if (CONTENT_TYPES.includes(type)) expect(verdict).toEqual({ ok: true, from: 'content' });
      else expect(verdict).toEqual({ ok: false, reason: `content scripts may not send "${type}"` });
    }
  });

  const refused: [string, SenderInfo, string][] = [
    ['another extension, even from its own page', { id: 'abcdefghijklmnopabcdefghijklmnop', url: `chrome-extension://abcdefghijklmnopabcdefghijklmnop/popup.html` }, 'message from another extension'],
    ['another extension claiming our page URL', { id: 'abcdefghijklmnopabcdefghijklmnop', url: `${OWN_ORIGIN}popup.html` }, 'message from another extension'],
    ['a sender without an id', { url: `${OWN_ORIGIN}popup.html` }, 'message from another extension'],
    ['an Atlassian page over http', contentScript('http://acme.atlassian.net/wiki/people/x'), 'unknown sender'],
    ['a look-alike host', contentScript('https://acme.atlassian.net.evil.com/wiki/people/x'), 'unknown sender'],
    ['a host ending in atlassian.net without the dot', contentScript('https://evilatlassian.net/wiki'), 'unknown sender'],
    ['credentials in the URL before a foreign host', contentScript('https://acme.atlassian.net@evil.com/wiki'), 'unknown sender'],
    ['a foreign frame inside an Atlassian tab', { id: OWN_ID, url: 'https://evil.com/frame.html', tab: { id: 7, url: ATLASSIAN_PAGE } }, 'unknown sender'],
    ['an Atlassian URL without a tab (not a content script)', { id: OWN_ID, url: ATLASSIAN_PAGE }, 'unknown sender'],
    ['our id with no URL', { id: OWN_ID }, 'unknown sender'],
  ];
  it.each(refused)('refuses %s, whatever it asks', (_name, sender, reason) => {
    for (const type of ALL_TYPES) expect(authorizeSender(sender, OWN_ID, OWN_ORIGIN, type)).toEqual({ ok: false, reason });
  });
});
