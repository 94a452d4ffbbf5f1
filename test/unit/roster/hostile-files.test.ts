/**
 * Hostile and odd roster files, as the options page gets them (bytes → decodeRosterBytes →
 * parseRoster): every one is decoded correctly or refused with a message that says what is wrong,
 * and nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { decodeRosterBytes, type DecodedRoster } from '../../../lib/roster/decode';
import {
  MAX_ROSTER_FILE_BYTES,
  MAX_ROSTER_MESSAGE_BYTES,
  MAX_ROSTER_ROWS,
  oversizedRosterMessage,
  rosterFileSizeError,
  rosterMessageBytes,
  rosterMessageBytesBound,
} from '../../../lib/roster/limits';
import { parseRoster, type RosterParseResult } from '../../../lib/roster/parse';
import type { Person } from '../../../lib/model';
import { createRng, pick, randInt } from '../../fake-atlassian/prng';

const TODAY = '2025-03-04';
const MiB = 1024 * 1024;

/** A roster with accents, a curly apostrophe, a euro sign, CJK and an emoji (astral) in it. */
const ROSTER = [
  'Work Email,Full Name,Department,Status',
  'jose@acme.com,José Núñez,Ventes €,Active',
  'zoe@acme.com,Zoë O’Brien,Œuvres,Terminated',
  'fang@acme.com,王芳,研究,Active',
  'sam@acme.com,Sam 😀 Lee,Ops,Active',
].join('\r\n');
/** The same without the characters Windows-1252 cannot hold. */
const WESTERN = ROSTER.split('\r\n').slice(0, 3).join('\r\n');

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (number[] | Uint8Array)[]) => new Uint8Array(parts.flatMap((p) => [...p]));

function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  const units = bom ? `\ufeff${text}` : text;
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), endian === 'le');
  return out;
}

/** Windows-1252: Latin-1 plus these in 0x80–0x9f. */
const CP1252_HIGH = new Map([['€', 0x80], ['’', 0x92], ['Œ', 0x8c], ['“', 0x93], ['”', 0x94], ['–', 0x96]]);
function cp1252(text: string): Uint8Array {
  return Uint8Array.from([...text], (c) => {
    const code = CP1252_HIGH.get(c) ?? c.charCodeAt(0);
    if (code > 0xff || (code >= 0x80 && code < 0xa0 && !CP1252_HIGH.has(c))) throw new Error(`not in cp1252: ${c}`);
    return code;
  });
}

function decoded(result: DecodedRoster): { text: string; encoding: string } {
  if ('error' in result) throw new Error(`expected text, got: ${result.error}`);
  return result;
}

function refused(result: DecodedRoster): string {
  if (!('error' in result)) throw new Error(`expected a refusal, got ${result.encoding} text`);
  return result.error;
}

/** What the page would do with the bytes: a decode refusal, or the parse result. */
function importBytes(input: Uint8Array): { error: string } | RosterParseResult {
  const result = decodeRosterBytes(input);
  return 'error' in result ? result : parseRoster(result.text, { today: TODAY });
}

