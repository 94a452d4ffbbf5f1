/**
 * The sync: member pages of the selected groups → partition by account bucket → per bucket,
 * status (and Jira emails), classify and store → one atomic switch of the site's active
 * snapshot. Resumable from the checkpoint in the run record; a failed or aborted run never
 * changes what the review shows. IndexedDB is used in few, large records (a page, a fragment,
 * a bucket of accounts): it costs about the same per request whatever the record's size.
 */
import type { ConfluenceApi } from '../atlassian/api';
import {
  AuthRevokedError,
  HttpError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  ResponseShapeError,
  RetryExhaustedError,
  ScopeError,
} from '../atlassian/errors';
import type { GroupRef, SiteUrl, SyncProgress, SyncRunRecord } from '../model';
import { getConnection } from '../store/connections';
import { listRunningRuns } from '../store/runs';
import type { RunFailure, Store, StoredSyncRun } from '../store/schema';
import { deleteSnapshot, deleteSyncWork } from '../store/snapshots';
import { addNote, progressReporter, updateRun, type SyncContext } from './context';
import { storeAccounts } from './accounts';
import { SyncInterruptedError, SyncStateError } from './errors';
import { switchSnapshot } from './finish';
import { collectGarbage } from './gc';
import { fetchMembersPartitioning } from './background-partition';
import { PARTITION_MEMBERSHIPS, pagesPerBatch, partitionPages } from './partition';
import { pausedUntil, pauseRun, resumeDue, SyncPausedError } from './pause';

export interface SyncOptions {
  store: Store;
  api: ConfluenceApi;
  site: SiteUrl;
  /** The selected groups (ignored when resuming: the run keeps the groups it started with). */
  groups: GroupRef[];
  trigger: SyncRunRecord['trigger'];
  /** Resume this `running` run (see findResumableRun) instead of starting a new one. */
  runId?: string;
  /** Requests in flight at once (default 4); the api's own limiter may cap lower. */
  concurrency?: number;
  /** Look up hidden emails in Jira (default false; ignored when resuming). */
  useJira?: boolean;
  /**
   * Memberships per bucket (default PARTITION_MEMBERSHIPS). Only tests change it, to get several
   * buckets out of a small organisation; a resumed run keeps the bucket count it chose.
   */
  partitionMemberships?: number;
  onProgress?(p: SyncProgress): void;
  signal?: AbortSignal;
  now?(): Date;
}

export const SUPERSEDED_MESSAGE = 'Superseded by a newer sync';

/**
 * Runs (or resumes) a sync and resolves with the succeeded run. On any failure — Atlassian
 * errors (AuthRevokedError, ScopeError, PermissionError, RetryExhaustedError, …) or an abort
 * (SyncInterruptedError, recorded as "Sync interrupted") — the run is recorded as failed with
 * the error's message, its partial snapshot is deleted, and the original error is rethrown.
 * Atlassian's rate limit asking for a wait longer than a request sits through (RateLimitedError)
 * is not a failure: the run stays running with its checkpoint and snapshot, paused until the time
 * Atlassian named, and SyncPausedError is thrown (./pause.ts).
 */
export async function runSync(opts: SyncOptions): Promise<StoredSyncRun> {
  const now = opts.now ?? (() => new Date());
  const run = opts.runId ? await loadResumable(opts, now) : await startRun(opts, now);
  const apiStart = opts.api.requestCount;
  const earlierRequests = run.requests;
  const ctx: SyncContext = {
    store: opts.store,
    api: opts.api,
    site: opts.site,
    runId: run.id,
    snapshotId: run.checkpoint?.snapshotId ?? run.id,
    concurrency: Math.max(1, Math.floor(opts.concurrency ?? 4)),
    signal: opts.signal,
    now,
    requests: () => earlierRequests + (opts.api.requestCount - apiStart),
    report: progressReporter(opts.onProgress),
  };

  try {
    let current = run;
    ctx.report(current, true);
    const perBucket = Math.max(1, Math.floor(opts.partitionMemberships ?? PARTITION_MEMBERSHIPS));
    if (current.checkpoint?.phase === 'members') {
      current = await fetchMembersPartitioning(ctx, current, perBucket);
      ctx.report(current, true);
    }
    if (current.checkpoint?.phase === 'partition') {
      current = await partitionPages(ctx, current, pagesPerBatch(perBucket));
      ctx.report(current, true);
    }
    if (current.checkpoint?.phase === 'accounts') {
      current = await storeAccounts(ctx, current);
    }
    await recordRateLimits(ctx, null);
    const { run: finished, previous } = await switchSnapshot(ctx);
    ctx.report(finished, true);
    // Cleanup after the switch; if it is interrupted, collectGarbage finishes it later.
    await Promise.allSettled([
      deleteSyncWork(opts.store, ctx.snapshotId),
      previous ? deleteSnapshot(opts.store, previous) : Promise.resolve(),
    ]);
    return finished;
  } catch (error) {
    const interrupted = opts.signal?.aborted === true || error instanceof SyncInterruptedError;
    if (!interrupted && error instanceof RateLimitedError) {
      const until = new Date(error.until);
      await recordRateLimits(ctx, error.reason).catch(() => undefined);
      if (await pauseRun(opts.store, run.id, until, error.reason, ctx.requests()).catch(() => false)) {
        throw new SyncPausedError(run.id, until, error.reason);
      }
    }
    const message = interrupted ? 'Sync interrupted' : error instanceof Error ? error.message : String(error);
    const failure = { kind: interrupted ? 'SyncInterruptedError' : errorKind(error), endpoint: endpointOf(error) };
    await failRun(opts.store, run.id, message, now, ctx.requests(), failure).catch(() => undefined);
    await deleteSnapshot(opts.store, ctx.snapshotId).catch(() => undefined);
    throw interrupted && !(error instanceof SyncInterruptedError) ? new SyncInterruptedError() : error;
  }
}

