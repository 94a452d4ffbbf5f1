/**
 * Hands out a valid access token, refreshing it when it is (about to be) expired or was rejected.
 *
 * Refresh tokens rotate: every refresh disables the token sent and returns a new one, and reusing
 * an old one outside a 10-minute leeway "invalidates all refresh tokens, and requires the user to
 * re-consent" (../../shared/atlassian-api.md §1.4). Hence:
 * - single flight: concurrent callers share one refresh, so one refresh token is never spent twice;
 * - the new token set is saved before anyone uses it, so a crash after the refresh cannot leave
 *   the old (now disabled) refresh token in storage;
 * - `AuthRevokedError` from `refresh` propagates: the caller marks the connection Disconnected.
 */
import { AuthRevokedError } from './errors';
import type { TokenSet } from './oauth';

export interface TokenManagerOptions {
  load(): Promise<TokenSet>;
  save(tokens: TokenSet): Promise<void>;
  /** Usually `(rt) => refreshTokens(fetch, { clientId, clientSecret, refreshToken: rt })`. */
  refresh(refreshToken: string): Promise<TokenSet>;
  now(): number;
  /** Refresh this long before `expiresAt`; default 60 s. */
  skewMs?: number;
}

export interface TokenManager {
  getAccessToken(): Promise<string>;
  /**
   * Force a refresh after the API rejected `rejectedToken`. When the stored token is already a
   * different, unexpired one (another request refreshed meanwhile), it is returned without
   * spending the refresh token again.
   */
  refreshAccessToken(rejectedToken?: string): Promise<string>;
}

export const DEFAULT_TOKEN_SKEW_MS = 60_000;

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { load, save, refresh, now } = options;
  const skewMs = options.skewMs ?? DEFAULT_TOKEN_SKEW_MS;
  let inFlight: Promise<string> | null = null;
  /**
   * Once Atlassian refused the refresh token (403 invalid_grant, §1.4), every later caller gets the
   * same answer at once: the grant is gone, and spending more refresh attempts only adds noise.
   * Reconnecting creates a new manager.
   */
  let revoked: AuthRevokedError | null = null;
  /**
   * The last token set loaded or saved. The background is the only writer of its credentials,
   * so a fresh cached set saves an IndexedDB read on every API request.
   */
  let cached: TokenSet | null = null;

  const isFresh = (t: TokenSet) => t.expiresAt - skewMs > now();

  /** `reuse(current)`: true when the stored token can be handed out without a refresh. */
  function refreshOnce(reuse: (current: TokenSet) => boolean): Promise<string> {
    if (inFlight) return inFlight;
    if (revoked) return Promise.reject(revoked);
    inFlight = (async () => {
      // Re-read inside the flight: a refresh that finished just before may have saved a new set.
      const current = await load();
      cached = current;
      if (reuse(current)) return current.accessToken;
      if (current.refreshToken === null) {
        throw new AuthRevokedError('The Atlassian access token expired and there is no refresh token (offline_access missing). Connect again.');
      }
      let next: TokenSet;
      try {
        next = await refresh(current.refreshToken);
      } catch (error) {
        if (error instanceof AuthRevokedError) revoked = error;
        throw error;
      }
      // §1.4: a response without refresh_token keeps the one we have.
      const merged: TokenSet = { ...next, refreshToken: next.refreshToken ?? current.refreshToken };
      await save(merged);
      cached = merged;
      return merged.accessToken;
    })();
    const flight = inFlight;
    const clear = () => {
      if (inFlight === flight) inFlight = null;
    };
    flight.then(clear, clear);
    return flight;
  }

  return {
    async getAccessToken() {
      if (inFlight) return inFlight;
      if (cached && isFresh(cached)) return cached.accessToken;
      const current = await load();
      cached = current;
      if (isFresh(current)) return current.accessToken;
      return refreshOnce(isFresh);
    },
    refreshAccessToken(rejectedToken) {
      return refreshOnce((current) => rejectedToken !== undefined && current.accessToken !== rejectedToken && isFresh(current));
    },
  };
}
