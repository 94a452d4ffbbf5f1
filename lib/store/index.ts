/** The store's public API for pages and the background. Credentials: import ./credentials directly. */
export { openStore, DB_NAME, DB_VERSION } from './open';
export type {
  AccessLensDB,
  AccountChunk,
  AccountRecord,
  ConnectionRecord,
  FragmentRecord,
  GroupRecord,
  MemberPageRecord,
  Membership,
  PackedMember,
  RunFailure,
  Store,
  StoredSyncRun,
  SyncCheckpoint,
  SyncPhase,
} from './schema';
export { DEFAULT_SYNC_INTERVAL_HOURS, deleteConnection, getConnection, listConnections, putConnection, updateConnection } from './connections';
export { listGroups, replaceGroups } from './groups';
export { getActiveAccount, getActiveAccounts, getActiveSnapshotId, lookupAccounts } from './accounts';
export { getRoster, replaceRoster } from './roster';
export { clearMark, getMark, listMarks, setMark } from './marks';
export { DEFAULT_SETTINGS, getSettings, putSettings } from './settings';
export { getRun, listRunningRuns, listRuns } from './runs';
export { deleteSiteData } from './site-data';

