/**
 * The members phase's one writer (issue 12). Every write of the phase — a member page with its
 * checkpoint, a deleted group, the bucket count, a partition batch — goes through it, and it
 * commits whatever has queued up in one transaction, reading and writing the run record once:
 * a page is still committed as soon as the transaction before it ends, with its checkpoint, but
 * a 100,000-account sync makes a few hundred transactions instead of one per page, each of which
 * read and rewrote the whole run record (all its groups).
 *
 * Once the bucket count is fixed it also partitions (./partition.ts) as pages arrive, from
 * memory: pages it committed are kept (at most a batch of them) and, once a batch is complete,
 * split into fragments in the transaction that deletes them; a page that completes a batch is
 * never written as a page at all. Pages stored before the count was fixed (or by an earlier
 * worker) are read back by key and partitioned a batch per transaction. So a membership is no
 * longer written, read back and deleted as a page before it is written as a fragment, and the
 * partition never competes with the requests for the worker's time in large separate steps.
 *
 * Every membership is partitioned exactly once, whenever the worker dies: a batch's fragments,
 * the deletion of its stored pages and the checkpoint (nextBatch, and nextStart for a page never
 * stored) are one transaction.
 */
import type { MemberPage } from '../atlassian/api';
import type { GroupRef } from '../model';
import { prefixRange } from '../store/keys';
import type { FragmentRecord, MemberPageRecord, StoredSyncRun } from '../store/schema';
import { inTransaction } from '../store/tx';
import { putMany, rawStore } from './bulk';
import { addNote, type SyncContext, updateRunInTx } from './context';
import { SyncStateError } from './errors';
import { OperationsTable, packMember } from './member-codec';
import { bucketCount, splitByBucket } from './partition';
import { MAX_PAGE_LIMIT } from '../atlassian/confluence';

/** The words diagnostics and history use for a deleted group. */
export function missingGroupNote(group: GroupRef): string {
  return `Group "${group.name}" no longer exists (GET group/by-id answered 404): its members were not read`;
}

type Entry =
  | { kind: 'page'; group: GroupRef; start: number; record: MemberPageRecord | null; members: number; nextStart: number | null; skipped: number }
  | { kind: 'missing'; group: GroupRef }
  | { kind: 'buckets'; memberships: number };

interface Queued {
  entry: Entry;
  resolve(): void;
  reject(error: unknown): void;
}

type PageKey = [string, string, number];

/**
 * A transaction of pages waits up to this long for more to share it, unless COALESCE_ENTRIES are
 * queued (a deleted group or the bucket count never waits): at 4 requests of 50 ms a page
 * arrives every ~12 ms, and each transaction reads and rewrites the run record (~25 KB with 200
 * groups), so one transaction per page was most of what the phase wrote to IndexedDB. A page is
 * still committed within a few tens of milliseconds of its answer.
 */
export const COALESCE_MS = 30;
export const COALESCE_ENTRIES = 6;

/**
 * Pages handed to the writer and not yet committed, at most: the fetch lanes do not wait for
 * commits, so this is what keeps their pages from piling up in memory when IndexedDB is slow.
 */
export const MAX_UNCOMMITTED_PAGES = 24;

/**
 * Fragments of a batch hold about this many memberships on average: a batch's pages are split
 * into one fragment per bucket, so with many buckets (a large organisation) a batch of
 * pagesPerBatch pages would make many small fragments, and IndexedDB costs about the same per
 * request whatever its size. Batches grow with the bucket count instead (memory: a batch of
 * pages, about 40 at 100,000 accounts).
 */
export const FRAGMENT_MEMBERSHIPS = 100;

/** Pages per partition batch: at least `minimum`, and enough for FRAGMENT_MEMBERSHIPS per fragment. */
export function writerBatchPages(minimum: number, buckets: number, pageSize: number): number {
  return Math.max(minimum, Math.ceil((buckets * FRAGMENT_MEMBERSHIPS) / Math.max(1, pageSize)));
}

const keyOf = (page: MemberPageRecord): PageKey => [page.snapshotId, page.groupId, page.start];

/** A page as the `pages` store keeps it: members packed against the page's own operations table. */
function pageRecord(snapshotId: string, group: GroupRef, start: number, page: MemberPage): MemberPageRecord | null {
  if (page.members.length === 0) return null;
  const operations = new OperationsTable();
  const members = page.members.map((m) => packMember(m, operations));
  return { snapshotId, groupId: group.id, groupName: group.name, start, members, operations: operations.lists };
}

