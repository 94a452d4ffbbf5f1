/**
 * Roster presets (issue 10, "Roster files people actually have"): each export is recognised from
 * its header row, imports without correction, and its system's status values mean "left" where
 * they do — and only there. Every case is a header row as the system writes it and a few rows.
 */
import { describe, expect, it } from 'vitest';
import { autoMapColumns, emptyMapping, HEADER_ALIASES, ROSTER_FIELDS, type ColumnMapping } from '../../../lib/roster/columns';
import { parseRoster, type ParseRosterOptions, type RosterParseResult } from '../../../lib/roster/parse';
import { detectPreset, ROSTER_PRESETS, signatureKey } from '../../../lib/roster/presets';
import { isTerminatedStatus } from '../../../lib/roster/status';
import { ROSTER_HEADER } from '../../fake-atlassian/roster';

const TODAY = '2026-06-01';
const parse = (lines: readonly string[], opts: ParseRosterOptions = {}) => parseRoster(lines.join('\r\n'), { today: TODAY, ...opts });

/** The mapping with only these fields set; everything else must be unmapped. */
const mapped = (fields: Partial<ColumnMapping>): ColumnMapping => ({ ...emptyMapping(), ...fields });

/** name → [work email, status, left?] of every person, to compare whole files at a glance. */
function summary(r: RosterParseResult) {
  return r.people.map((p) => [p.name, p.workEmail, p.status, p.statusTerminated]);
}

function expectClean(r: RosterParseResult, presetId: string | null) {
  expect(r.errors).toEqual([]);
  expect(r.preset?.id ?? null).toBe(presetId);
}

describe('Google Workspace user export', () => {
  // Directory → Users → Download users (support.google.com/a/answer/7348070), all columns.
  const HEADER =
    'First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],' +
    'Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Status [READ ONLY],Last Sign In [READ ONLY],Recovery Email,' +
    'Home Secondary Email,Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,' +
    'Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center,' +
    '2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY],Building ID,Floor Name,Floor Section,Email Usage [READ ONLY],' +
    'Drive Usage [READ ONLY],Total Storage [READ ONLY],Change Password at Next Sign-In,New Status [UPLOAD ONLY]';
  const row = (first: string, last: string, email: string, status: string, workAlias = '') =>
    `${first},${last},${email},****,,/,,${status},2026/05/30 09:12:00,me@example.org,,${workAlias},,,,,,,E1,Employee,Engineer,` +
    `boss@acme.com,Engineering,CC-1,True,False,,,,1.2 GB,3 GB,4.2 GB,False,`;

  it('is recognised and imports without correction; Suspended and Archived mean left', () => {
    const r = parse([
      HEADER,
      row('Ada', 'Lovelace', 'ada@acme.com', 'Active', 'ada.l@acme.com'),
      row('Bob', 'Stone', 'bob@acme.com', 'Suspended'),
      row('Cy', 'Archer', 'cy@acme.com', 'Archived'),
    ]);
    expectClean(r, 'google-workspace-users');
    expect(r.preset?.label).toBe('Google Workspace user export');
    expect(r.mapping).toEqual(
      mapped({
        email: 'Email Address [Required]',
        firstName: 'First Name [Required]',
        lastName: 'Last Name [Required]',
        status: 'Status [READ ONLY]',
        altEmails: 'Work Secondary Email',
        employeeType: 'Employee Type',
        department: 'Department',
        manager: 'Manager Email',
      }),
    );
    expect(summary(r)).toEqual([
      ['Ada Lovelace', 'ada@acme.com', 'Active', false],
      ['Bob Stone', 'bob@acme.com', 'Suspended', true],
      ['Cy Archer', 'cy@acme.com', 'Archived', true],
    ]);
    expect(r.people[0]?.altEmails).toEqual(['ada.l@acme.com']);
    expect(r.terminatedCount).toBe(2);
    expect(r.systemLeftStatuses).toEqual(['Suspended', 'Archived']);
    expect(r.warnings).toEqual([]);
  });

  it('a download of some columns only (no Status) is still recognised, with the no-leaver warning', () => {
    const r = parse(['First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required]', 'Ada,Lovelace,ada@acme.com,/']);
    expectClean(r, 'google-workspace-users');
    expect(r.mapping.status).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(['no-leaver-columns']);
    expect(r.warnings[0]?.message).toContain('a list of current staff cannot reveal leavers');
    expect(r.people).toHaveLength(1);
  });

  it('a status column chosen by hand is judged by the generic words only', () => {
    const lines = [HEADER, row('Bob', 'Stone', 'bob@acme.com', 'Active'), row('Cy', 'Archer', 'cy@acme.com', 'Active')];
    // "New Status [UPLOAD ONLY]" is not the preset's status column: Suspended there means nothing special.
    lines[1] = lines[1]!.replace(/False,$/, 'False,Suspended');
    lines[2] = lines[2]!.replace(/False,$/, 'False,Inactive');
    const auto = parse(lines);
    const r = parse(lines, { mapping: { ...auto.mapping, status: 'New Status [UPLOAD ONLY]' } });
    expectClean(r, 'google-workspace-users');
    expect(summary(r).map(([, , status, left]) => [status, left])).toEqual([
      ['Suspended', false],
      ['Inactive', true],
    ]);
    expect(r.systemLeftStatuses).toEqual([]);
  });
});

