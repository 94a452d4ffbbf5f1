/**
 * Security finding 3: a lookup table that is a plain object also "finds" the names every object
 * inherits (`constructor`, `toString`, `__proto__`…), so `1 constructor 2024` imported as a date.
 * Every lookup that roster text reaches is tried here with every such name, in the forms the
 * file could spell it.
 */
import { describe, expect, it } from 'vitest';
import { matchAccounts } from '../../../lib/match/match-accounts';
import { autoMapColumns, emptyMapping, HEADER_ALIASES, headerKey, ROSTER_FIELDS, type ColumnMapping, type RosterField } from '../../../lib/roster/columns';
import { parseRosterDate } from '../../../lib/roster/dates';
import { parseRoster } from '../../../lib/roster/parse';
import { isTerminatedStatus } from '../../../lib/roster/status';
import { account } from '../match/fixtures';

const INHERITED = Object.getOwnPropertyNames(Object.prototype);
/** The names as a file could spell them: as is, lower and upper case, and in `headerKey` form. */
const SPELLINGS = [...new Set(INHERITED.flatMap((n) => [n, n.toLowerCase(), n.toUpperCase(), headerKey(n)]))].filter((n) => n !== '');

describe('Object.prototype names in roster lookups', () => {
  it('the list covers the names that broke things', () => {
    expect(INHERITED).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  it.each(SPELLINGS)('"%s" is not a month in any date shape', (name) => {
    for (const raw of [`1 ${name} 2024`, `01-${name}-2024`, `1 ${name}. 2024`, `${name} 1, 2024`, `${name}. 1 2024`, `1 ${name} 24`]) {
      const parsed = parseRosterDate(raw);
      expect(parsed.ok, raw).toBe(false);
    }
  });

  it('real month names still parse (the same shapes)', () => {
    expect(parseRosterDate('1 sept 2024')).toEqual({ ok: true, date: '2024-09-01' });
    expect(parseRosterDate('DECEMBER 31, 2024')).toEqual({ ok: true, date: '2024-12-31' });
  });

  it('a header named like an inherited property maps to no field', () => {
    expect(autoMapColumns(SPELLINGS)).toEqual(emptyMapping());
    for (const field of ROSTER_FIELDS) expect(HEADER_ALIASES.get(field)?.length, field).toBeGreaterThan(0);
  });

  it.each(SPELLINGS)('status "%s" does not mean the person left', (name) => {
    expect(isTerminatedStatus(name)).toBe(false);
    expect(isTerminatedStatus(`${name} - voluntary`)).toBe(false);
  });

  it('inherited names as headers, mapped by hand, as names, emails and cell values, import as plain text', () => {
    const names = INHERITED;
    // One column per inherited name, plus the identity columns; every field mapped to one of them.
    const headers = ['Work Email', 'Full Name', ...names];
    const mapping: ColumnMapping = { ...emptyMapping(), email: 'Work Email', name: 'Full Name' };
    // Person fields read straight from a cell, and the name parts (used when Full Name is empty).
    const valued = ['status', 'employeeType', 'department', 'manager'] as const;
    [...valued, 'firstName', 'lastName', 'preferredName'].forEach((field, i) => {
      mapping[field as RosterField] = names[i] ?? null;
    });
    const lines = [headers.join(',')];
    names.forEach((name, i) => {
      // A person named after the property, with an email whose local part is the property name.
      const email = `${name}@acme.com`;
      lines.push([email, name, ...names.map((cell) => `${cell}-${i}`)].join(','));
    });
    // Email-less namesakes: the id is built from the normalised name.
    names.forEach((name) => lines.push(['', name, ...names.map(() => '')].join(',')));
    const r = parseRoster(lines.join('\n'), { mapping, today: '2025-01-01' });
    expect(r.errors).toEqual([]);
    expect(r.people).toHaveLength(names.length * 2);
    const withEmail = r.people.slice(0, names.length);
    withEmail.forEach((p, i) => {
      const name = names[i] ?? '';
      expect(p.name).toBe(name);
      expect(p.workEmail).toBe(`${name.toLowerCase()}@acme.com`);
      for (const field of valued) {
        const header = mapping[field] ?? '';
        expect(p[field], `${field} ← ${header}`).toBe(`${header}-${i}`);
      }
      expect(p.statusTerminated).toBe(false);
    });
    // Each name-only person gets a distinct id, as any other name would.
    const nameIds = r.people.slice(names.length).map((p) => p.id);
    expect(new Set(nameIds).size).toBe(names.length);
    expect(r.terminatedCount).toBe(0);

    // A mapping naming an inherited property that is not a header is reported, not "found".
    const missing = parseRoster('Work Email\na@acme.com', { mapping: { ...emptyMapping(), email: 'Work Email', department: 'constructor' } });
    expect(missing.errors).toEqual([{ row: 0, column: 'constructor', reason: 'Column "constructor" (mapped to department) is not in the file' }]);
  });

  it('matching: an account named or addressed like an inherited property matches only that person', () => {
    const r = parseRoster(
      ['Work Email,Full Name', ...INHERITED.map((n) => `${n}@acme.com,${n}`)].join('\n'),
      { today: '2025-01-01' },
    );
    expect(r.errors).toEqual([]);
    const accounts = INHERITED.flatMap((n, i) => [
      account({ accountId: `by-name-${i}`, displayName: n }),
      account({ accountId: `by-email-${i}`, displayName: 'Someone Else', email: `${n}@acme.com`, emailSource: 'confluence' }),
    ]);
    // Plus accounts with such names and emails but no such roster person.
    const strangers = [account({ accountId: 'stranger', displayName: 'Constructor Of Things', email: 'prototype@else.com', emailSource: 'confluence' })];
    const results = matchAccounts([...accounts, ...strangers], r.people, new Map());
    INHERITED.forEach((n, i) => {
      const person = r.people[i];
      expect(results.get(`by-email-${i}`)).toMatchObject({ rule: 'email', personId: person?.id });
      // Display names are compared normalised ("__proto__" → "proto"), and only to this person.
      expect(results.get(`by-name-${i}`)).toMatchObject({ rule: 'name', personId: person?.id });
    });
    expect(results.get('stranger')).toMatchObject({ rule: 'none', personId: null });
  });
});
