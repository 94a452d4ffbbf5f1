/**
 * Last activity and two-step verification (issue 11): the admin user export import, the
 * organisation admin API client and its resumable phase, and the dormant / admin_without_2sv flag
 * rules. Pure modules: no `browser.*`, no IndexedDB; the background wires them to its store,
 * alarms and messages. Each module's header says how.
 */
export {
  accountActivitySchema,
  activitySourceSchema,
  mergeActivity,
  NO_ACTIVITY_FACTS,
  type AccountActivity,
  type ActivityFacts,
  type ActivityScope,
  type ActivitySource,
  type ActivitySourceKind,
  type LastActive,
  type LastActiveFact,
  type Mfa,
  type MfaFact,
} from './types';
export {
  activitySourceOf,
  compareWithReview,
  parseUserExport,
  siteOfColumn,
  userExportMetaSchema,
  type ParseUserExportOptions,
  type UserExportMeta,
  type UserExportParseResult,
  type UserExportPreview,
  type UserExportShape,
} from './user-export';
export {
  ACTIVITY_FLAGS,
  adminWithout2svExplanation,
  computeActivityFlags,
  DEFAULT_DORMANT_DAYS,
  describeSource,
  dormantExplanation,
  formatDay,
  isDormant,
  type ActivityFlag,
  type ActivityFlagInput,
  type ActivityFlagResult,
  type ActivitySettings,
} from './flags';
export {
  ADMIN_API_BASE,
  createOrgApi,
  OrgApiKeyError,
  OrgBadRequestError,
  OrgNotFoundError,
  OrgPermissionError,
  OrgRateLimitedError,
  toAccountActivity,
  type OrgApi,
  type OrgApiOptions,
} from './org-api';
export { activitySettingsSchema } from './settings';
export { createRateLimiter, DEFAULT_ORG_REQUESTS_PER_MINUTE, type RateLimiter } from './rate-limit';
export {
  activityCheckpointSchema,
  fetchedActivitySchema,
  runActivityPhase,
  sourceOfFetched,
  type ActivityCheckpoint,
  type ActivityPhaseOptions,
  type ActivityPhaseResult,
  type ActivityPhaseStorage,
  type ActivityProgress,
  type FetchedActivity,
} from './phase';
