/**
 * What the accounts phase asks about a bucket's accounts: status (v2 users-bulk,
 * atlassian-api.md §3.4) and, optionally, emails from Jira for accounts whose Confluence email is
 * hidden (§3.5, §4). Calls go through one limiter shared by the buckets being prepared, so the
 * next bucket's calls fill the slots the current one leaves free.
 */
import type { BulkUser, JiraUser } from '../atlassian/api';
import { NotFoundError, PermissionError } from '../atlassian/errors';
import type { Limiter } from '../atlassian/limiter';
import type { SyncContext } from './context';
import { abortable } from './errors';
import { chunk, runPool } from './pool';

/** atlassian-api.md §3.4: users-bulk takes 1–250 account ids. */
export const USERS_BULK_SIZE = 250;
/**
 * Ids per `jiraUsers` call: the client sends 50 per request with an explicit maxResults
 * (lib/atlassian/api.ts; atlassian-api.md §4: Jira's default page is 10), so one call = one request.
 */
export const JIRA_CHUNK_SIZE = 50;

export const JIRA_FORBIDDEN_NOTE = 'Jira user lookup not permitted (Browse users and groups) — emails unavailable';
export const JIRA_ABSENT_NOTE = 'Jira user lookup unavailable (no Jira on this site) — emails unavailable';

/** users-bulk for every id, USERS_BULK_SIZE per call, all calls queued at once on `limiter`. */
export async function lookUpStatuses(ctx: SyncContext, ids: readonly string[], limiter: Limiter): Promise<Map<string, BulkUser>> {
  const answers = new Map<string, BulkUser>();
  const parts = chunk(ids, USERS_BULK_SIZE);
  await runPool(parts, parts.length, async (part) => {
    const users = await limiter.run(() => abortable(ctx.api.usersBulk(part), ctx.signal));
    for (const user of users) answers.set(user.accountId, user);
  });
  return answers;
}

/**
 * The Jira email lookups of one run, shared by the buckets being prepared. Jira is optional: once
 * it refuses (403) or turns out absent (404), no further Jira call starts, in any bucket, and
 * the refusal is the note the run records; the sync goes on.
 */
export class JiraLookups {
  /** The note to record once Jira refused; null while it answers (or was never asked). */
  refusal: string | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly limiter: Limiter,
    private readonly enabled: boolean,
  ) {}

  /** Jira's answers for `ids`, JIRA_CHUNK_SIZE per call, all queued at once on the limiter. */
  async lookUp(ids: readonly string[]): Promise<Map<string, JiraUser>> {
    const answers = new Map<string, JiraUser>();
    if (!this.enabled || this.refusal !== null) return answers;
    const parts = chunk(ids, JIRA_CHUNK_SIZE);
    await runPool(parts, parts.length, (part) => this.limiter.run(async () => {
      if (this.refusal !== null) return; // queued before the refusal: not sent
      try {
        for (const user of await abortable(this.ctx.api.jiraUsers(part), this.ctx.signal)) answers.set(user.accountId, user);
      } catch (error) {
        if (error instanceof PermissionError) this.refusal ??= JIRA_FORBIDDEN_NOTE;
        else if (error instanceof NotFoundError) this.refusal ??= JIRA_ABSENT_NOTE;
        else throw error;
      }
    }));
    return answers;
  }
}
