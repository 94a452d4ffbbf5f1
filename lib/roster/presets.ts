/**
 * Roster files people actually have: the user exports of Google Workspace and Okta, and the
 * custom reports of the usual HR systems. A preset is recognised from columns only that system
 * writes (its signature); it then says which of its columns feed which Person field, and its
 * system's status vocabulary (status.ts `LEFT_STATUSES`) applies to its status column. Fields a
 * preset does not name fall back to the generic aliases (columns.ts), and the admin can still
 * correct every column in the import preview.
 *
 * Each preset cites where its column names come from. Headers are compared in `headerKey` form
 * (case, spaces and punctuation ignored: "Email Address [Required]" → "emailaddressrequired");
 * signatures in `signatureKey` form, which keeps `#` ("Employee #" → "employee#").
 *
 * Pure: no browser APIs.
 */
import { autoMapColumns, type ColumnMapping, type RosterField } from './columns';
import type { RosterSystem } from './status';

export interface RosterPreset {
  id: string;
  system: RosterSystem;
  /** What the preview says: "Recognised: <label>". */
  label: string;
  /** Alternatives; the preset is recognised when every key of one of them is a header. */
  signatures: readonly (readonly string[])[];
  /** Per field, this export's columns in `headerKey` form, best first (before the generic aliases). */
  columns: ReadonlyMap<RosterField, readonly string[]>;
}

