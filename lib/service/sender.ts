/**
 * Who is asking the background. Browser-stamped sender fields are the only trusted input
 * (Bitwarden's env-pair idea): extension pages (popup, side panel, options — the options page
 * may live in a tab) come from our own origin; content scripts come from a tab on an Atlassian
 * host. Anything else is refused. Which requests each kind may send is declared per request
 * (`from` in lib/service/requests/*.ts) and checked by the dispatcher.
 */
import { isAtlassianHost } from '../page-context';
import type { RequestSender } from './define';

export interface SenderInfo {
  /** Extension id of the sender (`runtime.MessageSender.id`). */
  id?: string;
  /** URL of the page or frame that sent it. */
  url?: string;
  /** Present for content scripts and for extension pages open in a tab. */
  tab?: { id?: number; url?: string; windowId?: number };
}

export function isAtlassianPageUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  return isAtlassianHost(u.hostname);
}

export type SenderVerdict = ({ ok: true } & RequestSender) | { ok: false; reason: string };

export function classifySender(sender: SenderInfo, ownExtensionId: string, ownOrigin: string): SenderVerdict {
  if (sender.id !== ownExtensionId) return { ok: false, reason: 'message from another extension' };
  const url = sender.url ?? '';
  const where = { ...(sender.tab?.id !== undefined && { tabId: sender.tab.id }), ...(sender.tab?.windowId !== undefined && { windowId: sender.tab.windowId }) };
  if (url.startsWith(ownOrigin)) return { ok: true, kind: 'page', url, ...where };
  if (sender.tab && isAtlassianPageUrl(url)) return { ok: true, kind: 'content', url, ...where };
  return { ok: false, reason: 'unknown sender' };
}