export class MemberWriter {
  private readonly queue: Queued[] = [];
  private running: Promise<void> | null = null;
  /** Set once a write failed: every later one fails with it. */
  private failure: { error: unknown } | null = null;
  /** The snapshot's bucket count once fixed (0 before: nothing can be partitioned). */
  private buckets: number;
  private nextBatch: number;
  /** Pages committed (stored) since the partition started here, not yet partitioned, in order. */
  private cache: MemberPageRecord[] = [];
  /** Keys of stored pages this writer did not commit, still to partition; null until read. */
  private backlog: PageKey[] | null = null;
  /** Ends the wait for more writes (COALESCE_ENTRIES queued). */
  private wake: (() => void) | null = null;
  /** The phase has asked for everything: no write waits for others. */
  private finishing = false;
  /** Page entries queued or being committed. */
  private uncommitted = 0;
  /** Lanes waiting for room (see room()). */
  private readonly roomWaiters: (() => void)[] = [];

  constructor(
    private readonly ctx: SyncContext,
    run: StoredSyncRun,
    /** Pages per partition batch, at least (see writerBatchPages). */
    private readonly minBatchPages: number,
    /** Memberships per bucket, for the bucket count. */
    private readonly perBucket: number,
  ) {
    this.buckets = run.checkpoint?.buckets ?? 0;
    this.nextBatch = run.checkpoint?.nextBatch ?? 0;
    // A resumed run whose bucket count is fixed: partition what the earlier worker stored.
    if (this.buckets > 0) this.running = this.drain();
  }

  /** Pages per partition batch for the current bucket count. */
  private get batchPages(): number {
    return writerBatchPages(this.minBatchPages, this.buckets, MAX_PAGE_LIMIT);
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Commits `page` of `group` at `start` with its checkpoint; resolves once committed. */
  page(group: GroupRef, start: number, page: MemberPage): Promise<void> {
    const record = pageRecord(this.ctx.snapshotId, group, start, page);
    return this.add({ kind: 'page', group, start, record, members: page.members.length, nextStart: page.nextStart, skipped: page.skipped });
  }

  /** Throws the error a write failed with, if one did. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Resolves once fewer than MAX_UNCOMMITTED_PAGES pages wait to be committed (or a write failed). */
  room(): Promise<void> {
    if (this.uncommitted < MAX_UNCOMMITTED_PAGES || this.failure) return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /** Ends a deleted group's paging: done, its pages so far kept, and the run says it is gone. */
  missing(group: GroupRef): Promise<void> {
    return this.add({ kind: 'missing', group });
  }

  /** Fixes the bucket count for `memberships` (unless already fixed); partitioning starts after it. */
  fixBuckets(memberships: number): Promise<void> {
    return this.add({ kind: 'buckets', memberships });
  }

  /**
   * Waits for every queued write, then partitions every page still stored (when the bucket
   * count is known); resolves once nothing is writing any more. Rejects if a write failed.
   */
  async finish(): Promise<void> {
    this.finishing = true; // nothing more is coming: do not wait for it
    this.wake?.();
    await this.settled();
    if (this.failure) throw this.failure.error;
    if (this.buckets === 0) return;
    while (this.cache.length > 0 || this.backlog === null || this.backlog.length > 0) {
      await this.commit([], true);
    }
  }

  /** Resolves once no write is running or queued (whether they succeeded or not). */
  async settled(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private add(entry: Entry): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (entry.kind === 'page') this.uncommitted++;
      if (this.queue.length >= COALESCE_ENTRIES || entry.kind !== 'page') this.wake?.();
      this.running ??= this.drain();
    });
  }

  /** Commits what has queued, one transaction at a time, until the queue is empty. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.backlogLeft()) {
        const waitForMore = !this.finishing && !this.backlogLeft() && this.queue.length < COALESCE_ENTRIES &&
          !this.queue.some((q) => q.entry.kind !== 'page');
        if (waitForMore) await this.moreWrites();
        const batch = this.queue.splice(0);
        try {
          await this.commit(batch.map((q) => q.entry), false);
        } catch (error) {
          this.failure ??= { error };
          for (const q of batch) q.reject(error);
          for (const q of this.queue.splice(0)) q.reject(error);
          this.makeRoom(Infinity);
          return;
        }
        for (const q of batch) q.resolve();
        this.makeRoom(batch.filter((q) => q.entry.kind === 'page').length);
      }
    } finally {
      this.running = null;
    }
  }

  /** `committed` page entries are done: lets waiting lanes go while there is room. */
  private makeRoom(committed: number): void {
    this.uncommitted = Math.max(0, this.uncommitted - committed);
    while (this.roomWaiters.length > 0 && (this.uncommitted < MAX_UNCOMMITTED_PAGES || this.failure)) this.roomWaiters.shift()?.();
  }

  /** Stored pages this writer did not commit are still to partition (or to be listed). */
  private backlogLeft(): boolean {
    return this.buckets > 0 && (this.backlog === null || this.backlog.length > 0);
  }

