/**
 * Pausing a sync for Atlassian's rate limit (issue 8, item 5). Since March 2026 OAuth apps spend
 * points against a 10-second burst window and an hourly quota, and a 429 may ask for a wait of up
 * to an hour (../../shared/atlassian-api.md §5, §10). A run told to wait longer than a request may
 * (lib/atlassian/retry.ts) is not failed: it stays `running` with its checkpoint and snapshot, is
 * marked paused until the time Atlassian named, and resumes from the checkpoint once that time has
 * come (the background sets an alarm for it). Pure decisions here; the store writes are small.
 */
import type { SiteUrl } from '../model';
import { listRunningRuns } from '../store/runs';
import type { Store, StoredSyncRun } from '../store/schema';

/** Thrown by runSync when the run was paused rather than ended. */
export class SyncPausedError extends Error {
  constructor(
    readonly runId: string,
    /** When the run may resume. */
    readonly until: Date,
    readonly reason: string | null,
  ) {
    super(pausedText(until, reason));
    this.name = 'SyncPausedError';
  }
}

/** "Paused by Atlassian's rate limit until <time>" — the words the popup and options page show. */
export function pausedText(until: Date, reason: string | null = null): string {
  return `Paused by Atlassian's rate limit until ${until.toISOString()}${reason ? ` (RateLimit-Reason: ${reason})` : ''}`;
}

/** When the run may resume, or null when it is not paused. */
export function pausedUntil(run: Pick<StoredSyncRun, 'pausedUntil' | 'status'>): Date | null {
  if (run.status !== 'running' || !run.pausedUntil) return null;
  const at = Date.parse(run.pausedUntil);
  return Number.isNaN(at) ? null : new Date(at);
}

/** True when a running run may be (re)started now: not paused, or its pause is over. */
export function resumeDue(run: Pick<StoredSyncRun, 'pausedUntil' | 'status'>, now: Date): boolean {
  const until = pausedUntil(run);
  return until === null || until.getTime() <= now.getTime();
}

/** The site's paused run, if any (newest first), with the time it may resume. */
export async function findPausedRun(store: Store, site: SiteUrl): Promise<{ run: StoredSyncRun; until: Date } | null> {
  for (const run of await listRunningRuns(store, site)) {
    const until = pausedUntil(run);
    if (until && run.checkpoint) return { run, until };
  }
  return null;
}

/**
 * Marks the running run paused until `until`, keeping its checkpoint (and so its snapshot).
 * Returns false when the run is no longer running (it ended meanwhile).
 */
export async function pauseRun(
  store: Store,
  runId: string,
  until: Date,
  reason: string | null,
  requests: number,
): Promise<boolean> {
  const tx = store.db.transaction('syncRuns', 'readwrite');
  const run = await tx.store.get(runId);
  if (!run || run.status !== 'running' || !run.checkpoint) {
    await tx.done;
    return false;
  }
  run.pausedUntil = until.toISOString();
  run.requests = requests;
  if (reason) {
    const reasons = (run.rateLimitReasons ??= []);
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  run.notes.push(pausedText(until, reason));
  await Promise.all([tx.store.put(run), tx.done]);
  return true;
}
