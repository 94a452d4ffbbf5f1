/**
 * Roster import: CSV/TSV text → people, or a complete list of what is wrong with it.
 *
 * Error contract: `parseRoster` never throws on bad input. Problems with the file as a whole
 * (empty, no data rows, no email/name column, a mapping naming a column the file lacks) are
 * `RowError`s with `row: 0`; a mapped header that appears twice is reported on the header's row.
 * When such a structural error exists, no row is examined and `people` is empty. So are a text
 * longer than any accepted file and one with more than MAX_ROSTER_ROWS data rows: refused before
 * they are parsed. People too big to hand to the background in one message (see limits.ts) are a
 * `row: 0` error too, with `people` still listed for the preview. Row numbers are as in csv.ts.
 *
 * Warnings are not errors: they never stop an import. They say when the file cannot do its job,
 * revealing leavers: it has no status and no end-date column, or nobody in it has left.
 */
import { z } from 'zod';
import type { Person } from '../model';
import {
  autoMapColumns,
  columnMappingSchema,
  hasIdentityColumn,
  ROSTER_FIELDS,
  type ColumnMapping,
  type RosterField,
} from './columns';
import { readCsv, rowShapeError, type RowError } from './csv';
import { parseRosterDate, todayIn } from './dates';
import {
  MAX_ROSTER_FILE_BYTES,
  MAX_ROSTER_ROWS,
  oversizedRosterMessage,
  rosterFileSizeError,
  rosterMessageSizeError,
  rosterRowCountError,
} from './limits';
import { normaliseEmail, normaliseName } from './names';
import { recogniseRoster, statusSystem, type RosterPreset } from './presets';
import { isTerminated, isTerminatedStatus, LEFT_STATUSES, type RosterSystem } from './status';

export type { RowError } from './csv';

export interface RosterParseResult {
  /** Header cells, trimmed, in file order. */
  headers: string[];
  mapping: ColumnMapping;
  /** Valid rows only; a row with any error is left out. Import only when `errors` is empty. */
  people: Person[];
  errors: RowError[];
  /** Non-blank data rows below the header. */
  rowCount: number;
  /** People in `people` terminated as of `today` (for the import preview). */
  terminatedCount: number;
  /** The export the headers were recognised as (presets.ts), or null. */
  preset: RecognisedPreset | null;
  /**
   * Status values that mean "left" only in the recognised system's export and were applied to
   * this file's status column (status.ts `LEFT_STATUSES`); empty otherwise.
   */
  systemLeftStatuses: readonly string[];
  /** Reasons to doubt the file can reveal leavers; the import is still allowed. */
  warnings: RosterWarning[];
}

export interface RecognisedPreset {
  id: string;
  system: RosterSystem;
  label: string;
}

export type RosterWarningCode = 'no-leaver-columns' | 'all-active';

export interface RosterWarning {
  code: RosterWarningCode;
  message: string;
}

export const ROSTER_WARNINGS: ReadonlyMap<RosterWarningCode, string> = new Map<RosterWarningCode, string>([
  [
    'no-leaver-columns',
    'No status or end-date column found: a list of current staff cannot reveal leavers. ' +
      'If the file has one under another name, choose it in the column mapping; otherwise export a report that includes former employees.',
  ],
  [
    'all-active',
    'Every person in the file is active: no status says anyone left and no end date has passed. ' +
      'Many HR reports list current staff only; if this one does, the accounts of people who left cannot be flagged. ' +
      'Export former (terminated, inactive) employees too.',
  ],
]);

export interface ParseRosterOptions {
  /** The admin's corrected mapping; default the recognised preset's (`recogniseRoster`). */
  mapping?: ColumnMapping;
  /** YYYY-MM-DD for `terminatedCount`; default today in the runtime's time zone. */
  today?: string;
}

/** Longer cells are not plausible roster values; refusing them keeps the store and UI sane. */
export const MAX_CELL_LENGTH = 1000;
const emailSchema = z.email();

