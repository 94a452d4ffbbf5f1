/**
 * The product's shared vocabulary. Everything that crosses a module boundary (sync → store →
 * matching → flags → export → UI) is one of these types. Keep this file free of logic.
 */

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

/** One row of the personnel roster after import. */
export interface Person {
  /** Stable across re-imports: `email:<work email lower-case>` or else `name:<normalised name>`. */
  id: string;
  name: string;
  workEmail: string | null;
  altEmails: string[];
  /** Raw status text from the HR export, if any. */
  status: string | null;
  /** True when the status text itself says the person left (Terminated, Inactive, Former, …). */
  statusTerminated: boolean;
  /** ISO dates `YYYY-MM-DD` (calendar dates, no time zone). */
  endDate: string | null;
  startDate: string | null;
  employeeType: string | null;
  department: string | null;
  manager: string | null;
  /** 1-based data row number in the imported file (header is row 1, so first data row is 2). */
  row: number;
}

export interface RosterMeta {
  fileName: string;
  importedAt: string;
  people: number;
}

/** What a reviewer said about who owns an account. One mark per account; clearing removes it. */
export type OwnerMark =
  | { kind: 'link'; personId: string; at: string }
  /** Confirms a display-name match to this person. */
  | { kind: 'confirm'; personId: string; at: string }
  /** "This account is not that person": the automatic match to `personId` is ignored. */
  | { kind: 'unlink'; personId: string; at: string }
  | { kind: 'external'; reason: string; at: string }
  | { kind: 'service'; reason: string; at: string };

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
  | 'privileged_guest';

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
}

export interface ReviewSettings {
  /** "Offboarding grace period (days)", default 3. */
  graceDays: number;
}
