export { parseRoster, MAX_CELL_LENGTH } from './parse';
export type { ParseRosterOptions, RosterParseResult, RowError } from './parse';
export { autoMapColumns, emptyMapping, headerKey, HEADER_ALIASES, ROSTER_FIELDS } from './columns';
export type { ColumnMapping, RosterField } from './columns';
export { parseRosterDate, todayIn, daysBetween } from './dates';
export type { DateParse } from './dates';
export { normaliseName, normaliseEmail } from './names';
export { isTerminated, isTerminatedStatus } from './status';
