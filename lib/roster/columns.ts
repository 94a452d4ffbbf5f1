/**
 * Which roster column feeds which Person field. `autoMapColumns` guesses from the header names;
 * the UI shows the guess, lets the admin correct it, and passes it back to `parseRoster`.
 */
import { z } from 'zod';

export const ROSTER_FIELDS = [
  'email',
  'name',
  'firstName',
  'lastName',
  'preferredName',
  'status',
  'endDate',
  'startDate',
  'altEmails',
  'employeeType',
  'department',
  'manager',
] as const;

export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Each field → the exact header text of the column it comes from, or null when absent. */
export type ColumnMapping = Record<RosterField, string | null>;

export const columnMappingSchema = z.object(
  Object.fromEntries(ROSTER_FIELDS.map((f) => [f, z.string().min(1).nullable()])) as Record<
    RosterField,
    z.ZodNullable<z.ZodString>
  >,
);

/**
 * Header aliases per field, already in `headerKey` form, best first: when a file has both
 * "Work Email" and "Email", the work email wins. A Map, like every lookup table in lib/roster.
 * Besides the usual HR export names, these are the labels the custom-report builders of HR
 * systems give their fields ("Employee name", "Work email", "Employment status", "Employment end
 * date", "Contract end date", "Legal first name", "Reports to"…); the exports that need more
 * than a label (Google Workspace's "[Required]" columns, Okta's reports) are presets.ts.
 */
export const HEADER_ALIASES: ReadonlyMap<RosterField, readonly string[]> = new Map<RosterField, readonly string[]>([
  [
    'email',
    [
      'workemail', 'workemailaddress', 'primaryworkemail', 'emailprimarywork', 'primaryemail', 'primaryemailaddress',
      'email', 'emailaddress',
    ],
  ],
  ['name', ['fullname', 'employeename', 'employeefullname', 'workername', 'displayname', 'name']],
  ['firstName', ['firstname', 'givenname', 'legalfirstname']],
  ['lastName', ['lastname', 'surname', 'familyname', 'legallastname']],
  ['preferredName', ['preferredname', 'preferredfirstname']],
  ['status', ['employmentstatus', 'employeestatus', 'workerstatus', 'status']],
  [
    'endDate',
    [
      'terminationdate', 'enddate', 'employmentenddate', 'lastday', 'lastdayofwork', 'contractenddate',
      'terminationeffectivedate', 'separationdate', 'leavingdate', 'exitdate', 'dismissaldate',
    ],
  ],
  ['startDate', ['startdate', 'hiredate', 'employmentstartdate', 'originalhiredate', 'joiningdate']],
  [
    'altEmails',
    [
      'alternateemails', 'alternateemail', 'alternativeemail', 'secondaryemail', 'personalemail',
      'alternateemailaddress', 'secondaryemailaddress', 'personalemailaddress', 'homeemail', 'secondemail',
    ],
  ],
  ['employeeType', ['employeetype', 'workertype', 'employmenttype']],
  ['department', ['department']],
  ['manager', ['manager', 'managername', 'reportsto', 'linemanager', 'supervisor']],
]);

/** Case, spaces and punctuation do not matter in headers: "Work E-mail" → "workemail". */
export function headerKey(header: string): string {
  return header.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(ROSTER_FIELDS.map((f) => [f, null])) as ColumnMapping;
}

/**
 * Guesses the mapping from header names; the first header that matches the best alias wins.
 * `preferred` (a preset's own columns, in `headerKey` form) is tried before the aliases of each
 * field. A header feeds at most one field.
 */
export function autoMapColumns(
  headers: readonly string[],
  preferred: ReadonlyMap<RosterField, readonly string[]> = new Map(),
): ColumnMapping {
  const byKey = new Map<string, string>();
  for (const h of headers) {
    const key = headerKey(h);
    if (key !== '' && !byKey.has(key)) byKey.set(key, h);
  }
  const mapping = emptyMapping();
  const used = new Set<string>();
  for (const field of ROSTER_FIELDS) {
    for (const alias of [...(preferred.get(field) ?? []), ...(HEADER_ALIASES.get(field) ?? [])]) {
      const header = byKey.get(alias);
      if (header !== undefined && !used.has(header)) {
        mapping[field] = header;
        used.add(header);
        break;
      }
    }
  }
  return mapping;
}

/** A roster is usable only if each row can name someone: an email or a name column. */
export function hasIdentityColumn(mapping: ColumnMapping): boolean {
  return (
    mapping.email !== null ||
    mapping.name !== null ||
    mapping.firstName !== null ||
    mapping.lastName !== null ||
    mapping.preferredName !== null
  );
}
