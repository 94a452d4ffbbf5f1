/**
 * Deterministic fault injection for product-API requests: rate limiting (atlassian-api.md §5),
 * 5xx, dropped connections, and a scheduled revocation of every grant (§1.7).
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
}

export type Fault = 'none' | 'drop' | '429' | '503' | '500';

export class FaultInjector {
  private opts: FaultOptions = {};
  private rng: Rng = createRng(0);
  private productRequests = 0;

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

/** §5: `X-RateLimit-Reset` is ISO 8601 `yyyy-MM-ddTHH:mmZ`, request time + Retry-After. */
export function rateLimitHeaders(now: number, retryAfterSec: number, reason: string): Record<string, string> {
  const reset = new Date(now + retryAfterSec * 1000).toISOString().slice(0, 16) + 'Z';
  return {
    'retry-after': String(retryAfterSec),
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
