/**
 * The message protocol between extension pages (popup, side panel, options), the content script
 * and the background service worker. The background validates every request with `requestSchema`
 * and checks the sender before acting (see entrypoints/background). Secrets travel only inward
 * (connect requests); no response ever carries a token, secret or API token.
 */
import { z } from 'zod';
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

const site = z.string().min(1).max(200);
const accountId = z.string().min(1).max(200);

const ownerMark = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('confirm'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('unlink'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('external'), reason: z.string().trim().min(1, 'A reason is required').max(500) }),
  z.object({ kind: z.literal('service'), reason: z.string().trim().min(1, 'A reason is required').max(500) }),
]);

const personSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  workEmail: z.string().nullable(),
  altEmails: z.array(z.string()),
  status: z.string().nullable(),
  statusTerminated: z.boolean(),
  endDate: z.string().nullable(),
  startDate: z.string().nullable(),
  employeeType: z.string().nullable(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  row: z.number().int(),
});

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('getState') }),
  z.object({
    type: z.literal('connectOAuth'),
    siteUrl: z.string().min(1).max(200),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().trim().min(1).max(500),
  }),
  z.object({
    type: z.literal('connectApiToken'),
    siteUrl: z.string().min(1).max(200),
    email: z.string().trim().min(3).max(320),
    apiToken: z.string().trim().min(1).max(1000),
  }),
  z.object({ type: z.literal('disconnect'), site, deleteData: z.boolean() }),
  z.object({ type: z.literal('listGroups'), site, refresh: z.boolean().optional() }),
  z.object({ type: z.literal('saveGroups'), site, groupIds: z.array(z.string().min(1)).max(5000) }),
  z.object({ type: z.literal('syncNow'), site: site.optional() }),
  z.object({ type: z.literal('getReview'), site }),
  z.object({ type: z.literal('setMark'), site, accountId, mark: ownerMark.nullable() }),
  z.object({ type: z.literal('whyMissing'), site, query: z.string().trim().min(1).max(320) }),
  z.object({ type: z.literal('getDiagnostics'), site }),
  z.object({ type: z.literal('getRoster') }),
  z.object({
    type: z.literal('importRoster'),
    fileName: z.string().max(500),
    people: z.array(personSchema).max(500_000),
  }),
  z.object({
    type: z.literal('saveSettings'),
    site: site.optional(),
    syncIntervalHours: z.number().min(1).max(24 * 30).optional(),
    graceDays: z.number().int().min(0).max(365).optional(),
  }),
  /** Content script: which monitored account is this page about? (read-only, no secrets). */
  z.object({ type: z.literal('pageContext'), url: z.string().url().max(2000) }),
]);

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
}

export interface StateResponse {
  sites: SiteSummary[];
  roster: RosterMeta | null;
  graceDays: number;
  /** The OAuth callback URL to register in Atlassian's developer console. */
  callbackUrl: string;
}

export interface GroupsResponse {
  groups: (GroupRef & { selected: boolean })[];
}

export interface ReviewResponse {
  site: SiteUrl;
  rows: ReviewRow[];
  people: Person[];
  lastSyncedAt: string | null;
}

export interface SyncRunRecord {
  id: string;
  site: SiteUrl;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'schedule' | 'groups-saved' | 'resume';
  error: string | null;
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
