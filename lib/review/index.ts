export { buildReview, summarise } from './build-review';
export type { ReviewInput } from './build-review';
export { computeFlags } from './flags';
export { ADMIN_GROUP_PATTERNS, isAdminGroupName } from './admin-groups';
export { toCsv, toJson, neutraliseCsvFormulas, sortRowsForExport, EXPORT_COLUMNS } from './export';
export type { ExportRecord, JsonExportMeta, JsonExportRow } from './export';
