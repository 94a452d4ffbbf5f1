/**
 * The partition (./partition.ts) run during the members phase, so that when the last page
 * arrives only a few pages are left to split: the partition is IndexedDB work, and the members
 * phase leaves IndexedDB mostly idle while it waits on the network.
 *
 * It needs the bucket count, fixed once every group's size is known: from the `totalSize` of
 * each group's first page (§3.2; the groups' first pages are asked first, ./members.ts), or the
 * members counted for groups already done. Without sizes (an API that does not report them)
 * nothing happens here, and the partition phase does all the work. The bucket count only sizes
 * the buckets, so a group that changed since it reported its size changes nothing else.
 */
import type { StoredSyncRun } from '../store/schema';
import { prefixRange } from '../store/keys';
import type { SyncContext } from './context';
import { fetchMembers } from './members';
import { commitBatch, fixBuckets, pagesPerBatch, startPartition } from './partition';

/** Splits stored pages a batch at a time while the members phase goes on. */
class BackgroundPartition {
  private buckets = 0;
  private batch = 0;
  /**
   * Pages stored and not yet partitioned, as far as this knows: at least a batch after a full
   * batch, exact after a read that found less than a batch (and counted on by `pageStored`).
   */
  private unpartitioned = 0;
  private wake: (() => void) | null = null;
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();
  failure: { error: unknown } | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly batchPages: number,
  ) {}

  /** Starts splitting with the run's bucket count and next batch number. */
  start(run: StoredSyncRun): void {
    const checkpoint = run.checkpoint;
    if (!checkpoint || checkpoint.buckets === 0 || this.buckets !== 0 || this.stopping) return;
    this.buckets = checkpoint.buckets;
    this.batch = checkpoint.nextBatch;
    this.unpartitioned = this.batchPages; // read first: pages may be stored already
    this.loop = this.run().catch((error: unknown) => {
      this.failure = { error };
    });
  }

  pageStored(): void {
    this.unpartitioned++;
    if (this.unpartitioned >= this.batchPages) this.wake?.();
  }

  /** Stops after the batch in flight; resolves once nothing is writing any more. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.unpartitioned < this.batchPages) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      const pages = await this.ctx.store.db.getAll('pages', prefixRange(this.ctx.snapshotId), this.batchPages);
      if (pages.length < this.batchPages) {
        // Fewer than counted (the count started high): wait for more, or leave them to the
        // partition phase.
        this.unpartitioned = pages.length;
        continue;
      }
      if (this.stopping) return;
      const run = await commitBatch(this.ctx, 'members', this.batch, this.buckets, pages);
      this.batch++;
      // A full batch: more may be stored already (pages stored before the start were never
      // counted), so read again at once.
      this.unpartitioned = Math.max(this.unpartitioned - pages.length, this.batchPages);
      this.ctx.report(run);
    }
  }
}

/**
 * The members phase with the partition running beside it; ends with the run in its partition
 * phase (the rest of the pages still to split).
 */
export async function fetchMembersPartitioning(ctx: SyncContext, run: StoredSyncRun, perBucket: number): Promise<StoredSyncRun> {
  const background = new BackgroundPartition(ctx, pagesPerBatch(perBucket));
  const checkpoint = run.checkpoint;
  if (checkpoint && checkpoint.buckets > 0) background.start(run);

  // Sizes of the groups: members counted for those already done, `totalSize` for the others.
  const sizes = new Map<string, number>(run.groups.filter((g) => g.done).map((g) => [g.id, g.members]));
  let fixing: Promise<void> = Promise.resolve();
  const onTotalSize = (groupId: string, totalSize: number) => {
    if (sizes.has(groupId)) return;
    sizes.set(groupId, totalSize);
    if (sizes.size < run.groups.length || (checkpoint?.buckets ?? 0) > 0) return;
    const memberships = [...sizes.values()].reduce((sum, n) => sum + n, 0);
    fixing = fixBuckets(ctx, memberships, perBucket).then((fixed) => background.start(fixed));
    fixing.catch(() => undefined); // a failure here fails the members phase's next commit too
  };

  try {
    await fetchMembers(ctx, run, {
      onTotalSize,
      onPageStored: () => background.pageStored(),
      stop: () => background.failure !== null,
    });
  } finally {
    // Nothing may still be writing when the phase ends or the caller cleans up.
    await fixing.catch(() => undefined);
    await background.stop();
  }
  if (background.failure) throw background.failure.error;
  return startPartition(ctx, perBucket);
}
