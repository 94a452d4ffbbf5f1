import { describe, expect, it } from 'vitest';
import { daysBetween, parseRosterDate, todayIn } from '../../../lib/roster/dates';

describe('parseRosterDate', () => {
  it.each([
    ['2025-03-04', '2025-03-04'],
    ['2025-3-4', '2025-03-04'],
    ['2025-03-04T23:30:00-05:00', '2025-03-04'],
    ['2025-03-04T00:30:00Z', '2025-03-04'],
    ['2025-03-04 00:00:00', '2025-03-04'],
    ['2025/03/04', '2025-03-04'],
    ['13/04/2025', '2025-04-13'],
    ['04/13/2025', '2025-04-13'],
    ['03/03/2025', '2025-03-03'],
    ['13.04.2025', '2025-04-13'],
    ['03.04.2025', '2025-04-03'],
    ['4 Mar 2025', '2025-03-04'],
    ['04 March 2025', '2025-03-04'],
    ['4-Mar-2025', '2025-03-04'],
    ['4 Sept 2025', '2025-09-04'],
    ['Mar 4, 2025', '2025-03-04'],
    ['March 4 2025', '2025-03-04'],
    ['Dec. 31, 2024', '2024-12-31'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['  2025-01-01  ', '2025-01-01'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseRosterDate(input)).toEqual({ ok: true, date: expected });
  });

  it.each([
    ['03/04/2025', 'Ambiguous date "03/04/2025": 3 April or March 4 — write it as YYYY-MM-DD'],
    ['12/11/2025', 'Ambiguous date "12/11/2025": 12 November or December 11 — write it as YYYY-MM-DD'],
    ['2025-02-30', '"2025-02-30" is not a calendar date'],
    ['2025-13-01', '"2025-13-01" is not a calendar date'],
    ['2023-02-29', '"2023-02-29" is not a calendar date'],
    ['1900-02-29', '"1900-02-29" is not a calendar date'],
    ['31/02/2025', '"31/02/2025" is not a calendar date'],
    ['02/30/2025', '"02/30/2025" is not a calendar date'],
    ['13/13/2025', '"13/13/2025" is not a calendar date'],
    ['00/05/2025', '"00/05/2025" is not a calendar date'],
    ['31.04.2025', '"31.04.2025" is not a calendar date'],
    ['32 Jan 2025', '"32 Jan 2025" is not a calendar date'],
    ['03/04/25', '"03/04/25" has a 2-digit year — write it as YYYY-MM-DD'],
    ['13.04.25', '"13.04.25" has a 2-digit year — write it as YYYY-MM-DD'],
    ['4 Mar 25', '"4 Mar 25" has a 2-digit year — write it as YYYY-MM-DD'],
    ['Mar 4, 25', '"Mar 4, 25" has a 2-digit year — write it as YYYY-MM-DD'],
    ['next Friday', 'Unrecognised date "next Friday" — write it as YYYY-MM-DD'],
    ['45231', 'Unrecognised date "45231" — write it as YYYY-MM-DD'],
    ['4 Foo 2025', 'Unrecognised date "4 Foo 2025" — write it as YYYY-MM-DD'],
  ])('refuses %j', (input, reason) => {
    expect(parseRosterDate(input)).toEqual({ ok: false, reason });
  });
});

describe('todayIn', () => {
  // 2025-03-04T11:30Z is 5 March 00:30 in Auckland (UTC+13 in March) and 3 March 03:30 in Los Angeles.
  const instant = new Date('2025-03-04T11:30:00Z');
  it.each([
    ['Pacific/Auckland', '2025-03-05'],
    ['America/Los_Angeles', '2025-03-04'],
    ['UTC', '2025-03-04'],
  ])('at one instant, %s is on %s', (zone, expected) => {
    expect(todayIn(zone, instant)).toBe(expected);
  });

  it('gives different calendar days east and west of the date line at the same instant', () => {
    const at = new Date('2025-06-30T13:00:00Z');
    expect(todayIn('Pacific/Auckland', at)).toBe('2025-07-01');
    expect(todayIn('America/Los_Angeles', at)).toBe('2025-06-30');
  });

  it.each([
    ['2025-03-04T23:59:59.999-08:00', '2025-03-04'],
    ['2025-03-05T00:00:00.000-08:00', '2025-03-05'],
  ])('in Los Angeles, %s is on %s (day edge)', (iso, expected) => {
    expect(todayIn('America/Los_Angeles', new Date(iso))).toBe(expected);
  });

  it('handles the year edge', () => {
    expect(todayIn('Pacific/Auckland', new Date('2024-12-31T11:00:00Z'))).toBe('2025-01-01');
    expect(todayIn('America/Los_Angeles', new Date('2025-01-01T07:59:00Z'))).toBe('2024-12-31');
  });
});

describe('daysBetween', () => {
  it.each([
    ['2025-03-01', '2025-03-04', 3],
    ['2025-03-04', '2025-03-04', 0],
    ['2025-03-05', '2025-03-04', -1],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-03-29', '2025-03-31', 2], // across a DST change in Europe; UTC arithmetic is unaffected
    ['2024-12-31', '2025-01-01', 1],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});