describe('Okta', () => {
  it('Password Health report: DEPROVISIONED and SUSPENDED mean left, the other statuses do not', () => {
    // Reports → Okta Password Health (Okta Help, "Okta Password Health Report").
    const r = parse([
      'User,Login,Status,Activation date,Authentication Source,Last Login,Last Password Change',
      'Ada Lovelace,ada@acme.com,ACTIVE,2024-01-02T10:00:00Z,OKTA,2026-05-30T08:00:00Z,2026-01-01T00:00:00Z',
      'Bob Stone,bob@acme.com,DEPROVISIONED,2023-03-04T10:00:00Z,OKTA,2025-12-01T08:00:00Z,2025-01-01T00:00:00Z',
      'Cy Archer,cy@acme.com,SUSPENDED,2023-03-04T10:00:00Z,ACTIVE_DIRECTORY,,',
      'Di Prince,di@acme.com,LOCKED_OUT,2023-03-04T10:00:00Z,OKTA,,',
      'Ed Nygma,ed@acme.com,PASSWORD_EXPIRED,2023-03-04T10:00:00Z,OKTA,,',
      'Flo Rida,flo@acme.com,PROVISIONED,,OKTA,,',
      'Gil Bert,gil@acme.com,RECOVERY,2023-03-04T10:00:00Z,OKTA,,',
      'Hal Jordan,hal@acme.com,STAGED,,OKTA,,',
    ]);
    expectClean(r, 'okta-password-health');
    expect(r.mapping).toEqual(mapped({ name: 'User', email: 'Login', status: 'Status' }));
    expect(r.people.filter((p) => p.statusTerminated).map((p) => p.status)).toEqual(['DEPROVISIONED', 'SUSPENDED']);
    expect(r.warnings).toEqual([]);
  });

  it('User Accounts report: the console labels Deactivated and Suspended mean left', () => {
    // Reports → Entitlements and Access → User Accounts → CSV Export (Okta Help, "User Accounts report").
    const r = parse([
      'User,User fullname,Okta username,Primary email,Okta user status,Status change date',
      '00u1,Ada Lovelace,ada,ada@acme.com,Active,2026-01-01',
      '00u2,Bob Stone,bob,bob@acme.com,Deactivated,2026-02-01',
      '00u3,Cy Archer,cy,cy@acme.com,Suspended,2026-03-01',
      '00u4,Di Prince,di,di@acme.com,Pending user action,2026-03-01',
      '00u5,Ed Nygma,ed,ed@acme.com,Locked out,2026-03-01',
    ]);
    expectClean(r, 'okta-user-accounts');
    expect(r.mapping).toEqual(mapped({ name: 'User fullname', email: 'Primary email', status: 'Okta user status' }));
    expect(summary(r).map(([name, , , left]) => [name, left])).toEqual([
      ['Ada Lovelace', false],
      ['Bob Stone', true],
      ['Cy Archer', true],
      ['Di Prince', false],
      ['Ed Nygma', false],
    ]);
  });

  it('user list by profile attribute names (the CSV import template plus status)', () => {
    const r = parse([
      'login,firstName,lastName,middleName,email,secondEmail,displayName,status,userType,department,manager,employeeNumber',
      'ada@acme.com,Ada,Lovelace,,ada@acme.com,ada@example.org,Ada Lovelace,ACTIVE,Employee,Eng,Grace Hopper,1',
      'bob.login,Bob,Stone,,bob@acme.com,,,DEPROVISIONED,Contractor,Ops,,2',
    ]);
    expectClean(r, 'okta-user-profiles');
    expect(r.mapping).toEqual(
      mapped({
        email: 'email', name: 'displayName', firstName: 'firstName', lastName: 'lastName', status: 'status',
        altEmails: 'secondEmail', employeeType: 'userType', department: 'department', manager: 'manager',
      }),
    );
    expect(summary(r)).toEqual([
      ['Ada Lovelace', 'ada@acme.com', 'ACTIVE', false],
      ['Bob Stone', 'bob@acme.com', 'DEPROVISIONED', true],
    ]);
    expect(r.people[0]?.altEmails).toEqual(['ada@example.org']);
  });
});