describe('decodeRosterBytes: encodings', () => {
  const expected = parseRoster(ROSTER, { today: TODAY });

  it('the sample parses cleanly (the reference for the other encodings)', () => {
    expect(expected.errors).toEqual([]);
    expect(expected.people.map((p) => p.name)).toEqual(['José Núñez', 'Zoë O’Brien', '王芳', 'Sam 😀 Lee']);
  });

  it.each([
    ['UTF-8', utf8(ROSTER), 'utf-8'],
    ['UTF-8 with a BOM', bytes([0xef, 0xbb, 0xbf], utf8(ROSTER)), 'utf-8'],
    ['UTF-16 LE with a BOM', utf16(ROSTER, 'le'), 'utf-16le'],
    ['UTF-16 BE with a BOM', utf16(ROSTER, 'be'), 'utf-16be'],
  ])('%s: the exact text, and the same people', (_label, input, encoding) => {
    const result = decoded(decodeRosterBytes(input));
    expect(result).toEqual({ text: ROSTER, encoding });
    expect(parseRoster(result.text, { today: TODAY })).toEqual(expected);
  });

  it('Windows-1252 (Excel "CSV" on Western Windows): accents, ’, € and Œ come out right', () => {
    const result = decoded(decodeRosterBytes(cp1252(WESTERN)));
    expect(result).toEqual({ text: WESTERN, encoding: 'windows-1252' });
    const r = parseRoster(result.text, { today: TODAY });
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => [p.name, p.department])).toEqual([
      ['José Núñez', 'Ventes €'],
      ['Zoë O’Brien', 'Œuvres'],
    ]);
  });

  it('Windows-1252: every byte 0x80–0x9f as the Encoding Standard has it (the unassigned five are controls)', () => {
    const high = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i).filter((b) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b));
    const text = decoded(decodeRosterBytes(bytes(utf8('Name\n'), high, [0x0a], Uint8Array.from({ length: 96 }, (_, i) => 0xa0 + i)))).text;
    expect(text.split('\n')[1]).toBe('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
    expect(text.split('\n')[2]).toBe(String.fromCharCode(...Array.from({ length: 96 }, (_, i) => 0xa0 + i)));
  });

  it('UTF-8 wins when the bytes are valid UTF-8 (é is not read as Ã©)', () => {
    expect(decoded(decodeRosterBytes(utf8('Name\nJosé'))).text).toBe('Name\nJosé');
  });

  it('an empty file decodes to empty text, which the parser calls empty', () => {
    expect(decodeRosterBytes(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
    expect(importBytes(new Uint8Array())).toMatchObject({ errors: [{ row: 0, reason: 'The file is empty' }] });
  });

  it('keeps the odd control character of a real export (a DOS end-of-file mark in a long file)', () => {
    const text = `${ROSTER}\r\n${'x@acme.com,X,Ops,Active\r\n'.repeat(10)}\x1a`;
    expect(decoded(decodeRosterBytes(utf8(text))).text).toBe(text);
  });
});

