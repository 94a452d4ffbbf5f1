export { parseRoster, MAX_CELL_LENGTH } from './parse';
export type { ParseRosterOptions, RosterParseResult, RowError } from './parse';
export { autoMapColumns, emptyMapping, headerKey, HEADER_ALIASES, ROSTER_FIELDS } from './columns';
export type { ColumnMapping, RosterField } from './columns';
export { parseRosterDate, todayIn, daysBetween } from './dates';
export type { DateParse } from './dates';
export { normaliseName, normaliseEmail } from './names';
export { isTerminated, isTerminatedStatus } from './status';
export { decodeRosterBytes, ENCODING_LABELS } from './decode';
export type { DecodedRoster, RosterEncoding } from './decode';
export {
  CHROME_MESSAGE_CAP_BYTES,
  MAX_ROSTER_FILE_BYTES,
  MAX_ROSTER_MESSAGE_BYTES,
  MAX_ROSTER_ROWS,
  formatBytes,
  rosterFileSizeError,
  rosterMessageBytes,
} from './limits';