function result(
  headers: string[],
  mapping: ColumnMapping,
  errors: RowError[],
  rowCount = 0,
  people: Person[] = [],
  terminatedCount = 0,
  preset: RosterPreset | null = null,
  system: RosterSystem | null = null,
  warnings: RosterWarning[] = [],
): RosterParseResult {
  return {
    headers,
    mapping,
    people,
    errors,
    rowCount,
    terminatedCount,
    preset: preset && { id: preset.id, system: preset.system, label: preset.label },
    systemLeftStatuses: system === null ? [] : (LEFT_STATUSES.get(system) ?? []),
    warnings,
  };
}

function warning(code: RosterWarningCode): RosterWarning {
  return { code, message: ROSTER_WARNINGS.get(code) ?? code };
}

const ROSTER_CSV_LIMITS = {
  maxChars: MAX_ROSTER_FILE_BYTES,
  maxRows: MAX_ROSTER_ROWS,
  sizeError: (chars: number) => rosterFileSizeError(chars) ?? '',
  rowCountError: rosterRowCountError,
};

export function parseRoster(text: string, opts: ParseRosterOptions = {}): RosterParseResult {
  const table = readCsv(text, ROSTER_CSV_LIMITS);
  if (!table.ok) return result([], autoMapColumns([]), [table.error]);
  const { headers, headerRow } = table;
  const recognition = recogniseRoster(headers);
  const { preset } = recognition;

  let mapping: ColumnMapping;
  if (opts.mapping === undefined) {
    mapping = recognition.mapping;
  } else {
    const checked = columnMappingSchema.safeParse(opts.mapping);
    if (!checked.success) {
      return result(headers, recognition.mapping, [
        { row: 0, column: null, reason: `Invalid column mapping: ${checked.error.message}` },
      ], 0, [], 0, preset);
    }
    mapping = checked.data;
  }
  const system = statusSystem(recognition, mapping);

  const structural = structuralErrors(headers, headerRow, mapping, table.headerQuoteError);
  const dataRows = table.rows;
  if (structural.length === 0 && dataRows.length === 0) {
    structural.push({ row: 0, column: null, reason: 'The file has a header but no data rows' });
  }
  if (structural.length > 0) return result(headers, mapping, structural, dataRows.length, [], 0, preset, system);

  const columnIndex = new Map<RosterField, number>();
  for (const field of ROSTER_FIELDS) {
    const header = mapping[field];
    if (header !== null) columnIndex.set(field, headers.indexOf(header));
  }

  const errors: RowError[] = [];
  const people: Person[] = [];
  const firstRowByEmail = new Map<string, number>();
  const firstRowByNameKey = new Map<string, number>();

  for (const dataRow of dataRows) {
    const { row, cells } = dataRow;
    const shapeError = rowShapeError(dataRow, headers.length);
    if (shapeError !== null) {
      errors.push(shapeError);
      continue;
    }

    const rowErrors: RowError[] = [];
    const cell = (field: RosterField): string | null => {
      const index = columnIndex.get(field);
      if (index === undefined) return null;
      const value = (cells[index] ?? '').trim();
      if (value.length > MAX_CELL_LENGTH) {
        rowErrors.push({ row, column: mapping[field], reason: `Value is longer than ${MAX_CELL_LENGTH} characters` });
        return null;
      }
      return value === '' ? null : value;
    };

    const rawEmail = cell('email');
    let workEmail: string | null = null;
    if (rawEmail !== null) {
      const email = normaliseEmail(rawEmail);
      if (!emailSchema.safeParse(email).success) {
        rowErrors.push({ row, column: mapping.email, reason: `Invalid email "${rawEmail}"` });
      } else {
        workEmail = email;
        const firstRow = firstRowByEmail.get(email);
        if (firstRow !== undefined) {
          rowErrors.push({
            row,
            column: mapping.email,
            reason: `Duplicate work email "${email}" (first in row ${firstRow})`,
          });
        } else {
          firstRowByEmail.set(email, row);
        }
      }
    }

    const altEmails: string[] = [];
    for (const part of (cell('altEmails') ?? '').split(/[;,\s]+/)) {
      if (part === '') continue;
      const email = normaliseEmail(part);
      if (!emailSchema.safeParse(email).success) {
        rowErrors.push({ row, column: mapping.altEmails, reason: `Invalid alternate email "${part}"` });
      } else if (email !== workEmail && !altEmails.includes(email)) {
        altEmails.push(email);
      }
    }

    const fullName = cell('name');
    const first = cell('preferredName') ?? cell('firstName');
    const last = cell('lastName');
    // Whitespace collapsed: a quoted line break or double space inside a name is never meant.
    const name = (fullName ?? [first, last].filter((p) => p !== null).join(' ')).replace(/\s+/g, ' ');
    const nameKey = normaliseName(name);

    const date = (field: 'endDate' | 'startDate'): string | null => {
      const value = cell(field);
      if (value === null) return null;
      const parsedDate = parseRosterDate(value);
      if (parsedDate.ok) return parsedDate.date;
      rowErrors.push({ row, column: mapping[field], reason: parsedDate.reason });
      return null;
    };
    const endDate = date('endDate');
    const startDate = date('startDate');

    if (rawEmail === null && nameKey === '') {
      rowErrors.push({ row, column: null, reason: 'Row has neither a name nor a work email' });
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }

    let id: string;
    if (workEmail !== null) {
      id = `email:${workEmail}`;
    } else if (!firstRowByNameKey.has(nameKey)) {
      // The first email-less person with a name keeps the plain id, so adding a namesake later
      // does not break marks already linked to them; namesakes get `#<row>`.
      firstRowByNameKey.set(nameKey, row);
      id = `name:${nameKey}`;
    } else {
      id = `name:${nameKey}#${row}`;
    }

    const status = cell('status');
    people.push({
      id,
      name,
      workEmail,
      altEmails,
      status,
      statusTerminated: isTerminatedStatus(status, system),
      endDate,
      startDate,
      employeeType: cell('employeeType'),
      department: cell('department'),
      manager: cell('manager'),
      row,
    });
  }

  const messageBytes = oversizedRosterMessage(people);
  if (messageBytes !== null) errors.unshift({ row: 0, column: null, reason: rosterMessageSizeError(messageBytes) });

  const today = opts.today ?? todayIn();
  const terminatedCount = people.filter((p) => isTerminated(p, today)).length;
  const warnings: RosterWarning[] = [];
  if (mapping.status === null && mapping.endDate === null) warnings.push(warning('no-leaver-columns'));
  else if (people.length > 0 && terminatedCount === 0) warnings.push(warning('all-active'));
  return result(headers, mapping, errors, dataRows.length, people, terminatedCount, preset, system, warnings);
}

function structuralErrors(
  headers: string[],
  headerRow: number,
  mapping: ColumnMapping,
  headerQuoteError: string | null,
): RowError[] {
  // An unreadable header makes every other finding noise.
  if (headerQuoteError !== null) return [{ row: headerRow, column: null, reason: headerQuoteError }];
  const errors: RowError[] = [];
  const reported = new Set<string>();
  for (const field of ROSTER_FIELDS) {
    const header = mapping[field];
    if (header === null || reported.has(header)) continue;
    reported.add(header);
    const positions = headers.flatMap((h, i) => (h === header ? [i + 1] : []));
    if (positions.length === 0) {
      errors.push({ row: 0, column: header, reason: `Column "${header}" (mapped to ${field}) is not in the file` });
    } else if (positions.length > 1) {
      errors.push({
        row: headerRow,
        column: header,
        reason: `Column "${header}" appears ${positions.length} times (columns ${positions.join(', ')}); rename or remove the extra ones`,
      });
    }
  }
  if (!hasIdentityColumn(mapping)) {
    errors.push({
      row: 0,
      column: null,
      reason: `No email or name column found among: ${headers.filter((h) => h !== '').join(', ')}. Map one by hand`,
    });
  }
  return errors;
}
