import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ResponseShapeError } from '../../../lib/atlassian/errors';
import {
  extractErrorMessage,
  memberPageFastSchema,
  memberPageSchema,
  pageBeanUserFastSchema,
  pageBeanUserSchema,
  parseResponse,
  tokenResponseSchema,
  userArraySchema,
  usersBulkFastSchema,
  usersBulkSchema,
  v1UserSchema,
} from '../../../lib/atlassian/schemas';

describe('extractErrorMessage (§6)', () => {
  it.each([
    ['gateway', { code: 401, message: 'Unauthorized; scope does not match' }, 'Unauthorized; scope does not match'],
    ['Confluence envelope', { statusCode: 403, data: { authorized: false, errors: [] }, message: 'Not permitted' }, 'Not permitted'],
    ['Jira ErrorCollection', { errorMessages: ['No access'], errors: { accountId: 'bad' }, status: 403 }, 'No access; accountId: bad'],
    ['OAuth', { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }, 'invalid_grant: Unknown or invalid refresh token.'],
    ['OAuth without description', { error: 'invalid_request' }, 'invalid_request'],
    ['bare message', { message: 'Gone' }, 'Gone'],
  ])('reads the %s shape', (_name, body, expected) => {
    expect(extractErrorMessage(JSON.stringify(body))).toBe(expected);
  });

  it('returns null for non-JSON, empty and unknown bodies', () => {
    expect(extractErrorMessage('<html>502 Bad Gateway</html>')).toBeNull();
    expect(extractErrorMessage('')).toBeNull();
    expect(extractErrorMessage('{"foo":1}')).toBeNull();
    expect(extractErrorMessage('{"errorMessages":[],"errors":{}}')).toBeNull();
  });

  it('clips very long messages', () => {
    const message = extractErrorMessage(JSON.stringify({ message: 'x'.repeat(5000) }));
    expect(message!.length).toBeLessThan(310);
  });
});

