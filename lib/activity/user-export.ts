/**
 * Import of the CSV that Atlassian Administration exports (issue 11, source 1): text → per-account
 * last activity, 2SV and status, or a complete list of what is wrong with the file. Same rules as
 * the roster import (lib/roster/parse.ts): never throws on bad input, per-row errors with row and
 * column, all-or-nothing (import only when `errors` is empty), and a preview.
 *
 * Two shapes are known (../shared/atlassian-api.md §11; support.atlassian.com "Export users from a
 * site", "Export accounts from domains", "Export managed accounts"):
 * - user management ("Export users"): `User id`, `User name`, `email`, `User status`,
 *   `Added to org`, `Org role`, then per product and site `<App> - <site>` (access) and
 *   `Last seen in <App> - <site>`, dates like `14 Dec 2023` or `Never accessed`. Some exports
 *   repeat a user once per group (`Group id`, `Group name`); identical repeats are merged.
 * - managed accounts (Directory > Managed accounts / Domains > Export accounts): `Atlassian ID`,
 *   `Name`, `Email`, `Status`, `Last active date [UTC]` (yyyy-MM-dd, empty when never active —
 *   the way public scripts read it, and like the API's "empty when never used"), and a
 *   `Two-step verification` (or `… enabled`) column. Its last-active date covers every product of
 *   the organisation (scope `organisation`), not Confluence on one site.
 *
 * Site column: an export lists every site of the organisation, and one site's name can start with
 * another's (`acme`, `acme-labs`), so only the `Last seen in Confluence - <site>` column whose
 * `<site>` is exactly the connected site's name (or its `<name>.atlassian.net` host) is read.
 * When none is, `needsSiteChoice` is set with the candidates, and the caller parses again with
 * the admin's choice in `siteColumn`. Rows are keyed by account id only, never by name or email.
 *
 * Usage (page, then background): `parseUserExport(text, { siteName, fileName, fileLastModified })`
 * → show `preview`, `errors`, `warnings`; when `errors` is empty send `accounts` and `meta`
 * (validated there with `accountActivitySchema` / `userExportMetaSchema`) and swap the stored
 * import atomically; `activitySourceOf(meta, importedAt)` is the source to cite in explanations.
 */
import { z } from 'zod';
import { readCsv, rowShapeError, type CsvRow, type RowError } from '../roster/csv';
import { parseRosterDate, todayIn } from '../roster/dates';
import { ACCOUNT_ID_PATTERN, isoDateSchema, type AccountActivity, type ActivitySource, type LastActive, type Mfa } from './types';

export type { RowError } from '../roster/csv';

export const userExportShapeSchema = z.enum(['user-management', 'managed-accounts']);
export type UserExportShape = z.infer<typeof userExportShapeSchema>;

/** What is stored and shown about an import besides its accounts (plus the import time, set by the caller). */
export const userExportMetaSchema = z.object({
  fileName: z.string().max(500),
  shape: userExportShapeSchema,
  /** The date the data is as of; null when nothing in or about the file tells. */
  dataDate: isoDateSchema.nullable(),
  dataDateSource: z.enum(['file-name', 'file-modified', 'latest-date-in-file']).nullable(),
  /** The Confluence column read (user-management shape), or null. */
  siteColumn: z.string().nullable(),
  /** Non-blank data rows. */
  rowCount: z.number().int().nonnegative(),
  /** Distinct accounts (rows repeated per group count once). */
  accountCount: z.number().int().nonnegative(),
});
export type UserExportMeta = z.infer<typeof userExportMetaSchema>;

export interface UserExportPreview {
  accounts: number;
  lastActiveDated: number;
  lastActiveNever: number;
  lastActiveUnknown: number;
  mfaOn: number;
  mfaOff: number;
  /** The most recent activity date in the file, or null. */
  latestActivity: string | null;
}

export interface UserExportParseResult {
  shape: UserExportShape | null;
  /** Header cells, trimmed, in file order. */
  headers: string[];
  /** The `Last seen in Confluence - <site>` header read, or null. */
  siteColumn: string | null;
  /** Every `Last seen in Confluence - <site>` header in the file, in file order. */
  siteCandidates: string[];
  /** True when no candidate names the connected site exactly: ask the admin, parse again with `siteColumn`. */
  needsSiteChoice: boolean;
  /** One record per account, in file order. Import only when `errors` is empty. */
  accounts: AccountActivity[];
  errors: RowError[];
  /** Things the admin should know that do not stop the import. */
  warnings: string[];
  /** Non-blank data rows below the header. */
  rowCount: number;
  /** Set when the file parsed without errors. */
  meta: UserExportMeta | null;
  preview: UserExportPreview;
}

