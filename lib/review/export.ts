/**
 * Evidence export of the review: CSV (for spreadsheets) and JSON (for tooling). Both carry the
 * same fields and nothing else — no tokens, no marks' timestamps, no roster rows beyond the owner.
 */
import Papa from 'papaparse';
import type { FlagResult, ReviewRow } from '../model';

export const EXPORT_COLUMNS = [
  'site', 'account_id', 'display_name', 'email', 'email_source', 'account_type', 'status', 'groups',
  'role', 'owner_type', 'person_name', 'person_email', 'match', 'flags', 'filtered_reason',
  'decision', 'note',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export interface ExportRecord {
  site: string;
  account_id: string;
  display_name: string;
  email: string | null;
  email_source: string;
  account_type: string;
  status: string;
  groups: string[];
  role: string;
  owner_type: string;
  person_name: string | null;
  person_email: string | null;
  match: string;
  flags: string[];
  filtered_reason: string | null;
  /** From the site's latest access review (open or completed); null outside it. */
  decision: string | null;
  note: string | null;
}

export interface JsonExportMeta {
  exportedAt: string;
  lastSyncedAt: string | null;
  roster: { fileName: string; importedAt: string } | null;
}

/** Plain code-unit order, so the export is identical whatever the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic order: display name (case-insensitive), then account id. */
export function sortRowsForExport(rows: readonly ReviewRow[]): ReviewRow[] {
  return [...rows].sort(
    (a, b) =>
      compareText(a.account.displayName.toLowerCase(), b.account.displayName.toLowerCase()) ||
      compareText(a.account.accountId, b.account.accountId),
  );
}

/** An access review's say on an account (lib/campaign), for the `decision` and `note` columns. */
export interface ExportDecision {
  decision: string;
  note: string;
}

export type ExportDecisions = ReadonlyMap<string, ExportDecision>;

export function toRecord(row: ReviewRow, site: string, decisions?: ExportDecisions): ExportRecord {
  const decided = decisions?.get(row.account.accountId);
  const { account, person } = row;
  return {
    site,
    account_id: account.accountId,
    display_name: account.displayName,
    email: account.email,
    email_source: account.emailSource,
    account_type: account.accountType,
    status: account.status,
    groups: account.groups.map((g) => g.name).sort(compareText),
    role: account.role,
    owner_type: row.ownerType,
    person_name: person?.name ?? null,
    person_email: person?.workEmail ?? null,
    match: row.match.rule,
    flags: row.flags.map((f) => f.flag).sort(compareText),
    filtered_reason: account.filteredReason,
    decision: decided?.decision ?? null,
    note: decided ? decided.note : null,
  };
}

/**
 * OWASP CSV injection: a spreadsheet would run a cell starting with = + - @ tab or CR as a
 * formula, so such cells get a leading apostrophe.
 */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | string[] | null): string {
  const text = value === null ? '' : Array.isArray(value) ? value.join(';') : value;
  return escapeFormula(text);
}

/** RFC 4180 CSV of cells already passed through `csvCell`; every record, the header included, ends with CRLF. */
export function csvTable(fields: readonly string[], data: string[][]): string {
  const csv = Papa.unparse(
    { fields: [...fields], data },
    { newline: '\r\n', quotes: false, escapeFormulae: false },
  );
  // Papa ends a header-only file with a line break but not one with rows; make it uniform.
  return csv.endsWith('\r\n') ? csv : `${csv}\r\n`;
}

/** The CSV export; header EXPORT_COLUMNS. `decisions` fill `decision` and `note`. */
export function toCsv(rows: readonly ReviewRow[], site: string, decisions?: ExportDecisions): string {
  const data = sortRowsForExport(rows).map((row) => {
    const record = toRecord(row, site, decisions);
    return EXPORT_COLUMNS.map((c) => csvCell(record[c]));
  });
  return csvTable(EXPORT_COLUMNS, data);
}

export interface JsonExportRow extends ExportRecord {
  explanations: { match: string; flags: FlagResult[]; filtered: string | null };
}

export function toJson(rows: readonly ReviewRow[], site: string, meta: JsonExportMeta, decisions?: ExportDecisions): string {
  const jsonRows: JsonExportRow[] = sortRowsForExport(rows).map((row) => ({
    ...toRecord(row, site, decisions),
    explanations: {
      match: row.match.explanation,
      flags: row.flags.map((f) => ({ flag: f.flag, explanation: f.explanation })),
      filtered: row.account.filteredDetail,
    },
  }));
  return JSON.stringify(
    {
      site,
      exportedAt: meta.exportedAt,
      lastSyncedAt: meta.lastSyncedAt,
      roster: meta.roster === null ? null : { fileName: meta.roster.fileName, importedAt: meta.roster.importedAt },
      columns: [...EXPORT_COLUMNS],
      rows: jsonRows,
    },
    null,
    2,
  );
}