describe('decodeRosterBytes: refusals say what the file is and what to do', () => {
  it.each([
    ['an xlsx workbook', bytes([0x50, 0x4b, 0x03, 0x04], utf8('[Content_Types].xml')), /Excel workbook \(\.xlsx\)/],
    ['an xls workbook', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /Excel 97–2003 workbook/],
    ['a PDF', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /a PDF document/],
    ['a gzip file', bytes([0x1f, 0x8b, 0x08, 0x00]), /gzip/],
    ['UTF-32 LE', bytes([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]), /UTF-32/],
    ['UTF-32 BE', bytes([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41]), /UTF-32/],
    ['UTF-16 LE without a BOM', utf16(ROSTER, 'le', false), /UTF-16 text without a byte-order mark/],
    ['UTF-16 BE without a BOM', utf16(ROSTER, 'be', false), /UTF-16 text without a byte-order mark/],
    ['a UTF-8 BOM before bytes that are not UTF-8', bytes([0xef, 0xbb, 0xbf], cp1252('Name\nJosé')), /UTF-8 byte-order mark but has bytes that are not UTF-8/],
    ['a UTF-16 BOM and an odd number of bytes', bytes(utf16('Name\nAnn', 'le'), [0x41]), /UTF-16 \(little-endian\) byte-order mark but has an odd number of bytes/],
    ['a UTF-16 BOM and a lone surrogate', utf16('Name\n\ud800x', 'be'), /UTF-16 \(big-endian\) byte-order mark but has broken surrogate pairs/],
    ['NUL bytes in text', utf8('Email,Name\na@b.co,A\0B\n'), /not a text file: it contains NUL bytes/],
    ['control characters', utf8(`Email,Name\n${'a@b.co,\x01\x02\x03\n'.repeat(5)}`), /not a text file: read as UTF-8, 15 of its 66 characters are control characters/],
    ['bytes Windows-1252 leaves unassigned', bytes(cp1252('Email,Name\n'), [0x81, 0x8d, 0x8f, 0x90, 0x9d]), /read as Windows-1252.*control characters/],
  ])('%s', (_label, input, message) => {
    const error = refused(decodeRosterBytes(input));
    expect(error).toMatch(message);
    expect(error).not.toMatch(/undefined|\[object/);
  });

  it('text in a BOM-marked encoding is still checked for binary content', () => {
    expect(refused(decodeRosterBytes(utf16('Name\n\0\0\0', 'le')))).toMatch(/NUL/);
  });
});

describe('random bytes never crash and never import', () => {
  it('5,000 random files from 1 byte to 4 KB, and some 1 MB ones: refused, or parsed with errors', () => {
    const rng = createRng(99);
    const sizes = [...Array.from({ length: 5_000 }, (_, i) => 1 + (i < 1000 ? i % 16 : randInt(rng, 4096))), MiB, MiB, MiB];
    const outcomes = { refused: 0, parsedWithErrors: 0 };
    for (const size of sizes) {
      const input = Uint8Array.from({ length: size }, () => randInt(rng, 256));
      const result = importBytes(input);
      if ('error' in result) {
        expect(result.error.length).toBeGreaterThan(20);
        outcomes.refused++;
      } else {
        // Text by chance (a few short inputs): the parser says why it is no roster.
        expect(result.errors.length, JSON.stringify([...input])).toBeGreaterThan(0);
        expect(result.errors.every((e) => e.reason.length > 0)).toBe(true);
        outcomes.parsedWithErrors++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(4_000);
  });

  it('random printable text (a decoded file of nonsense) is parsed with errors, never imported', () => {
    const rng = createRng(7);
    const alphabet = 'ab,;\t"\r\n =@é€\u202e\u200b';
    for (let i = 0; i < 2_000; i++) {
      const text = Array.from({ length: randInt(rng, 200) }, () => alphabet[randInt(rng, alphabet.length)]).join('');
      const result = importBytes(utf8(text));
      if (!('error' in result) && result.errors.length === 0) {
        // Only possible if the nonsense happens to be a valid roster: it has to name someone.
        expect(result.people.every((p) => p.workEmail !== null || p.name !== '')).toBe(true);
      }
    }
  });
});

describe('size limits', () => {
  it('a 50 MB file is refused before decoding, with its size in the message', () => {
    const fifty = new Uint8Array(50 * MiB).fill(0x61);
    const started = performance.now();
    const error = refused(decodeRosterBytes(fifty));
    expect(performance.now() - started).toBeLessThan(1_000); // nothing was decoded or scanned
    expect(error).toBe(
      'The file is 50.0 MB (52,428,800 bytes); a roster file can be at most 32 MB. Export only the columns Access Lens reads (email, name, status, dates, department, manager).',
    );
  });

  it('the file size limit is inclusive', () => {
    expect(rosterFileSizeError(MAX_ROSTER_FILE_BYTES)).toBeNull();
    expect(rosterFileSizeError(MAX_ROSTER_FILE_BYTES + 1)).toMatch(/^The file is 32\.0 MB \(33,554,433 bytes\); a roster file can be at most 32 MB/);
  });

  it('text longer than any accepted file is refused by the parser too', () => {
    const r = parseRoster(`Email\n${'a'.repeat(MAX_ROSTER_FILE_BYTES)}`);
    expect(r.people).toEqual([]);
    expect(r.errors).toEqual([{ row: 0, column: null, reason: expect.stringMatching(/^The file is 32\.0 MB .* at most 32 MB/) }]);
  });

  const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `p${from + i}@acme.com,P ${from + i}`).join('\n');

  it('a million rows (20 MB, under the size limit) are refused before parsing, with their count', () => {
    const text = `Email,Name\n${'someone@acme.com,Some One\r\n'.repeat(1_000_000)}`;
    const input = utf8(text);
    expect(input.length).toBeLessThan(MAX_ROSTER_FILE_BYTES);
    const started = performance.now();
    const result = importBytes(input);
    const ms = performance.now() - started;
    expect(result).toMatchObject({
      people: [],
      errors: [{ row: 0, column: null, reason: 'The file has more than 100,000 rows (1,000,001 lines); at most 100,000 people can be imported.' }],
    });
    // Parsing a million rows takes several seconds and hundreds of MB; refusing takes a count.
    expect(ms).toBeLessThan(3_000);
  });

  it(`exactly ${MAX_ROSTER_ROWS.toLocaleString('en-US')} rows import, blank lines not counted; one more is refused`, () => {
    const max = parseRoster(`Email,Name\n\n${rows(MAX_ROSTER_ROWS)}\n\n\n`, { today: TODAY });
    expect(max.errors).toEqual([]);
    expect(max.people).toHaveLength(MAX_ROSTER_ROWS);
    const over = parseRoster(`Email,Name\n${rows(MAX_ROSTER_ROWS + 1)}`, { today: TODAY });
    expect(over.errors.map((e) => e.reason)).toEqual(['The file has more than 100,000 rows (100,002 lines); at most 100,000 people can be imported.']);
  }, 30_000);

  it('rows of only delimiters (what spreadsheets write for empty rows) are blank rows, not counted', () => {
    const r = parseRoster(`Email,Name\n${rows(MAX_ROSTER_ROWS)}\n${',\n'.repeat(20_000)} , \n`, { today: TODAY });
    expect(r.errors).toEqual([]);
    expect(r.people).toHaveLength(MAX_ROSTER_ROWS);
  }, 30_000);

  it('a million rows with quotes somewhere are recounted by the parser, then refused', () => {
    const text = `Email,Name\n"a@acme.com","A"\n${'someone@acme.com,Some One\n'.repeat(1_000_000)}`;
    const r = parseRoster(text, { today: TODAY });
    expect(r.errors.map((e) => e.reason)).toEqual(['The file has more than 100,000 rows (1,000,002 lines); at most 100,000 people can be imported.']);
  }, 30_000);

  it('quoted cells spanning lines count as one row each', () => {
    // 60,000 people whose department spans two lines: 120,001 lines, 60,000 rows.
    const text = `Email,Name,Department\n${Array.from({ length: 60_000 }, (_, i) => `p${i}@acme.com,P ${i},"Sales\nEMEA"`).join('\n')}`;
    const r = parseRoster(text, { today: TODAY });
    expect(r.errors).toEqual([]);
    expect(r.people).toHaveLength(60_000);
    expect(r.people[0]?.department).toBe('Sales\nEMEA');
  }, 30_000);
});

describe('the people must fit one runtime message', () => {
  it('rosterMessageBytes is never below the JSON\'s UTF-8 size, nor below its size with < escaped', () => {
    const r = parseRoster(ROSTER, { today: TODAY });
    const json = JSON.stringify(r.people);
    const counted = rosterMessageBytes(r.people);
    expect(counted).toBeGreaterThanOrEqual(utf8(json).length);
    expect(counted).toBeGreaterThanOrEqual(json.replaceAll('<', '\\u003C').length);
    expect(rosterMessageBytes([])).toBe(2);
  });

  it('the quick bound is never below the count, on random people with hostile strings', () => {
    const rng = createRng(5);
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '<', '>', '\n', '\t', '\0', '\u2028', 'é', '王', '😀', '\ud800'];
    const str = () => Array.from({ length: randInt(rng, 30) }, () => pick(rng, alphabet)).join('');
    const maybe = () => (rng() < 0.3 ? null : str());
    const people: Person[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: str(), name: str(), workEmail: maybe(), altEmails: Array.from({ length: randInt(rng, 3) }, str), status: maybe(),
      statusTerminated: rng() < 0.5, endDate: maybe(), startDate: maybe(), employeeType: maybe(), department: maybe(),
      manager: maybe(), row: i * 1_000_003,
    }));
    for (let n = 0; n <= people.length; n += 97) {
      const some = people.slice(0, n);
      const counted = rosterMessageBytes(some);
      expect(rosterMessageBytesBound(some)).toBeGreaterThanOrEqual(counted);
      expect(counted).toBeGreaterThanOrEqual(utf8(JSON.stringify(some)).length);
    }
    expect(oversizedRosterMessage(people)).toBeNull();
  });

  it('people too big for one message are refused, with the size, and not listed as importable', () => {
    // 3,000 rows of 999 accented characters in three columns: 17 MB of file, ~54 MB of message.
    const long = 'é'.repeat(999);
    const text = `Email,Name,Department,Manager\n${Array.from({ length: 3_000 }, (_, i) => `p${i}@acme.com,${long},${long},${long}`).join('\n')}`;
    expect(utf8(text).length).toBeLessThan(MAX_ROSTER_FILE_BYTES);
    const r = parseRoster(text, { today: TODAY });
    expect(rosterMessageBytes(r.people)).toBeGreaterThan(MAX_ROSTER_MESSAGE_BYTES);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toEqual({
      row: 0,
      column: null,
      reason: expect.stringMatching(
        /^The people in this file take \d+\.\d MB \([\d,]+ bytes\) to hand to the extension, more than the 40 MB one import can carry \(the browser's limit is 64 MB\)\. Map fewer columns/,
      ),
    });

    // Leaving the long optional columns out of the mapping brings it under the limit.
    const slim = parseRoster(text, { today: TODAY, mapping: { ...r.mapping, department: null, manager: null } });
    expect(slim.errors).toEqual([]);
    expect(rosterMessageBytes(slim.people)).toBeLessThan(MAX_ROSTER_MESSAGE_BYTES);
  }, 30_000);
});
