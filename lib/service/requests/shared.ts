/** zod pieces the request schemas share. */
import { z } from 'zod';
import { normaliseSiteUrl } from '../../atlassian/site-url';
import type { SiteUrl } from '../../model';
import { UserError } from '../errors';

export const site = z.string().min(1).max(200);
export const accountId = z.string().min(1).max(200);
/** What an admin types as a site address, normalised by `parseSite`. */
export const siteInput = z.string().min(1).max(200);

export function parseSite(input: string): { site: SiteUrl; name: string } {
  const n = normaliseSiteUrl(input);
  if (!n.ok) throw new UserError(n.error);
  return { site: n.site, name: n.name };
}