describe('parseResponse', () => {
  it('strips unknown fields and keeps the ones we use', () => {
    expect(parseResponse(v1UserSchema, { accountId: 'a', publicName: 'A', profilePicture: {}, _links: {} }, 'E')).toEqual({ accountId: 'a', accountType: '', publicName: 'A' });
  });

  it('throws ResponseShapeError naming the nested field', () => {
    const schema = z.object({ results: z.array(z.object({ accountId: z.string() })) });
    const error = (() => {
      try {
        parseResponse(schema, { results: [{ accountId: 'a' }, { accountId: 5 }] }, 'GET /x');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).endpoint).toBe('GET /x');
    expect((error as Error).message).toMatch(/^Unexpected response from GET \/x: results\[1\]\.accountId: /);
  });

  it('names the root when the body is not an object', () => {
    expect(() => parseResponse(tokenResponseSchema, [], 'POST /oauth/token')).toThrow(/\(root\)/);
  });
});

describe('tolerant user schemas (issue 8, item 6)', () => {
  it('reads an accountType outside v1\'s enum (customer, a typo, a number) as "" (unknown)', () => {
    for (const accountType of ['customer', 'robot', 5, null, '']) {
      expect(parseResponse(v1UserSchema, { accountId: 'a', accountType, publicName: 'A' }, 'E').accountType).toBe('');
    }
    expect(parseResponse(v1UserSchema, { accountId: 'a', accountType: 'app', publicName: 'A' }, 'E').accountType).toBe('app');
  });

  it('reads a field of the wrong type as absent, and keeps only well-formed operations', () => {
    const user = parseResponse(v1UserSchema, { accountId: 'a', email: 42, publicName: ['x'], isGuest: 'yes', operations: [{ operation: 'use', targetType: 'application' }, null, { operation: 1 }] }, 'E');
    expect(user).toMatchObject({ accountId: 'a', email: null, publicName: null, isGuest: null, operations: [{ operation: 'use', targetType: 'application' }] });
  });

  it('skips null entries and entries without an accountId, and counts them', () => {
    const page = parseResponse(userArraySchema, { results: [null, { accountId: 'a', publicName: 'A' }, { publicName: 'no id' }, { accountId: '' }, 7], _links: {} }, 'E');
    expect(page.results.items.map((u) => u.accountId)).toEqual(['a']);
    expect(page.results.skipped).toBe(4);
  });

  it('still names the endpoint and the field when the page itself is malformed', () => {
    expect(() => parseResponse(userArraySchema, { results: 'nope', _links: {} }, 'GET /wiki/rest/api/group/{id}/membersByGroupId')).toThrow(
      /^Unexpected response from GET \/wiki\/rest\/api\/group\/\{id\}\/membersByGroupId: results: /,
    );
  });

  it('maps v2 accountType and accountStatus outside their enums to "unknown"', () => {
    const bulk = parseResponse(usersBulkSchema, { results: [{ accountId: 'a', accountType: 'customer', accountStatus: 'suspended' }, { accountId: 'b', accountType: 'bot' }, null] }, 'E');
    expect(bulk.results.items).toEqual([
      { accountId: 'a', accountType: 'customer', accountStatus: 'unknown' },
      { accountId: 'b', accountType: 'unknown', accountStatus: null },
    ]);
    expect(bulk.results.skipped).toBe(1);
  });
});

/**
 * The client checks well-formed pages with a quicker schema first (issue 12: zod was a large share
 * of a big sync's CPU). Whatever the page, the answer must be the tolerant schema's.
 */
describe('well-formed answers checked quickly, with the tolerant schemas\' answers', () => {
  const op = { operation: 'use', targetType: 'application' };
  const user = (extra: Record<string, unknown> = {}) => ({ accountId: 'a', accountType: 'atlassian', email: 'a@x.example', publicName: 'A', displayName: 'A', isExternalCollaborator: false, operations: [op], ...extra });
  const page = (results: unknown[], extra: Record<string, unknown> = {}) => ({ results, start: 0, limit: 200, size: results.length, _links: {}, ...extra });

  it.each([
    ['a well-formed page with a total and a next link', page([user(), user({ accountId: 'b', accountType: 'app', email: '' })], { totalSize: 900, _links: { next: '/x' } })],
    ['fields Confluence adds (stripped)', page([user({ type: 'known', profilePicture: { path: '/p' }, _links: { self: 's' }, isGuest: true })])],
    ['absent and null fields', page([{ accountId: 'a' }, user({ email: null, displayName: null, operations: null, isGuest: null })])],
    ['an accountType outside v1\'s enum, as a string and as a number', page([user({ accountType: 'customer' }), user({ accountId: 'b', accountType: 7 })])],
    ['a null entry and an entry without an accountId', page([null, user(), { publicName: 'no id' }, user({ accountId: '' })])],
    ['fields of the wrong type', page([user({ email: 42, isGuest: 'yes', operations: [op, null, { operation: 1 }] })])],
    ['no entries', page([])],
    ['a wrong type of the page itself', page([user()], { start: -1 })],
  ])('member pages: %s', (_name, data) => {
    const full = (() => { try { return parseResponse(memberPageSchema, data, 'E'); } catch (e) { return e; } })();
    const fast = (() => { try { return parseResponse(memberPageFastSchema, data, 'E'); } catch (e) { return e; } })();
    if (full instanceof Error) {
      expect(fast).toBeInstanceOf(ResponseShapeError);
      expect((fast as Error).message).toBe(full.message);
    } else {
      expect(fast).toEqual(full);
    }
  });

  it('member pages: the real sample reads the same both ways', () => {
    const sample = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/atlassian-samples/users0.json'), 'utf8')) as unknown;
    expect(parseResponse(memberPageFastSchema, sample, 'E')).toEqual(parseResponse(memberPageSchema, sample, 'E'));
    expect(parseResponse(memberPageFastSchema, sample, 'E').results.items.length).toBeGreaterThan(0);
  });

  it('a malformed page is still reported field by field', () => {
    expect(() => parseResponse(memberPageFastSchema, { results: 'nope', _links: {} }, 'GET /wiki/rest/api/group/{id}/membersByGroupId')).toThrow(
      /^Unexpected response from GET \/wiki\/rest\/api\/group\/\{id\}\/membersByGroupId: results: /,
    );
    expect(() => parseResponse(memberPageFastSchema, { results: [], _links: {}, size: 'x' }, 'E')).toThrow(/: size: /);
  });

  it.each([
    ['well-formed', { results: [{ accountId: 'a', accountType: 'atlassian', accountStatus: 'active', email: 'a@x.example' }, { accountId: 'b' }] }],
    ['values outside the enums, and a null entry', { results: [{ accountId: 'a', accountType: 'customer', accountStatus: 'suspended' }, { accountId: 'b', accountType: 'bot' }, null] }],
    ['null fields', { results: [{ accountId: 'a', accountType: null, accountStatus: null, email: null, extra: 1 }] }],
  ])('users-bulk: %s', (_name, data) => {
    expect(parseResponse(usersBulkFastSchema, data, 'E')).toEqual(parseResponse(usersBulkSchema, data, 'E'));
  });

  it.each([
    ['well-formed', { values: [{ accountId: 'a', emailAddress: 'a@x.example', active: true, self: 's' }], startAt: 0, maxResults: 50, total: 1, isLast: true }],
    ['hidden emails and a null entry', { values: [{ accountId: 'a', emailAddress: null }, null, { accountId: 'b', emailAddress: 3 }], isLast: false }],
  ])('Jira user/bulk: %s', (_name, data) => {
    expect(parseResponse(pageBeanUserFastSchema, data, 'E')).toEqual(parseResponse(pageBeanUserSchema, data, 'E'));
  });
});
