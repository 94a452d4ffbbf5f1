/**
 * The product's shared vocabulary. Everything that crosses a module boundary (sync → store →
 * matching → flags → export → UI) is one of these types. Keep this file free of logic.
 */
import type { z } from 'zod';
import type { ownerMarkInputSchema, personSchema } from './model-schema';
import type { ActivityFacts } from './activity/types';

export type { ActivityFacts };

/** A site is identified by its canonical URL: `https://<name>.atlassian.net` (lower case, no slash). */
export type SiteUrl = string;

export type Role = 'admin' | 'write' | 'read' | 'none';
export type AccountType = 'atlassian' | 'app' | 'unknown';
export type AccountStatus = 'active' | 'inactive' | 'unknown';
export type EmailSource = 'confluence' | 'jira' | 'none';
export type FilteredReason = 'app' | 'inactive';

export interface GroupRef {
  id: string;
  name: string;
}

export interface Operation {
  operation: string;
  targetType: string;
}

/** One Confluence account as the last complete sync saw it. */
export interface SyncedAccount {
  site: SiteUrl;
  accountId: string;
  displayName: string;
  publicName: string;
  email: string | null;
  emailSource: EmailSource;
  accountType: AccountType;
  status: AccountStatus;
  /** Which signal decided `status`, in words, e.g. `users-bulk accountStatus "closed"`. */
  statusSignal: string | null;
  isGuest: boolean;
  /** Monitored groups the account is a member of, sorted by name. */
  groups: GroupRef[];
  role: Role;
  operations: Operation[];
  /** Set when the account is kept out of the review. */
  filteredReason: FilteredReason | null;
  /** One line saying why it was filtered (`App account (accountType "app")`). */
  filteredDetail: string | null;
}

/** One row of the personnel roster after import (shape: `personSchema` in ./model-schema.ts). */
export type Person = z.infer<typeof personSchema>;

export interface RosterMeta {
  fileName: string;
  importedAt: string;
  people: number;
}

export type OwnerMarkInput = z.infer<typeof ownerMarkInputSchema>;
/** What a reviewer said about who owns an account, stamped by the background. One mark per account; clearing removes it. */
export type OwnerMark = OwnerMarkInput & { at: string };

export interface AccountMark {
  site: SiteUrl;
  accountId: string;
  mark: OwnerMark;
}

export type MatchRule = 'manual' | 'email' | 'name' | 'none';

export interface MatchResult {
  rule: MatchRule;
  personId: string | null;
  /** For `name` matches: whether the reviewer confirmed it. Always true for manual/email. */
  confirmed: boolean;
  /** Person ids that tied on name when there was no unique match. */
  candidates: string[];
  /** One line, shown in the UI and the export. */
  explanation: string;
}

export type OwnerType = 'person' | 'external' | 'service' | 'none';

export type Flag =
  | 'unattributed'
  | 'should_revoke'
  | 'revoke_overdue'
  | 'needs_confirmation'
  | 'privileged_guest'
  /** Last activity data (lib/activity/flags.ts). */
  | 'dormant'
  | 'admin_without_2sv';

export interface FlagResult {
  flag: Flag;
  explanation: string;
}

/** An account with everything the review shows about it. Derived, never stored. */
export interface ReviewRow {
  account: SyncedAccount;
  match: MatchResult;
  person: Person | null;
  ownerType: OwnerType;
  mark: OwnerMark | null;
  flags: FlagResult[];
  /** Last activity and two-step verification, merged from every source (lib/activity). */
  activity: ActivityFacts;
}

export interface ReviewSettings {
  /** "Offboarding grace period (days)", default 3. */
  graceDays: number;
  /** "Dormant after (days)", default 90. */
  dormantDays: number;
}

/** How often sites are reviewed and how soon review decisions must be carried out (global). */
export interface ReviewCadence {
  /** "Review every (days)", default 90: a site whose last completed review is older is due. */
  reviewEveryDays: number;
  /** "Remediation due (days)", default 14: pending Revoke/Modify items older than this are overdue. */
  remediationDueDays: number;
}

/** A site an OAuth grant reaches (accessible-resources), shown when the wanted one is missing. */
export interface GrantedSite {
  url: string;
  name: string;
}

export interface SyncProgress {
  runId: string;
  startedAt: string;
  groupsDone: number;
  groupsTotal: number;
  accountsFetched: number;
  phase: 'members' | 'status' | 'email' | 'finishing';
}

export interface SyncRunRecord {
  id: string;
  site: SiteUrl;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'schedule' | 'groups-saved' | 'resume';
  error: string | null;
  /** Remarks that did not fail the run (e.g. "Jira user lookup not permitted …", "Resumed at …"). */
  notes: string[];
  groups: { id: string; name: string; members: number; done: boolean }[];
  accounts: number;
  requests: number;
}
