/**
 * Phase 4: classify every staged account into the snapshot, then switch the site to it in one
 * transaction — the only moment the review's data changes.
 */
import { prefixRange, prefixRangeAfter } from '../store/keys';
import type { AccountRecord, StoredSyncRun } from '../store/schema';
import { inTransaction } from '../store/tx';
import { putMany, rawStore } from './bulk';
import { CommitChain, moveCursor } from './commit-chain';
import { classifyAccount, needsJiraEmail } from './classify';
import { type SyncContext, updateRunInTx } from './context';
import { SyncStateError, throwIfAborted } from './errors';

const CLASSIFY_BATCH = 500;

export async function classifyStaged(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  let latest = run;
  // The next batch is read and classified while the previous one commits.
  const commits = new CommitChain(ctx, (updated) => {
    latest = updated;
  });
  await commits.guard(async () => {
    let cursor = latest.checkpoint?.cursor ?? null;
    const jiraDisabled = latest.checkpoint?.jiraDisabled ?? false;
    for (;;) {
      throwIfAborted(ctx.signal);
      const batch = await ctx.store.db.getAll('staging', prefixRangeAfter(ctx.snapshotId, cursor), CLASSIFY_BATCH);
      const last = batch.at(-1);
      if (!last) break;
      const records: AccountRecord[] = batch.map((staged) => {
        const jira = staged.jira ?? (jiraDisabled && needsJiraEmail(staged.member, staged.bulk) ? 'forbidden' : undefined);
        const account = classifyAccount(ctx.site, staged.member, staged.groups, staged.bulk, jira);
        return { ...account, snapshotId: ctx.snapshotId, emailLower: account.email?.toLowerCase() ?? null };
      });
      const from = cursor;
      cursor = last.accountId;
      await commits.add(() => commitAccounts(ctx, from, records, last.accountId));
      if (batch.length < CLASSIFY_BATCH) break;
    }
  });
  await commits.drained();
  return latest;
}

function commitAccounts(ctx: SyncContext, from: string | null, records: AccountRecord[], cursorTo: string): Promise<StoredSyncRun> {
  const tx = ctx.store.db.transaction(['accounts', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    putMany(rawStore(tx.objectStore('accounts')), records);
    return updateRunInTx(ctx, tx, (_r, checkpoint) => {
      moveCursor(checkpoint, from, cursorTo);
    });
  });
}

/**
 * Makes the snapshot the site's active one, sets `lastSyncedAt`, and ends the run as succeeded,
 * all in one transaction. Returns the run and the snapshot it replaced (to delete afterwards).
 */
export async function switchSnapshot(ctx: SyncContext): Promise<{ run: StoredSyncRun; previous: string | null }> {
  throwIfAborted(ctx.signal);
  const tx = ctx.store.db.transaction(['connections', 'accounts', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    const connections = tx.objectStore('connections');
    const connection = await connections.get(ctx.site);
    if (!connection) throw new SyncStateError('The site was disconnected during the sync');
    const accounts = await tx.objectStore('accounts').count(prefixRange(ctx.snapshotId));
    const at = ctx.now().toISOString();
    const previous = connection.activeSnapshotId;
    const run = await updateRunInTx(ctx, tx, (r) => {
      r.status = 'succeeded';
      r.endedAt = at;
      r.accounts = accounts;
      r.checkpoint = null;
    });
    await connections.put({ ...connection, activeSnapshotId: ctx.snapshotId, lastSyncedAt: at });
    return { run, previous: previous === ctx.snapshotId ? null : previous };
  });
}
