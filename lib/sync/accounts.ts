/**
 * Phase 3: the accounts, one bucket at a time. For each bucket: read its fragments, merge each
 * account's memberships, ask users-bulk (and Jira, when wanted) about its accounts, classify them,
 * and store the bucket's chunk with the checkpoint in one transaction — a resumed run starts at
 * the first uncommitted bucket and never asks about a committed one again. The next bucket is
 * read and looked up while the current one is classified and written, so the phase waits on the
 * network, not on IndexedDB; at most BUCKET_LOOKAHEAD buckets (plus the one committing) are in
 * memory, whatever the organisation's size.
 */
import { createLimiter } from '../atlassian/limiter';
import type { GroupRef } from '../model';
import { accountChunk, toAccountRecord } from '../store/account-chunks';
import type { AccountChunk, FragmentRecord, PackedMember, StoredSyncRun } from '../store/schema';
import { allRequests, inTransaction } from '../store/tx';
import { classifyAccount, needsJiraEmail } from './classify';
import { CommitChain } from './commit-chain';
import { addNote, type SyncContext, updateRunInTx } from './context';
import { JiraLookups, StatusLookups } from './enrich';
import { SyncStateError, throwIfAborted } from './errors';
import { MemberUnpacker, mergePacked, OperationsTable, packedAccountId, repack } from './member-codec';

/**
 * Buckets prepared at once: the one being finished and the next ones, whose calls fill the
 * request slots while it waits on its last answers (4 measured best in scripts/bench-sync.ts).
 */
export const BUCKET_LOOKAHEAD = 4;

interface MergedAccount {
  member: PackedMember;
  groups: GroupRef[];
}

interface PreparedBucket {
  chunk: AccountChunk;
  /** Set when Jira refused during (or before) this bucket's lookups. */
  refusal: string | null;
  /** Set when users-bulk refused during (or before) this bucket's lookups. */
  statusRefusal: string | null;
}

/**
 * One entry per account of the fragments, with every monitored group it was seen in (once each),
 * its member fields merged across groups (mergePacked) in fragment order. Members are re-pointed
 * into `operations`, one table for the whole bucket.
 */
export function mergeMemberships(fragments: readonly FragmentRecord[], operations: OperationsTable): Map<string, MergedAccount> {
  const accounts = new Map<string, MergedAccount>();
  for (const fragment of fragments) {
    for (const [packed, group] of fragment.members) {
      const member = repack(packed, fragment.operations, operations);
      const id = packedAccountId(member);
      const seen = accounts.get(id);
      if (!seen) {
        accounts.set(id, { member, groups: [group] });
        continue;
      }
      seen.member = mergePacked(seen.member, member);
      if (!seen.groups.some((g) => g.id === group.id)) seen.groups.push(group);
    }
  }
  return accounts;
}

/** Keys `[snapshotId, bucket, *]`: `[s, b]` sorts before `[s, b, n]`, and `[s, b, []]` after it. */
function fragmentsOf(snapshotId: string, bucket: number): IDBKeyRange {
  return IDBKeyRange.bound([snapshotId, bucket], [snapshotId, bucket, []]);
}

export async function storeAccounts(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  const start = run.checkpoint;
  if (start?.phase !== 'accounts') throw new SyncStateError('The run is not in its accounts phase');
  const limiter = createLimiter(ctx.concurrency);
  const jira = new JiraLookups(ctx, limiter, start.useJira && !start.jiraDisabled);
  const statuses = new StatusLookups(ctx, limiter, start.usersBulkDisabled !== true);
  let latest = run;
  const commits = new CommitChain(ctx, (updated) => {
    latest = updated;
  });
  await commits.guard(async () => {
    const ahead: Promise<PreparedBucket>[] = [];
    let next = start.nextBucket;
    const refill = () => {
      while (ahead.length < BUCKET_LOOKAHEAD && next < start.buckets) {
        const prepared = prepareBucket(ctx, next++, start.buckets, statuses, jira);
        prepared.catch(() => undefined); // awaited in order below, or settled in `finally`
        ahead.push(prepared);
      }
    };
    try {
      refill();
      for (let head = ahead.shift(); head; head = ahead.shift()) {
        const prepared = await head;
        refill();
        await commits.add(() => commitBucket(ctx, prepared));
      }
    } finally {
      // Nothing may still be calling Atlassian for this run when the caller cleans up.
      await Promise.allSettled(ahead);
    }
  });
  await commits.drained();
  return latest;
}

async function prepareBucket(
  ctx: SyncContext,
  bucket: number,
  buckets: number,
  statusLookups: StatusLookups,
  jira: JiraLookups,
): Promise<PreparedBucket> {
  throwIfAborted(ctx.signal);
  const operations = new OperationsTable();
  const merged = mergeMemberships(await ctx.store.db.getAll('fragments', fragmentsOf(ctx.snapshotId, bucket)), operations);
  const unpacker = new MemberUnpacker();
  const accounts = [...merged].map(([id, a]) => ({ id, member: unpacker.unpack(a.member, operations.lists), groups: a.groups }));
  merged.clear();
  const statuses = await statusLookups.lookUp(accounts.map((a) => a.id));
  const hidden = accounts.filter((a) => needsJiraEmail(a.member, statuses.get(a.id))).map((a) => a.id);
  const emails = await jira.lookUp(hidden);
  throwIfAborted(ctx.signal);
  const records = accounts.map((a) => toAccountRecord(
    ctx.snapshotId,
    classifyAccount(ctx.site, a.member, a.groups, statuses.get(a.id) ?? null, emails.get(a.id)),
  ));
  return { chunk: accountChunk(ctx.snapshotId, bucket, buckets, records), refusal: jira.refusal, statusRefusal: statusLookups.refusal };
}

/** Stores the bucket's chunk, drops its fragments and moves the checkpoint, in one transaction. */
function commitBucket(ctx: SyncContext, { chunk, refusal, statusRefusal }: PreparedBucket): Promise<StoredSyncRun> {
  const tx = ctx.store.db.transaction(['accounts', 'fragments', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    const writes = allRequests([
      tx.objectStore('accounts').put(chunk),
      tx.objectStore('fragments').delete(fragmentsOf(ctx.snapshotId, chunk.bucket)),
    ]);
    const run = await updateRunInTx(ctx, tx, (r, checkpoint) => {
      if (checkpoint.phase !== 'accounts' || checkpoint.nextBucket !== chunk.bucket) {
        throw new SyncStateError(`Checkpoint moved during the accounts phase; bucket ${chunk.bucket} not applied`);
      }
      checkpoint.nextBucket = chunk.bucket + 1;
      checkpoint.accounts += chunk.accounts.length;
      if (refusal !== null) {
        checkpoint.jiraDisabled = true;
        addNote(r, refusal, { caveat: true });
      }
      if (statusRefusal !== null) {
        checkpoint.usersBulkDisabled = true;
        addNote(r, statusRefusal, { caveat: true });
      }
    });
    await writes;
    return run;
  });
}
