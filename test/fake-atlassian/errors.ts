/**
 * Error bodies in the shapes Atlassian uses (atlassian-api.md §6). Each product answers in its
 * own envelope, the API gateway and the OAuth server in theirs.
 */

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** §6 gateway errors: `{"code":401,"message":"Unauthorized"}`. */
export function gatewayError(status: number, message: string): Reply {
  return { status, body: { code: status, message } };
}

export const UNAUTHORIZED = (): Reply => gatewayError(401, 'Unauthorized');
/** §2: a missing scope is a 401 (not 403) with this exact message. */
export const SCOPE_MISMATCH = (): Reply => gatewayError(401, 'Unauthorized; scope does not match');

/** §6: the Confluence v1 error envelope. */
export function confluenceError(status: number, message: string): Reply {
  return {
    status,
    body: {
      statusCode: status,
      data: { authorized: status !== 401 && status !== 403, valid: false, errors: [{ message: { translation: message, args: [] } }], successful: false },
      message,
    },
  };
}

/** §6: 410 for removed endpoints, exact body as observed. */
export function confluenceGone(): Reply {
  return {
    status: 410,
    body: {
      statusCode: 410,
      data: { authorized: true, valid: true, errors: [], successful: true },
      message: 'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.',
    },
  };
}

/**
 * Confluence v2 error list. Shape from the v2 spec's common error responses (UNCONFIRMED in
 * atlassian-api.md; v2 is only used here for users-bulk).
 */
export function confluenceV2Error(status: number, code: string, title: string): Reply {
  return { status, body: { errors: [{ status, code, title, detail: null }] } };
}

/** §4: Jira `ErrorCollection`. */
export function jiraError(status: number, message: string): Reply {
  return { status, body: { errorMessages: [message], errors: {} } };
}

/** §6: OAuth token endpoint errors. */
export function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}