describe('HR systems’ custom reports', () => {
  it('BambooHR (report labels): Status Inactive means left; Employment Status is not the status', () => {
    const r = parse([
      'Employee #,First Name,Last Name,Preferred Name,Work Email,Home Email,Status,Employment Status,Hire Date,Termination Date,Department,Reports To',
      '1,Ada,Lovelace,,ada@acme.com,ada@example.org,Active,Full-Time,2020-01-06,,Engineering,Grace Hopper',
      '2,Robert,Stone,Bob,bob@acme.com,,Inactive,Terminated,2019-05-01,2026-03-31,Sales,Ada Lovelace',
    ]);
    expectClean(r, 'bamboohr-report');
    expect(r.mapping).toEqual(
      mapped({
        email: 'Work Email', firstName: 'First Name', lastName: 'Last Name', preferredName: 'Preferred Name',
        status: 'Status', endDate: 'Termination Date', startDate: 'Hire Date', altEmails: 'Home Email',
        department: 'Department', manager: 'Reports To',
      }),
    );
    expect(summary(r)).toEqual([
      ['Ada Lovelace', 'ada@acme.com', 'Active', false],
      ['Bob Stone', 'bob@acme.com', 'Inactive', true],
    ]);
    expect(r.people[1]?.endDate).toBe('2026-03-31');
  });

  it('BambooHR (API field names) is recognised by employmentHistoryStatus', () => {
    const r = parse([
      'employeeNumber,firstName,lastName,workEmail,employmentHistoryStatus,hireDate,terminationDate,supervisor',
      '1,Ada,Lovelace,ada@acme.com,Full-Time,2020-01-06,,Grace Hopper',
      '2,Bob,Stone,bob@acme.com,Terminated,2019-05-01,2026-03-31,',
    ]);
    expectClean(r, 'bamboohr-report');
    expect(r.mapping.status).toBe('employmentHistoryStatus');
    expect(r.mapping.manager).toBe('supervisor');
    expect(r.people.map((p) => p.statusTerminated)).toEqual([false, true]);
  });

  it('HiBob: Lifecycle status Terminated means left; Garden leave with a future termination date does not yet', () => {
    const r = parse([
      'Employee ID,Display name,First name,Last name,Email,Lifecycle status,Start date,Termination date,Reports to,Department',
      'E1,Ada Lovelace,Ada,Lovelace,ada@acme.com,Employed,2020-06-01,,Grace Hopper,Engineering',
      'E2,Bob Stone,Bob,Stone,bob@acme.com,Garden leave,2019-05-01,15/07/2026,Ada Lovelace,Sales',
      'E3,Cy Archer,Cy,Archer,cy@acme.com,Terminated,2019-05-01,31/03/2026,,Sales',
      'E4,Di Prince,Di,Prince,di@acme.com,Parental leave,2019-05-01,,,Sales',
    ]);
    expectClean(r, 'hibob-report');
    expect(r.mapping).toEqual(
      mapped({
        email: 'Email', name: 'Display name', firstName: 'First name', lastName: 'Last name', status: 'Lifecycle status',
        endDate: 'Termination date', startDate: 'Start date', manager: 'Reports to', department: 'Department',
      }),
    );
    expect(r.people.map((p) => [p.name, p.statusTerminated, p.endDate])).toEqual([
      ['Ada Lovelace', false, null],
      ['Bob Stone', false, '2026-07-15'],
      ['Cy Archer', true, '2026-03-31'],
      ['Di Prince', false, null],
    ]);
    expect(r.terminatedCount).toBe(1);
  });

  it('Personio: status inactive means left; leave and onboarding do not', () => {
    const r = parse([
      'ID,First name,Last name,Email,Status,Hire date,Contract end date,Termination date,Supervisor,Subcompany,Department,Employment type',
      '1,Ada,Lovelace,ada@acme.com,active,2020-01-06,,,Grace Hopper,Acme GmbH,Engineering,internal',
      '2,Bob,Stone,bob@acme.com,leave,2019-05-01,,,Ada Lovelace,Acme GmbH,Sales,internal',
      '3,Cy,Archer,cy@acme.com,inactive,2019-05-01,,2026-03-31,,Acme GmbH,Sales,internal',
      '4,Di,Prince,di@acme.com,onboarding,2026-07-01,,,,Acme GmbH,Sales,external',
    ]);
    expectClean(r, 'personio-export');
    expect(r.mapping).toEqual(
      mapped({
        email: 'Email', firstName: 'First name', lastName: 'Last name', status: 'Status', endDate: 'Termination date',
        startDate: 'Hire date', manager: 'Supervisor', department: 'Department', employeeType: 'Employment type',
      }),
    );
    expect(r.people.map((p) => [p.status, p.statusTerminated])).toEqual([
      ['active', false],
      ['leave', false],
      ['inactive', true],
      ['onboarding', false],
    ]);
  });

  it('Rippling: Employment status Terminated means left; Hired and Accepted do not', () => {
    const r = parse([
      'Employee name,Legal first name,Legal last name,Work email,Personal email,Title,Manager - Work email,Employment status,Start date,End date,Department,Employment type',
      'Ada Lovelace,Ada,Lovelace,ada@acme.com,ada@example.org,Engineer,grace@acme.com,Active,01/16/2020,,Engineering,Salaried FT',
      'Bob Stone,Robert,Stone,bob@acme.com,,AE,ada@acme.com,Terminated,05/13/2019,03/31/2026,Sales,Salaried FT',
      'Cy Archer,Cy,Archer,cy@acme.com,,AE,ada@acme.com,Hired,07/20/2026,,Sales,Contractor',
      'Di Prince,Di,Prince,di@acme.com,,AE,ada@acme.com,Accepted,07/20/2026,,Sales,Contractor',
    ]);
    expectClean(r, 'rippling-report');
    expect(r.mapping).toEqual(
      mapped({
        name: 'Employee name', firstName: 'Legal first name', lastName: 'Legal last name', email: 'Work email',
        altEmails: 'Personal email', manager: 'Manager - Work email', status: 'Employment status', endDate: 'End date',
        startDate: 'Start date', department: 'Department', employeeType: 'Employment type',
      }),
    );
    expect(summary(r)).toEqual([
      ['Ada Lovelace', 'ada@acme.com', 'Active', false],
      ['Bob Stone', 'bob@acme.com', 'Terminated', true],
      ['Cy Archer', 'cy@acme.com', 'Hired', false],
      ['Di Prince', 'di@acme.com', 'Accepted', false],
    ]);
  });

  it('Gusto: Dismissed means left, Leave of absence does not; the personal email is an alternate', () => {
    const r = parse([
      'Gusto employee ID,First name,Last name,Work email,Personal email,Employment status,Hire date,Termination date,Department,Manager',
      '5G9934,Ada,Lovelace,ada@acme.com,ada@example.org,Active,2020-01-06,,Engineering,Grace Hopper',
      '7K2211,Bob,Stone,bob@acme.com,bob@example.org,Dismissed,2019-05-01,2026-03-31,Sales,Ada Lovelace',
      '9Q0001,Cy,Archer,cy@acme.com,,Leave of absence,2019-05-01,,Sales,Ada Lovelace',
    ]);
    expectClean(r, 'gusto-report');
    expect(r.mapping).toEqual(
      mapped({
        email: 'Work email', firstName: 'First name', lastName: 'Last name', altEmails: 'Personal email',
        status: 'Employment status', endDate: 'Termination date', startDate: 'Hire date', department: 'Department', manager: 'Manager',
      }),
    );
    expect(r.people.map((p) => [p.status, p.statusTerminated, p.altEmails])).toEqual([
      ['Active', false, ['ada@example.org']],
      ['Dismissed', true, ['bob@example.org']],
      ['Leave of absence', false, []],
    ]);
  });

  it('Workday: Worker Status Terminated means left, On Leave does not', () => {
    const r = parse([
      'Worker,Employee ID,Legal First Name,Legal Last Name,Email - Primary Work,Worker Status,Hire Date,Termination Date,Worker Type,Manager,Supervisory Organization',
      'Ada Lovelace (21001),21001,Ada,Lovelace,ada@acme.com,Active,2020-01-06,,Employee,Grace Hopper,Engineering (Grace Hopper)',
      'Bob Stone (21002),21002,Bob,Stone,bob@acme.com,Terminated,2019-05-01,2026-03-31,Employee,Ada Lovelace,Sales (Ada Lovelace)',
      'Cy Archer (21003),21003,Cy,Archer,cy@acme.com,On Leave,2019-05-01,,Contingent Worker,Ada Lovelace,Sales (Ada Lovelace)',
    ]);
    expectClean(r, 'workday-report');
    expect(r.mapping).toEqual(
      mapped({
        name: 'Worker', email: 'Email - Primary Work', firstName: 'Legal First Name', lastName: 'Legal Last Name',
        status: 'Worker Status', endDate: 'Termination Date', startDate: 'Hire Date', employeeType: 'Worker Type',
        department: 'Supervisory Organization', manager: 'Manager',
      }),
    );
    expect(r.people.map((p) => [p.name, p.statusTerminated])).toEqual([
      ['Ada Lovelace (21001)', false],
      ['Bob Stone (21002)', true],
      ['Cy Archer (21003)', false],
    ]);
  });

  it('Deel: Offboarded and Ended mean left; Offboarding with a future last day of work does not yet', () => {
    const r = parse([
      'Worker name,Worker ID,Work email,Personal email,Hiring type,Hiring status,Contract type,Start date,Last day of work,Contract end date,Job title,Country',
      'Ada Lovelace,w1,ada@acme.com,ada@example.org,employee,Active,EOR,2020-01-06,,,Engineer,DE',
      'Bob Stone,w2,bob@acme.com,,contractor,Offboarded,Pay as you go,2019-05-01,2026-03-31,2026-04-30,AE,PT',
      'Cy Archer,w3,cy@acme.com,,contractor,Offboarding,Fixed rate,2019-05-01,2026-06-30,2026-06-30,AE,PT',
      'Di Prince,w4,di@acme.com,,contractor,Ended,Milestone,2019-05-01,,,AE,PT',
    ]);
    expectClean(r, 'deel-export');
    expect(r.mapping).toEqual(
      mapped({
        name: 'Worker name', email: 'Work email', altEmails: 'Personal email', status: 'Hiring status',
        endDate: 'Last day of work', startDate: 'Start date', employeeType: 'Hiring type',
      }),
    );
    expect(r.people.map((p) => [p.status, p.statusTerminated, p.endDate])).toEqual([
      ['Active', false, null],
      ['Offboarded', true, '2026-03-31'],
      ['Offboarding', false, '2026-06-30'],
      ['Ended', true, null],
    ]);
    expect(r.terminatedCount).toBe(2);
  });
});

