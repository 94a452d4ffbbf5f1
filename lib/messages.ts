/**
 * The message protocol between extension pages (popup, side panel, options), the content script
 * and the background service worker. The background validates every request with `requestSchema`
 * (`lib/request-schema.ts`, kept apart so pages and the content script do not bundle zod) and
 * checks the sender before acting (see entrypoints/background). Secrets travel only inward
 * (connect requests); no response ever carries a token, secret or API token.
 */
import type { z } from 'zod';
import type { ownerMark, requestSchema } from './request-schema';
import type {
  AccountMark,
  GroupRef,
  OwnerMark,
  Person,
  ReviewRow,
  RosterMeta,
  SiteUrl,
  SyncedAccount,
} from './model';

export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];
export type OwnerMarkInput = z.infer<typeof ownerMark>;

export type ConnectionStatus = 'connected' | 'disconnected';

export interface SyncProgress {
  runId: string;
  startedAt: string;
  groupsDone: number;
  groupsTotal: number;
  accountsFetched: number;
  phase: 'members' | 'status' | 'email' | 'finishing';
}

export interface SiteCounts {
  /** Accounts in the review (not filtered). */
  inReview: number;
  filtered: number;
  flagged: number;
  unattributed: number;
  shouldRevoke: number;
}

export interface SiteSummary {
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  authMethod: 'oauth' | 'apiToken';
  status: ConnectionStatus;
  /** Human-readable reason when disconnected or when the last sync failed. */
  lastError: string | null;
  lastSyncedAt: string | null;
  sync: SyncProgress | null;
  selectedGroupIds: string[];
  syncIntervalHours: number;
  counts: SiteCounts | null;
  /** API-token connections: `site` (classic token) or `gateway` (scoped token); null for OAuth. */
  apiBase: 'site' | 'gateway' | null;
  /** Whether the email lookup in Jira is used for this site. */
  hasJira: boolean;
  /** ISO time until which Atlassian's rate limit paused the site's sync; null when not paused. */
  pausedUntil: string | null;
}

export interface StateResponse {
  sites: SiteSummary[];
  roster: RosterMeta | null;
  graceDays: number;
  /** The OAuth callback URL to register in Atlassian's developer console. */
  callbackUrl: string;
}

export interface GroupsResponse {
  /** `otherSite`: a default-pattern group with another site's suffix, left unchecked by default. */
  groups: (GroupRef & { selected: boolean; otherSite: boolean })[];
  /**
   * `stored`: the list saved when the groups were last listed (answered at once; the page then
   * asks for a refresh, which can take tens of seconds on a large organisation); `atlassian`:
   * just listed.
   */
  source: 'stored' | 'atlassian';
}

export interface ReviewResponse {
  site: SiteUrl;
  rows: ReviewRow[];
  people: Person[];
  lastSyncedAt: string | null;
  /** What limits the synced data (from the sync that made it), one line each; the JSON export carries them. */
  caveats: string[];
}

export interface SyncRunRecord {
  id: string;
  site: SiteUrl;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'schedule' | 'groups-saved' | 'resume';
  error: string | null;
  /** Remarks that did not fail the run (e.g. "Jira user lookup not permitted …", "Resumed at …"). */
  notes: string[];
  groups: { id: string; name: string; members: number; done: boolean }[];
  accounts: number;
  requests: number;
}

export interface WhyMissingAnswer {
  query: string;
  verdict: 'in_review' | 'not_in_monitored_group' | 'filtered_app' | 'filtered_inactive' | 'not_found';
  account: SyncedAccount | null;
  /** One or more lines for the admin. */
  explanation: string;
}

export interface DiagnosticsResponse {
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  authMethod: 'oauth' | 'apiToken';
  /** API-token connections: `site` (classic token) or `gateway` (scoped token); null for OAuth. */
  apiBase: 'site' | 'gateway' | null;
  hasJira: boolean;
  connectedAs: string | null;
  status: ConnectionStatus;
  /** Problems found, each one line (`No groups are selected`, `The selected groups are empty`, …). */
  problems: string[];
  history: SyncRunRecord[];
}

export interface ConnectError {
  error: string;
  /** For OAuth grants that do not include the requested site. */
  grantedSites?: { url: string; name: string }[];
}

/** Every response may instead be `{ error }`. */
export type ErrorResponse = { error: string; grantedSites?: { url: string; name: string }[] };

export interface ResponseMap {
  getState: StateResponse;
  connectOAuth: { site: SiteUrl };
  connectApiToken: { site: SiteUrl };
  disconnect: { ok: true };
  listGroups: GroupsResponse;
  saveGroups: { ok: true };
  syncNow: { started: SiteUrl[] };
  getReview: ReviewResponse;
  setMark: { mark: AccountMark | null };
  whyMissing: WhyMissingAnswer;
  getDiagnostics: DiagnosticsResponse;
  getRoster: { meta: RosterMeta | null; people: Person[] };
  importRoster: { meta: RosterMeta };
  saveSettings: { ok: true };
  pageContext: { site: SiteUrl | null; accountId: string | null; row: ReviewRow | null };
}

/** Background → pages broadcast (runtime.sendMessage with no response expected). */
export type Broadcast =
  | { type: 'syncProgress'; site: SiteUrl; progress: SyncProgress }
  | { type: 'stateChanged'; site: SiteUrl | null };

export type Response<T extends RequestType> = ResponseMap[T] | ErrorResponse;

export function isError(r: unknown): r is ErrorResponse {
  return typeof r === 'object' && r !== null && 'error' in r && typeof (r as ErrorResponse).error === 'string';
}

/** Marks carry a timestamp set by the background, not by the page. */
export type MarkWithoutTime = OwnerMarkInput;
export type { OwnerMark };
