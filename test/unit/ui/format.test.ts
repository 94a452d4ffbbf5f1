import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, localDate, plural } from '@/components/format';
import { exportFileName } from '@/components/download';

describe('format', () => {
  it('formats date-times as "27 Nov 2026, 14:03" in local time', () => {
    expect(formatDateTime('2026-11-27T14:03:00')).toBe('27 Nov 2026, 14:03');
    expect(formatDateTime('2026-01-05T09:07:59')).toBe('5 Jan 2026, 09:07');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1240)).toBe('1,240');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(plural(1, 'account')).toBe('1 account');
    expect(plural(1240, 'account')).toBe('1,240 accounts');
  });

  it('gives the local calendar date', () => {
    expect(localDate(new Date(2026, 10, 7, 23, 59))).toBe('2026-11-07');
  });
});

describe('exportFileName', () => {
  it('is access-lens-<sitename>-<date>.<ext> with a safe site name', () => {
    expect(exportFileName('acme', '2026-11-27', 'csv')).toBe('access-lens-acme-2026-11-27.csv');
    expect(exportFileName('Acme Corp / EU', '2026-11-27', 'json')).toBe('access-lens-acme-corp-eu-2026-11-27.json');
    expect(exportFileName('../', '2026-11-27', 'csv')).toBe('access-lens-site-2026-11-27.csv');
  });
});
