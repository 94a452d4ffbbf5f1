/**
 * Who may ask the background for what. Browser-stamped sender fields are the only trusted input
 * (Bitwarden's env-pair idea): extension pages (popup, side panel, options — the options page
 * may live in a tab) come from our own origin; content scripts come from a tab on an Atlassian
 * host and may only ask for the read-only page context. Anything else is refused.
 */
import type { RequestType } from '../messages';
import { isAtlassianHost } from '../page-context';

export interface SenderInfo {
  /** Extension id of the sender (`runtime.MessageSender.id`). */
  id?: string;
  /** URL of the page or frame that sent it. */
  url?: string;
  /** Present for content scripts and for extension pages open in a tab. */
  tab?: { id?: number; url?: string };
}

const CONTENT_SCRIPT_REQUESTS: ReadonlySet<RequestType> = new Set(['pageContext']);

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

export type SenderVerdict = { ok: true; from: 'page' | 'content' } | { ok: false; reason: string };

export function authorizeSender(
  sender: SenderInfo,
  ownExtensionId: string,
  ownOrigin: string,
  type: RequestType,
): SenderVerdict {
  if (sender.id !== ownExtensionId) return { ok: false, reason: 'message from another extension' };
  const url = sender.url ?? '';
  if (url.startsWith(ownOrigin)) return { ok: true, from: 'page' };
  if (sender.tab && isAtlassianPageUrl(url)) {
    return CONTENT_SCRIPT_REQUESTS.has(type)
      ? { ok: true, from: 'content' }
      : { ok: false, reason: `content scripts may not send "${type}"` };
  }
  return { ok: false, reason: 'unknown sender' };
}