describe('files of no particular system', () => {
  it('the usual custom-report labels map without correction, and no preset is claimed', () => {
    const r = parse([
      'Employee name,Work email,Employment status,Employment end date,Contract end date',
      'Ada Lovelace,ada@acme.com,Active,,',
      'Bob Stone,bob@acme.com,Active,2026-03-31,2026-04-30',
    ]);
    expectClean(r, null);
    expect(r.mapping).toEqual(mapped({ name: 'Employee name', email: 'Work email', status: 'Employment status', endDate: 'Employment end date' }));
    expect(r.terminatedCount).toBe(1);
  });

  it('Contract end date is the end date when there is no other', () => {
    expect(autoMapColumns(['Name', 'Contract end date']).endDate).toBe('Contract end date');
  });

  it('the project’s own roster format (demo, benchmarks) is not taken for any system', () => {
    expect(detectPreset(ROSTER_HEADER)).toBeNull();
  });

  it('Suspended, Archived, DEPROVISIONED and Ended mean nothing special outside their systems', () => {
    const r = parse(['Work Email,Full Name,Status', 'a@acme.com,A A,Suspended', 'b@acme.com,B B,Archived', 'c@acme.com,C C,DEPROVISIONED', 'd@acme.com,D D,Ended']);
    expectClean(r, null);
    expect(r.people.map((p) => p.statusTerminated)).toEqual([false, false, false, false]);
    expect(r.systemLeftStatuses).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['all-active']);
  });

  it('a preset recognised, its mapping can still be corrected in the preview', () => {
    const lines = ['User,Login,Status,Activation date,Authentication Source,Last Login,Last Password Change', 'Ada Lovelace,ada,ACTIVE,,OKTA,,'];
    // Login here is not an email: the automatic mapping reports it…
    expect(parse(lines).errors).toEqual([{ row: 2, column: 'Login', reason: 'Invalid email "ada"' }]);
    // …and the admin maps the email column away; the name alone identifies the person.
    const r = parse(lines, { mapping: mapped({ name: 'User', status: 'Status' }) });
    expectClean(r, 'okta-password-health');
    expect(r.people.map((p) => [p.id, p.name])).toEqual([['name:ada lovelace', 'Ada Lovelace']]);
  });
});

