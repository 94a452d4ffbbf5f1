/**
 * Reading a CSV/TSV export into a header and data rows, for every import of a spreadsheet the admin
 * downloads somewhere else (the HR roster, Atlassian's user exports). It only splits the file: what
 * the columns mean is each importer's business.
 *
 * Row numbers are the ones a spreadsheet shows: the header is row 1 (when the file starts with
 * it), blank lines count, and a quoted cell spanning several lines is still one row.
 */
import Papa from 'papaparse';

export interface RowError {
  /** File row number (header = row 1); 0 for problems with the file as a whole. */
  row: number;
  /** Header text of the column at fault, or null when the whole row (or file) is at fault. */
  column: string | null;
  reason: string;
}

export interface CsvRow {
  /** File row number (see above). */
  row: number;
  cells: string[];
  /** Set when the row's quotes are broken; its cells are then not to be trusted. */
  quoteError: string | null;
}

export type CsvTable =
  | { ok: false; error: RowError }
  | {
      ok: true;
      /** Header cells, trimmed, in file order. */
      headers: string[];
      headerRow: number;
      /** Set when the header's own quotes are broken: every other finding would be noise. */
      headerQuoteError: string | null;
      /** Non-blank rows below the header. */
      rows: CsvRow[];
    };

const DELIMITERS = [',', ';', '\t'];

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** The text without the byte-order mark spreadsheet programs put in front of UTF-8 exports. */
export function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Enough text for the 50 rows the delimiter is guessed from. */
const DELIMITER_SAMPLE_CHARS = 1024 * 1024;

function detectDelimiter(text: string): string {
  // Guess on a greedy-skipping preview: Papa's guesser needs consistent field counts, and a
  // trailing blank line would otherwise make it give up and fall back to ','. Only the start of
  // the text is given: Papa splits its whole input into lines first (seconds for a million rows).
  const preview = Papa.parse<string[]>(text.slice(0, DELIMITER_SAMPLE_CHARS), {
    preview: 50,
    skipEmptyLines: 'greedy',
    delimitersToGuess: DELIMITERS,
  });
  return preview.meta.delimiter;
}

function quoteErrorReason(code: string): string {
  return code === 'MissingQuotes'
    ? 'Unterminated quoted field: a cell opens a " that never closes, so the rest of the file is unreadable'
    : 'Malformed quotes: text follows a closing " in the same cell';
}

/**
 * Lines with something other than whitespace and delimiters on them, split where the CSV parser
 * splits rows (at `\n`, or at `\r` in a file without `\n`). Without quotes in the text, these are
 * exactly the non-blank records; a quoted cell can span lines, so with quotes it is an upper bound.
 */
function countNonBlankLines(text: string, delimiter: string): number {
  const lineEnd = text.includes('\n') ? '\\n' : '\\r';
  const delimiterClass = delimiter.replace(/[\\\]^-]/g, '\\$&');
  const line = new RegExp(`[^\\s${delimiterClass}][^${lineEnd}]*`, 'g');
  let n = 0;
  while (line.exec(text) !== null) n++;
  return n;
}

/** Non-blank records, counted by the CSV parser (quoted cells may span lines) up to `limit`. */
function countRecordsUpTo(text: string, delimiter: string, limit: number): number {
  let n = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    step: (row, parser) => {
      if (!isBlankRow(row.data) && ++n >= limit) parser.abort();
    },
  });
  return n;
}

/** What an importer accepts; checked before the file is parsed (lib/roster/limits.ts for the roster). */
export interface CsvLimits {
  /** Longest text (characters; every one came from at least one byte of the file). */
  maxChars: number;
  /** Most data rows below the header. */
  maxRows: number;
  sizeError(chars: number): string;
  rowCountError(lines: number): string;
}

/** Splits `text` (`,`, `;` or tab separated) into a header and its data rows. */
export function readCsv(text: string, limits?: CsvLimits): CsvTable {
  const body = stripBom(text);
  const empty: CsvTable = { ok: false, error: { row: 0, column: null, reason: 'The file is empty' } };
  if (body.trim() === '') return empty;
  const refuse = (reason: string): CsvTable => ({ ok: false, error: { row: 0, column: null, reason } });
  if (limits && body.length > limits.maxChars) return refuse(limits.sizeError(body.length));

  const delimiter = detectDelimiter(body);
  if (limits) {
    // Header + maxRows records at most. Lines over-count records only when quoted cells span
    // lines, so then the parser recounts (stopping just past the limit) before refusing.
    const lines = countNonBlankLines(body, delimiter);
    const limit = limits.maxRows + 1;
    if (lines > limit && (!body.includes('"') || countRecordsUpTo(body, delimiter, limit + 1) > limit)) {
      return refuse(limits.rowCountError(lines));
    }
  }

  const parsed = Papa.parse<string[]>(body, {
    delimiter,
    header: false,
    skipEmptyLines: false, // skipped below instead, so row numbers still count blank lines
  });
  const records = parsed.data;
  const quoteErrors = new Map<number, string>();
  for (const e of parsed.errors) {
    if (e.type === 'Quotes' && e.row !== undefined && !quoteErrors.has(e.row)) {
      quoteErrors.set(e.row, quoteErrorReason(e.code));
    }
  }

  const headerIndex = records.findIndex((r) => !isBlankRow(r));
  const headerCells = records[headerIndex];
  if (headerCells === undefined) return empty;

  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i];
    if (cells !== undefined && !isBlankRow(cells)) rows.push({ row: i + 1, cells, quoteError: quoteErrors.get(i) ?? null });
  }
  return {
    ok: true,
    headers: headerCells.map((h) => h.trim()),
    headerRow: headerIndex + 1,
    headerQuoteError: quoteErrors.get(headerIndex) ?? null,
    rows,
  };
}

/**
 * A row whose cells do not line up with the header (a missing or extra delimiter or quote), or
 * null. Empty trailing cells are tolerated: spreadsheets pad rows that way.
 */
export function rowShapeError(row: CsvRow, headerCount: number): RowError | null {
  if (row.quoteError !== null) return { row: row.row, column: null, reason: row.quoteError };
  const extraFilled = row.cells.slice(headerCount).some((c) => c.trim() !== '');
  if (row.cells.length < headerCount || extraFilled) {
    return {
      row: row.row,
      column: null,
      reason: `Row has ${row.cells.length} values but the header has ${headerCount} columns (a missing or extra delimiter or quote?)`,
    };
  }
  return null;
}
