/**
 * Calendar dates from HR exports. Output is always ISO `YYYY-MM-DD`. A date that could be read two
 * ways (03/04/2025) is refused rather than guessed: a wrong guess would silently move an end date
 * by months and decide whether access "should be revoked".
 */

export type DateParse = { ok: true; date: string } | { ok: false; reason: string };

/**
 * Month names and abbreviations → month number. A Map, not an object literal: the key is text from
 * the file, and an object would also "find" inherited names (`1 constructor 2024` was a date).
 */
const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1], ['january', 1], ['feb', 2], ['february', 2], ['mar', 3], ['march', 3], ['apr', 4], ['april', 4],
  ['may', 5], ['jun', 6], ['june', 6], ['jul', 7], ['july', 7], ['aug', 8], ['august', 8], ['sep', 9],
  ['sept', 9], ['september', 9], ['oct', 10], ['october', 10], ['nov', 11], ['november', 11], ['dec', 12],
  ['december', 12],
]);
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const YEAR_FIRST_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const DAY_MONTH_NAME = /^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$/i;
const MONTH_NAME_DAY = /^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/i;
/** Any of the numeric or month-name shapes above, but with a 2-digit year. */
const TWO_DIGIT_YEAR = /^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2}|\d{1,2}[\s-]+[a-z]+\.?[\s-]+\d{2}|[a-z]+\.?\s+\d{1,2},?\s+\d{2})$/i;

const HINT = 'write it as YYYY-MM-DD';

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function build(raw: string, year: number, month: number, day: number): DateParse {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `"${raw}" is not a calendar date` };
  }
  return { ok: true, date: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

function monthFromName(name: string): number | undefined {
  return MONTHS.get(name.toLowerCase());
}

/** Parses one roster date cell (already known to be non-empty). */
export function parseRosterDate(input: string): DateParse {
  const raw = input.trim();
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(raw)) || (m = YEAR_FIRST_SLASH.exec(raw))) {
    return build(raw, Number(m[1]), Number(m[2]), Number(m[3]));
  }
  if ((m = DOTTED.exec(raw))) return build(raw, Number(m[3]), Number(m[2]), Number(m[1]));
  if ((m = SLASH.exec(raw))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const year = Number(m[3]);
    if (a > 12 && b <= 12) return build(raw, year, b, a); // only DD/MM fits
    if (b > 12 && a <= 12) return build(raw, year, a, b); // only MM/DD fits
    if (a === b || a > 12 || a < 1 || b < 1) return build(raw, year, b, a); // same date either way, or not a date
    // Both numbers are ≤ 12, so both readings are real dates.
    return {
      ok: false,
      reason: `Ambiguous date "${raw}": ${a} ${MONTH_NAMES[b - 1]} or ${MONTH_NAMES[a - 1]} ${b} — ${HINT}`,
    };
  }
  if ((m = DAY_MONTH_NAME.exec(raw))) {
    const month = monthFromName(m[2] ?? '');
    if (month !== undefined) return build(raw, Number(m[3]), month, Number(m[1]));
  }
  if ((m = MONTH_NAME_DAY.exec(raw))) {
    const month = monthFromName(m[1] ?? '');
    if (month !== undefined) return build(raw, Number(m[3]), month, Number(m[2]));
  }
  if (TWO_DIGIT_YEAR.test(raw)) {
    return { ok: false, reason: `"${raw}" has a 2-digit year — ${HINT}` };
  }
  return { ok: false, reason: `Unrecognised date "${raw}" — ${HINT}` };
}

/**
 * Today's calendar date (YYYY-MM-DD) in `timeZone` (default: the runtime's), so "the end date is
 * today or earlier" is judged by the admin's clock, not UTC.
 */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DAY_MS = 86_400_000;

function isoToUtcDays(iso: string): number {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round(isoToUtcDays(to) - isoToUtcDays(from));
}
