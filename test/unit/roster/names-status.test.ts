import { describe, expect, it } from 'vitest';
import type { Person } from '../../../lib/model';
import { normaliseEmail, normaliseName } from '../../../lib/roster/names';
import { isTerminated, isTerminatedStatus } from '../../../lib/roster/status';

describe('normaliseName', () => {
  it.each([
    ['Jane Doe', 'jane doe'],
    ['  JANE    DOE ', 'jane doe'],
    ['José Núñez', 'jose nunez'],
    ['Zoë Ångström', 'zoe angstrom'],
    ['ﬁona Smith', 'fiona smith'], // NFKD splits the ligature
    ["Siobhán O'Brien", 'siobhan obrien'],
    ['Siobhán O’Brien', 'siobhan obrien'],
    ['J. R. Doe', 'j r doe'],
    ['Mary-Jane Watson', 'mary jane watson'],
    ['Doe, Jane', 'jane doe'],
    ['Doe,Jane', 'jane doe'],
    ['Jane Doe (Unlicensed)', 'jane doe'],
    ['Jane Doe (Deactivated)', 'jane doe'],
    ['Jane Doe (Former user)', 'jane doe'],
    ['Jira Bot (System)', 'jira bot'],
    ['Jane Doe (Guest)', 'jane doe'],
    ['Jane Doe (she/her)', 'jane doe'],
    ['Jane Doe (Contractor) (Unlicensed)', 'jane doe'],
    ['Doe, Jane (Unlicensed)', 'jane doe'],
    ['Jane (JD) Doe', 'jane jd doe'], // only trailing parentheses are dropped
    ['李小龙', '李小龙'],
    ['...', ''],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Jane.Doe@ACME.com ')).toBe('jane.doe@acme.com');
  });
});

describe('isTerminatedStatus', () => {
  it.each([
    'Terminated', 'terminated', '  TERMINATED ', 'Inactive', 'Former', 'Offboarded', 'Left', 'Separated',
    'Resigned', 'Retired', 'Dismissed', 'Deactivated', 'Ex-employee', 'Ex employee', 'Leaver',
    'Former employee', 'Not active', 'Not-Active', 'Terminated - voluntary', 'Retired (2024)',
  ])('%j means the person left', (status) => {
    expect(isTerminatedStatus(status)).toBe(true);
  });

  it.each(['Active', 'Employed', 'Leave of absence', 'On leave', 'Active - leaving', 'Hired', '', 'Pending'])(
    '%j means still employed',
    (status) => {
      expect(isTerminatedStatus(status)).toBe(false);
    },
  );

  it('null status is not terminated', () => {
    expect(isTerminatedStatus(null)).toBe(false);
  });
});

describe('isTerminated', () => {
  const base: Person = {
    id: 'email:jane@acme.com', name: 'Jane Doe', workEmail: 'jane@acme.com', altEmails: [], status: 'Active',
    statusTerminated: false, endDate: null, startDate: null, employeeType: null, department: null, manager: null, row: 2,
  };
  const today = '2025-03-04';
  it.each([
    ['end date yesterday', { endDate: '2025-03-03' }, true],
    ['end date today', { endDate: '2025-03-04' }, true],
    ['end date tomorrow (leaving soon)', { endDate: '2025-03-05' }, false],
    ['no end date, active status', {}, false],
    ['status terminated, no end date', { statusTerminated: true, status: 'Terminated' }, true],
    ['status terminated, future end date', { statusTerminated: true, endDate: '2025-12-31' }, true],
  ])('%s → %s', (_label, patch, expected) => {
    expect(isTerminated({ ...base, ...patch }, today)).toBe(expected);
  });
});