describe('warnings (never errors)', () => {
  it('no status and no end-date column', () => {
    const r = parse(['Work Email,Full Name', 'a@acme.com,A A']);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['no-leaver-columns']);
  });

  it('every row active, by status', () => {
    const r = parse(['Work Email,Full Name,Status', 'a@acme.com,A A,Active', 'b@acme.com,B B,On leave']);
    expect(r.warnings.map((w) => w.code)).toEqual(['all-active']);
    expect(r.warnings[0]?.message).toMatch(/^Every person in the file is active/);
  });

  it('every row active: an end date still to come is not a leaver yet', () => {
    const r = parse(['Work Email,Full Name,End Date', 'a@acme.com,A A,2026-12-31', 'b@acme.com,B B,']);
    expect(r.warnings.map((w) => w.code)).toEqual(['all-active']);
  });

  it('one leaver, by end date alone: no warning', () => {
    const r = parse(['Work Email,Full Name,End Date', 'a@acme.com,A A,2026-05-31', 'b@acme.com,B B,']);
    expect(r.warnings).toEqual([]);
  });

  it('a file that is refused has errors, not warnings', () => {
    expect(parse(['Badge,Cost Centre', '1,2']).warnings).toEqual([]);
    expect(parse(['Work Email,Full Name']).warnings).toEqual([]);
  });

  it('nobody importable (every row in error): no all-active warning', () => {
    const r = parse(['Work Email,Full Name,Status', 'not-an-email,A A,Active']);
    expect(r.people).toEqual([]);
    expect(r.warnings).toEqual([]);
  });
});