/** Like `headerKey`, but "#" counts: "Employee #" is BambooHR's, "Employee" is anyone's. */
export function signatureKey(header: string): string {
  return header.normalize('NFKD').toLowerCase().replace(/[^a-z0-9#]/g, '');
}

function preset(
  id: string,
  system: RosterSystem,
  label: string,
  signatures: readonly (readonly string[])[],
  columns: readonly (readonly [RosterField, readonly string[]])[],
): RosterPreset {
  return { id, system, label, signatures, columns: new Map(columns) };
}

/** Most specific first: the first preset whose signature matches wins. */
export const ROSTER_PRESETS: readonly RosterPreset[] = [
  // Admin console → Directory → Users → Download users (Google Workspace Admin Help, "Download a
  // list of users", support.google.com/a/answer/7348070). Its columns are those of the bulk
  // update template ("Add or update multiple users from a CSV file", answer/40057): First Name
  // [Required], Last Name [Required], Email Address [Required], Password [Required], Password
  // Hash Function [UPLOAD ONLY], Org Unit Path [Required], New Primary Email [UPLOAD ONLY],
  // Status [READ ONLY], Last Sign In [READ ONLY], Recovery Email, Home Secondary Email, Work
  // Secondary Email, Recovery Phone [MUST BE IN THE E.164 FORMAT], Work Phone, Home Phone, Mobile
  // Phone, Work Address, Home Address, Employee ID, Employee Type, Employee Title, Manager Email,
  // Department, Cost Center, 2sv Enrolled [READ ONLY], … , New Status [UPLOAD ONLY]. "New Status
  // [UPLOAD ONLY]" is empty in a download and never read; "Status [READ ONLY]" is Active,
  // Suspended or Archived.
  preset(
    'google-workspace-users',
    'google-workspace',
    'Google Workspace user export',
    [['emailaddressrequired']],
    [
      ['email', ['emailaddressrequired']],
      ['firstName', ['firstnamerequired']],
      ['lastName', ['lastnamerequired']],
      ['status', ['statusreadonly']],
      ['altEmails', ['worksecondaryemail', 'homesecondaryemail', 'recoveryemail']],
      ['employeeType', ['employeetype']],
      ['department', ['department']],
      ['manager', ['manageremail']],
    ],
  ),
  // Okta Admin Console → Reports → Okta Password Health, a CSV (Okta Help, "Okta Password Health
  // Report"): User (display name), Login (often the email address), Status, Activation date,
  // Authentication Source, Last Login, Last Password Change. Status is the user status (Okta
  // Support, "How to understand the different user statuses in the Admin Console").
  preset(
    'okta-password-health',
    'okta',
    'Okta Password Health report',
    [['login', 'authenticationsource', 'lastpasswordchange']],
    [
      ['name', ['user']],
      ['email', ['login']],
      ['status', ['status']],
    ],
  ),
  // Okta Admin Console → Reports → Entitlements and Access → User Accounts → CSV Export (Okta
  // Help, "User Accounts report"): a user's Okta username, full name, primary email, Okta user
  // status and status change date, under the report's field names.
  preset(
    'okta-user-accounts',
    'okta',
    'Okta User Accounts report',
    [['oktauserstatus']],
    [
      ['name', ['userfullname', 'user']],
      ['email', ['primaryemail', 'oktausername', 'username']],
      ['status', ['oktauserstatus']],
    ],
  ),
  // Okta user profiles by attribute name: the Directory → People → Import Users from CSV template
  // ("The template includes headers for all of the attributes defined in your current Okta User
  // profile": login, firstName, lastName, email mandatory, secondEmail…; Okta Support, "How to
  // import users from a CSV file") and the exports of scripts over the Users API, which add the
  // user's `status` (Okta Management API, User object).
  preset(
    'okta-user-profiles',
    'okta',
    'Okta user list (profile attributes)',
    [['login', 'firstname', 'lastname', 'email', 'secondemail']],
    [
      ['email', ['email', 'login']],
      ['name', ['displayname']],
      ['firstName', ['firstname']],
      ['lastName', ['lastname']],
      ['status', ['status']],
      ['altEmails', ['secondemail']],
      ['employeeType', ['usertype']],
      ['department', ['department']],
      ['manager', ['manager']],
    ],
  ),
  // BambooHR custom reports: the fields of BambooHR's "Field Names" list (BambooHR API docs,
  // documentation.bamboohr.com/docs/list-of-field-names) under their labels — Employee #,
  // Status (Active/Inactive), Employment Status (Full-Time, Part-Time… Terminated), First Name,
  // Last Name, Preferred Name, Display Name, Work Email, Home Email, Hire Date, Termination Date,
  // Department, Reports To — or under their API names (employeeNumber, status,
  // employmentHistoryStatus, workEmail, homeEmail, hireDate, terminationDate, supervisor).
  preset(
    'bamboohr-report',
    'bamboohr',
    'BambooHR report',
    [['employee#', 'workemail'], ['employee#', 'status'], ['employmenthistorystatus']],
    [
      ['email', ['workemail']],
      ['status', ['status', 'employmenthistorystatus', 'employmentstatus']],
      ['endDate', ['terminationdate']],
      ['startDate', ['hiredate', 'originalhiredate']],
      ['altEmails', ['homeemail']],
      ['manager', ['reportsto', 'supervisor']],
    ],
  ),
  // HiBob (bob) reports: "Lifecycle status" (Hired, Employed, Terminated, Garden leave, Leave,
  // Parental leave) is bob's own (HiBob Help, "View employees' lifecycle statuses and changes");
  // the API names the fields internal.lifecycleStatus, internal.status, internal.terminationDate,
  // work.startDate, work.reportsTo, firstName, surname, displayName, email (HiBob API docs,
  // "Explore Employee data API").
  preset(
    'hibob-report',
    'hibob',
    'HiBob report',
    [['lifecyclestatus'], ['internallifecyclestatus']],
    [
      ['email', ['email', 'workemail']],
      ['name', ['displayname']],
      ['lastName', ['lastname', 'surname']],
      ['status', ['lifecyclestatus', 'internallifecyclestatus', 'status', 'internalstatus']],
      ['endDate', ['terminationdate', 'internalterminationdate']],
      ['startDate', ['startdate', 'workstartdate']],
      ['manager', ['reportsto', 'workreportsto']],
      ['department', ['department', 'workdepartment']],
    ],
  ),
  // Personio employee attributes (Personio Personnel Data API, GET /company/employees:
  // first_name, last_name, preferred_name, email, status, hire_date, contract_end_date,
  // termination_date, supervisor, subcompany, probation_period_end, employment_type…); status is
  // active, onboarding, leave or inactive (Personio changelog, "Employee API: added status field").
  preset(
    'personio-export',
    'personio',
    'Personio employee export',
    [['subcompany'], ['probationperiodend']],
    [
      ['status', ['status']],
      ['endDate', ['terminationdate', 'contractenddate', 'contractends']],
      ['startDate', ['hiredate']],
      ['manager', ['supervisor']],
      ['employeeType', ['employmenttype']],
    ],
  ),
  // Rippling custom report (Tools → Reports → New Report): Employee name, Legal first name, Legal
  // last name, Work email, Title, Manager - Work email, Employment status (Active, Terminated,
  // Hired, Accepted) (Lattice Help, "Import your organization from Rippling"); the API's
  // `roleState` (Rippling Base API, GET /employees: "The only guaranteed fields include id,
  // personalEmail, and roleState").
  preset(
    'rippling-report',
    'rippling',
    'Rippling report',
    [['managerworkemail'], ['rolestate']],
    [
      ['name', ['employeename']],
      ['email', ['workemail']],
      ['status', ['employmentstatus', 'rolestate']],
      ['altEmails', ['personalemail']],
      ['manager', ['manager', 'managerworkemail']],
    ],
  ),
  // Gusto reports (Reports → Employee summary / custom report; Gusto Help, "View, download, and
  // customize reports in Gusto") carry the "Gusto employee ID" (Gusto Help, "Run payroll with CSV
  // upload": "Use the Employee report builder for a report of all employee IDs"; the CSV column
  // is gusto_employee_id). Gusto keeps a work email and a personal email (Gusto API Employee:
  // work_email, email), and calls a termination a dismissal.
  preset(
    'gusto-report',
    'gusto',
    'Gusto report',
    [['gustoemployeeid']],
    [
      ['email', ['workemail']],
      ['altEmails', ['personalemail', 'email']],
      ['status', ['employmentstatus', 'status']],
      ['endDate', ['terminationdate', 'dismissaldate']],
      ['startDate', ['hiredate', 'startdate']],
    ],
  ),
  // Workday custom reports (data source "All Active and Terminated Workers", Merge Help,
  // "Workday: How do I send HRIS data via SFTP"): Worker, Employee ID, Legal First/Last Name,
  // Email - Primary Work (Workday REST: "Primary work email"; WQL email_PrimaryWork), Worker
  // Status, Hire Date, Termination Date, Worker Type, Manager, Supervisory Organization
  // (Workato docs, "Workday REST - New worker trigger"; SailPoint, "Workday account attributes").
  preset(
    'workday-report',
    'workday',
    'Workday report',
    [['supervisoryorganization'], ['primarysupervisoryorganization'], ['emailprimarywork'], ['primaryworkemail']],
    [
      ['name', ['worker', 'legalname']],
      ['email', ['emailprimarywork', 'primaryworkemail', 'workemail']],
      ['status', ['workerstatus', 'employeestatus', 'status']],
      ['endDate', ['terminationdate', 'endemploymentdate']],
      ['startDate', ['hiredate', 'originalhiredate']],
      ['employeeType', ['workertype', 'employeetype']],
      ['department', ['department', 'supervisoryorganization', 'primarysupervisoryorganization']],
    ],
  ),
  // Deel people exports (People → All people; Deel Help, "How to bulk edit workers'
  // information"): the API's hiring_status / hiring_type (Deel API, "Retrieve offboarding list":
  // hiring_types contractor or employee), the worker's "Last day of work" (when "access is
  // removed") and "Desired contract end date" (Deel Help, "How to begin the termination process
  // in bulk…"), contract status active, pending or ended (Siit docs, "Deel").
  preset(
    'deel-export',
    'deel',
    'Deel people export',
    [['hiringstatus'], ['hiringtype'], ['deelworkerid']],
    [
      ['name', ['workername', 'fullname', 'name']],
      ['email', ['workemail', 'email']],
      ['altEmails', ['personalemail']],
      ['status', ['hiringstatus', 'contractstatus', 'workerstatus', 'status']],
      ['endDate', ['lastdayofwork', 'contractenddate', 'desiredcontractenddate', 'enddate']],
      ['employeeType', ['hiringtype', 'contracttype', 'workertype']],
    ],
  ),
];

/** The preset whose signature the headers carry, most specific first; null for any other file. */
export function detectPreset(headers: readonly string[]): RosterPreset | null {
  const keys = new Set(headers.map(signatureKey));
  return ROSTER_PRESETS.find((p) => p.signatures.some((sig) => sig.every((k) => keys.has(k)))) ?? null;
}

export interface RosterRecognition {
  preset: RosterPreset | null;
  /** The preset's columns first, then the generic aliases; what the preview shows first. */
  mapping: ColumnMapping;
}

export function recogniseRoster(headers: readonly string[]): RosterRecognition {
  const found = detectPreset(headers);
  return { preset: found, mapping: autoMapColumns(headers, found?.columns) };
}

/**
 * The system whose status vocabulary applies to `mapping`'s status column: the preset's, as long
 * as the status column is the one the preset chose (a status read from another column, chosen
 * by hand, is judged by the generic words only).
 */
export function statusSystem(recognition: RosterRecognition, mapping: ColumnMapping): RosterSystem | null {
  const { preset: found } = recognition;
  if (found === null || mapping.status === null) return null;
  return mapping.status === recognition.mapping.status ? found.system : null;
}
