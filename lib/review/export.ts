/**
 * Evidence export of the review: CSV (for spreadsheets) and JSON (for tooling). Both carry the
 * same fields and nothing else — no tokens, no marks' timestamps, no roster rows beyond the owner.
 */
import Papa from 'papaparse';
import { describeSource, formatDay } from '../activity/flags';
import type { FlagResult, ReviewRow } from '../model';

export const EXPORT_COLUMNS = [
  'site', 'account_id', 'display_name', 'email', 'email_source', 'account_type', 'status', 'groups',
  'role', 'owner_type', 'person_name', 'person_email', 'match', 'flags', 'filtered_reason',
  'decision', 'note', 'last_active', 'mfa',
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
  /** Last Confluence activity: ISO date, `never`, or null when unknown (lib/activity). */
  last_active: string | null;
  /** Two-step verification: `on`, `off`, or null when unknown. */
  mfa: string | null;
}

export interface JsonExportMeta {
  exportedAt: string;
  lastSyncedAt: string | null;
  roster: { fileName: string; importedAt: string } | null;
  /**
   * What limits the synced data, one line each (e.g. statuses from weaker signals when Atlassian
   * refused users-bulk, emails without Jira), from the sync that made it. Absent: none.
   */
  caveats?: string[];
}

/** One line on the row's activity facts and their sources, or null when none is known. */
function describeActivity(row: ReviewRow): string | null {
  const { lastActive, mfa } = row.activity;
  const parts: string[] = [];
  if (lastActive) {
    const what = lastActive.scope === 'site' ? 'last seen in Confluence' : 'last active in any Atlassian product';
    parts.push(lastActive.value === 'never' ? `${lastActive.scope === 'site' ? 'never used Confluence' : 'never active'} per ${describeSource(lastActive.source)}` : `${what} ${formatDay(lastActive.value)} per ${describeSource(lastActive.source)}`);
  }
  if (mfa) parts.push(`two-step verification ${mfa.value} per ${describeSource(mfa.source)}`);
  return parts.length === 0 ? null : parts.join('; ');
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
    last_active: row.activity.lastActive?.value ?? null,
    mfa: row.activity.mfa?.value ?? null,
  };
}

/**
 * Where a spreadsheet may start reading a value: the cell's start and every point where it could
 * split the cell again (`,` `;` tab — "Text to columns", or a CSV re-opened with another
 * delimiter — and a line break inside a quoted cell), followed by any spaces or invisible format
 * characters (a spreadsheet may trim them), when the next character is one a spreadsheet starts a
 * formula with: `=` `+` `-` `@`, or a tab or carriage return (OWASP "CSV Injection").
 */
// A lookbehind, not a consumed separator: a tab or CR can end one piece and start the next (`\t@`).
const FORMULA_START = /(?<=^|[,;\t\r\n])[\p{Zs}\p{Cf}]*(?=[=+\-@\t\r])/gu;

/**
 * Neutralises spreadsheet formulas in one CSV cell's text, for every CSV the product writes (the
 * review export today; audit-log and evidence exports must use it too): a `'` goes right before
 * `=` `+` `-` `@` tab or carriage return at the start of the cell and at the start of every
 * `,` `;` tab or line-separated piece of it (after leading spaces), so `Bob;=1+1` becomes
 * `Bob;'=1+1`. Text without such a piece is returned unchanged.
 * Apply it to the text as written, after joining list values (the join adds separators too).
 */
export function neutraliseCsvFormulas(text: string): string {
  // Fast path for most cells (names, ids, dates): with no separator in the text, FORMULA_START can
  // only match at the start, and a printable ASCII character there that is neither a space nor a
  // formula character rules that out (none of them is in \p{Zs} or \p{Cf}).
  const first = text.charCodeAt(0);
  if (first > 0x20 && first < 0x7f && !FORMULA_CHARS.has(first) && !SEPARATOR.test(text)) return text;
  return text.replace(FORMULA_START, "$&'");
}

const FORMULA_CHARS = new Set([...'=+-@'].map((c) => c.charCodeAt(0)));
const SEPARATOR = /[,;\t\r\n]/;

export function csvCell(value: string | string[] | null): string {
  const text = value === null ? '' : Array.isArray(value) ? value.join(';') : value;
  return neutraliseCsvFormulas(text);
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
  explanations: {
    match: string;
    flags: FlagResult[];
    filtered: string | null;
    /** Where `last_active` and `mfa` come from, e.g. "last seen 14 Dec 2025 per the user export of 27 Nov 2026". */
    activity: string | null;
  };
}

export function toJson(rows: readonly ReviewRow[], site: string, meta: JsonExportMeta, decisions?: ExportDecisions): string {
  const jsonRows: JsonExportRow[] = sortRowsForExport(rows).map((row) => ({
    ...toRecord(row, site, decisions),
    explanations: {
      match: row.match.explanation,
      flags: row.flags.map((f) => ({ flag: f.flag, explanation: f.explanation })),
      filtered: row.account.filteredDetail,
      activity: describeActivity(row),
    },
  }));
  return JSON.stringify(
    {
      site,
      exportedAt: meta.exportedAt,
      lastSyncedAt: meta.lastSyncedAt,
      roster: meta.roster === null ? null : { fileName: meta.roster.fileName, importedAt: meta.roster.importedAt },
      caveats: [...(meta.caveats ?? [])],
      columns: [...EXPORT_COLUMNS],
      rows: jsonRows,
    },
    null,
    2,
  );
}