describe('the tables themselves', () => {
  it('every preset is recognised from its own signature and the first to match', () => {
    for (const p of ROSTER_PRESETS) {
      for (const signature of p.signatures) expect(detectPreset(signature)?.id, `${p.id} ${signature.join('+')}`).toBe(p.id);
    }
  });

  it('signature keys are in signatureKey form, column keys in headerKey form', () => {
    for (const p of ROSTER_PRESETS) {
      for (const key of p.signatures.flat()) expect(signatureKey(key)).toBe(key);
      for (const keys of p.columns.values()) for (const key of keys) expect(key).toMatch(/^[a-z0-9]+$/);
    }
  });

  it('a generic alias belongs to one field only', () => {
    const owner = new Map<string, string>();
    for (const field of ROSTER_FIELDS) {
      for (const alias of HEADER_ALIASES.get(field) ?? []) {
        expect(owner.get(alias), `${alias} in ${field}`).toBeUndefined();
        owner.set(alias, field);
      }
    }
  });

  it('a header feeds one field only, even when a preset and the aliases both want it', () => {
    // Gusto's "Email" is its personal email (preset altEmails) and a generic work email: it goes to the work email, once.
    const mapping = autoMapColumns(['Gusto employee ID', 'Email'], ROSTER_PRESETS.find((p) => p.id === 'gusto-report')?.columns);
    expect(mapping).toEqual(mapped({ email: 'Email' }));
  });
});

