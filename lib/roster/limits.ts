/**
 * How big a roster the import accepts, and why.
 *
 * The page parses the file, then sends the people to the background in ONE runtime message, and
 * Chrome refuses a message over 64 MiB ("Message exceeded maximum allowed size of 64MiB.",
 * chromium-review.googlesource.com/c/chromium/src/+/7147681). Measured on generated rosters
 * (`rosterFor`, 10,000–90,000 rows): a file takes about 91 bytes per row and its people about 280
 * bytes of message each, about 28 MB for 100,000 people. So:
 *  - files up to MAX_ROSTER_FILE_BYTES are read at all (checked before reading or parsing);
 *  - up to MAX_ROSTER_ROWS data rows are parsed (checked before parsing);
 *  - the people must fit MAX_ROSTER_MESSAGE_BYTES, counted pessimistically (`rosterMessageBytes`),
 *    which leaves a third of Chrome's cap for the rest of the message and for how Chrome encodes it.
 * The page sends the people packed (./wire.ts: no keys), fewer bytes than the objects counted
 * here, so the count stays an upper bound.
 */
import type { Person } from '../model';

const MiB = 1024 * 1024;

/** Chrome's cap on one runtime message. */
export const CHROME_MESSAGE_CAP_BYTES = 64 * MiB;
/** Largest roster file read: 100,000 rows of about 330 bytes, several times what HR exports need. */
export const MAX_ROSTER_FILE_BYTES = 32 * MiB;
/** Most data rows (non-blank, below the header) one import takes. */
export const MAX_ROSTER_ROWS = 100_000;
/** Most bytes the people of one import may take in the import message. */
export const MAX_ROSTER_MESSAGE_BYTES = 40 * MiB;

const count = (n: number) => n.toLocaleString('en-US');

/** "50.0 MB (52,428,800 bytes)": MB as file managers on Windows count them (2^20 bytes). */
export function formatBytes(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MB (${count(bytes)} bytes)`;
}

/** Why a file of `bytes` is refused before it is read, or null when its size is fine. */
export function rosterFileSizeError(bytes: number): string | null {
  if (bytes <= MAX_ROSTER_FILE_BYTES) return null;
  return (
    `The file is ${formatBytes(bytes)}; a roster file can be at most ${MAX_ROSTER_FILE_BYTES / MiB} MB. ` +
    'Export only the columns Access Lens reads (email, name, status, dates, department, manager).'
  );
}

/** Why a file with more than MAX_ROSTER_ROWS data rows is refused before it is parsed. */
export function rosterRowCountError(lines: number): string {
  return (
    `The file has more than ${count(MAX_ROSTER_ROWS)} rows (${count(lines)} lines); ` +
    `at most ${count(MAX_ROSTER_ROWS)} people can be imported.`
  );
}

/**
 * An upper bound on the bytes `people` take in a runtime message: their JSON, with every
 * character outside ASCII, and every `<`, counted as a 6-byte `\uXXXX` escape (Chrome's JSON writer
 * escapes `<`; UTF-8 needs at most 3 bytes per UTF-16 unit). Real names cost a few bytes more
 * than their UTF-8 size, never less.
 */
export function rosterMessageBytes(people: readonly Person[]): number {
  let bytes = 2 + Math.max(0, people.length - 1); // [ ] and commas
  for (const person of people) {
    const json = JSON.stringify(person);
    bytes += json.length;
    for (let i = 0; i < json.length; i++) {
      const c = json.charCodeAt(i);
      if (c > 0x7f || c === 0x3c) bytes += 5;
    }
  }
  return bytes;
}

/** JSON of a Person with every string empty or null and the longest `row`: the part no value adds to. */
const PERSON_SKELETON_BYTES = JSON.stringify({
  id: '', name: '', workEmail: null, altEmails: [], status: null, statusTerminated: false, endDate: null,
  startDate: null, employeeType: null, department: null, manager: null, row: Number.MAX_SAFE_INTEGER,
} satisfies Person).length;

/** Printable ASCII other than `"`, `\\` and `<`: one byte per character in the message. */
const PLAIN = /^[\x20\x21\x23-\x3b\x3d-\x5b\x5d-\x7e]*$/;

/** A string value's bytes at most: its quotes, plus one byte per character, or six if any needs more. */
function stringBound(value: string): number {
  return 2 + (PLAIN.test(value) ? value.length : 6 * value.length);
}

/**
 * A quick bound at or above `rosterMessageBytes`, without building any JSON: exact for values of
 * plain ASCII, 6 bytes a character for the others.
 */
export function rosterMessageBytesBound(people: readonly Person[]): number {
  let bytes = 2 + people.length;
  for (const p of people) {
    bytes += PERSON_SKELETON_BYTES;
    for (const value of [p.id, p.name, p.workEmail, p.status, p.endDate, p.startDate, p.employeeType, p.department, p.manager]) {
      if (value !== null) bytes += stringBound(value);
    }
    for (const alt of p.altEmails) bytes += 1 + stringBound(alt);
  }
  return bytes;
}

/**
 * The bytes `people` take in the import message (`rosterMessageBytes`) when that is over
 * MAX_ROSTER_MESSAGE_BYTES, else null. Most rosters are far under: the quick bound settles them.
 */
export function oversizedRosterMessage(people: readonly Person[]): number | null {
  if (rosterMessageBytesBound(people) <= MAX_ROSTER_MESSAGE_BYTES) return null;
  const bytes = rosterMessageBytes(people);
  return bytes > MAX_ROSTER_MESSAGE_BYTES ? bytes : null;
}

/** Why people whose message would take `bytes` are refused. */
export function rosterMessageSizeError(bytes: number): string {
  return (
    `The people in this file take ${formatBytes(bytes)} to hand to the extension, more than the ` +
    `${MAX_ROSTER_MESSAGE_BYTES / MiB} MB one import can carry (the browser's limit is ${CHROME_MESSAGE_CAP_BYTES / MiB} MB). ` +
    'Map fewer columns (Department, Manager, Alternate emails are optional) or shorten long values.'
  );
}
