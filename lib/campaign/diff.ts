/**
 * The diff of a review against the previous completed review of the site (Probo's
 * New/Removed/Unchanged tags): every account of this review is new, changed (with the fields
 * that changed: groups, role, owner, flags) or unchanged; accounts of the previous review that
 * are gone are removed. Pure.
 */
import type { ReviewRow } from '../model';
import type { CampaignDiff, DiffField, DiffTag } from './types';

/** What each compared field is, as text, so equal values compare equal whatever their order. */
function fieldsOf(row: ReviewRow): Record<DiffField, string> {
  return {
    groups: row.account.groups.map((g) => g.id).sort().join('\n'),
    role: row.account.role,
    owner: `${row.ownerType}|${row.ownerType === 'person' ? (row.person?.id ?? '') : ''}`,
    flags: row.flags.map((f) => f.flag).sort().join('\n'),
  };
}

export function changedFields(previous: ReviewRow, current: ReviewRow): DiffField[] {
  const a = fieldsOf(previous);
  const b = fieldsOf(current);
  return (['groups', 'role', 'owner', 'flags'] as const).filter((f) => a[f] !== b[f]);
}

export function diffReviews(
  previous: { id: string; completedAt: string; rows: readonly ReviewRow[] },
  current: readonly ReviewRow[],
): CampaignDiff {
  const before = new Map(previous.rows.map((r) => [r.account.accountId, r]));
  const now = new Set(current.map((r) => r.account.accountId));
  const added: string[] = [];
  const changed: CampaignDiff['changed'] = [];
  for (const row of current) {
    const old = before.get(row.account.accountId);
    if (!old) {
      added.push(row.account.accountId);
      continue;
    }
    const fields = changedFields(old, row);
    if (fields.length > 0) changed.push({ accountId: row.account.accountId, fields });
  }
  const removed: string[] = [];
  const removedNames: Record<string, string> = {};
  for (const row of previous.rows) {
    if (now.has(row.account.accountId)) continue;
    removed.push(row.account.accountId);
    removedNames[row.account.accountId] = row.account.displayName;
  }
  return { previousReviewId: previous.id, previousCompletedAt: previous.completedAt, added, removed, removedNames, changed };
}

/** Per account of this review, its tag and changed fields (lookups for the diff above). */
export function diffIndex(diff: CampaignDiff | null): (accountId: string) => { tag: DiffTag; fields: DiffField[] } | null {
  if (!diff) return () => null;
  const added = new Set(diff.added);
  const changed = new Map(diff.changed.map((c) => [c.accountId, c.fields]));
  return (accountId) => {
    if (added.has(accountId)) return { tag: 'new', fields: [] };
    const fields = changed.get(accountId);
    return fields ? { tag: 'changed', fields } : { tag: 'unchanged', fields: [] };
  };
}
