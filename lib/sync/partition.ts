/**
 * Phase 2: regroup the stored member pages (by group) into fragments (by account bucket), so the
 * accounts phase can read every membership of one bucket at once. Pages go a batch at a time;
 * a batch's fragments are written and its pages deleted in one transaction with the checkpoint,
 * so every page is partitioned exactly once, whenever the worker dies. The partition starts
 * during the members phase once the bucket count is known (./member-writer.ts); this phase
 * partitions whatever is left.
 */
import type { FragmentRecord, MemberPageRecord, Membership, StoredSyncRun, SyncPhase } from '../store/schema';
import { bucketOf } from '../store/buckets';
import { prefixRange } from '../store/keys';
import { inTransaction } from '../store/tx';
import { putMany, rawStore } from './bulk';
import { CommitChain } from './commit-chain';
import { type SyncContext, updateRun, updateRunInTx } from './context';
import { SyncStateError, throwIfAborted } from './errors';
import { OperationsTable, packedAccountId, repack } from './member-codec';
import { MEMBERS_PAGE_SIZE } from './members';

/**
 * Memberships per bucket the sync aims at. A bucket is what the accounts phase holds in memory
 * at once (a few of them, pipelined), and a snapshot stores one record per bucket: a few
 * thousand keeps both the memory and the number of IndexedDB requests small.
 */
export const PARTITION_MEMBERSHIPS = 4000;

/** K for `memberships` memberships: at least 1, and about `perBucket` memberships per bucket. */
export function bucketCount(memberships: number, perBucket: number = PARTITION_MEMBERSHIPS): number {
  return Math.max(1, Math.ceil(Math.max(0, memberships) / Math.max(1, Math.floor(perBucket))));
}

/** Pages per partition batch: about `perBucket` memberships. */
export function pagesPerBatch(perBucket: number = PARTITION_MEMBERSHIPS): number {
  return Math.max(1, Math.ceil(perBucket / MEMBERS_PAGE_SIZE));
}

/** One bucket's share of a batch of pages: its memberships and their operations table. */
export interface BucketPart {
  members: Membership[];
  operations: OperationsTable;
}

/**
 * The memberships of `pages` by bucket, in page order. Members without an account id are left
 * out: nothing can be keyed by them.
 */
export function splitByBucket(pages: readonly MemberPageRecord[], buckets: number): Map<number, BucketPart> {
  const parts = new Map<number, BucketPart>();
  for (const page of pages) {
    const group = { id: page.groupId, name: page.groupName };
    for (const member of page.members) {
      const accountId = packedAccountId(member);
      if (accountId === '') continue;
      const bucket = bucketOf(accountId, buckets);
      let part = parts.get(bucket);
      if (!part) parts.set(bucket, (part = { members: [], operations: new OperationsTable() }));
      part.members.push([repack(member, page.operations, part.operations), group]);
    }
  }
  return parts;
}

/**
 * Ends the members phase. Every group is done, so the number of memberships is known: it fixes
 * the bucket count, unless the members phase already did from the groups' sizes.
 */
export function startPartition(ctx: SyncContext, perBucket: number): Promise<StoredSyncRun> {
  return updateRun(ctx, (r, checkpoint) => {
    if (checkpoint.phase !== 'members') throw new SyncStateError(`Cannot partition from phase ${checkpoint.phase}`);
    if (checkpoint.buckets === 0) checkpoint.buckets = bucketCount(r.groups.reduce((sum, g) => sum + g.members, 0), perBucket);
    checkpoint.phase = 'partition';
  });
}

/**
 * Writes the fragments of `pages` as batch `batch` and deletes those pages, with the
 * checkpoint, in one transaction. `phase` is the phase the run must be in.
 */
export function commitBatch(
  ctx: SyncContext,
  phase: SyncPhase,
  batch: number,
  buckets: number,
  pages: readonly MemberPageRecord[],
): Promise<StoredSyncRun> {
  const fragments: FragmentRecord[] = [...splitByBucket(pages, buckets)].map(([bucket, part]) => ({
    snapshotId: ctx.snapshotId, bucket, batch, members: part.members, operations: part.operations.lists,
  }));
  const tx = ctx.store.db.transaction(['pages', 'fragments', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    putMany(rawStore(tx.objectStore('fragments')), fragments);
    // By key, not by range: during the members phase, other pages may sit between these.
    const stored = rawStore(tx.objectStore('pages'));
    for (const page of pages) stored.delete([page.snapshotId, page.groupId, page.start]);
    return updateRunInTx(ctx, tx, (_r, checkpoint) => {
      if (checkpoint.phase !== phase || checkpoint.nextBatch !== batch || checkpoint.buckets !== buckets) {
        throw new SyncStateError(`Checkpoint moved during the partition; batch ${batch} not applied`);
      }
      checkpoint.nextBatch = batch + 1;
    });
  });
}

/** Keys of the snapshot's pages after `after` (all of them when null). */
function pagesAfter(snapshotId: string, after: MemberPageRecord | null): IDBKeyRange {
  if (after === null) return prefixRange(snapshotId);
  return IDBKeyRange.bound([snapshotId, after.groupId, after.start], [snapshotId, []], true, false);
}

/** Partitions every page still stored, then moves on to the accounts phase. */
export async function partitionPages(ctx: SyncContext, run: StoredSyncRun, batchPages: number): Promise<StoredSyncRun> {
  const start = run.checkpoint;
  if (start?.phase !== 'partition') throw new SyncStateError('The run is not in its partition phase');
  let latest = run;
  // The next batch is read and split while the previous one commits. No page is added any
  // more, so reading on after the last page read (in memory) meets each page once.
  const commits = new CommitChain(ctx, (updated) => {
    latest = updated;
  });
  await commits.guard(async () => {
    let after: MemberPageRecord | null = null;
    for (let batch = start.nextBatch; ; batch++) {
      throwIfAborted(ctx.signal);
      const pages: MemberPageRecord[] = await ctx.store.db.getAll('pages', pagesAfter(ctx.snapshotId, after), batchPages);
      after = pages.at(-1) ?? null;
      if (after === null) break;
      const number = batch;
      await commits.add(() => commitBatch(ctx, 'partition', number, start.buckets, pages));
      if (pages.length < batchPages) break;
    }
  });
  await commits.drained();
  return updateRun(ctx, (_r, checkpoint) => {
    if (checkpoint.phase !== 'partition') throw new SyncStateError('Checkpoint moved during the partition');
    checkpoint.phase = 'accounts';
    checkpoint.nextBucket = 0;
    checkpoint.accounts = 0;
  });
}
