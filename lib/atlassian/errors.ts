/**
 * Errors the Atlassian client raises. The sync engine and the background decide what to do by
 * class, never by parsing messages. Every message is safe to show and to log: no token or secret.
 */

export class AtlassianError extends Error {
  constructor(
    message: string,
    /** HTTP status, when there was a response. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * `401 {"message":"Unauthorized; scope does not match"}` — a configuration error, not an expired
 * token (../shared/atlassian-api.md §2). `scope` names the scope(s) the endpoint needs: the OAuth
 * app's classic scope, or for a scoped API token (`credential: 'scoped-token'`) its granular ones.
 */
export class ScopeError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    readonly scope: string,
    readonly credential: 'oauth' | 'scoped-token' = 'oauth',
  ) {
    super(
      credential === 'oauth'
        ? `The connection lacks the OAuth scope "${scope}" needed for ${endpoint}. Add it to the Atlassian app's permissions and connect again.`
        : `The scoped API token lacks the scope "${scope}" needed for ${endpoint}. Create a token with the scopes listed on the options page and connect again.`,
      401,
    );
  }
}

/**
 * The grant is gone: refresh answered `403 invalid_grant`, or the access token was rejected even
 * after a refresh, or the API token was refused. The connection becomes "Disconnected".
 */
export class AuthRevokedError extends AtlassianError {
  constructor(message = 'Atlassian no longer accepts this connection\'s credentials (revoked or expired). Connect again.') {
    super(message, 403);
  }
}

/**
 * A 401 from an endpoint the caller treats as optional (Jira): reported as it is, without a token
 * refresh and without meaning "reconnect" — a Jira that refuses must never cost the Confluence
 * connection (issue 8, item 2).
 */
export class UnauthorizedError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    readonly detail: string,
  ) {
    super(`${endpoint} answered 401: ${detail}`, 401);
  }
}

/** 403 from a product endpoint: the account lacks a permission (e.g. cannot view groups). */
export class PermissionError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    /** Atlassian's message, or our explanation of what permission is missing. */
    readonly detail: string,
  ) {
    super(`Permission denied for ${endpoint}: ${detail}`, 403);
  }
}

/**
 * `403 XSRF check failed`: Atlassian's XSRF protection refused a POST although it carried
 * `X-Atlassian-Token: no-check` (../shared/atlassian-api.md §10, reported for browser user agents).
 */
export class XsrfRefusedError extends PermissionError {
  constructor(endpoint: string) {
    super(endpoint, 'XSRF check failed (Atlassian refused the POST from a browser)');
  }
}

export class NotFoundError extends AtlassianError {
  constructor(readonly endpoint: string, detail = 'not found') {
    super(`${endpoint}: ${detail}`, 404);
  }
}

/** Retries were exhausted on 429/5xx/network errors. */
export class RetryExhaustedError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    readonly attempts: number,
    lastProblem: string,
    status: number | null,
  ) {
    super(`${endpoint} still failing after ${attempts} attempts (${lastProblem}). Try again later.`, status);
  }
}

/**
 * Atlassian's rate limit asks for a longer wait than a request should sit through (a point-based
 * quota window is an hour long, ../shared/atlassian-api.md §5, §10). The sync pauses until
 * `until` instead of failing; nothing was retried early.
 */
export class RateLimitedError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    /** Epoch ms when Atlassian said requests may resume. */
    readonly until: number,
    /** `RateLimit-Reason`, when Atlassian sent one. */
    readonly reason: string | null,
    status: number,
  ) {
    super(`${endpoint} is rate limited by Atlassian until ${new Date(until).toISOString()}${reason ? ` (${reason})` : ''}.`, status);
  }
}

/**
 * The Jira email lookup cannot be used on this connection, for `reason`. Never means "reconnect":
 * Jira is optional, and the sync goes on without it (issue 8, item 2).
 */
export class JiraUnavailableError extends AtlassianError {
  constructor(
    readonly reason: 'unauthorized' | 'scope' | 'forbidden' | 'absent' | 'unreachable' | 'rate-limited',
    readonly detail: string,
    status: number | null,
  ) {
    super(`Jira user lookup unavailable: ${detail}`, status);
  }
}

/** A response did not have the documented shape (zod validation failed). */
export class ResponseShapeError extends AtlassianError {
  constructor(
    readonly endpoint: string,
    detail: string,
  ) {
    super(`Unexpected response from ${endpoint}: ${detail}`);
  }
}

/** Any other non-2xx answer, with the status and Atlassian's message when there is one. */
export class HttpError extends AtlassianError {}

/**
 * The OAuth token endpoint refused a code exchange (or a refresh, for `client_rejected`) for a
 * reason the user can fix: wrong client credentials (§1.3: `401 access_denied`), or a stale or
 * reused authorization code (§1.2: `400 invalid_request`). A revoked grant is `AuthRevokedError`.
 */
export class OAuthExchangeError extends AtlassianError {
  constructor(
    readonly reason: 'client_rejected' | 'code_invalid',
    message: string,
    status: number | null,
  ) {
    super(message, status);
  }
}