export interface ParseUserExportOptions {
  /** The connected site's name: `acme` for https://acme.atlassian.net. */
  siteName: string;
  /** The admin's choice among `siteCandidates`, when none matched the site exactly. */
  siteColumn?: string;
  fileName?: string;
  /** `File.lastModified` (epoch ms): the data date when the file name carries none. */
  fileLastModified?: number;
  /** Time zone for `fileLastModified`'s calendar date; default the runtime's. */
  timeZone?: string;
}

/** Longer cells are not plausible export values. */
export const MAX_CELL_LENGTH = 1000;

const MiB = 1024 * 1024;
/**
 * The largest export read: an organisation of 100,000 users with a column pair per site and
 * product, some exports repeating each user once per group, stays well below this.
 */
export const MAX_USER_EXPORT_BYTES = 128 * MiB;
/** Most data rows (a user repeated per group counts each time). */
export const MAX_USER_EXPORT_ROWS = 1_000_000;
/**
 * Most distinct accounts one import sends to the background: about 130 bytes of message each, so
 * 250,000 stay far below Chrome's 64 MiB cap on one runtime message.
 */
export const MAX_USER_EXPORT_ACCOUNTS = 250_000;

/** Why a file of `bytes` is refused before it is read, or null. */
export function userExportFileSizeError(bytes: number): string | null {
  if (bytes <= MAX_USER_EXPORT_BYTES) return null;
  return `The file is ${(bytes / MiB).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes); a user export can be at most ${MAX_USER_EXPORT_BYTES / MiB} MB.`;
}

const USER_EXPORT_CSV_LIMITS = {
  maxChars: MAX_USER_EXPORT_BYTES,
  maxRows: MAX_USER_EXPORT_ROWS,
  sizeError: (chars: number) => userExportFileSizeError(chars) ?? '',
  rowCountError: (lines: number) =>
    `The file has more than ${MAX_USER_EXPORT_ROWS.toLocaleString('en-US')} rows (${lines.toLocaleString('en-US')} lines); export fewer users at a time.`,
};
const LAST_SEEN_CONFLUENCE = /^last seen in confluence - (.+)$/;
/** How Atlassian's exports say "never": `Never accessed` (also seen capitalised), older `Never logged in`. */
const NEVER = /^never(?: (?:accessed|logged in|active|used))?$/;
const MFA_ON = new Set(['on', 'enabled', 'yes', 'true', 'enforced', 'active']);
const MFA_OFF = new Set(['off', 'disabled', 'no', 'false', 'not enabled', 'not enforced', 'inactive']);
const STATUS_ACTIVE = new Set(['active']);
const STATUS_INACTIVE = new Set(['inactive', 'deactivated', 'suspended', 'closed', 'access suspended']);
const FILE_NAME_DATE = /(?:^|[^\d])(\d{4}-\d{2}-\d{2})(?:[^\d]|$)/;

/** Header text compared case-insensitively, spaces collapsed. */
function headerKey(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}

interface ShapeColumns {
  id: string;
  lastActive: readonly string[];
  status: readonly string[];
  addedToOrg: readonly string[];
}

const SHAPES: Record<UserExportShape, ShapeColumns> = {
  'user-management': { id: 'user id', lastActive: [], status: ['user status'], addedToOrg: ['added to org'] },
  'managed-accounts': { id: 'atlassian id', lastActive: ['last active date [utc]', 'last active date', 'last active'], status: ['status'], addedToOrg: [] },
};

function isMfaHeader(key: string): boolean {
  return /^(?:two-step verification|two step verification|2-step verification|2sv)(?: enabled)?$/.test(key);
}

function emptyPreview(): UserExportPreview {
  return { accounts: 0, lastActiveDated: 0, lastActiveNever: 0, lastActiveUnknown: 0, mfaOn: 0, mfaOff: 0, latestActivity: null };
}

/** `acme` for `Last seen in Confluence - acme`. */
export function siteOfColumn(header: string): string {
  return (LAST_SEEN_CONFLUENCE.exec(headerKey(header))?.[1] ?? '').trim();
}

function namesSite(header: string, siteName: string): boolean {
  const site = siteOfColumn(header);
  const name = siteName.trim().toLowerCase();
  return site === name || site === `${name}.atlassian.net`;
}