  /** Resolves after COALESCE_MS, or once COALESCE_ENTRIES are queued. */
  private moreWrites(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, COALESCE_MS);
      this.wake = done;
    });
  }

  /** Reads the backlog's next pages by key (a page missing is one partitioned meanwhile: none is). */
  private async readBacklog(): Promise<MemberPageRecord[]> {
    if (this.backlog === null) {
      this.backlog = (await this.ctx.store.db.getAllKeys('pages', prefixRange(this.ctx.snapshotId))) as PageKey[];
    }
    const keys = this.backlog.splice(0, this.batchPages);
    if (keys.length === 0) return [];
    const tx = this.ctx.store.db.transaction('pages');
    const pages = await Promise.all(keys.map((key) => tx.store.get(key)));
    await tx.done;
    return pages.filter((p): p is MemberPageRecord => p !== undefined);
  }

  /**
   * One transaction: the entries' pages and checkpoints, and the partition batches that are
   * complete (all that is left with `final`).
   */
  private async commit(entries: Entry[], final: boolean): Promise<void> {
    const buckets = this.buckets;
    const partitioning = buckets > 0;
    const fromBacklog = partitioning ? await this.readBacklog() : [];
    const arriving = entries.flatMap((e) => (e.kind === 'page' && e.record ? [e.record] : []));

    // Batches: a backlog batch on its own, then the cache and the arriving pages, in order.
    const batches: MemberPageRecord[][] = fromBacklog.length > 0 ? [fromBacklog] : [];
    let pending = partitioning ? [...this.cache, ...arriving] : arriving;
    const cached = new Set(this.cache);
    while (partitioning && pending.length > 0 && (pending.length >= this.batchPages || final)) {
      batches.push(pending.slice(0, this.batchPages));
      pending = pending.slice(this.batchPages);
    }
    const batched = new Set(batches.flat());
    const toStore = arriving.filter((p) => !batched.has(p));
    const toDelete = [...fromBacklog.map(keyOf), ...[...cached].filter((p) => batched.has(p)).map(keyOf)];
    if (entries.length === 0 && batches.length === 0) return;
    const firstBatch = this.nextBatch;
    const fragments: FragmentRecord[] = batches.flatMap((pages, i) =>
      [...splitByBucket(pages, buckets)].map(([bucket, part]) => ({
        snapshotId: this.ctx.snapshotId, bucket, batch: firstBatch + i, members: part.members, operations: part.operations.lists,
      })),
    );

    const tx = this.ctx.store.db.transaction(['pages', 'fragments', 'syncRuns'], 'readwrite');
    const run = await inTransaction(tx, async () => {
      putMany(rawStore(tx.objectStore('pages')), toStore);
      putMany(rawStore(tx.objectStore('fragments')), fragments);
      const stored = rawStore(tx.objectStore('pages'));
      for (const key of toDelete) stored.delete(key);
      return updateRunInTx(this.ctx, tx, (r, checkpoint) => {
        if (checkpoint.phase !== 'members') throw new SyncStateError(`Member pages written in phase ${checkpoint.phase}`);
        for (const entry of entries) this.apply(entry, r, checkpoint);
        if (batches.length > 0) {
          if (checkpoint.nextBatch !== firstBatch || checkpoint.buckets !== buckets) {
            throw new SyncStateError(`Checkpoint moved during the partition; batch ${firstBatch} not applied`);
          }
          checkpoint.nextBatch = firstBatch + batches.length;
        }
      });
    });

    this.nextBatch = firstBatch + batches.length;
    if (partitioning) this.cache = pending;
    if (!partitioning && run.checkpoint && run.checkpoint.buckets > 0) {
      // The bucket count was fixed by this transaction: what is stored by now is the backlog.
      this.buckets = run.checkpoint.buckets;
      this.nextBatch = run.checkpoint.nextBatch;
      this.backlog = null;
    }
    this.ctx.report(run);
  }

  private apply(entry: Entry, r: StoredSyncRun, checkpoint: NonNullable<StoredSyncRun['checkpoint']>): void {
    switch (entry.kind) {
      case 'page': {
        const { group, start, members, nextStart, skipped } = entry;
        if (checkpoint.nextStart[group.id] !== start) {
          throw new SyncStateError(`Checkpoint of group "${group.name}" moved; page at ${start} not applied`);
        }
        const g = r.groups.find((x) => x.id === group.id);
        if (g) {
          g.members += members;
          g.done = nextStart === null;
        }
        if (nextStart === null) delete checkpoint.nextStart[group.id];
        else checkpoint.nextStart[group.id] = nextStart;
        // `run.accounts` counts memberships until the accounts phase: distinct accounts are known
        // only once every page is in.
        r.accounts += members;
        if (skipped > 0) r.skippedMembers = (r.skippedMembers ?? 0) + skipped;
        return;
      }
      case 'missing': {
        const g = r.groups.find((x) => x.id === entry.group.id);
        if (g) g.done = true;
        delete checkpoint.nextStart[entry.group.id];
        const missing = (r.missingGroupIds ??= []);
        if (!missing.includes(entry.group.id)) missing.push(entry.group.id);
        addNote(r, missingGroupNote(entry.group), { caveat: true });
        return;
      }
      case 'buckets':
        if (checkpoint.buckets === 0) checkpoint.buckets = bucketCount(entry.memberships, this.perBucket);
        return;
    }
  }
}
