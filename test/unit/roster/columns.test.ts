import { describe, expect, it } from 'vitest';
import { autoMapColumns, type RosterField } from '../../../lib/roster/columns';

describe('autoMapColumns', () => {
  it.each<[RosterField, string]>([
    ['email', 'Work Email'],
    ['email', 'Email'],
    ['email', 'Email Address'],
    ['email', 'Primary Email'],
    ['email', 'E-mail'],
    ['email', 'Work E-Mail'],
    ['email', 'e-mail address'],
    ['email', 'WORK_EMAIL'],
    ['name', 'Full Name'],
    ['name', 'Name'],
    ['name', 'Display Name'],
    ['name', 'display_name'],
    ['firstName', 'First Name'],
    ['lastName', 'Last Name'],
    ['preferredName', 'Preferred Name'],
    ['status', 'Status'],
    ['status', 'Employment Status'],
    ['endDate', 'Termination Date'],
    ['endDate', 'End Date'],
    ['endDate', 'Last Day'],
    ['startDate', 'Start Date'],
    ['startDate', 'Hire Date'],
    ['altEmails', 'Secondary Email'],
    ['altEmails', 'Personal Email'],
    ['altEmails', 'Alternate Email'],
    ['altEmails', 'Alternate Emails'],
    ['altEmails', 'Personal E-mail'],
    ['employeeType', 'Employee Type'],
    ['employeeType', 'Worker Type'],
    ['department', 'Department'],
    ['manager', 'Manager'],
    ['manager', ' manager '],
  ])('maps %s ← %j', (field, header) => {
    const mapping = autoMapColumns(['Unrelated', header]);
    expect(mapping[field]).toBe(header);
    // and nothing else claims it
    const others = Object.entries(mapping).filter(([f, h]) => f !== field && h !== null);
    expect(others).toEqual([]);
  });

  it('prefers Work Email over Email when both exist', () => {
    expect(autoMapColumns(['Email', 'Work Email']).email).toBe('Work Email');
  });

  it('keeps the first of two headers with the same key', () => {
    expect(autoMapColumns(['Email', 'EMAIL']).email).toBe('Email');
  });

  it('leaves unknown headers unmapped', () => {
    const mapping = autoMapColumns(['Badge', 'Cost Centre']);
    expect(Object.values(mapping).every((v) => v === null)).toBe(true);
  });
});
