/**
 * The IndexedDB schema of Access Lens: record types and the `idb` DBSchema. Types only; the
 * accessors live in one module per concern beside this file (credentials in ./credentials.ts,
 * which UI code must never import).
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { AccountMark, GroupRef, Person, ReviewSettings, RosterMeta, SiteUrl, SyncedAccount } from '../model';
import type { SyncRunRecord } from '../messages';
import type { BulkUser, JiraUser, RawMember } from '../atlassian/api';

export interface ConnectionRecord {
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  authMethod: 'oauth' | 'apiToken';
  status: 'connected' | 'disconnected';
  lastError: string | null;
  connectedAs: string | null;
  createdAt: string;
  /** null = the admin never chose (the UI then offers `defaultSelection`). */
  selectedGroupIds: string[] | null;
  /** Default 24. */
  syncIntervalHours: number;
  /** The snapshot the review shows; only a complete sync replaces it. */
  activeSnapshotId: string | null;
  lastSyncedAt: string | null;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string[];
}

export type CredentialsRecord =
  | { site: SiteUrl; kind: 'oauth'; clientId: string; clientSecret: string; tokens: OAuthTokens }
  | { site: SiteUrl; kind: 'apiToken'; email: string; apiToken: string };

export interface GroupRecord {
  site: SiteUrl;
  id: string;
  name: string;
}

/** A classified account of one snapshot. `emailLower` feeds the email lookup index. */
export type AccountRecord = SyncedAccount & { snapshotId: string; emailLower: string | null };

/**
 * An account while a sync collects it (the `staging` store): what each API said, merged across
 * groups. Classified into an `AccountRecord` only when every phase is done.
 */
export interface StagedAccount {
  snapshotId: string;
  accountId: string;
  member: RawMember;
  /** Monitored groups seen so far (a set: merging the same page twice changes nothing). */
  groups: GroupRef[];
  /** undefined = not asked yet; null = users-bulk did not return this account. */
  bulk?: BulkUser | null;
  /** undefined = not asked; null = Jira did not return it; 'forbidden' = Jira lookup unavailable. */
  jira?: JiraUser | null | 'forbidden';
}

export type SyncPhase = 'members' | 'status' | 'email' | 'finishing';

/**
 * Where a run stands, written in the same transaction as the data it covers, so a service worker
 * killed at any moment resumes exactly after the last committed page or batch.
 */
export interface SyncCheckpoint {
  /** The snapshot this run fills (equal to the run id). */
  snapshotId: string;
  phase: SyncPhase;
  /** Per group id: `start` of the next page to fetch (absent once the group is done). */
  nextStart: Record<string, number>;
  /** Last staged accountId handled by the current enrichment/finishing phase (key order). */
  cursor: string | null;
  useJira: boolean;
  /** Set once Jira refused (403) or is absent (404): no more Jira calls in this run. */
  jiraDisabled: boolean;
}

export interface StoredSyncRun extends SyncRunRecord {
  /** Non-fatal remarks, e.g. "Jira user lookup not permitted …". */
  notes: string[];
  /** null once the run has ended. */
  checkpoint: SyncCheckpoint | null;
  /** For failed runs: the error's class and endpoint, so diagnostics never parse messages. */
  failure?: RunFailure | null;
}

export interface RunFailure {
  /** Error class name, e.g. `PermissionError`, `AuthRevokedError`, `SyncInterruptedError`. */
  kind: string;
  /** The Atlassian endpoint involved, when the error names one. */
  endpoint: string | null;
}

export interface RosterChunk {
  chunk: number;
  people: Person[];
}

export type MetaRecord =
  | { key: 'roster'; value: RosterMeta }
  | { key: 'settings'; value: ReviewSettings };

export interface AccessLensDB extends DBSchema {
  connections: { key: string; value: ConnectionRecord };
  credentials: { key: string; value: CredentialsRecord };
  groups: { key: [string, string]; value: GroupRecord; indexes: { site: string } };
  accounts: {
    key: [string, string];
    value: AccountRecord;
    indexes: { snapshotId: string; snapshotEmail: [string, string] };
  };
  staging: { key: [string, string]; value: StagedAccount };
  syncRuns: {
    key: string;
    value: StoredSyncRun;
    indexes: { site: string; siteStartedAt: [string, string] };
  };
  /** The roster in chunks of people (see roster.ts). */
  people: { key: number; value: RosterChunk };
  marks: { key: [string, string]; value: AccountMark; indexes: { site: string } };
  meta: { key: string; value: MetaRecord };
}

export interface Store {
  readonly db: IDBPDatabase<AccessLensDB>;
  close(): void;
}

