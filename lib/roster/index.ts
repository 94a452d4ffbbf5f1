export { parseRoster, MAX_CELL_LENGTH, ROSTER_WARNINGS } from './parse';
export type {
  ParseRosterOptions,
  RecognisedPreset,
  RosterParseResult,
  RosterWarning,
  RosterWarningCode,
  RowError,
} from './parse';
export { detectPreset, recogniseRoster, ROSTER_PRESETS, signatureKey } from './presets';
export type { RosterPreset, RosterRecognition } from './presets';
export { autoMapColumns, emptyMapping, headerKey, HEADER_ALIASES, ROSTER_FIELDS } from './columns';
export type { ColumnMapping, RosterField } from './columns';
export { parseRosterDate, todayIn, daysBetween } from './dates';
export type { DateParse } from './dates';
export { normaliseName, normaliseEmail } from './names';
export { isTerminated, isTerminatedStatus, LEFT_STATUSES } from './status';
export type { RosterSystem } from './status';
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
