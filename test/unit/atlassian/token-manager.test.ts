import { describe, expect, it } from 'vitest';
import { AuthRevokedError } from '../../../lib/atlassian/errors';
import type { TokenSet } from '../../../lib/atlassian/oauth';
import { createTokenManager } from '../../../lib/atlassian/token-manager';

const HOUR = 3_600_000;

/** An in-memory token store plus a fake refresh endpoint that rotates tokens like Atlassian (§1.4). */
function setup(initial: TokenSet, options: { refreshNoRotation?: boolean; refreshError?: Error } = {}) {
  let clock = 1_000_000;
  let stored = initial;
  const log: string[] = [];
  const spent = new Set<string>();
  let n = 0;
  const manager = createTokenManager({
    now: () => clock,
    load: async () => {
      log.push('load');
      return stored;
    },
    save: async (t) => {
      await new Promise((r) => setTimeout(r, 1));
      log.push(`save ${t.accessToken}/${t.refreshToken}`);
      stored = t;
    },
    refresh: async (refreshToken) => {
      log.push(`refresh ${refreshToken}`);
      if (options.refreshError) throw options.refreshError;
      if (spent.has(refreshToken)) throw new AuthRevokedError('reused refresh token');
      spent.add(refreshToken);
      await new Promise((r) => setTimeout(r, 5));
      n++;
      return { accessToken: `at${n}`, refreshToken: options.refreshNoRotation ? null : `rt${n}`, expiresAt: clock + HOUR, scope: [] };
    },
  });
  return {
    manager,
    log,
    get stored() {
      return stored;
    },
    advance: (ms: number) => {
      clock += ms;
    },
    clock: () => clock,
  };
}

const fresh = (expiresAt: number): TokenSet => ({ accessToken: 'at0', refreshToken: 'rt0', expiresAt, scope: [] });

