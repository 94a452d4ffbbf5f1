import { describe, expect, it } from 'vitest';
import type { Person } from '../../../lib/model';
import { personSchema } from '../../../lib/model-schema';
import { packedPersonSchema, packPerson, unpackPerson } from '../../../lib/roster/wire';

const full: Person = {
  id: 'email:ada@acme.com',
  name: 'Ada Lovelace',
  workEmail: 'ada@acme.com',
  altEmails: ['ada@example.org', 'a.lovelace@acme.com'],
  status: 'Terminated',
  statusTerminated: true,
  endDate: '2026-03-31',
  startDate: '2020-01-06',
  employeeType: 'Employee',
  department: 'Engineering',
  manager: 'grace@acme.com',
  row: 7,
};

describe('packed people', () => {
  it('round-trip every Person field (a field added to Person but not to the tuple fails here)', () => {
    const back = unpackPerson(packedPersonSchema.parse(packPerson(full)));
    expect(back).toEqual(full);
    expect(Object.keys(back).sort()).toEqual(Object.keys(personSchema.shape).sort());
    // Every field carries a distinct value above, so a swapped pair in the order would show.
    expect(new Set(packPerson(full).map((v) => JSON.stringify(v))).size).toBe(Object.keys(full).length);
  });

  it('round-trip nulls and empty lists', () => {
    const sparse: Person = { ...full, workEmail: null, altEmails: [], status: null, statusTerminated: false, endDate: null, startDate: null, employeeType: null, department: null, manager: null };
    expect(unpackPerson(packedPersonSchema.parse(packPerson(sparse)))).toEqual(sparse);
  });

  it("keep personSchema's rules for each field", () => {
    const packed = packPerson(full);
    expect(packedPersonSchema.safeParse([...packed.slice(0, 11), 7.5]).success).toBe(false); // row is an integer
    expect(packedPersonSchema.safeParse(['', ...packed.slice(1)]).success).toBe(false); // id is not empty
    expect(packedPersonSchema.safeParse(packed.slice(0, 11)).success).toBe(false);
    expect(packedPersonSchema.safeParse([...packed, 'extra']).success).toBe(false);
  });

  it('take fewer bytes than the objects', () => {
    const people = Array.from({ length: 100 }, (_, i) => ({ ...full, id: `email:p${i}@acme.com`, row: i + 2 }));
    expect(JSON.stringify(people.map(packPerson)).length).toBeLessThan(JSON.stringify(people).length * 0.7);
  });
});
