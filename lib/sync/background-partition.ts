/**
 * The members phase with the partition running beside it (./member-writer.ts): once the bucket
 * count is fixed, pages are split into fragments as they arrive, so that when the last page
 * arrives nothing is left to split, and the accounts phase starts at once.
 *
 * The bucket count is fixed once every group's size is known: from the `totalSize` of each
 * group's first page (§3.2; the groups' first pages are asked first, ./members.ts), or the members
 * counted for groups already done. Without sizes (an API that does not report them) nothing is
 * split here, and the partition phase does all the work. The bucket count only sizes the
 * buckets, so a group that changed since it reported its size changes nothing else.
 */
import type { StoredSyncRun } from '../store/schema';
import type { SyncContext } from './context';
import { fetchMembers } from './members';
import { MemberWriter } from './member-writer';
import { pagesPerBatch, startPartition } from './partition';

/**
 * The members phase with the partition running beside it; ends with the run in its partition
 * phase (with nothing left to split when the groups reported their sizes).
 */
export async function fetchMembersPartitioning(ctx: SyncContext, run: StoredSyncRun, perBucket: number): Promise<StoredSyncRun> {
  const writer = new MemberWriter(ctx, run, pagesPerBatch(perBucket), perBucket);
  const checkpoint = run.checkpoint;

  // Sizes of the groups: members counted for those already done, `totalSize` for the others.
  const sizes = new Map<string, number>(run.groups.filter((g) => g.done).map((g) => [g.id, g.members]));
  let fixing: Promise<void> = Promise.resolve();
  const onTotalSize = (groupId: string, totalSize: number) => {
    if (sizes.has(groupId)) return;
    sizes.set(groupId, totalSize);
    if (sizes.size < run.groups.length || (checkpoint?.buckets ?? 0) > 0) return;
    const memberships = [...sizes.values()].reduce((sum, n) => sum + n, 0);
    fixing = writer.fixBuckets(memberships);
    fixing.catch(() => undefined); // a failure here fails the writer, and so the phase
  };

  try {
    await fetchMembers(ctx, run, writer, { onTotalSize });
    await fixing;
    await writer.finish();
  } finally {
    // Nothing may still be writing when the phase ends or the caller cleans up.
    await writer.settled();
  }
  return startPartition(ctx, perBucket);
}
