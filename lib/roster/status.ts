import type { Person } from '../model';

/** Status texts that say the person has left (compared lower-case, `-`/`_` as spaces). */
const TERMINATED_STATUSES = new Set([
  'terminated', 'inactive', 'former', 'offboarded', 'left', 'separated', 'resigned', 'retired',
  'dismissed', 'deactivated', 'ex employee', 'exemployee', 'leaver', 'former employee',
  'not active', 'no longer employed', 'withdrawn',
]);
/**
 * HR systems add detail after these words ("Terminated - voluntary", "Retired (2024)"); they are
 * unambiguous as the first word. "Active - leaving" starts with "active", so it stays active.
 */
const TERMINATED_FIRST_WORDS = new Set([
  'terminated', 'offboarded', 'separated', 'resigned', 'retired', 'dismissed', 'deactivated', 'former',
]);

/** The systems whose exports lib/roster/presets.ts recognises. */
export type RosterSystem =
  | 'google-workspace'
  | 'okta'
  | 'bamboohr'
  | 'rippling'
  | 'gusto'
  | 'hibob'
  | 'personio'
  | 'workday'
  | 'deel';

/**
 * Per system, the status values of its exports that mean the person has left, as the system
 * writes them (shown in the import preview). Values that mean "left" in every HR file (Inactive,
 * Terminated, Offboarded, Dismissed, Deactivated…) are above and count whatever the file; the
 * values here count only when the file is that system's export and its status column is the
 * one the preset read, because elsewhere they mean something else: "Suspended" in an HR system
 * is a disciplinary suspension of someone still employed, "Archived" a record, "Ended" a
 * contract that may be renewed. Everything not listed (Active, On leave, Onboarding, Hired,
 * Garden leave, Locked out, Pending user action…) means still employed.
 */
export const LEFT_STATUSES: ReadonlyMap<RosterSystem, readonly string[]> = new Map<RosterSystem, readonly string[]>([
  // Google Workspace's user list: "Status [READ ONLY]" is Active, Suspended or Archived.
  // "When a user leaves your institution, you can archive their account" (Google Workspace Admin
  // Help, "Archive users in Education editions", support.google.com/a/answer/15739153, and
  // "Archive or unarchive users", answer/9048772); admins suspend a leaver's account to stop
  // sign-in while keeping the data (issue 10: Suspended means left in this export).
  ['google-workspace', ['Suspended', 'Archived']],
  // Okta user statuses (Okta Support, "How to understand the different user statuses in the
  // Admin Console"; Okta Management API `UserStatus`: STAGED, PROVISIONED, ACTIVE, RECOVERY,
  // PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED). The API's DEPROVISIONED is the
  // console's "Deactivated"; a suspended user "can't access apps" until unsuspended (issue 10:
  // counts as left). Pending user action, Password reset, Password expired, Locked out: still there.
  ['okta', ['DEPROVISIONED', 'Deactivated', 'SUSPENDED']],
  // BambooHR's `status` field is Active or Inactive; `employmentHistoryStatus` becomes
  // "Terminated" on termination (BambooHR API docs, "Field Names").
  ['bamboohr', ['Inactive', 'Terminated']],
  // Rippling's "Employment status": Active, Terminated, Hired, Accepted (Lattice Help, "Import
  // your organization from Rippling": "Lattice only accepts Active and Terminated … Users marked
  // as Hired or Accepted …").
  ['rippling', ['Terminated']],
  // Gusto employees are Active, Onboarding or Dismissed (Gusto Embedded changelog, "Added
  // Employee Management flow"); reports say Terminated (Gusto webhook `employee.terminated`).
  ['gusto', ['Dismissed', 'Terminated']],
  // HiBob lifecycle statuses: Hired, Employed, Terminated, Garden leave, Leave, Parental leave;
  // access status Active or Inactive (HiBob Help, "View employees' lifecycle statuses and changes").
  ['hibob', ['Terminated', 'Inactive']],
  // Personio employee status: active, onboarding, leave, inactive (Personio Developer Hub
  // changelog, "Employee API: added status field"; GET /v2/persons `INACTIVE` = latest
  // employment status inactive).
  ['personio', ['inactive']],
  // Workday worker status: Active, Terminated, On Leave; custom reports on "All Active and
  // Terminated Workers" carry both (Merge Help, "Workday: How do I send HRIS data via SFTP").
  ['workday', ['Terminated']],
  // Deel: onboarding statuses end in ACTIVE; offboarding ends the contract (Deel Help, "Frequently
  // asked questions about onboarding Global Payroll employees", "How to access the employee
  // offboarding tracker"); a worker's contract status is active, pending or ended.
  ['deel', ['Offboarded', 'Inactive', 'Ended']],
]);

function normaliseStatus(status: string): string {
  return status.trim().toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

const LEFT_BY_SYSTEM = new Map(
  [...LEFT_STATUSES].map(([system, values]) => [system, new Set(values.map(normaliseStatus))] as const),
);

/**
 * True when the status text itself says the person left. `system` is the system whose export
 * the status comes from (a recognised preset's, for its own status column), or null.
 */
export function isTerminatedStatus(status: string | null, system: RosterSystem | null = null): boolean {
  if (status === null) return false;
  const s = normaliseStatus(status);
  if (TERMINATED_STATUSES.has(s)) return true;
  if (system !== null && LEFT_BY_SYSTEM.get(system)?.has(s) === true) return true;
  const firstWord = /^[a-z]+/.exec(s)?.[0];
  return firstWord !== undefined && TERMINATED_FIRST_WORDS.has(firstWord);
}

/**
 * A person is terminated when the status says so or the end date is today or earlier (`today` is
 * YYYY-MM-DD in the admin's time zone, see `todayIn`). A future end date means still active.
 */
export function isTerminated(person: Person, today: string): boolean {
  return person.statusTerminated || (person.endDate !== null && person.endDate <= today);
}
