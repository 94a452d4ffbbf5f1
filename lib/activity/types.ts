/**
 * The vocabulary of last-activity and two-step-verification data (issue 11), shared by the user
 * export import (user-export.ts), the organisation API phase (org-api.ts, phase.ts) and the flag
 * rules (flags.ts). Plain, JSON-safe records: they cross the page → background message boundary
 * and go into IndexedDB, so each has a zod schema for validating them there.
 *
 * Dates are calendar dates `YYYY-MM-DD` as Atlassian writes them (UTC days,
 * ../shared/atlassian-api.md §11); they are compared with the admin's local "today" like
 * every other date in the review (lib/roster/dates.ts).
 */
import { z } from 'zod';

/** A calendar date `YYYY-MM-DD`. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** Admin OpenAPI `User.account_id`: "The format is [a-zA-Z0-9_|-:]{1,128}" (../shared/atlassian-api.md §11). */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_|:-]{1,128}$/;

/** A calendar date, `'never'` (Atlassian says the account never used it), or null when unknown. */
export const lastActiveSchema = z.union([isoDateSchema, z.literal('never')]).nullable();
export type LastActive = z.infer<typeof lastActiveSchema>;

/** Two-step verification: on, off, or null when the source does not say. */
export const mfaSchema = z.enum(['on', 'off']).nullable();
export type Mfa = z.infer<typeof mfaSchema>;

/**
 * What a last-active date covers. `site`: Confluence on the connected site (the user export's
 * `Last seen in Confluence - <site>` column, the API's `product_access` entry for the site).
 * `organisation`: any Atlassian product anywhere in the organisation (the managed-accounts export's
 * `Last active date [UTC]`), which is never earlier than the last Confluence activity, so a date
 * older than the dormancy threshold still proves dormancy, but a recent one proves nothing.
 */
export const activityScopeSchema = z.enum(['site', 'organisation']);
export type ActivityScope = z.infer<typeof activityScopeSchema>;

/** One account's activity as one source reports it. Matched to review accounts by `accountId` only. */
export const accountActivitySchema = z.object({
  accountId: z.string().min(1).max(128),
  lastActive: lastActiveSchema,
  lastActiveScope: activityScopeSchema,
  mfa: mfaSchema,
  /** Account status in the organisation, where the source gives it. */
  status: z.enum(['active', 'inactive']).nullable(),
  /** When the account joined the organisation, where the source gives it. */
  addedToOrg: isoDateSchema.nullable(),
});
export type AccountActivity = z.infer<typeof accountActivitySchema>;

export const activitySourceKindSchema = z.enum(['user-export', 'managed-accounts-export', 'org-api']);
export type ActivitySourceKind = z.infer<typeof activitySourceKindSchema>;

/** Where a fact came from and the date it is as of (an export's data date, the day the API answered). */
export const activitySourceSchema = z.object({
  kind: activitySourceKindSchema,
  date: isoDateSchema,
});
export type ActivitySource = z.infer<typeof activitySourceSchema>;

/** A last-active date with what it covers and where it came from: what the dormant rule reads. */
export interface LastActiveFact {
  value: string | 'never';
  scope: ActivityScope;
  source: ActivitySource;
  addedToOrg: string | null;
}

export interface MfaFact {
  value: 'on' | 'off';
  source: ActivitySource;
}

/** Everything known about one account's activity, after merging every source (see mergeActivity). */
export interface ActivityFacts {
  lastActive: LastActiveFact | null;
  mfa: MfaFact | null;
}

export const NO_ACTIVITY_FACTS: ActivityFacts = { lastActive: null, mfa: null };

/**
 * The facts for one account from several sources (e.g. a user export and the organisation API).
 * Last active: a site-scoped date beats an organisation-wide one (it answers the question asked),
 * then the newer source wins. 2SV: the newer source wins. A source that does not know a fact
 * (null) never hides one that does.
 */
export function mergeActivity(reports: readonly { activity: AccountActivity; source: ActivitySource }[]): ActivityFacts {
  let lastActive: LastActiveFact | null = null;
  let mfa: MfaFact | null = null;
  for (const { activity, source } of reports) {
    if (activity.lastActive !== null) {
      const candidate: LastActiveFact = { value: activity.lastActive, scope: activity.lastActiveScope, source, addedToOrg: activity.addedToOrg };
      if (lastActive === null || betterLastActive(candidate, lastActive)) lastActive = candidate;
    }
    if (activity.mfa !== null && (mfa === null || source.date > mfa.source.date)) mfa = { value: activity.mfa, source };
  }
  return { lastActive, mfa };
}

function betterLastActive(a: LastActiveFact, b: LastActiveFact): boolean {
  if (a.scope !== b.scope) return a.scope === 'site';
  return a.source.date > b.source.date;
}
