/**
 * Deterministic fault injection for product-API requests: rate limiting (atlassian-api.md §5,
 * §10: point-based burst and hourly quota), 5xx, dropped connections, XSRF refusals (§10), a slow
 * group list (§10), and a scheduled revocation of every grant (§1.7).
 */
import { createRng, type Rng } from './prng';

export interface FaultOptions {
  seed?: number;
  latencyMs?: number;
  rate429?: number;
  retryAfterSec?: number;
  rate503?: number;
  rate500?: number;
  rateDrop?: number;
  revokeAtRequest?: number;
  betaHeaders?: boolean;
  /**
   * Which headers a 429 carries. §5, §10: "Retry-After and/or X-RateLimit-Reset" — `reset-only`
   * sends no Retry-After. Default `both`.
   */
  rateLimitHeaders?: 'both' | 'reset-only';
  /**
   * The 2026 hourly quota (§10): after this many product requests it is spent, and every product
   * request answers 429 — `Retry-After` the time left — until the fake clock passes the end of the
   * window. Sending early earns the same answer (§5).
   */
  quotaAfterRequests?: number;
  /** Length of that window in seconds; default 3600. */
  quotaWindowSec?: number;
  /** `RateLimit-Reason` of the quota's 429s; default `confluence-quota-based`. */
  quotaReason?: string;
  /** 2xx answers carry `X-RateLimit-NearLimit: true` (§5: less than 20% of a budget remains). */
  nearLimit?: boolean;
  /**
   * Refuse every POST with `403 XSRF check failed`, `X-Atlassian-Token: no-check` or not (§10:
   * reported for browser user agents). Without it, only POSTs lacking that header are refused.
   */
  xsrfRefuseAll?: boolean;
  /** Delay before the group list answers: 20–30 s on large organisations (§10). */
  groupListDelayMs?: number;
}

export type Fault = 'none' | 'drop' | '429' | '503' | '500';

export class FaultInjector {
  private opts: FaultOptions = {};
  private rng: Rng = createRng(0);
  private productRequests = 0;
  /** When the spent hourly quota comes back (fake-clock ms); null while it is not spent. */
  private quotaUntil: number | null = null;

  constructor(opts: FaultOptions = {}) {
    this.set(opts);
  }

  /** Replaces all fault settings and restarts the seeded sequence and the revoke counter. */
  set(opts: FaultOptions): void {
    for (const k of ['rate429', 'rate503', 'rate500', 'rateDrop'] as const) {
      const v = opts[k];
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`${k} must be within 0..1, got ${v}`);
    }
    this.opts = { ...opts };
    this.rng = createRng(opts.seed ?? 0);
    this.productRequests = 0;
    this.quotaUntil = null;
  }

  get options(): Readonly<FaultOptions> {
    return this.opts;
  }

  get latencyMs(): number {
    return this.opts.latencyMs ?? 0;
  }

  get retryAfterSec(): number {
    return this.opts.retryAfterSec ?? 1;
  }

  /** Counts a product-API request on arrival; true when it is the one that revokes every grant. */
  arrive(): boolean {
    this.productRequests++;
    return this.opts.revokeAtRequest !== undefined && this.productRequests === this.opts.revokeAtRequest;
  }

  /**
   * When the hourly quota is spent (counting this request) and not yet back, the ms left of the
   * window; null otherwise. The quota is spent once per `set`.
   */
  quotaLeftMs(now: number): number | null {
    const after = this.opts.quotaAfterRequests;
    if (after === undefined) return null;
    if (this.quotaUntil === null && this.productRequests > after) this.quotaUntil = now + (this.opts.quotaWindowSec ?? 3600) * 1000;
    if (this.quotaUntil === null || now >= this.quotaUntil) return null;
    return this.quotaUntil - now;
  }

  /** One draw per call, so a seed yields the same fault sequence whatever the rates. */
  draw(): Fault {
    const u = this.rng();
    let edge = 0;
    for (const [fault, rate] of [
      ['drop', this.opts.rateDrop],
      ['429', this.opts.rate429],
      ['503', this.opts.rate503],
      ['500', this.opts.rate500],
    ] as const) {
      edge += rate ?? 0;
      if (u < edge) return fault;
    }
    return 'none';
  }
}

/**
 * §5: `X-RateLimit-Reset` is ISO 8601 `yyyy-MM-ddTHH:mmZ`, request time + Retry-After (cut to
 * the minute). `reset-only` leaves Retry-After out (§10: "Retry-After and/or X-RateLimit-Reset").
 */
export function rateLimitHeaders(now: number, retryAfterSec: number, reason: string, style: 'both' | 'reset-only' = 'both'): Record<string, string> {
  const reset = new Date(now + retryAfterSec * 1000).toISOString().slice(0, 16) + 'Z';
  return {
    ...(style === 'both' ? { 'retry-after': String(retryAfterSec) } : {}),
    'x-ratelimit-limit': '100',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': reset,
    'ratelimit-reason': reason,
  };
}

/** §5: shadow "would-have-been-limited" headers on normal responses; clients must not wait on them. */
export function betaHeaders(now: number): Record<string, string> {
  return {
    'beta-retry-after': '5',
    'x-beta-ratelimit-nearlimit': 'true',
    'x-beta-ratelimit-reason': 'tenant-app-quota',
    'x-beta-ratelimit-reset': new Date(now + 5000).toISOString().slice(0, 16) + 'Z',
    'beta-ratelimit-policy': '"tenant-app-quota";q=10000;w=3600',
    'beta-ratelimit': '"tenant-app-quota";r=1;t=5',
  };
}
