/** Plain-language problems for the diagnostics page, and the default group pre-selection. */
import type { SyncRunRecord } from '../messages';
import type { GroupRef } from '../model';
import type { ConnectionRecord, RunFailure } from '../store/schema';

export type DiagnosableRun = SyncRunRecord & { failure?: RunFailure | null };

export interface DiagnoseInput {
  connection: ConnectionRecord;
  /** Recent runs of the site, any order. */
  lastRuns: DiagnosableRun[];
  /** Every group of the site as last listed (empty if never listed). */
  groups: GroupRef[];
}

/** One line per problem; empty when all is well. */
export function diagnose({ connection, lastRuns, groups }: DiagnoseInput): string[] {
  const problems: string[] = [];
  const runs = [...lastRuns].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const latest = runs[0];
  const lastSuccess = runs.find((r) => r.status === 'succeeded');
  const selected = connection.selectedGroupIds ?? [];
  const knownNames = new Map<string, string>();
  for (const run of [...runs].reverse()) for (const g of run.groups) knownNames.set(g.id, g.name);
  for (const g of groups) knownNames.set(g.id, g.name);
  const nameOf = (id: string) => knownNames.get(id) ?? id;

  if (connection.status === 'disconnected') {
    problems.push(`Disconnected${connection.lastError ? `: ${connection.lastError}` : ' — connect again to sync'}`);
  }
  if (selected.length === 0) problems.push('No groups are selected — choose the groups to monitor');

  if (groups.length > 0) {
    const existing = new Set(groups.map((g) => g.id));
    for (const id of selected) {
      if (!existing.has(id)) problems.push(`Selected group "${nameOf(id)}" no longer exists on the site`);
    }
  }

  if (lastSuccess && selected.length > 0) {
    const counted = lastSuccess.groups.filter((g) => selected.includes(g.id));
    const empty = counted.filter((g) => g.members === 0);
    if (counted.length > 0 && empty.length === counted.length) {
      problems.push('The selected groups are empty (the last sync found no members in any of them)');
    } else {
      for (const g of empty) problems.push(`Selected group "${nameOf(g.id)}" is empty (no members in the last sync)`);
    }
  }

  // An error outside a sync (listing groups, a refused connection step) is on the connection.
  if (connection.status === 'connected' && connection.lastError && !(latest?.status === 'failed' && latest.error === connection.lastError)) {
    problems.push(`Last error: ${connection.lastError}`);
  }

  if (latest?.status === 'failed') {
    const failure = latest.failure;
    if (failure?.kind === 'PermissionError' && failure.endpoint?.includes('/wiki/rest/api/group')) {
      problems.push(`Cannot read groups: ${latest.error ?? 'permission denied'}`);
    } else {
      problems.push(`Last sync failed: ${latest.error ?? 'unknown error'}`);
    }
  }
  return problems;
}

/**
 * Group names pre-selected when the admin never chose (issue #3): `confluence-admins-*`,
 * `confluence-guests-*`, `confluence-users-*`, `administrators`, `site-admins`, case-insensitive,
 * where `*` is any suffix *including none* — so `confluence-users` (Confluence's default group)
 * and `confluence-users-eng` match, while `confluence-usersx` (a different word) does not.
 */
export const DEFAULT_GROUP_PATTERNS = ['confluence-admins-*', 'confluence-guests-*', 'confluence-users-*', 'administrators', 'site-admins'];

function globMatches(pattern: string, name: string): boolean {
  const n = name.toLowerCase();
  const p = pattern.toLowerCase();
  if (!p.endsWith('-*')) return n === p;
  const stem = p.slice(0, -2);
  return n === stem || n.startsWith(`${stem}-`);
}

/** Ids of the groups to pre-select, in the given order. */
export function defaultSelection(groups: GroupRef[]): string[] {
  return groups.filter((g) => DEFAULT_GROUP_PATTERNS.some((p) => globMatches(p, g.name))).map((g) => g.id);
}
