/**
 * The review as a document: the rows of review.csv / review.json (the export's columns plus the
 * review's), the JSON document, and the part of it the seal covers. Used at "Sign off and lock"
 * (to seal) and by the evidence package (to write and re-check it), so both see the same bytes.
 * Pure.
 */
import type { ReviewRow, FlagResult } from '../model';
import { EXPORT_COLUMNS, sortRowsForExport, toRecord, type ExportRecord } from '../review/export';
import { canonicalJson, sha256Hex } from './canonical';
import { diffIndex } from './diff';
import { remediationStatus } from './rules';
import type { CampaignRecord, DecisionRecord, RemediationStatus } from './types';

/** The columns review.csv adds after the export's. */
export const REVIEW_EXTRA_COLUMNS = [
  'decided_by',
  'decided_at',
  'remove_from_groups',
  'diff',
  'remediation',
  'remediation_verified_at',
] as const;

export const REVIEW_COLUMNS = [...EXPORT_COLUMNS, ...REVIEW_EXTRA_COLUMNS] as const;

export const CONTROLS = ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO/IEC 27001:2022 A.5.18'] as const;

/** Top-level fields of review.json the seal covers (rows without their remediation fields). */
export const SEALED_FIELDS = ['site', 'cloudId', 'groups', 'sync', 'roster', 'reviewer', 'startedAt', 'completedAt', 'signOff', 'diff', 'rows'] as const;
/** Row fields that follow the review after it was sealed (later syncs verify remediation). */
export const UNSEALED_ROW_FIELDS = ['remediation', 'remediation_verified_at'] as const;

export const SEAL_COVERS =
  'seal = SHA-256 of the canonical JSON (keys sorted, UTF-8, no insignificant whitespace) of the object made of this file\'s ' +
  `fields ${SEALED_FIELDS.join(', ')}, each row without ${UNSEALED_ROW_FIELDS.join(' and ')}.`;

export interface ReviewRecord extends ExportRecord {
  decided_by: string | null;
  decided_at: string | null;
  remove_from_groups: string[];
  diff: 'new' | 'changed' | 'unchanged' | null;
  diff_fields: string[];
  remediation: RemediationStatus | null;
  remediation_verified_at: string | null;
  explanations: { filtered: string | null; flags: FlagResult[]; match: string };
}

export interface DocumentContext {
  /** For remediation status (pending → overdue). */
  now: Date;
  remediationDueDays: number;
}

/** review.csv / review.json rows: every account of the snapshot, in the export's order. */
export function reviewRecords(
  campaign: CampaignRecord,
  rows: readonly ReviewRow[],
  decisions: ReadonlyMap<string, DecisionRecord>,
  context: DocumentContext,
): ReviewRecord[] {
  const diffOf = diffIndex(campaign.diff);
  const remediation = new Map(campaign.remediation.map((r) => [r.accountId, r]));
  const exportDecisions = new Map<string, { decision: string; note: string }>();
  for (const [id, d] of decisions) exportDecisions.set(id, { decision: d.decision, note: d.note });
  const completedAt = campaign.completedAt;
  return sortRowsForExport(rows).map((row): ReviewRecord => {
    const id = row.account.accountId;
    const d = decisions.get(id);
    const item = remediation.get(id);
    const diff = diffOf(id);
    const record = toRecord(row, campaign.site, exportDecisions) as ReviewRecord;
    record.decided_by = d?.decidedBy.name ?? null;
    record.decided_at = d?.decidedAt ?? null;
    record.remove_from_groups = d ? d.removeFromGroups.map((g) => g.name) : [];
    record.diff = diff?.tag ?? null;
    record.diff_fields = diff?.fields ?? [];
    record.remediation = item && completedAt ? remediationStatus(item, completedAt, context.remediationDueDays, context.now) : null;
    record.remediation_verified_at = item?.verifiedAt ?? null;
    // Members in sorted order, so sealing (canonical JSON) has nothing to reorder.
    record.explanations = {
      filtered: row.account.filteredDetail,
      flags: row.flags.map((f) => ({ explanation: f.explanation, flag: f.flag })),
      match: row.match.explanation,
    };
    return record;
  });
}

