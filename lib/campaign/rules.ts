/**
 * The review's rules, pure: when a decision needs a note, what a Modify access must say, what a
 * locked review refuses, when remediation is done or overdue, and when a review is due.
 */
import type { GroupRef, ReviewRow, SyncedAccount } from '../model';
import { FLAG_LABELS } from '../review/filters';
import type { CampaignRecord, Decision, DecisionRecord, RemediationItem, RemediationStatus, Reviewer } from './types';

const DAY_MS = 86_400_000;

export const DECISION_LABELS: Record<Decision, string> = { keep: 'Keep', revoke: 'Revoke', modify: 'Modify access' };

/** An account in the review (not filtered out as an app or inactive account) needs a decision. */
export function inReview(row: ReviewRow): boolean {
  return row.account.filteredReason === null;
}

export function isSelf(row: ReviewRow, reviewer: Reviewer): boolean {
  return row.account.accountId === reviewer.accountId;
}

/**
 * Why `decision` on this row needs a note, or '' when it does not: Revoke and Modify access
 * always; Keep on an account with any flag; any decision on the reviewer's own account
 * (self-review is an audit finding).
 */
export function noteRule(decision: Decision, row: ReviewRow, reviewer: Reviewer): string {
  if (isSelf(row, reviewer)) return 'A note is required for any decision on your own account (self-review is an audit finding).';
  if (decision === 'revoke') return 'A note is required to revoke access.';
  if (decision === 'modify') return 'A note is required to modify access.';
  if (row.flags.length > 0) {
    const labels = row.flags.map((f) => FLAG_LABELS[f.flag]).join(', ');
    return `A note is required to keep a flagged account (${labels}).`;
  }
  return '';
}

export interface DecisionInput {
  decision: Decision;
  note: string;
  /** Group ids (Modify access). */
  removeFromGroupIds: readonly string[];
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Checks a decision against the rules and returns what to record, or the error to show (nothing
 * is recorded then).
 */
export function checkDecision(
  input: DecisionInput,
  row: ReviewRow,
  reviewer: Reviewer,
  at: string,
): RuleResult<DecisionRecord> {
  if (!inReview(row)) {
    return { ok: false, error: `${row.account.displayName} is filtered out of the review (${row.account.filteredReason}): it needs no decision.` };
  }
  const note = input.note.trim();
  const rule = noteRule(input.decision, row, reviewer);
  if (rule !== '' && note === '') return { ok: false, error: rule };
  let removeFromGroups: GroupRef[] = [];
  if (input.decision === 'modify') {
    const wanted = new Set(input.removeFromGroupIds);
    removeFromGroups = row.account.groups.filter((g) => wanted.has(g.id));
    const unknown = [...wanted].filter((id) => !row.account.groups.some((g) => g.id === id));
    if (unknown.length > 0) return { ok: false, error: `${row.account.displayName} is not in the group(s) ${unknown.join(', ')}.` };
    if (removeFromGroups.length === 0) return { ok: false, error: 'Choose at least one group to remove the account from.' };
  }
  return {
    ok: true,
    value: { accountId: row.account.accountId, decision: input.decision, note, removeFromGroups, decidedBy: reviewer, decidedAt: at },
  };
}

/** What a completed review refuses: every change. */
export function lockError(campaign: Pick<CampaignRecord, 'status' | 'completedAt'>): string | null {
  return campaign.status === 'completed'
    ? `This review was completed${campaign.completedAt ? ` at ${campaign.completedAt}` : ''} and is locked: nothing in it can change.`
    : null;
}

/** "Complete review" is possible once every in-review account has a decision. */
export function completionError(decided: number, inReviewCount: number): string | null {
  if (decided < inReviewCount) return `${inReviewCount - decided} of ${inReviewCount} accounts have no decision yet.`;
  return null;
}

/** The remediation items of a completed review: one per Revoke and Modify access decision. */
export function remediationItems(rows: readonly ReviewRow[], decisions: ReadonlyMap<string, DecisionRecord>): RemediationItem[] {
  const items: RemediationItem[] = [];
  for (const row of rows) {
    const d = decisions.get(row.account.accountId);
    if (!d || d.decision === 'keep') continue;
    items.push({
      accountId: row.account.accountId,
      displayName: row.account.displayName,
      decision: d.decision,
      groups: d.decision === 'revoke' ? row.account.groups : d.removeFromGroups,
      verifiedAt: null,
      verifiedRunId: null,
    });
  }
  return items;
}

/**
 * Whether a sync shows the item done. `account` is the account in that sync's snapshot
 * (undefined when it is in no monitored group any more); `syncedGroupIds` the groups that sync
 * read. An account's absence only counts for groups the sync actually read: a group no longer
 * monitored says nothing about its members.
 * - Revoke: no longer an active member of any monitored group — deactivated, or in none of the
 *   groups it was in;
 * - Modify access: in none of the groups it was to leave.
 */
export function remediationDone(item: RemediationItem, account: SyncedAccount | undefined, syncedGroupIds: ReadonlySet<string>): boolean {
  if (item.decision === 'revoke' && account && account.status === 'inactive') return true;
  const stillIn = new Set((account?.groups ?? []).map((g) => g.id));
  return item.groups.every((g) => syncedGroupIds.has(g.id) && !stillIn.has(g.id));
}

/** pending → overdue once the review was completed more than `dueDays` ago; verified stays. */
export function remediationStatus(item: RemediationItem, completedAt: string, dueDays: number, now: Date): RemediationStatus {
  if (item.verifiedAt !== null) return 'verified';
  return now.getTime() - Date.parse(completedAt) > dueDays * DAY_MS ? 'overdue' : 'pending';
}

/**
 * A review is due when the site has been synced and its last completed review is older than
 * `reviewEveryDays` — or it never had one.
 */
export function isReviewDue(input: { synced: boolean; lastCompletedAt: string | null; reviewEveryDays: number; now: Date }): boolean {
  if (!input.synced) return false;
  if (input.lastCompletedAt === null) return true;
  return input.now.getTime() - Date.parse(input.lastCompletedAt) > input.reviewEveryDays * DAY_MS;
}
