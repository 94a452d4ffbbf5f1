/** The sync's public API. */
export { runSync, SUPERSEDED_MESSAGE, type SyncOptions } from './engine';
export { collectGarbage, findResumableRun } from './gc';
export { defaultSelection, defaultPatternSuffix, diagnose, DEFAULT_GROUP_PATTERNS, groupDefaults, type DiagnoseInput, type GroupDefaults } from './diagnostics';
export { classifyAccount, roleFromOperations, statusOf, emailOf, accountTypeOf } from './classify';
export { SyncInterruptedError, SyncStateError } from './errors';
export { JIRA_ABSENT_NOTE, JIRA_FORBIDDEN_NOTE, USERS_BULK_SIZE, JIRA_CHUNK_SIZE, jiraNote, statusFallbackNote } from './enrich';
export { findPausedRun, pausedText, pausedUntil, resumeDue, SyncPausedError } from './pause';
export { skippedMembersNote } from './finish';
export { missingGroupNote } from './member-writer';
export { MEMBERS_PAGE_SIZE } from './members';
export { PARTITION_MEMBERSHIPS, bucketCount } from './partition';