export interface Caveat {
  count: number;
  meaning: string;
}

export function caveatsOf(rows: readonly ReviewRow[]): Record<'hiddenEmails' | 'unknownStatuses' | 'nameOnlyMatches', Caveat> {
  let hidden = 0;
  let unknown = 0;
  let nameOnly = 0;
  for (const r of rows) {
    if (!r.account.email) hidden++;
    if (r.account.status === 'unknown') unknown++;
    if (r.match.rule === 'name') nameOnly++;
  }
  return {
    hiddenEmails: {
      count: hidden,
      meaning: 'Accounts whose email Atlassian hid (profile visibility) from Confluence and Jira: they were matched by a reviewer or by display name, or not at all.',
    },
    unknownStatuses: {
      count: unknown,
      meaning: 'Accounts whose active/inactive status Atlassian did not report: they are kept in the review as if active.',
    },
    nameOnlyMatches: {
      count: nameOnly,
      meaning: 'Accounts matched to a roster person by display name alone: weaker than an email match; unconfirmed ones are flagged Needs confirmation.',
    },
  };
}

/** The whole review.json document. */
export function reviewDocument(
  campaign: CampaignRecord,
  rows: readonly ReviewRow[],
  decisions: ReadonlyMap<string, DecisionRecord>,
  context: DocumentContext & { generatedAt: string; extensionVersion: string },
) {
  const records = reviewRecords(campaign, rows, decisions, context);
  const remediationItems = campaign.remediation.map((item) => ({
    accountId: item.accountId,
    displayName: item.displayName,
    decision: item.decision,
    groups: item.groups.map((g) => g.name),
    status: campaign.completedAt ? remediationStatus(item, campaign.completedAt, context.remediationDueDays, context.now) : 'pending',
    verifiedAt: item.verifiedAt,
  }));
  return {
    site: campaign.site,
    cloudId: campaign.cloudId,
    status: campaign.status,
    groups: campaign.groups.map((g) => ({ id: g.id, name: g.name })),
    sync: { runId: campaign.sync.runId, syncedAt: campaign.sync.syncedAt },
    roster: campaign.roster,
    reviewer: { name: campaign.reviewer.name, accountId: campaign.reviewer.accountId },
    startedAt: campaign.startedAt,
    completedAt: campaign.completedAt,
    signOff: campaign.signOff,
    seal: campaign.seal,
    sealCovers: SEAL_COVERS,
    extensionVersion: context.extensionVersion,
    generatedAt: context.generatedAt,
    controls: [...CONTROLS],
    caveats: caveatsOf(rows),
    diff: campaign.diff && {
      previousReviewId: campaign.diff.previousReviewId,
      previousCompletedAt: campaign.diff.previousCompletedAt,
      added: campaign.diff.added,
      removed: campaign.diff.removed,
      changed: campaign.diff.changed,
    },
    remediation: { dueDays: context.remediationDueDays, items: remediationItems },
    refreshes: campaign.refreshes,
    columns: [...REVIEW_COLUMNS],
    rows: records,
  };
}

export type ReviewDocument = ReturnType<typeof reviewDocument>;

/** The part of review.json the seal covers. */
export function sealedPart(doc: Pick<ReviewDocument, (typeof SEALED_FIELDS)[number]>): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const f of [...SEALED_FIELDS].sort()) part[f] = doc[f];
  // Each row copied with its members in sorted order (every row has the same members).
  const excluded = new Set<string>(UNSEALED_ROW_FIELDS);
  const first = doc.rows[0];
  const rowKeys = first ? Object.keys(first).filter((k) => !excluded.has(k)).sort() : [];
  part.rows = doc.rows.map((r) => {
    const copy: Record<string, unknown> = {};
    for (const k of rowKeys) copy[k] = (r as unknown as Record<string, unknown>)[k];
    return copy;
  });
  return part;
}

export function sealDocument(doc: Pick<ReviewDocument, (typeof SEALED_FIELDS)[number]>): Promise<string> {
  return sha256Hex(canonicalJson(sealedPart(doc)));
}
