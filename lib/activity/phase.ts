/**
 * The activity phase (issue 11, source 2): after a sync, fetch last activity, status and 2SV from
 * the organisation admin API for the accounts in the review, in order, at most once a day per
 * account, within the API's small rate limit, resumable, never blocking the review.
 *
 * Pure of the browser: no IndexedDB, no alarms, no `browser.*`. The caller gives the account ids,
 * the checkpoint it stored (or null for a new run), an `OrgApi` (which carries the organisation's
 * rate limiter), and storage callbacks; it gets back the new checkpoint and an outcome:
 *
 * - `done`: every due account was fetched (or none was due).
 * - `paused`: Atlassian asked to wait longer than is worth keeping a worker alive for
 *   (`resumeAt`): store the checkpoint and set an alarm; call again with it then.
 * - `aborted`: the signal fired; call again with the checkpoint to resume.
 * - `failed`: the key was rejected, the organisation not found, retries exhausted…; `error` says
 *   why (never containing the key). What was fetched before is kept.
 *
 * Resumption needs nothing but the stored `fetchedAt` of each account: an account fetched less than
 * `refreshAfterMs` ago (default a day) is not due, so a resumed run continues where the last saved
 * batch ended, and a second run on the same day sends no request. The checkpoint carries the
 * progress counts and any rate-limit pause across a stopped worker.
 *
 * Per batch (default 20 accounts): one user search (status, 2SV), then one last-active request per
 * account; the batch's records and the checkpoint go to `saveBatch` together, which the caller
 * should write in one transaction. A search the organisation does not offer (400/404) turns 2SV off
 * for the run and the phase goes on with last activity alone.
 */
import { z } from 'zod';
import { AtlassianError } from '../atlassian/errors';
import {
  OrgBadRequestError,
  OrgNotFoundError,
  OrgRateLimitedError,
  toAccountActivity,
  type LastActiveDates,
  type OrgApi,
  type OrgUser,
} from './org-api';
import { todayIn } from '../roster/dates';
import { accountActivitySchema, type ActivitySource } from './types';

export const DEFAULT_REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_BATCH_SIZE = 20;
/** A rate-limit pause longer than this ends the call (`paused`) rather than waiting in it. */
export const DEFAULT_MAX_WAIT_MS = 60_000;

export const activityCheckpointSchema = z.object({
  version: z.literal(1),
  orgId: z.string().min(1),
  /** Epoch ms the run started. */
  startedAt: z.number(),
  /** Accounts due in this run (fetched so far plus still due). */
  total: z.number().int().nonnegative(),
  /** Accounts fetched and saved in this run. */
  done: z.number().int().nonnegative(),
  /** Of `done`, accounts the organisation's directory does not know. */
  notInOrg: z.number().int().nonnegative(),
  /** Epoch ms before which Atlassian asked for no request, or null. */
  pausedUntil: z.number().nullable(),
  /** The user search was refused this run: 2SV and status stay unknown. */
  searchUnavailable: z.boolean(),
  /** Epoch ms the run finished, or null while it is not. */
  finishedAt: z.number().nullable(),
});
export type ActivityCheckpoint = z.infer<typeof activityCheckpointSchema>;

/** One fetched account, as the caller stores it. */
export const fetchedActivitySchema = accountActivitySchema.extend({
  /** Epoch ms it was fetched: the "at most daily" rule reads it, and the explanation's date comes from it. */
  fetchedAt: z.number(),
  /** False when the organisation's directory does not know the account (404): its facts are unknown. */
  inOrg: z.boolean(),
});
export type FetchedActivity = z.infer<typeof fetchedActivitySchema>;

/** The source to cite for a fetched record: the API, on the (local) day it answered. */
export function sourceOfFetched(record: Pick<FetchedActivity, 'fetchedAt'>, timeZone?: string): ActivitySource {
  return { kind: 'org-api', date: todayIn(timeZone, new Date(record.fetchedAt)) };
}