describe('isTerminatedStatus with a system', () => {
  it.each([
    ['Suspended', 'google-workspace', true],
    ['Archived', 'google-workspace', true],
    ['Active', 'google-workspace', false],
    ['SUSPENDED', 'okta', true],
    ['DEPROVISIONED', 'okta', true],
    ['Deactivated', 'okta', true],
    ['LOCKED_OUT', 'okta', false],
    ['PASSWORD_EXPIRED', 'okta', false],
    ['Pending user action', 'okta', false],
    ['Inactive', 'bamboohr', true],
    ['Full-Time', 'bamboohr', false],
    ['Terminated', 'workday', true],
    ['On Leave', 'workday', false],
    ['inactive', 'personio', true],
    ['leave', 'personio', false],
    ['Garden leave', 'hibob', false],
    ['Offboarded', 'deel', true],
    ['Ended', 'deel', true],
    ['Offboarding', 'deel', false],
    ['Hired', 'rippling', false],
    ['Dismissed', 'gusto', true],
    // A system's words do not leak into another's.
    ['Suspended', 'bamboohr', false],
    ['Ended', 'okta', false],
    ['Archived', 'okta', false],
  ] as const)('%j in a %s export → left: %s', (status, system, left) => {
    expect(isTerminatedStatus(status, system)).toBe(left);
  });

  it.each(['Suspended', 'Archived', 'DEPROVISIONED', 'Ended'])('%j alone (no system) is not left', (status) => {
    expect(isTerminatedStatus(status)).toBe(false);
  });
});