export function parseUserExport(text: string, opts: ParseUserExportOptions): UserExportParseResult {
  const base = {
    shape: null,
    headers: [] as string[],
    siteColumn: null,
    siteCandidates: [] as string[],
    needsSiteChoice: false,
    accounts: [] as AccountActivity[],
    warnings: [] as string[],
    rowCount: 0,
    meta: null,
    preview: emptyPreview(),
  };
  const table = readCsv(text, USER_EXPORT_CSV_LIMITS);
  if (!table.ok) return { ...base, errors: [table.error] };
  const { headers, headerRow } = table;
  const rowCount = table.rows.length;
  const fail = (errors: RowError[], extra: Partial<UserExportParseResult> = {}): UserExportParseResult => ({ ...base, headers, rowCount, errors, ...extra });
  if (table.headerQuoteError !== null) return fail([{ row: headerRow, column: null, reason: table.headerQuoteError }]);

  const keys = headers.map(headerKey);
  const hasUserId = keys.includes(SHAPES['user-management'].id);
  const hasAtlassianId = keys.includes(SHAPES['managed-accounts'].id);
  if (hasUserId === hasAtlassianId) {
    const listed = headers.filter((h) => h !== '').join(', ');
    const found = listed.length > 300 ? `${listed.slice(0, 300)}…` : listed;
    return fail([
      {
        row: 0,
        column: null,
        reason: hasUserId
          ? 'The file has both a "User id" and an "Atlassian ID" column; import one Atlassian export at a time'
          : `This is not an Atlassian user export: expected a "User id" column (Atlassian Administration > Users > Export users) or an "Atlassian ID" column (managed accounts export). Found: ${found}`,
      },
    ]);
  }
  const shape: UserExportShape = hasUserId ? 'user-management' : 'managed-accounts';
  const columns = SHAPES[shape];

  const siteCandidates = headers.filter((h) => LAST_SEEN_CONFLUENCE.test(headerKey(h)));
  let siteColumn: string | null = null;
  let needsSiteChoice = false;
  const structural: RowError[] = [];
  if (shape === 'user-management') {
    if (opts.siteColumn !== undefined) {
      if (siteCandidates.includes(opts.siteColumn)) siteColumn = opts.siteColumn;
      else structural.push({ row: 0, column: opts.siteColumn, reason: `Column "${opts.siteColumn}" is not a "Last seen in Confluence - <site>" column of this file` });
    } else {
      const exact = siteCandidates.filter((h) => namesSite(h, opts.siteName));
      if (exact.length > 0) {
        siteColumn = exact[0] ?? null;
      } else if (siteCandidates.length === 0) {
        structural.push({ row: 0, column: null, reason: 'The export has no "Last seen in Confluence - <site>" column: export the users of the site that has Confluence' });
      } else {
        needsSiteChoice = true;
        structural.push({
          row: 0,
          column: null,
          reason: `No "Last seen in Confluence - ${opts.siteName}" column: the export has ${siteCandidates.map((h) => `"${h}"`).join(', ')}. Choose the column of this site`,
        });
      }
    }
  }

  const index = (names: readonly string[]): number => keys.findIndex((k) => names.includes(k));
  const idIndex = keys.indexOf(columns.id);
  const lastActiveIndex = shape === 'user-management' ? (siteColumn === null ? -1 : headers.indexOf(siteColumn)) : index(columns.lastActive);
  const mfaIndex = keys.findIndex(isMfaHeader);
  const statusIndex = index(columns.status);
  const addedIndex = index(columns.addedToOrg);
  if (shape === 'managed-accounts' && lastActiveIndex < 0 && mfaIndex < 0) {
    structural.push({ row: 0, column: null, reason: 'The managed accounts export has neither a "Last active date [UTC]" nor a "Two-step verification" column' });
  }
  // A column we read that appears twice would make every value a guess.
  for (const i of [idIndex, lastActiveIndex, mfaIndex, statusIndex, addedIndex]) {
    if (i < 0) continue;
    const positions = keys.flatMap((k, j) => (k === keys[i] ? [j + 1] : []));
    const header = headers[i] ?? '';
    if (positions.length > 1 && !structural.some((e) => e.column === header)) {
      structural.push({ row: headerRow, column: header, reason: `Column "${header}" appears ${positions.length} times (columns ${positions.join(', ')})` });
    }
  }
  if (structural.length === 0 && rowCount === 0) structural.push({ row: 0, column: null, reason: 'The file has a header but no data rows' });
  if (structural.length > 0) return fail(structural, { shape, siteColumn, siteCandidates, needsSiteChoice });
  // user management: an empty cell means no Confluence access on the site, so nothing to say;
  // managed accounts: an empty last-active date means the account was never active (§11).
  const emptyLastActive: LastActive = shape === 'managed-accounts' && lastActiveIndex >= 0 ? 'never' : null;

  const errors: RowError[] = [];
  const warnings: string[] = [];
  const byId = new Map<string, { row: number; activity: AccountActivity }>();
  const accounts: AccountActivity[] = [];
  const unknownStatuses = new Map<string, number>();
  let latestDate: string | null = null;
  const noteDate = (d: string | null) => {
    if (d !== null && (latestDate === null || d > latestDate)) latestDate = d;
  };

  for (const dataRow of table.rows) {
    const shapeError = rowShapeError(dataRow, headers.length);
    if (shapeError !== null) {
      errors.push(shapeError);
      continue;
    }
    const { row } = dataRow;
    const rowErrors: RowError[] = [];
    const cell = (i: number): string | null => readCell(dataRow, i, headers, rowErrors);

    const accountId = cell(idIndex);
    if (accountId === null) rowErrors.push({ row, column: headers[idIndex] ?? null, reason: 'No account id' });
    else if (!ACCOUNT_ID_PATTERN.test(accountId)) rowErrors.push({ row, column: headers[idIndex] ?? null, reason: `"${accountId}" is not an Atlassian account id` });

    const lastActive = readLastActive(cell(lastActiveIndex), emptyLastActive, row, headers[lastActiveIndex] ?? null, rowErrors);
    const mfa = readMfa(cell(mfaIndex), row, headers[mfaIndex] ?? null, rowErrors);
    const addedToOrg = readDate(cell(addedIndex), row, headers[addedIndex] ?? null, rowErrors);
    const statusText = cell(statusIndex);
    const status = readStatus(statusText);
    if (statusText !== null && status === null) unknownStatuses.set(statusText, (unknownStatuses.get(statusText) ?? 0) + 1);

    if (rowErrors.length > 0 || accountId === null) {
      errors.push(...rowErrors);
      continue;
    }
    const activity: AccountActivity = {
      accountId,
      lastActive,
      lastActiveScope: shape === 'user-management' ? 'site' : 'organisation',
      mfa,
      status,
      addedToOrg,
    };
    const first = byId.get(accountId);
    if (first !== undefined) {
      if (!sameActivity(first.activity, activity)) {
        errors.push({ row, column: headers[idIndex] ?? null, reason: `Account ${accountId} appears again with different values (first in row ${first.row})` });
      }
      continue;
    }
    byId.set(accountId, { row, activity });
    accounts.push(activity);
    noteDate(lastActive === 'never' ? null : lastActive);
    noteDate(addedToOrg);
  }

  if (unknownStatuses.size > 0) {
    const list = [...unknownStatuses].map(([s, n]) => `"${s}" (${n})`).join(', ');
    warnings.push(`Unrecognised status ${list}: their status is left unknown`);
  }
  const others = siteCandidates.filter((h) => h !== siteColumn);
  if (siteColumn !== null && others.length > 0) {
    warnings.push(`Only "${siteColumn}" is read; the columns of the organisation's other sites (${others.map(siteOfColumn).join(', ')}) are ignored`);
  }

  if (accounts.length > MAX_USER_EXPORT_ACCOUNTS) {
    errors.unshift({
      row: 0,
      column: null,
      reason: `The file lists ${accounts.length.toLocaleString('en-US')} accounts; one import takes at most ${MAX_USER_EXPORT_ACCOUNTS.toLocaleString('en-US')}.`,
    });
  }
  const preview = previewOf(accounts);
  if (errors.length > 0) return { ...base, shape, headers, siteColumn, siteCandidates, accounts, errors, warnings, rowCount, preview };

  const dated = dataDateOf(opts, latestDate);
  if (dated.warning !== null) warnings.push(dated.warning);
  const meta: UserExportMeta = {
    fileName: (opts.fileName ?? '').slice(0, 500),
    shape,
    dataDate: dated.date,
    dataDateSource: dated.source,
    siteColumn,
    rowCount,
    accountCount: accounts.length,
  };
  return { shape, headers, siteColumn, siteCandidates, needsSiteChoice, accounts, errors, warnings, rowCount, meta, preview };
}

