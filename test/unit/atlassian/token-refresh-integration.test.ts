/**
 * http.ts + token-manager.ts together: many requests rejected with 401 at once must spend the
 * refresh token once (§1.4: reusing a rotated refresh token can revoke the whole grant).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttp } from '../../../lib/atlassian/http';
import type { TokenSet } from '../../../lib/atlassian/oauth';
import { createTokenManager } from '../../../lib/atlassian/token-manager';
import { createFakeFetch, json } from './fake-fetch';

describe('401 storm with a token manager', () => {
  it('refreshes once however many requests were rejected, and every request then succeeds', async () => {
    let stored: TokenSet = { accessToken: 'old', refreshToken: 'rt0', expiresAt: 10_000_000, scope: [] };
    const refreshes: string[] = [];
    const tokens = createTokenManager({
      now: () => 0,
      load: async () => stored,
      save: async (t) => {
        stored = t;
      },
      refresh: async (rt) => {
        refreshes.push(rt);
        await new Promise((r) => setTimeout(r, 2));
        return { accessToken: `new-${refreshes.length}`, refreshToken: `rt${refreshes.length}`, expiresAt: 10_000_000, scope: [] };
      },
    });
    // The gateway has revoked "old" (e.g. after a refresh elsewhere): 401 for it, 200 otherwise.
    // The 401s arrive staggered, so later ones come after the first refresh has finished.
    let n = 0;
    const fake = createFakeFetch(async (req) => {
      if (req.headers['authorization'] !== 'Bearer old') return json(200, { ok: true });
      await new Promise((r) => setTimeout(r, 15 * n++));
      return json(401, { code: 401, message: 'Unauthorized' });
    });
    const http = createHttp({ fetch: fake.fetch, auth: { kind: 'bearer', ...tokens }, sleep: async () => {}, concurrency: 4 });
    const schema = z.object({ ok: z.boolean() });
    const results = await Promise.all(Array.from({ length: 10 }, () => http.getJson('https://api.atlassian.com/ex/confluence/c/wiki/rest/api/group', schema, 'GET /wiki/rest/api/group')));
    expect(results).toHaveLength(10);
    expect(refreshes).toEqual(['rt0']);
    expect(stored).toMatchObject({ accessToken: 'new-1', refreshToken: 'rt1' });
  });
});
