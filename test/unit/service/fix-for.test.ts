import { describe, expect, it } from 'vitest';
import { AuthRevokedError, HttpError, NotFoundError, PermissionError, RetryExhaustedError, ScopeError } from '@/lib/atlassian/errors';
import { fixFor } from '@/lib/service/context';

describe('what fixes a failed sync (by error class, never by message)', () => {
  it.each([
    ['a revoked grant', new AuthRevokedError(), 'reconnect'],
    ['a missing scope', new ScopeError('GET /wiki/rest/api/group', 'read:confluence-groups'), 'reconnect'],
    ['a group the account may not read', new PermissionError('GET /wiki/rest/api/group', 'cannot view groups'), 'groups'],
    ['a deleted group', new NotFoundError('GET /wiki/rest/api/group/{id}/membersByGroupId'), 'groups'],
    ['no users-bulk permission', new PermissionError('POST /wiki/api/v2/users-bulk', 'x'), null],
    ['rate limits', new RetryExhaustedError('GET /wiki/rest/api/group', 5, '429', 429), null],
    ['anything else', new HttpError('boom', 500), null],
  ] as const)('%s → %s', (_name, error, fix) => expect(fixFor(error)).toBe(fix));
});
