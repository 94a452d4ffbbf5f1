/** zod pieces the request schemas share. */
import { z } from 'zod';
import { normaliseSiteUrl } from '../../atlassian/site-url';
import { REVIEW_FILTERS, REVIEW_SORTS } from '../../review/filters';
import type { SiteUrl } from '../../model';
import { UserError } from '../errors';

export const site = z.string().min(1).max(200);

/** A page of a review as the side panel asks for it (the live review, or an access review's snapshot). */
export const reviewPageFields = {
  filter: z.enum(REVIEW_FILTERS).default('review'),
  search: z.string().max(320).default(''),
  sort: z.enum(REVIEW_SORTS).default('severity'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(0).max(500).default(100),
};
export const accountId = z.string().min(1).max(200);
/** What an admin types as a site address, normalised by `parseSite`. */
export const siteInput = z.string().min(1).max(200);

export function parseSite(input: string): { site: SiteUrl; name: string } {
  const n = normaliseSiteUrl(input);
  if (!n.ok) throw new UserError(n.error);
  return { site: n.site, name: n.name };
}