function readCell(dataRow: CsvRow, i: number, headers: readonly string[], rowErrors: RowError[]): string | null {
  if (i < 0) return null;
  const value = (dataRow.cells[i] ?? '').trim();
  if (value.length > MAX_CELL_LENGTH) {
    rowErrors.push({ row: dataRow.row, column: headers[i] ?? null, reason: `Value is longer than ${MAX_CELL_LENGTH} characters` });
    return null;
  }
  return value === '' ? null : value;
}

function readDate(value: string | null, row: number, column: string | null, rowErrors: RowError[]): string | null {
  if (value === null) return null;
  const parsed = parseRosterDate(value);
  if (parsed.ok) return parsed.date;
  rowErrors.push({ row, column, reason: `${parsed.reason} (Atlassian writes dates like 14 Dec 2023)` });
  return null;
}

function readLastActive(value: string | null, empty: LastActive, row: number, column: string | null, rowErrors: RowError[]): LastActive {
  if (value === null) return empty;
  if (NEVER.test(value.toLowerCase())) return 'never';
  return readDate(value, row, column, rowErrors);
}

function readMfa(value: string | null, row: number, column: string | null, rowErrors: RowError[]): Mfa {
  if (value === null) return null;
  const key = value.toLowerCase();
  if (MFA_ON.has(key)) return 'on';
  if (MFA_OFF.has(key)) return 'off';
  rowErrors.push({ row, column, reason: `"${value}" is not a two-step verification state (expected Enabled or Disabled, On or Off, Yes or No)` });
  return null;
}

