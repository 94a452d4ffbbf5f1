/**
 * The organisation behind a scenario's sites, as the organisation admin API (admin.ts) and the
 * admin user exports (user-export.ts) see it: its id and API keys, and per account when it joined,
 * its status, whether its email domain is verified ("managed"), its two-step verification, and its
 * last activity per product and site. Optional in a scenario (`organisation`); a scenario without
 * one has no admin API (every key is refused).
 */
import { z } from 'zod';

/** atlassian-api.md §8: legacy 24-hex or `<number>:<uuid>`. (Same rule as scenario.ts.) */
const ACCOUNT_ID_RE = /^(?:[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Admin OpenAPI `UserProductLastActive.key` (admin_organization.json). */
export const ORG_PRODUCT_KEYS = [
  'jira-software', 'jira-service-desk', 'jira-core', 'jira-ops', 'stride', 'hipchat',
  'confluence', 'bitbucket', 'trello', 'opsgenie', 'statuspage',
] as const;

const OrgProductAccessSchema = z.object({
  key: z.enum(ORG_PRODUCT_KEYS),
  /** Scenario site name; the API answers with that site's cloud id as the product instance id. */
  site: z.string().min(1),
  /** The last day the account viewed a page of the product on the site for 2 s or more (§11). */
  lastActive: isoDate,
});

const OrgUserSchema = z.object({
  accountId: z.string().regex(ACCOUNT_ID_RE),
  /** Claimed through a verified domain: only managed accounts report `mfaEnabled` (jira.js `MultiDirectoryUser`). */
  managed: z.boolean().default(false),
  mfaEnabled: z.boolean().default(false),
  accountStatus: z.enum(['active', 'inactive', 'closed']).default('active'),
  addedToOrg: isoDate,
  /** Only products the account used: "If the user has not accessed a product, the product_access response field will be empty". */
  productAccess: z.array(OrgProductAccessSchema).default([]),
});

export const OrganisationSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  /** Valid organisation API keys (`Authorization: Bearer <key>` on api.atlassian.com/admin). */
  apiKeys: z.array(z.string().min(1)).min(1),
  users: z.array(OrgUserSchema),
});

export type Organisation = z.output<typeof OrganisationSchema>;
export type OrganisationInput = z.input<typeof OrganisationSchema>;
export type OrgUser = Organisation['users'][number];
export type OrgProductAccess = OrgUser['productAccess'][number];
