import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ResponseShapeError } from '../../../lib/atlassian/errors';
import { extractErrorMessage, parseResponse, tokenResponseSchema, v1UserSchema } from '../../../lib/atlassian/schemas';

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
    expect(parseResponse(v1UserSchema, { accountId: 'a', publicName: 'A', profilePicture: {}, _links: {} }, 'E')).toEqual({ accountId: 'a', publicName: 'A' });
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
