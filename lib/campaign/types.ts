/**
 * The access review (issue 9) as stored and exchanged: a campaign freezes one sync of a site,
 * records a decision per account, is signed off and sealed, and tracks the remediation of its
 * Revoke and Modify access decisions. Types only.
 */
import type { GroupRef, ReviewRow, SiteUrl } from '../model';

export type Decision = 'keep' | 'revoke' | 'modify';
export const DECISIONS: readonly Decision[] = ['keep', 'revoke', 'modify'];

/** Who reviews: the connected Atlassian account (`user/current`) at "Start review". */
export interface Reviewer {
  name: string;
  accountId: string;
}

export interface DecisionRecord {
  accountId: string;
  decision: Decision;
  /** '' when none was given. */
  note: string;
  /** Modify access: the monitored groups the account should leave (at least one); else []. */
  removeFromGroups: GroupRef[];
  decidedBy: Reviewer;
  decidedAt: string;
}

/** The roster the snapshot was matched against. */
export interface CampaignRoster {
  fileName: string;
  importedAt: string;
  rows: number;
  /** SHA-256 of the canonical JSON of its people, in file order. */
  sha256: string;
}

export type DiffField = 'groups' | 'role' | 'owner' | 'flags';
export const DIFF_FIELDS: readonly DiffField[] = ['groups', 'role', 'owner', 'flags'];
export type DiffTag = 'new' | 'changed' | 'unchanged';

/** Against the previous completed review of the site. */
export interface CampaignDiff {
  previousReviewId: string;
  previousCompletedAt: string;
  /** In this review, not in the previous one. */
  added: string[];
  /** In the previous review, not in this one. */
  removed: string[];
  /** Display names of the removed accounts, as the previous review had them. */
  removedNames: Record<string, string>;
  changed: { accountId: string; fields: DiffField[] }[];
}

export type RemediationStatus = 'pending' | 'verified' | 'overdue';

/** A Revoke or Modify access decision of a completed review, until a later sync shows it done. */
export interface RemediationItem {
  accountId: string;
  displayName: string;
  decision: 'revoke' | 'modify';
  /** Revoke: every monitored group the account was in; Modify access: the groups to leave. */
  groups: GroupRef[];
  verifiedAt: string | null;
  verifiedRunId: string | null;
}

export interface CampaignRefresh {
  at: string;
  by: Reviewer;
  fromSyncAt: string | null;
  toSyncAt: string | null;
  /** Decisions kept (their accounts are still present) and dropped (accounts gone). */
  kept: number;
  dropped: number;
}

export interface CampaignRecord {
  id: string;
  site: SiteUrl;
  siteName: string;
  cloudId: string | null;
  status: 'open' | 'completed';
  startedAt: string;
  completedAt: string | null;
  reviewer: Reviewer;
  /** The sync the snapshot was frozen from. */
  sync: { runId: string; syncedAt: string | null };
  frozenAt: string;
  /** The monitored groups of that sync. */
  groups: GroupRef[];
  roster: CampaignRoster | null;
  /** Flags were computed with this grace period on this day. */
  graceDays: number;
  today: string;
  /** Accounts in the snapshot, and those in the review (not filtered out as app or inactive). */
  accounts: number;
  inReview: number;
  /** Row chunks stored (campaignRows) and decision buckets (campaignDecisions). */
  rowChunks: number;
  decisionBuckets: number;
  refreshes: CampaignRefresh[];
  diff: CampaignDiff | null;
  signOff: string | null;
  seal: string | null;
  remediation: RemediationItem[];
  extensionVersion: string;
}

/** What the side panel shows about a site's latest review. */
export interface CampaignSummary {
  id: string;
  status: 'open' | 'completed';
  startedAt: string;
  completedAt: string | null;
  frozenAt: string;
  syncedAt: string | null;
  reviewer: Reviewer;
  inReview: number;
  accounts: number;
  decided: number;
  signOff: string | null;
  seal: string | null;
  hasPrevious: boolean;
  diff: { added: number; removed: number; changed: number } | null;
  remediation: RemediationCounts;
  /** Whether the latest sync is newer than the snapshot (offers "Refresh snapshot"). */
  newerSync: boolean;
}

export interface RemediationCounts {
  pending: number;
  overdue: number;
  verified: number;
}

/** A frozen row with the review's say on it, as the side panel's account view reads it. */
export interface CampaignAccount {
  row: ReviewRow;
  decision: DecisionRecord | null;
  diff: { tag: DiffTag; fields: DiffField[] } | null;
  /** The reviewer's own account: any decision needs a note. */
  self: boolean;
  /** Why a note is needed for each decision here ('' when it is not). */
  noteRules: Record<Decision, string>;
  remediation: (RemediationItem & { status: RemediationStatus }) | null;
  locked: boolean;
}

/** Per site, for getState (popup and toolbar badge). */
export interface SiteReviewState {
  open: { id: string; startedAt: string } | null;
  lastCompletedAt: string | null;
  reviewDue: boolean;
  remediation: RemediationCounts;
}
