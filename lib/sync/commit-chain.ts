/**
 * Pipelined commits for the sync's walks: a phase reads and looks up its next batch while the
 * previous batch commits. Commits stay one at a time and in order (each moves the checkpoint
 * from where the previous one left it), and none is still running when the phase returns or
 * fails — a failed run's snapshot is deleted only after its last write settled.
 */
import type { StoredSyncRun } from '../store/schema';
import type { SyncContext } from './context';
import { throwIfAborted } from './errors';

export class CommitChain {
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: SyncContext,
    private readonly onCommitted: (run: StoredSyncRun) => void,
  ) {}

  /** Waits for the previous commit (rethrowing its failure), then starts `commit` without waiting. */
  async add(commit: () => Promise<StoredSyncRun>): Promise<void> {
    await this.pending;
    throwIfAborted(this.ctx.signal);
    this.pending = commit().then((run) => {
      this.onCommitted(run);
      this.ctx.report(run);
    });
    this.pending.catch(() => undefined); // awaited by the next add, by drained or by guard
  }

  /** Runs the walk; on failure waits for the commit in flight to settle before rethrowing. */
  async guard(walk: () => Promise<void>): Promise<void> {
    try {
      await walk();
    } catch (error) {
      await this.pending.catch(() => undefined);
      throw error;
    }
  }

  /** Waits for the last commit. */
  async drained(): Promise<void> {
    await this.pending;
  }
}
