/**
 * Phases 2 and 3: account status (v2 users-bulk, atlassian-api.md §3.4) and, optionally, emails
 * from Jira for accounts whose Confluence email is hidden (§3.5, §4). Both walk the staging
 * snapshot in key order, a batch at a time, and commit each batch's answers together with the
 * cursor — memory stays bounded and a resumed run continues after the last committed batch.
 */
import type { BulkUser, JiraUser } from '../atlassian/api';
import { NotFoundError, PermissionError } from '../atlassian/errors';
import { prefixRangeAfter } from '../store/keys';
import type { StagedAccount, StoredSyncRun } from '../store/schema';
import { inTransaction } from '../store/tx';
import { needsJiraEmail } from './classify';
import { type SyncContext, updateRun, updateRunInTx } from './context';
import { putMany, rawStore } from './bulk';
import { CommitChain, moveCursor } from './commit-chain';
import { abortable, throwIfAborted } from './errors';
import { chunk, runPool } from './pool';

/** atlassian-api.md §3.4: users-bulk takes 1–250 account ids. */
export const USERS_BULK_SIZE = 250;
/**
 * Ids per `jiraUsers` call: the client sends 50 per request with an explicit maxResults
 * (lib/atlassian/api.ts; atlassian-api.md §4: Jira's default page is 10), so one call = one request.
 */
export const JIRA_CHUNK_SIZE = 50;
/** Staged records read per Jira batch (only some of them need a lookup). */
const EMAIL_SCAN_BATCH = 500;

export const JIRA_FORBIDDEN_NOTE = 'Jira user lookup not permitted (Browse users and groups) — emails unavailable';
export const JIRA_ABSENT_NOTE = 'Jira user lookup unavailable (no Jira on this site) — emails unavailable';

export async function fetchStatuses(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  let latest = run;
  const batchSize = USERS_BULK_SIZE * ctx.concurrency;
  // The next batch is read and looked up while the previous one commits; commits stay in key
  // order, each moving the cursor from where the previous one left it.
  const commits = new CommitChain(ctx, (updated) => {
    latest = updated;
  });
  await commits.guard(async () => {
    let cursor = latest.checkpoint?.cursor ?? null;
    for (;;) {
      throwIfAborted(ctx.signal);
      const batch = await ctx.store.db.getAll('staging', prefixRangeAfter(ctx.snapshotId, cursor), batchSize);
      if (batch.length === 0) break;
      const answers = new Map<string, BulkUser>();
      await runPool(chunk(batch.map((r) => r.accountId), USERS_BULK_SIZE), ctx.concurrency, async (part) => {
        for (const user of await abortable(ctx.api.usersBulk(part), ctx.signal)) answers.set(user.accountId, user);
      });
      throwIfAborted(ctx.signal);
      const changed = batch.map((record) => ({ ...record, bulk: answers.get(record.accountId) ?? null }));
      const from = cursor;
      cursor = batch.at(-1)?.accountId ?? cursor;
      await commits.add(() => commitRecords(ctx, from, changed, cursor));
      if (batch.length < batchSize) break;
    }
  });
  await commits.drained();
  return updateRun(ctx, (_r, checkpoint) => {
    checkpoint.phase = checkpoint.useJira && !checkpoint.jiraDisabled ? 'email' : 'finishing';
    checkpoint.cursor = null;
  });
}

export async function fetchJiraEmails(ctx: SyncContext, run: StoredSyncRun): Promise<StoredSyncRun> {
  let latest = run;
  let refusal: string | null = null;
  const commits = new CommitChain(ctx, (updated) => {
    latest = updated;
  });
  await commits.guard(async () => {
    let cursor = latest.checkpoint?.cursor ?? null;
    while (refusal === null) {
      throwIfAborted(ctx.signal);
      const batch = await ctx.store.db.getAll('staging', prefixRangeAfter(ctx.snapshotId, cursor), EMAIL_SCAN_BATCH);
      if (batch.length === 0) break;
      const wanted = batch.filter((r) => r.jira === undefined && needsJiraEmail(r.member, r.bulk)).map((r) => r.accountId);
      const answers = new Map<string, JiraUser>();
      const asked = new Set<string>();
      await runPool(chunk(wanted, JIRA_CHUNK_SIZE), ctx.concurrency, async (part) => {
        try {
          for (const user of await abortable(ctx.api.jiraUsers(part), ctx.signal)) answers.set(user.accountId, user);
          for (const id of part) asked.add(id);
        } catch (error) {
          // Jira is optional: a refusal or a site without Jira ends the lookups, not the sync.
          if (error instanceof PermissionError) refusal ??= JIRA_FORBIDDEN_NOTE;
          else if (error instanceof NotFoundError) refusal ??= JIRA_ABSENT_NOTE;
          else throw error;
        }
      }, () => refusal !== null);
      throwIfAborted(ctx.signal);
      const changed = batch.filter((r) => asked.has(r.accountId)).map((r) => ({ ...r, jira: answers.get(r.accountId) ?? null }));
      const from = cursor;
      // After a refusal the cursor stays: the batch was not fully looked up.
      if (refusal === null) cursor = batch.at(-1)?.accountId ?? cursor;
      await commits.add(() => commitRecords(ctx, from, changed, cursor));
      if (batch.length < EMAIL_SCAN_BATCH) break;
    }
  });
  await commits.drained();
  return updateRun(ctx, (r, checkpoint) => {
    if (refusal !== null) {
      checkpoint.jiraDisabled = true;
      if (!r.notes.includes(refusal)) r.notes.push(refusal);
    }
    checkpoint.phase = 'finishing';
    checkpoint.cursor = null;
  });
}

/** Puts `records` and moves the cursor from `from` to `cursorTo`, in one transaction. */
function commitRecords(ctx: SyncContext, from: string | null, records: StagedAccount[], cursorTo: string | null): Promise<StoredSyncRun> {
  const tx = ctx.store.db.transaction(['staging', 'syncRuns'], 'readwrite');
  return inTransaction(tx, async () => {
    putMany(rawStore(tx.objectStore('staging')), records);
    return updateRunInTx(ctx, tx, (_r, checkpoint) => {
      moveCursor(checkpoint, from, cursorTo);
    });
  });
}
