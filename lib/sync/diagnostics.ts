/** Plain-language problems for the diagnostics page, and the default group pre-selection. */
import type { SyncRunRecord } from '../model';
import type { GroupRef } from '../model';
import type { ConnectionRecord, RunFailure, StoredSyncRun } from '../store/schema';
import { pausedText, pausedUntil } from './pause';

export type DiagnosableRun = SyncRunRecord & { failure?: RunFailure | null } & Partial<Pick<StoredSyncRun, 'missingGroupIds' | 'pausedUntil' | 'rateLimitReasons'>>;

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

  const gone = new Set<string>();
  // Issue 8, item 9: the last sync found it deleted (group/by-id answered its documented 404).
  const lastMissing = new Set([...(latest?.missingGroupIds ?? []), ...(lastSuccess?.missingGroupIds ?? [])]);
  for (const id of selected) {
    if (lastMissing.has(id)) {
      gone.add(id);
      problems.push(`Selected group "${nameOf(id)}" no longer exists (the last sync found it deleted; group/by-id answered 404)`);
    }
  }
  if (groups.length > 0) {
    const existing = new Set(groups.map((g) => g.id));
    for (const id of selected) {
      if (!existing.has(id) && !gone.has(id)) problems.push(`Selected group "${nameOf(id)}" no longer exists on the site`);
    }
  }

  const paused = latest ? pausedUntil(latest) : null;
  if (paused) problems.push(pausedText(paused, latest?.rateLimitReasons?.at(-1) ?? null));

  if (lastSuccess && selected.length > 0) {
    const counted = lastSuccess.groups.filter((g) => selected.includes(g.id) && !gone.has(g.id));
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
 * Group names pre-selected when the admin never chose (issue #3, issue 8 item 7):
 * `confluence-admins-*`, `confluence-guests-*`, `confluence-users-*`, `administrators`,
 * `site-admins`, and the admin groups of older sites `confluence-administrators` and
 * `system-administrators` (../shared/atlassian-api.md §10; the real groups sample has the latter),
 * case-insensitive, where `*` is any suffix *including none* — so `confluence-users` (Confluence's
 * default group) and `confluence-users-eng` match, while `confluence-usersx` (a different word)
 * does not.
 */
export const DEFAULT_GROUP_PATTERNS = [
  'confluence-admins-*',
  'confluence-guests-*',
  'confluence-users-*',
  'administrators',
  'site-admins',
  'confluence-administrators',
  'system-administrators',
];

/**
 * For a name matching a default pattern: its suffix (`acme` in `confluence-users-acme`, '' when it
 * has none, as in `confluence-users` or `administrators`); null when no default pattern matches.
 */
export function defaultPatternSuffix(name: string): string | null {
  const n = name.trim().toLowerCase();
  for (const pattern of DEFAULT_GROUP_PATTERNS) {
    if (!pattern.endsWith('-*')) {
      if (n === pattern) return '';
      continue;
    }
    const stem = pattern.slice(0, -2);
    if (n === stem) return '';
    if (n.startsWith(`${stem}-`)) return n.slice(stem.length + 1);
  }
  return null;
}

export interface GroupDefaults {
  /** Ids to pre-select, in the given order. */
  selected: string[];
  /** Ids of default-pattern groups left unchecked because they may belong to another site. */
  otherSite: string[];
}

/**
 * The default pre-selection for the site named `siteName` (issue 8, item 10).
 * `GET /wiki/rest/api/group` lists the groups of every site in the organisation (§10), so a
 * site's list can hold `confluence-users-<other site>` beside its own default groups. When some
 * default-pattern group carries this site's name as its suffix, the site's own groups are told
 * apart by it: those and the unsuffixed ones are pre-selected, and the other suffixed ones are left
 * unchecked as possibly another site's. When none does, every default-pattern group is
 * pre-selected, as before.
 */
export function groupDefaults(groups: GroupRef[], siteName?: string): GroupDefaults {
  const own = siteName?.trim().toLowerCase() ?? '';
  const matches = groups.map((g) => ({ id: g.id, suffix: defaultPatternSuffix(g.name) })).filter((g) => g.suffix !== null);
  const siteSuffixed = own !== '' && matches.some((g) => g.suffix === own);
  if (!siteSuffixed) return { selected: matches.map((g) => g.id), otherSite: [] };
  return {
    selected: matches.filter((g) => g.suffix === '' || g.suffix === own).map((g) => g.id),
    otherSite: matches.filter((g) => g.suffix !== '' && g.suffix !== own).map((g) => g.id),
  };
}

/** Ids of the groups to pre-select, in the given order (see groupDefaults). */
export function defaultSelection(groups: GroupRef[], siteName?: string): string[] {
  return groupDefaults(groups, siteName).selected;
}