describe('createTokenManager', () => {
  it('returns the stored token while it is fresh, without refreshing', async () => {
    const t = setup(fresh(1_000_000 + HOUR));
    expect(await t.manager.getAccessToken()).toBe('at0');
    expect(t.log.filter((l) => l.startsWith('refresh'))).toEqual([]);
  });

  it('refreshes within the skew before expiry (default 60 s)', async () => {
    const t = setup(fresh(1_000_000 + 59_000));
    expect(await t.manager.getAccessToken()).toBe('at1');
  });

  it('single flight: concurrent callers after expiry share exactly one refresh', async () => {
    const t = setup(fresh(0));
    const tokens = await Promise.all([t.manager.getAccessToken(), t.manager.getAccessToken(), t.manager.refreshAccessToken('at0')]);
    expect(tokens).toEqual(['at1', 'at1', 'at1']);
    expect(t.log.filter((l) => l.startsWith('refresh'))).toEqual(['refresh rt0']);
  });

  it('a caller that read the expired set just before another refresh finished does not refresh again', async () => {
    const t = setup(fresh(0));
    await t.manager.getAccessToken(); // rt0 → rt1
    // A second refresh started with the stale view must re-read and reuse at1, not spend rt1.
    expect(await t.manager.refreshAccessToken('at0')).toBe('at1');
    expect(t.log.filter((l) => l.startsWith('refresh'))).toEqual(['refresh rt0']);
  });

  it('saves the new token set before handing the token out (§1.4 rotation)', async () => {
    const t = setup(fresh(0));
    const token = await t.manager.getAccessToken();
    const saveAt = t.log.indexOf('save at1/rt1');
    expect(saveAt).toBeGreaterThan(t.log.indexOf('refresh rt0'));
    expect(t.stored).toEqual({ accessToken: 'at1', refreshToken: 'rt1', expiresAt: t.clock() + HOUR, scope: [] });
    expect(token).toBe('at1');
  });

  it('does not resolve before save completes', async () => {
    let saved = false;
    const manager = createTokenManager({
      now: () => 10,
      load: async () => fresh(0),
      save: async () => {
        await new Promise((r) => setTimeout(r, 10));
        saved = true;
      },
      refresh: async () => ({ accessToken: 'new', refreshToken: 'rt-new', expiresAt: 10 + HOUR, scope: [] }),
    });
    await manager.getAccessToken();
    expect(saved).toBe(true);
  });

  it('a save failure fails the call instead of using an unsaved token', async () => {
    const manager = createTokenManager({
      now: () => 10,
      load: async () => fresh(0),
      save: async () => {
        throw new Error('storage full');
      },
      refresh: async () => ({ accessToken: 'new', refreshToken: 'rt-new', expiresAt: 10 + HOUR, scope: [] }),
    });
    await expect(manager.getAccessToken()).rejects.toThrow('storage full');
  });

  it('keeps the previous refresh token when the refresh returns none', async () => {
    const t = setup(fresh(0), { refreshNoRotation: true });
    await t.manager.getAccessToken();
    expect(t.stored.refreshToken).toBe('rt0');
  });

  it('forced refresh after a 401 refreshes even when the token looks fresh', async () => {
    const t = setup(fresh(1_000_000 + HOUR));
    expect(await t.manager.refreshAccessToken('at0')).toBe('at1');
    expect(await t.manager.getAccessToken()).toBe('at1');
  });

  it('sequential refreshes spend each refresh token once', async () => {
    const t = setup(fresh(0));
    await t.manager.getAccessToken();
    t.advance(2 * HOUR);
    expect(await t.manager.getAccessToken()).toBe('at2');
    expect(t.log.filter((l) => l.startsWith('refresh'))).toEqual(['refresh rt0', 'refresh rt1']);
  });

  it('propagates AuthRevokedError from refresh to every waiting caller, and later callers get it without another refresh', async () => {
    const t = setup(fresh(0), { refreshError: new AuthRevokedError() });
    const results = await Promise.allSettled([t.manager.getAccessToken(), t.manager.getAccessToken()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof AuthRevokedError)).toBe(true);
    expect(t.log.filter((l) => l.startsWith('refresh'))).toHaveLength(1);
    await expect(t.manager.getAccessToken()).rejects.toBeInstanceOf(AuthRevokedError);
    await expect(t.manager.refreshAccessToken('at0')).rejects.toBeInstanceOf(AuthRevokedError);
    // §1.4: the grant is gone; spending more refresh attempts would only add noise.
    expect(t.log.filter((l) => l.startsWith('refresh'))).toHaveLength(1);
  });

  it('without a refresh token an expired grant is AuthRevokedError', async () => {
    const t = setup({ accessToken: 'at0', refreshToken: null, expiresAt: 0, scope: [] });
    await expect(t.manager.getAccessToken()).rejects.toBeInstanceOf(AuthRevokedError);
  });
});


describe('token cache', () => {
  it('reads the stored tokens once while they are fresh, and again only to refresh', async () => {
    let loads = 0;
    let stored: TokenSet = { accessToken: 'a1', refreshToken: 'r1', expiresAt: 10_000_000, scope: [] };
    let clock = 0;
    const tm = createTokenManager({
      load: async () => {
        loads++;
        return stored;
      },
      save: async (t) => {
        stored = t;
      },
      refresh: async () => ({ accessToken: 'a2', refreshToken: 'r2', expiresAt: 20_000_000, scope: [] }),
      now: () => clock,
    });
    expect(await tm.getAccessToken()).toBe('a1');
    expect(await tm.getAccessToken()).toBe('a1');
    expect(loads).toBe(1);
    clock = 10_000_000; // expired
    expect(await tm.getAccessToken()).toBe('a2');
    expect(stored.refreshToken).toBe('r2');
    const loadsAfterRefresh = loads;
    expect(await tm.getAccessToken()).toBe('a2');
    expect(loads).toBe(loadsAfterRefresh);
  });
});
