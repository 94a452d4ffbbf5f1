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
 */
export const HEADER_ALIASES: ReadonlyMap<RosterField, readonly string[]> = new Map<RosterField, readonly string[]>([
  ['email', ['workemail', 'workemailaddress', 'primaryemail', 'primaryemailaddress', 'email', 'emailaddress']],
  ['name', ['fullname', 'displayname', 'name']],
  ['firstName', ['firstname', 'givenname']],
  ['lastName', ['lastname', 'surname', 'familyname']],
  ['preferredName', ['preferredname', 'preferredfirstname']],
  ['status', ['employmentstatus', 'status']],
  ['endDate', ['terminationdate', 'enddate', 'lastday', 'lastdayofwork']],
  ['startDate', ['startdate', 'hiredate']],
  [
    'altEmails',
    [
      'alternateemails', 'alternateemail', 'alternativeemail', 'secondaryemail', 'personalemail',
      'alternateemailaddress', 'secondaryemailaddress', 'personalemailaddress',
    ],
  ],
  ['employeeType', ['employeetype', 'workertype']],
  ['department', ['department']],
  ['manager', ['manager']],
]);

/** Case, spaces and punctuation do not matter in headers: "Work E-mail" → "workemail". */
export function headerKey(header: string): string {
  return header.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(ROSTER_FIELDS.map((f) => [f, null])) as ColumnMapping;
}

/** Guesses the mapping from header names; the first header that matches the best alias wins. */
export function autoMapColumns(headers: readonly string[]): ColumnMapping {
  const byKey = new Map<string, string>();
  for (const h of headers) {
    const key = headerKey(h);
    if (key !== '' && !byKey.has(key)) byKey.set(key, h);
  }
  const mapping = emptyMapping();
  for (const field of ROSTER_FIELDS) {
    for (const alias of HEADER_ALIASES.get(field) ?? []) {
      const header = byKey.get(alias);
      if (header !== undefined) {
        mapping[field] = header;
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
