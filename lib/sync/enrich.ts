/**
 * What the accounts phase asks about a bucket's accounts: status (v2 users-bulk,
 * atlassian-api.md §3.4) and, optionally, emails from Jira for accounts whose Confluence email is
 * hidden (§3.5, §4). Calls go through one limiter shared by the buckets being prepared, so the
 * next bucket's calls fill the slots the current one leaves free.
 *
 * Neither lookup can fail a sync by being refused (issue 8, items 2 and 4): once Atlassian
 * refuses users-bulk, statuses come from the weaker signals (classify.ts `statusOf`); once Jira
 * refuses or fails in any way, emails stay as Confluence gave them. Either way no further call of
 * that kind starts, in any bucket, and the run records why (a note, and a caveat for the export).
 */
import type { BulkUser, JiraUnavailableReason, JiraUser } from '../atlassian/api';
import { JiraUnavailableError, PermissionError, XsrfRefusedError } from '../atlassian/errors';
import type { Limiter } from '../atlassian/limiter';
import type { SyncContext } from './context';
import { abortable } from './errors';
import { chunk } from '../chunk';
import { JIRA_USERS_PER_REQUEST, USERS_BULK_MAX_IDS } from '../atlassian/confluence';
import { runPool } from './pool';

/** Ids per users-bulk call: as many as one request takes (atlassian-api.md §3.4), so one call = one request. */
export const USERS_BULK_SIZE = USERS_BULK_MAX_IDS;
/** Ids per `jiraUsers` call: as many as the client sends in one request, so one call = one request. */
export const JIRA_CHUNK_SIZE = JIRA_USERS_PER_REQUEST;

export const JIRA_FORBIDDEN_NOTE = 'Jira user lookup not permitted (Browse users and groups) — emails unavailable';
export const JIRA_ABSENT_NOTE = 'Jira user lookup unavailable (no Jira on this site) — emails unavailable';

/** The run's note when Jira is off for `reason`; never says "reconnect": Jira is optional. */
export function jiraNote(reason: JiraUnavailableReason, detail: string): string {
  switch (reason) {
    case 'forbidden':
      return JIRA_FORBIDDEN_NOTE;
    case 'absent':
      return JIRA_ABSENT_NOTE;
    case 'unauthorized':
      return 'Jira user lookup turned off for this sync: Jira did not accept the credentials (HTTP 401) — emails hidden by Confluence stay hidden';
    case 'scope':
      return `Jira user lookup turned off for this sync: ${detail} — emails hidden by Confluence stay hidden`;
    case 'rate-limited':
      return `Jira user lookup turned off for this sync: ${detail} — emails hidden by Confluence stay hidden`;
    case 'unreachable':
      return `Jira user lookup turned off for this sync: ${detail} — emails hidden by Confluence stay hidden`;
  }
}

/** The run's note (and export caveat) when users-bulk was refused. */
export function statusFallbackNote(error: PermissionError): string {
  const why = error instanceof XsrfRefusedError ? 'XSRF check failed' : error.detail;
  return `Account status lookup (users-bulk) refused by Atlassian (${why}): status comes from Confluence operations and display names instead`;
}

/**
 * The users-bulk lookups of one run, shared by the buckets being prepared. A refusal (403, an
 * XSRF refusal, or the 404 users-bulk gives an account that may not view profiles — §3.4) ends
 * them for the run: `refusal` is the note to record.
 */
export class StatusLookups {
  refusal: string | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly limiter: Limiter,
    private readonly enabled: boolean,
  ) {}

  /** users-bulk for every id, USERS_BULK_SIZE per call, all calls queued at once on the limiter. */
  async lookUp(ids: readonly string[]): Promise<Map<string, BulkUser>> {
    const answers = new Map<string, BulkUser>();
    if (!this.enabled || this.refusal !== null) return answers;
    const parts = chunk(ids, USERS_BULK_SIZE);
    // The slot is free once the answer is in: the next request need not wait for this one's parsing.
    await runPool(parts, parts.length, (part) => this.limiter.runReleasable(async (answered) => {
      if (this.refusal !== null) return; // queued before the refusal: not sent
      try {
        for (const user of await abortable(this.ctx.api.usersBulk(part, { onAnswered: answered }), this.ctx.signal)) answers.set(user.accountId, user);
      } catch (error) {
        if (error instanceof PermissionError) this.refusal ??= statusFallbackNote(error);
        else throw error;
      }
    }));
    // Answers received before a refusal are kept: they are the strongest signal there is.
    return answers;
  }
}

/**
 * The Jira email lookups of one run, shared by the buckets being prepared. Jira is optional: once
 * it refuses or fails (any JiraUnavailableError: 401, scope, 403, 404, network, rate limit), no
 * further Jira call starts, in any bucket, and the reason is the note the run records; the sync
 * goes on, and the connection is never touched (no refresh, no disconnect).
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
        if (error instanceof JiraUnavailableError) this.refusal ??= jiraNote(error.reason, error.detail);
        else throw error;
      }
    }));
    return answers;
  }
}