function readStatus(value: string | null): AccountActivity['status'] {
  if (value === null) return null;
  const key = value.toLowerCase();
  if (STATUS_ACTIVE.has(key)) return 'active';
  if (STATUS_INACTIVE.has(key)) return 'inactive';
  return null;
}

function sameActivity(a: AccountActivity, b: AccountActivity): boolean {
  return a.lastActive === b.lastActive && a.mfa === b.mfa && a.status === b.status && a.addedToOrg === b.addedToOrg;
}

function previewOf(accounts: readonly AccountActivity[]): UserExportPreview {
  const p = emptyPreview();
  p.accounts = accounts.length;
  for (const a of accounts) {
    if (a.lastActive === null) p.lastActiveUnknown++;
    else if (a.lastActive === 'never') p.lastActiveNever++;
    else {
      p.lastActiveDated++;
      if (p.latestActivity === null || a.lastActive > p.latestActivity) p.latestActivity = a.lastActive;
    }
    if (a.mfa === 'on') p.mfaOn++;
    else if (a.mfa === 'off') p.mfaOff++;
  }
  return p;
}

/**
 * The date the export's data is as of: a `YYYY-MM-DD` in the file name, else the file's
 * modification day, else the latest date in the file (a lower bound). Never earlier than a date
 * the file itself contains.
 */
function dataDateOf(
  opts: ParseUserExportOptions,
  latestInFile: string | null,
): { date: string | null; source: UserExportMeta['dataDateSource']; warning: string | null } {
  const fromName = FILE_NAME_DATE.exec(opts.fileName ?? '')?.[1];
  let date: string | null = null;
  let source: UserExportMeta['dataDateSource'] = null;
  if (fromName !== undefined && parseRosterDate(fromName).ok) {
    date = fromName;
    source = 'file-name';
  } else if (opts.fileLastModified !== undefined && Number.isFinite(opts.fileLastModified)) {
    date = todayIn(opts.timeZone, new Date(opts.fileLastModified));
    source = 'file-modified';
  }
  if (latestInFile !== null && (date === null || latestInFile > date)) {
    const warning = date === null ? null : `The file contains dates up to ${latestInFile}, later than its date ${date}; ${latestInFile} is used as the date of the data`;
    return { date: latestInFile, source: 'latest-date-in-file', warning };
  }
  return { date, source, warning: null };
}

/** The source to cite for an import's facts: its data date, else the day it was imported. */
export function activitySourceOf(meta: UserExportMeta, importedAt: string): ActivitySource {
  return {
    kind: meta.shape === 'user-management' ? 'user-export' : 'managed-accounts-export',
    date: meta.dataDate ?? importedAt.slice(0, 10),
  };
}

/** How an import lines up with the review's accounts (by account id only), for the preview. */
export function compareWithReview(
  accounts: readonly AccountActivity[],
  reviewAccountIds: Iterable<string>,
): { matched: number; notInReview: number; reviewWithoutRow: number } {
  const review = new Set(reviewAccountIds);
  let matched = 0;
  for (const a of accounts) if (review.has(a.accountId)) matched++;
  return { matched, notInReview: accounts.length - matched, reviewWithoutRow: review.size - matched };
}