async function startRun(opts: SyncOptions, now: () => Date): Promise<StoredSyncRun> {
  if (!(await getConnection(opts.store, opts.site))) {
    throw new SyncStateError(`No connection for ${opts.site}`);
  }
  // A run still marked running here was orphaned by a killed worker the caller chose not to
  // resume: end it so its snapshot does not linger (the background resumes via findResumableRun).
  for (const stale of await listRunningRuns(opts.store, opts.site)) {
    await failRun(opts.store, stale.id, SUPERSEDED_MESSAGE, now, stale.requests, { kind: 'Superseded', endpoint: null });
  }
  await collectGarbage(opts.store, opts.site);

  const id = crypto.randomUUID();
  const groups = [...new Map(opts.groups.map((g) => [g.id, g])).values()];
  const run: StoredSyncRun = {
    id,
    site: opts.site,
    startedAt: now().toISOString(),
    endedAt: null,
    status: 'running',
    trigger: opts.trigger,
    error: null,
    groups: groups.map((g) => ({ id: g.id, name: g.name, members: 0, done: false })),
    accounts: 0,
    requests: 0,
    notes: [],
    failure: null,
    checkpoint: {
      snapshotId: id,
      phase: 'members',
      nextStart: Object.fromEntries(groups.map((g) => [g.id, 0])),
      buckets: 0,
      nextBatch: 0,
      nextBucket: 0,
      accounts: 0,
      useJira: opts.useJira ?? false,
      jiraDisabled: false,
    },
  };
  await opts.store.db.add('syncRuns', run);
  return run;
}

async function loadResumable(opts: SyncOptions, now: () => Date): Promise<StoredSyncRun> {
  const runId = opts.runId as string;
  const tx = opts.store.db.transaction('syncRuns', 'readwrite');
  const run = await tx.store.get(runId);
  if (!run || run.site !== opts.site || run.status !== 'running' || !run.checkpoint) {
    await tx.done;
    throw new SyncStateError(`Sync run ${runId} cannot be resumed (not a running run of ${opts.site})`);
  }
  // Not before Atlassian's rate limit said so: resuming early only earns another 429 (§5).
  const until = pausedUntil(run);
  if (until && !resumeDue(run, now())) {
    await tx.done;
    throw new SyncPausedError(run.id, until, run.rateLimitReasons?.at(-1) ?? null);
  }
  run.pausedUntil = null;
  run.notes.push(`Resumed at ${now().toISOString()} (phase ${run.checkpoint.phase})`);
  await Promise.all([tx.store.put(run), tx.done]);
  return run;
}

/**
 * Records in the run what Atlassian's rate limiting did in this invocation (§5, §10): a note with
 * the number of 429s and slow-downs, and every `RateLimit-Reason` seen (`extra`: the one that
 * paused the run).
 */
async function recordRateLimits(ctx: SyncContext, extra: string | null): Promise<void> {
  const { throttled, nearLimit, reasons } = ctx.api.rateLimit;
  const all = extra && !reasons.includes(extra) ? [...reasons, extra] : reasons;
  if (throttled === 0 && nearLimit === 0 && all.length === 0) return;
  await updateRun(ctx, (r) => {
    const known = (r.rateLimitReasons ??= []);
    for (const reason of all) if (!known.includes(reason)) known.push(reason);
    const parts = [
      throttled > 0 ? `${throttled} request${throttled === 1 ? '' : 's'} answered 429` : null,
      nearLimit > 0 ? `slowed down ${nearLimit} time${nearLimit === 1 ? '' : 's'} near the limit (X-RateLimit-NearLimit)` : null,
      all.length > 0 ? `RateLimit-Reason: ${all.join(', ')}` : null,
    ].filter((p): p is string => p !== null);
    addNote(r, `Atlassian's rate limit: ${parts.join('; ')}`);
  });
}

async function failRun(
  store: Store,
  runId: string,
  message: string,
  now: () => Date,
  requests: number,
  failure: RunFailure,
): Promise<void> {
  const tx = store.db.transaction('syncRuns', 'readwrite');
  const run = await tx.store.get(runId);
  if (run && run.status === 'running') {
    await tx.store.put({
      ...run,
      status: 'failed',
      error: message,
      endedAt: now().toISOString(),
      checkpoint: null,
      requests,
      failure,
    });
  }
  await tx.done;
}

// By class, not by `error.name`: a minified build may rename classes.
const KNOWN_ERRORS: [string, abstract new (...args: never[]) => Error][] = [
  ['AuthRevokedError', AuthRevokedError],
  ['ScopeError', ScopeError],
  ['PermissionError', PermissionError],
  ['NotFoundError', NotFoundError],
  ['RetryExhaustedError', RetryExhaustedError],
  ['RateLimitedError', RateLimitedError],
  ['ResponseShapeError', ResponseShapeError],
  ['HttpError', HttpError],
  ['SyncStateError', SyncStateError],
];

function errorKind(error: unknown): string {
  return KNOWN_ERRORS.find(([, type]) => error instanceof type)?.[0] ?? 'Error';
}

function endpointOf(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'endpoint' in error) {
    const endpoint = (error as { endpoint: unknown }).endpoint;
    return typeof endpoint === 'string' ? endpoint : null;
  }
  return null;
}
