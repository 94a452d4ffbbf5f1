/**
 * Roster file bytes → text. HR systems and spreadsheets save CSV as UTF-8 (with or without a
 * byte-order mark), as UTF-16 with a byte-order mark (Excel's "Unicode Text"), or in the Windows
 * code page (Excel's plain "CSV" on Western Windows). Anything else that is not text (a workbook,
 * a PDF, random bytes) is refused with a message saying what to do, never decoded into garbage.
 *
 * Order: the size; known non-text signatures; a byte-order mark (UTF-8, UTF-16 LE/BE; UTF-32 is
 * refused); no BOM: NUL bytes mean UTF-16 without a BOM or binary; strict UTF-8 (TextDecoder with
 * `fatal`); otherwise Windows-1252. Whatever the encoding, text with too many control characters
 * is refused as binary.
 */
import { rosterFileSizeError } from './limits';

export type RosterEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type DecodedRoster = { text: string; encoding: RosterEncoding } | { error: string };

/** How each encoding is named to the admin. */
export const ENCODING_LABELS: ReadonlyMap<RosterEncoding, string> = new Map<RosterEncoding, string>([
  ['utf-8', 'UTF-8'],
  ['utf-16le', 'UTF-16 (little-endian)'],
  ['utf-16be', 'UTF-16 (big-endian)'],
  ['windows-1252', 'Windows-1252 (Western European)'],
]);

const SAVE_AS_CSV = 'Save it as CSV (UTF-8) from your HR system or spreadsheet and pick that file.';

/** File signatures of things people pick instead of the CSV export. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or another zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an Excel 97–2003 workbook (.xls) or another Office file' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], what: 'UTF-32 text, which is not supported' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], what: 'UTF-32 text, which is not supported' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * Share of characters that no roster contains: NUL, C0 controls other than tab, line feed,
 * vertical tab, form feed and carriage return, DEL, C1 controls (which is also what Windows-1252's
 * five unassigned bytes decode to), and U+FFFD (a decoder's replacement for bad bytes).
 */
const NOT_TEXT = /[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g;
/** More than this share of NOT_TEXT characters (or any NUL) means the file is not text. */
const MAX_NOT_TEXT_SHARE = 0.01;

function notTextReason(text: string): string | null {
  if (text.includes('\0')) return 'it contains NUL bytes';
  const odd = text.match(NOT_TEXT)?.length ?? 0;
  if (odd > text.length * MAX_NOT_TEXT_SHARE) return `${odd.toLocaleString('en-US')} of its ${text.length.toLocaleString('en-US')} characters are control characters`;
  return null;
}

/**
 * UTF-16 without a BOM: mostly ASCII text has a NUL in every other byte, at odd offsets (little
 * endian) or even ones (big endian).
 */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return false;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = n / 2;
  return (oddNuls > pairs * 0.6 && evenNuls < pairs * 0.05) || (evenNuls > pairs * 0.6 && oddNuls < pairs * 0.05);
}

/**
 * Windows-1252 bytes 0x80–0x9f (WHATWG Encoding Standard, index-windows-1252); the five unassigned
 * ones map to the C1 control of the same number, as browsers do. Every other byte is its Latin-1
 * character.
 */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  // Browsers' TextDecoder follows the standard; Node's reads "windows-1252" as Latin-1 (0x80 →
  // U+0080). Mapping U+0080–U+009F afterwards gives the standard's text from either.
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\x80-\x9f]/g, (c) =>
    String.fromCharCode(CP1252_80_9F[c.charCodeAt(0) - 0x80] as number),
  );
}

function decodeStrict(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): string | null {
  try {
    // The decoder drops a leading byte-order mark of its own encoding.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function checked(text: string, encoding: RosterEncoding): DecodedRoster {
  const reason = notTextReason(text);
  if (reason !== null) {
    return { error: `This is not a text file: read as ${ENCODING_LABELS.get(encoding)}, ${reason}. ${SAVE_AS_CSV}` };
  }
  return { text, encoding };
}

/**
 * Decodes a roster file's bytes, or says why they are not a roster this import can read. Other
 * spreadsheet imports (the Atlassian user export) pass their own size rule.
 */
export function decodeRosterBytes(bytes: Uint8Array, sizeErrorOf: (bytes: number) => string | null = rosterFileSizeError): DecodedRoster {
  const sizeError = sizeErrorOf(bytes.length);
  if (sizeError !== null) return { error: sizeError };
  if (bytes.length === 0) return { text: '', encoding: 'utf-8' };

  const known = SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (known !== undefined) return { error: `This file is ${known.what}, not a CSV or TSV file. ${SAVE_AS_CSV}` };

  const boms: readonly { bom: readonly number[]; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }[] = [
    { bom: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
    { bom: [0xff, 0xfe], encoding: 'utf-16le' },
    { bom: [0xfe, 0xff], encoding: 'utf-16be' },
  ];
  for (const { bom, encoding } of boms) {
    if (!startsWith(bytes, bom)) continue;
    const text = decodeStrict(bytes, encoding);
    if (text === null) {
      const label = ENCODING_LABELS.get(encoding);
      const detail = encoding === 'utf-8' ? 'has bytes that are not UTF-8' : bytes.length % 2 === 1 ? 'has an odd number of bytes' : 'has broken surrogate pairs';
      return { error: `The file starts with a ${label} byte-order mark but ${detail}, so it cannot be read safely. ${SAVE_AS_CSV}` };
    }
    return checked(text, encoding);
  }

  if (bytes.includes(0)) {
    return looksLikeBomlessUtf16(bytes)
      ? { error: `The file looks like UTF-16 text without a byte-order mark, which cannot be read reliably. ${SAVE_AS_CSV}` }
      : { error: `This is not a text file: it contains NUL bytes. ${SAVE_AS_CSV}` };
  }
  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8 !== null) return checked(utf8, 'utf-8');
  return checked(decodeWindows1252(bytes), 'windows-1252');
}
