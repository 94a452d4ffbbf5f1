/**
 * The IndexedDB schema of Access Lens: record types, the `idb` DBSchema and `STORES`, the one
 * table that declares every object store with its key, indexes, scope and the version that
 * created it. `open.ts` creates stores from it, `site-data.ts` deletes a site's records by it,
 * and the sync's garbage collection finds snapshot data by it. The accessors live in one module
 * per concern beside this file (credentials in ./credentials.ts, which UI code must never import).
 */
import type { DBSchema, IDBPDatabase, StoreNames } from 'idb';
import type { AccountMark, GroupRef, Person, ReviewCadence, ReviewRow, ReviewSettings, RosterMeta, SiteUrl, SyncedAccount, SyncRunRecord } from '../model';
import type { RawMember } from '../atlassian/api';
import type { FilterCounts } from '../review/filters';
import type { AccountActivity } from '../activity/types';
import type { ActivityCheckpoint, FetchedActivity } from '../activity/phase';
import type { UserExportMeta } from '../activity/user-export';
import type { CampaignRecord, DecisionRecord } from '../campaign/types';
import type { AuditEntry, AuditHead } from '../audit/chain';

export interface ConnectionRecord {
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  authMethod: 'oauth' | 'apiToken';
  status: 'connected' | 'disconnected';
  lastError: string | null;
  /** What fixes `lastError` (set with it; absent on records written before it existed). */
  lastErrorFix?: 'reconnect' | 'groups' | null;
  connectedAs: string | null;
  createdAt: string;
  /** null = the admin never chose (the UI then offers `defaultSelection`). */
  selectedGroupIds: string[] | null;
  /** Default 24. */
  syncIntervalHours: number;
  /** The snapshot the review shows; only a complete sync replaces it. */
  activeSnapshotId: string | null;
  lastSyncedAt: string | null;
  /**
   * API-token connections: where the token works — `site` (`<name>.atlassian.net`, classic
   * tokens) or `gateway` (`api.atlassian.com/ex/…/{cloudId}`, scoped tokens). Absent (records
   * from before it existed, and OAuth, which always uses the gateway): `site`.
   */
  apiBase?: 'site' | 'gateway';
  /**
   * Whether the connection reaches a Jira for the email lookup, found when connecting. Absent
   * (older records): true — the lookup is tried, and any Jira failure only turns it off for a run.
   */
  hasJira?: boolean;
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

/** A classified account of one snapshot. `emailLower` serves the email look-up. */
export type AccountRecord = SyncedAccount & { snapshotId: string; emailLower: string | null };

/**
 * A snapshot's accounts are stored in chunks, one per bucket (`bucketOf(accountId, buckets)`,
 * ./buckets.ts), sorted by accountId: IndexedDB costs about the same per request whatever the
 * record's size, so 20,000 accounts are a few dozen writes instead of 20,000. Every bucket has
 * its chunk, empty ones included, and each chunk carries the snapshot's bucket count, so chunk 0
 * tells a reader where any account would be.
 */
export interface AccountChunk {
  snapshotId: string;
  bucket: number;
  buckets: number;
  accounts: AccountRecord[];
}

/**
 * A member as the sync keeps it between phases (pages, fragments): a tuple of RawMember's fields
 * in a fixed order, its operations an index into the record's `operations` table. Structured
 * clone writes every property name of every object and every small object on its own, and a
 * site has only a few distinct operation lists: the flat tuple and the shared table make a
 * record about a quarter of the size and cost of RawMember objects (the partition phase reads
 * and writes every membership once). Made and read by lib/sync/member-codec.ts only.
 */
export type PackedMember = [
  accountId: string,
  accountType: RawMember['accountType'],
  email: string | null,
  publicName: string,
  displayName: string | null,
  isGuest: boolean | null,
  isExternalCollaborator: boolean | null,
  /** Index into the record's `operations`; null when the response had no operations. */
  operations: number | null,
];

/** One page of a group's members as the sync fetched it (the `pages` store). */
export interface MemberPageRecord {
  snapshotId: string;
  groupId: string;
  groupName: string;
  start: number;
  members: PackedMember[];
  /** The distinct operation lists of `members`, each as JSON `[[operation, targetType], …]`. */
  operations: string[];
}

/** A member seen in a group (the group object is shared by the fragment's entries). */
export type Membership = [member: PackedMember, group: GroupRef];

/**
 * The memberships of one bucket found in one batch of pages (the `fragments` store): the
 * partition phase turns pages (by group) into fragments (by bucket), so the accounts phase can
 * read every membership of a bucket at once.
 */
export interface FragmentRecord {
  snapshotId: string;
  bucket: number;
  batch: number;
  members: Membership[];
  /** The distinct operation lists of `members` (see MemberPageRecord). */
  operations: string[];
}

/**
 * members → partition → accounts. `members` stores pages; `partition` regroups them by bucket;
 * `accounts` looks up, classifies and stores one bucket at a time.
 */
export type SyncPhase = 'members' | 'partition' | 'accounts';

/**
 * Where a run stands, written in the same transaction as the data it covers, so a service worker
 * killed at any moment resumes exactly after the last committed page, batch or bucket.
 */
export interface SyncCheckpoint {
  /** The snapshot this run fills (equal to the run id). */
  snapshotId: string;
  phase: SyncPhase;
  /** Members: per group id, `start` of the next page to fetch (absent once the group is done). */
  nextStart: Record<string, number>;
  /**
   * The snapshot's bucket count (0 until fixed): from the groups' reported sizes during the
   * members phase, or from the memberships counted when it ends.
   */
  buckets: number;
  /**
   * Partition batches committed so far (fragment keys carry the batch number). A batch deletes
   * the pages it split, so the pages still stored are exactly those left to partition.
   */
  nextBatch: number;
  /** Accounts: the next bucket to look up and store. */
  nextBucket: number;
  /** Accounts: distinct accounts stored by the committed buckets. */
  accounts: number;
  useJira: boolean;
  /** Set once Jira refused or failed in any way: no more Jira calls in this run. */
  jiraDisabled: boolean;
  /**
   * Set once users-bulk was refused (403, XSRF): no more users-bulk calls in this run; statuses come
   * from operations and display names. Absent (older runs): false.
   */
  usersBulkDisabled?: boolean;
}

export interface StoredSyncRun extends SyncRunRecord {
  /** Non-fatal remarks, e.g. "Jira user lookup not permitted …". */
  notes: string[];
  /** null once the run has ended. */
  checkpoint: SyncCheckpoint | null;
  /** For failed runs: the error's class and endpoint, so diagnostics never parse messages. */
  failure?: RunFailure | null;
  /**
   * A running run paused by Atlassian's rate limit: ISO time it may resume (its checkpoint is
   * kept). Absent or null: not paused.
   */
  pausedUntil?: string | null;
  /** `RateLimit-Reason` values Atlassian sent during the run. Absent: none. */
  rateLimitReasons?: string[];
  /** Group members the run left out (null entries, no accountId). Absent: 0. */
  skippedMembers?: number;
  /** Monitored groups the run found deleted (group/by-id 404). Absent: none. */
  missingGroupIds?: string[];
  /**
   * What limits the snapshot's data, one line each (status from weaker signals, emails without
   * Jira, members left out, deleted groups); the JSON export carries them. Absent: none.
   */
  caveats?: string[];
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

/**
 * The review counts of a site as of its last change (sync, mark, roster, settings), so the popup
 * shows counts without building the review. Valid while the snapshot, roster and context match.
 */
export interface ReviewSummaryRecord {
  site: SiteUrl;
  snapshotId: string;
  /** `RosterContext.key` of the roster the counts were matched against. */
  rosterKey: string;
  /** The date and settings the flags were computed with (`ReviewModel.contextKey`). */
  contextKey: string;
  counts: FilterCounts;
}

/** One imported admin user export of a site, in chunks of accounts (the meta in every chunk). */
export interface UserExportChunk {
  site: SiteUrl;
  chunk: number;
  meta: UserExportMeta & { importedAt: string };
  accounts: AccountActivity[];
}

/** One account's activity as the organisation admin API gave it for a site. */
export type OrgActivityRecord = FetchedActivity & { site: SiteUrl };

/** The site's activity phase (organisation API): where it stands and how it last ended. */
export interface ActivityRunRecord {
  site: SiteUrl;
  checkpoint: ActivityCheckpoint | null;
  /** 'running' while a run is under way or paused; the outcome of the last one otherwise. */
  status: 'running' | 'paused' | 'done' | 'failed';
  /** Epoch ms of a rate-limit pause's end (status 'paused'). */
  resumeAt: number | null;
  error: string | null;
}

/**
 * An organisation API key (issue 11): a powerful credential, read only by the background and
 * sent only to https://api.atlassian.com/admin/ (lib/activity/org-api.ts).
 */
export interface OrgKeyRecord {
  orgId: string;
  apiKey: string;
  savedAt: string;
}

export type MetaRecord =
  | { key: 'roster'; value: RosterMeta }
  | { key: 'settings'; value: ReviewSettings }
  | { key: 'cadence'; value: ReviewCadence };

/** An access review's frozen rows, in export order, CAMPAIGN_ROW_CHUNK per record. Never changed once written. */
export interface CampaignRowChunk {
  site: SiteUrl;
  campaignId: string;
  chunk: number;
  rows: ReviewRow[];
}

/** An access review's decisions, one record per bucket of account ids (`bucketOf`). */
export interface CampaignDecisionChunk {
  site: SiteUrl;
  campaignId: string;
  bucket: number;
  decisions: DecisionRecord[];
}

export interface AccessLensDB extends DBSchema {
  connections: { key: string; value: ConnectionRecord };
  credentials: { key: string; value: CredentialsRecord };
  groups: { key: [string, string]; value: GroupRecord; indexes: { site: string } };
  /** Classified accounts, one chunk per `[snapshotId, bucket]`. */
  accounts: { key: [string, number]; value: AccountChunk };
  /** Member pages of running syncs, `[snapshotId, groupId, start]`. */
  pages: { key: [string, string, number]; value: MemberPageRecord };
  /** Memberships regrouped by bucket, `[snapshotId, bucket, batch]`. */
  fragments: { key: [string, number, number]; value: FragmentRecord };
  syncRuns: {
    key: string;
    value: StoredSyncRun;
    indexes: { site: string; siteStartedAt: [string, string] };
  };
  /** The roster in chunks of people (see roster.ts). */
  people: { key: number; value: RosterChunk };
  marks: { key: [string, string]; value: AccountMark; indexes: { site: string } };
  meta: { key: string; value: MetaRecord };
  /** Review counts per site (see ReviewSummaryRecord). */
  reviewSummaries: { key: string; value: ReviewSummaryRecord };
  /** The site's imported admin user export, `[site, chunk]`. */
  userExports: { key: [string, number]; value: UserExportChunk; indexes: { site: string } };
  /** Activity fetched from the organisation API, `[site, accountId]`. */
  orgActivity: { key: [string, string]; value: OrgActivityRecord; indexes: { site: string } };
  activityRuns: { key: string; value: ActivityRunRecord };
  orgKeys: { key: string; value: OrgKeyRecord };
  /** Access reviews (lib/campaign), open and completed. */
  campaigns: { key: string; value: CampaignRecord; indexes: { site: string } };
  campaignRows: { key: [string, number]; value: CampaignRowChunk; indexes: { site: string } };
  campaignDecisions: { key: [string, number]; value: CampaignDecisionChunk; indexes: { site: string } };
  /** The hash-chained audit log (lib/audit), `[chain, seq]`; one chain per site. Append-only. */
  auditLog: { key: [string, number]; value: AuditEntry };
  /** Per chain, its last entry: a deleted last entry shows as a broken chain. */
  auditHeads: { key: string; value: AuditHead };
}

export interface Store {
  readonly db: IDBPDatabase<AccessLensDB>;
  close(): void;
}


/**
 * Whose data a store holds:
 * - `global`: the roster, settings — kept when a site is removed;
 * - `site`: one site's records, found by `siteKey` (`key`: the record's key is the site URL;
 *   `index`: the store's `site` index);
 * - `snapshot`: records keyed `[snapshotId, …]`; `syncWork` ones exist only while a sync runs.
 */
export type StoreScope =
  | { scope: 'global' }
  | { scope: 'site'; siteKey: 'key' | 'index' }
  | { scope: 'snapshot'; syncWork: boolean };

export type StoreDeclaration = StoreScope & {
  keyPath: string | string[];
  /** Index name → key path. The `site` index is what `siteKey: 'index'` uses. */
  indexes?: Record<string, string | string[]>;
  /** The database version that created the store (see open.ts). */
  since: number;
};

export type StoreName = StoreNames<AccessLensDB>;

export const STORES = {
  connections: { scope: 'site', siteKey: 'key', keyPath: 'site', since: 1 },
  credentials: { scope: 'site', siteKey: 'key', keyPath: 'site', since: 1 },
  groups: { scope: 'site', siteKey: 'index', keyPath: ['site', 'id'], indexes: { site: 'site' }, since: 1 },
  accounts: { scope: 'snapshot', syncWork: false, keyPath: ['snapshotId', 'bucket'], since: 1 },
  pages: { scope: 'snapshot', syncWork: true, keyPath: ['snapshotId', 'groupId', 'start'], since: 1 },
  fragments: { scope: 'snapshot', syncWork: true, keyPath: ['snapshotId', 'bucket', 'batch'], since: 1 },
  syncRuns: {
    scope: 'site',
    siteKey: 'index',
    keyPath: 'id',
    indexes: { site: 'site', siteStartedAt: ['site', 'startedAt'] },
    since: 1,
  },
  people: { scope: 'global', keyPath: 'chunk', since: 1 },
  marks: { scope: 'site', siteKey: 'index', keyPath: ['site', 'accountId'], indexes: { site: 'site' }, since: 1 },
  meta: { scope: 'global', keyPath: 'key', since: 1 },
  reviewSummaries: { scope: 'site', siteKey: 'key', keyPath: 'site', since: 2 },
  userExports: { scope: 'site', siteKey: 'index', keyPath: ['site', 'chunk'], indexes: { site: 'site' }, since: 3 },
  orgActivity: { scope: 'site', siteKey: 'index', keyPath: ['site', 'accountId'], indexes: { site: 'site' }, since: 3 },
  activityRuns: { scope: 'site', siteKey: 'key', keyPath: 'site', since: 3 },
  orgKeys: { scope: 'global', keyPath: 'orgId', since: 3 },
  campaigns: { scope: 'site', siteKey: 'index', keyPath: 'id', indexes: { site: 'site' }, since: 4 },
  campaignRows: { scope: 'site', siteKey: 'index', keyPath: ['campaignId', 'chunk'], indexes: { site: 'site' }, since: 4 },
  campaignDecisions: { scope: 'site', siteKey: 'index', keyPath: ['campaignId', 'bucket'], indexes: { site: 'site' }, since: 4 },
  // Global: the log outlives a site's data, and records its deletion.
  auditLog: { scope: 'global', keyPath: ['chain', 'seq'], since: 4 },
  auditHeads: { scope: 'global', keyPath: 'chain', since: 4 },
} as const satisfies Record<StoreName, StoreDeclaration>;

export const STORE_NAMES = Object.keys(STORES) as StoreName[];

/** Stores of the given scope. */
export function storesOf(scope: StoreScope['scope']): StoreName[] {
  return STORE_NAMES.filter((name) => STORES[name].scope === scope);
}

/** Snapshot stores: all of them, or only what a running sync collects (`syncWork`). */
export function snapshotStores(only: 'all' | 'syncWork' = 'all'): StoreName[] {
  return STORE_NAMES.filter((name) => {
    const decl: StoreDeclaration = STORES[name];
    return decl.scope === 'snapshot' && (only === 'all' || decl.syncWork);
  });
}