export interface ActivityPhaseStorage {
  /** When each account was last fetched (epoch ms); leave out accounts never fetched. */
  fetchedAt(accountIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Stores a batch's records and the checkpoint together (records may be empty: checkpoint only). */
  saveBatch(records: readonly FetchedActivity[], checkpoint: ActivityCheckpoint): Promise<void>;
}

export interface ActivityProgress {
  done: number;
  total: number;
}

export interface ActivityPhaseOptions {
  api: OrgApi;
  /** The connected site's cloud id: picks its Confluence entry among the organisation's products. */
  cloudId: string;
  /** The accounts in the review, in the order to fetch them (duplicates are ignored). */
  accountIds: readonly string[];
  /** The checkpoint stored by the last call, or null to start a run. */
  checkpoint: ActivityCheckpoint | null;
  storage: ActivityPhaseStorage;
  refreshAfterMs?: number;
  batchSize?: number;
  maxWaitMs?: number;
  now?: () => number;
  onProgress?: (progress: ActivityProgress) => void;
  signal?: AbortSignal;
}

export type ActivityPhaseResult =
  | { outcome: 'done'; checkpoint: ActivityCheckpoint }
  | { outcome: 'paused'; checkpoint: ActivityCheckpoint; resumeAt: number }
  | { outcome: 'aborted'; checkpoint: ActivityCheckpoint }
  | { outcome: 'failed'; checkpoint: ActivityCheckpoint; error: Error };

/** Status and 2SV are worth a request only while the search works; 400/404 mean it is not offered. */
function searchRefused(error: unknown): boolean {
  return error instanceof OrgBadRequestError || error instanceof OrgNotFoundError;
}

export async function runActivityPhase(opts: ActivityPhaseOptions): Promise<ActivityPhaseResult> {
  const { api, cloudId, storage, signal } = opts;
  const now = opts.now ?? Date.now;
  const refreshAfterMs = opts.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS;
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const maxWaitMs = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;

  const startedAt = now();
  const resumed = opts.checkpoint !== null && opts.checkpoint.orgId === api.orgId && opts.checkpoint.finishedAt === null ? opts.checkpoint : null;
  const ids = [...new Set(opts.accountIds)];
  const fetched = await storage.fetchedAt(ids);
  const due = ids.filter((id) => {
    const at = fetched.get(id);
    return at === undefined || startedAt - at >= refreshAfterMs;
  });

  let checkpoint: ActivityCheckpoint = resumed
    ? { ...resumed, total: resumed.done + due.length }
    : { version: 1, orgId: api.orgId, startedAt, total: due.length, done: 0, notInOrg: 0, pausedUntil: null, searchUnavailable: false, finishedAt: null };
  const report = () => opts.onProgress?.({ done: checkpoint.done, total: checkpoint.total });
  report();

  const paused = (resumeAt: number): ActivityPhaseResult => ({ outcome: 'paused', checkpoint, resumeAt });
  if (checkpoint.pausedUntil !== null) {
    const wait = checkpoint.pausedUntil - now();
    if (wait > maxWaitMs) return paused(checkpoint.pausedUntil);
    if (wait > 0) api.limiter.pauseUntil(checkpoint.pausedUntil);
    checkpoint = { ...checkpoint, pausedUntil: null };
  }

  for (let i = 0; i < due.length; i += batchSize) {
    if (signal?.aborted) return { outcome: 'aborted', checkpoint };
    const batch = due.slice(i, i + batchSize);
    const records: FetchedActivity[] = [];
    try {
      let users = new Map<string, OrgUser>();
      if (!checkpoint.searchUnavailable) {
        try {
          users = new Map((await api.searchUsers(batch)).map((u) => [u.accountId, u]));
        } catch (error) {
          if (!searchRefused(error)) throw error;
          checkpoint = { ...checkpoint, searchUnavailable: true };
        }
      }
      for (const accountId of batch) {
        if (signal?.aborted) break;
        const dates: LastActiveDates | null = await api.lastActiveDates(accountId);
        records.push({ ...toAccountActivity(accountId, dates, users.get(accountId) ?? null, cloudId), fetchedAt: now(), inOrg: dates !== null });
      }
    } catch (error) {
      checkpoint = advance(checkpoint, records);
      if (error instanceof OrgRateLimitedError) {
        checkpoint = { ...checkpoint, pausedUntil: error.retryAt };
        await storage.saveBatch(records, checkpoint);
        report();
        return paused(error.retryAt);
      }
      await storage.saveBatch(records, checkpoint);
      report();
      return { outcome: 'failed', checkpoint, error: error instanceof Error ? error : new AtlassianError(String(error)) };
    }
    checkpoint = advance(checkpoint, records);
    await storage.saveBatch(records, checkpoint);
    report();
    if (signal?.aborted) return { outcome: 'aborted', checkpoint };
  }

  checkpoint = { ...checkpoint, finishedAt: now() };
  await storage.saveBatch([], checkpoint);
  return { outcome: 'done', checkpoint };
}

function advance(checkpoint: ActivityCheckpoint, records: readonly FetchedActivity[]): ActivityCheckpoint {
  return {
    ...checkpoint,
    done: checkpoint.done + records.length,
    notInOrg: checkpoint.notInOrg + records.filter((r) => !r.inOrg).length,
  };
}
