/**
 * The message protocol between extension pages (popup, side panel, options), the content script
 * and the background service worker. `Request` and `ResponseMap` are derived from the request
 * table (lib/service/requests/), where each request's schema, allowed senders and handler live;
 * this file holds the answer shapes pages read, and is types only, so pages do not bundle zod.
 * Secrets travel only inward (connect requests); no response ever carries a token, secret or API
 * token.
 */
import type { RequestOf, ResponseMapOf } from './service/define';
import type { Requests } from './service/requests';
import type {
  GrantedSite,
  GroupRef,
  OwnerMarkInput,
  ReviewRow,
  RosterMeta,
  SiteUrl,
  SyncedAccount,
  SyncProgress,
  SyncRunRecord,
} from './model';
import type { FilterCounts } from './review/filters';
import type { UserExportMeta } from './activity/user-export';
import type { SiteReviewState } from './campaign/types';

export type Request = RequestOf<Requests>;
export type RequestType = Request['type'];
export type ResponseMap = ResponseMapOf<Requests>;

export type { GrantedSite, OwnerMarkInput, SyncProgress, SyncRunRecord };

export type ConnectionStatus = 'connected' | 'disconnected';

/** What fixes a site's error: connect again, or edit the tracked groups (options page). */
export type SiteFix = 'reconnect' | 'groups';

/** Per review filter (lib/review/filters.ts), the number of accounts. */
export type SiteCounts = FilterCounts;

export interface SiteSummary {
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  authMethod: 'oauth' | 'apiToken';
  status: ConnectionStatus;
  /** Human-readable reason when disconnected or when the last sync failed. */
  lastError: string | null;
  /** The action that fixes the site's problem, if one does. */
  fix: SiteFix | null;
  lastSyncedAt: string | null;
  sync: SyncProgress | null;
  selectedGroupIds: string[];
  syncIntervalHours: number;
  /** Stored counts of the review; null before the first complete sync. */
  counts: SiteCounts | null;
  /** API-token connections: `site` (classic token) or `gateway` (scoped token); null for OAuth. */
  apiBase: 'site' | 'gateway' | null;
  /** Whether the email lookup in Jira is used for this site. */
  hasJira: boolean;
  /** ISO time until which Atlassian's rate limit paused the site's sync; null when not paused. */
  pausedUntil: string | null;
  /** Access reviews: the open one, the last completion, whether one is due, remediation counts. */
  review: SiteReviewState;
}

export interface StateResponse {
  sites: SiteSummary[];
  roster: RosterMeta | null;
  graceDays: number;
  /** "Dormant after (days)". */
  dormantDays: number;
  /** "Review every (days)" and "Remediation due (days)" (lib/model.ts ReviewCadence). */
  reviewEveryDays: number;
  remediationDueDays: number;
  /** The OAuth callback URL to register in Atlassian's developer console. */
  callbackUrl: string;
}

export interface GroupsResponse {
  /** `otherSite`: a default-pattern group with another site's suffix, left unchecked by default. */
  groups: { id: string; name: string; selected: boolean; otherSite: boolean }[];
  /**
   * `stored`: the list saved when the groups were last listed (answered at once; the page then
   * asks for a refresh, which can take tens of seconds on a large organisation); `atlassian`:
   * just listed.
   */
  source: 'stored' | 'atlassian';
}

/** One page of the review, as the side panel lists it. */
export interface ReviewQueryResponse {
  site: SiteUrl;
  lastSyncedAt: string | null;
  /** False until the site's first complete sync. */
  synced: boolean;
  hasRoster: boolean;
  /** Accounts matching the filter and search. */
  total: number;
  /** Per filter, the accounts matching the search. */
  counts: FilterCounts;
  offset: number;
  rows: ReviewRow[];
  /** What limits the synced data (from the sync that made the snapshot), one line each. */
  caveats: string[];
  /** The group the list is limited to (`group` in the query), when it is a monitored group. */
  group: GroupRef | null;
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

/** What the options page shows about a site's activity sources (never the key itself). */
export interface ActivityStatus {
  site: SiteUrl;
  userExport: (UserExportMeta & { importedAt: string }) | null;
  orgKey: { orgId: string; savedAt: string } | null;
  phase: {
    status: 'running' | 'paused' | 'done' | 'failed';
    done: number;
    total: number;
    notInOrg: number;
    searchUnavailable: boolean;
    finishedAt: string | null;
    resumeAt: string | null;
    error: string | null;
  } | null;
}

/**
 * What a badge on an Atlassian page shows for one flagged account, and nothing more: the label
 * (its accessible name, `Access Lens: Should revoke, Revoke overdue`) and a one-line explanation
 * for the tooltip, both built in the background. Unflagged accounts get none.
 */
export interface PageBadge {
  accountId: string;
  label: string;
  /** The flags' labels, most severe first (the badge's visible text). */
  flags: string[];
  title: string;
}

export interface PageBadgesResponse {
  badges: PageBadge[];
}

/** The account or site a side panel should show next (a page badge or the popup asked for it). */
export interface PanelFocus {
  site: SiteUrl;
  accountId: string | null;
}

/** Every response may instead be `{ error }`. */
export interface ErrorResponse {
  error: string;
  /** For OAuth grants that do not include the requested site. */
  grantedSites?: GrantedSite[];
}

/** Background → pages broadcast (runtime.sendMessage with no response expected). */
export type Broadcast =
  | { type: 'syncProgress'; site: SiteUrl; progress: SyncProgress }
  | { type: 'activityProgress'; site: SiteUrl; progress: { done: number; total: number } }
  | { type: 'stateChanged'; site: SiteUrl | null }
  /** A page badge or the popup asked the side panel of that window to show a site or account. */
  | { type: 'panelFocus'; windowId: number | null; focus: PanelFocus };

export type Response<T extends RequestType> = ResponseMap[T] | ErrorResponse;

export function isError(r: unknown): r is ErrorResponse {
  return typeof r === 'object' && r !== null && 'error' in r && typeof (r as ErrorResponse).error === 'string';
}
