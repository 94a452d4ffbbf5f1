/**
 * Deterministic fault injection for product-API requests: rate limiting (atlassian-api.md §5,
 * §10: point-based burst and hourly quota), 5xx, dropped connections, XSRF refusals (§10), a slow
 * group list (§10), a scheduled revocation of every grant (§1.7), and malformed answers.
 */
import type { Reply } from './errors';
import { createRng, type Rng } from './prng';

/**
 * How a malformed answer is broken (`FaultOptions.malformed`). Each is a `200` whose body breaks
 * the documented shape, the way a real answer can (issue 12, "Chaos"):
 * - `missing-field`: a field the schema requires is absent (§3.1 `GroupArrayWithLinks` requires
 *   `results`, `start`, `limit`, `size`, `_links`; §3.2 `UserArray` requires `results`; §3.4 v2
 *   `users-bulk` answers `{"results", "_links"}`).
 * - `wrong-type`: that field holds another JSON type (an array becomes an object keyed by index,
 *   a number its decimal string, a string a number, an object an array, a boolean a string).
 * - `truncated`: the JSON text cut off halfway, sent as a complete response (`content-length`
 *   matches), as a proxy or a reset upstream connection can leave it.
 * - `html`: an HTML page instead of JSON, `content-type: text/html` — what `fetch` ends up with
 *   when a proxy, a captive portal or a redirect to Atlassian's login page (followed by `fetch`)
 *   answers an API call; Atlassian's own "site unavailable" page is HTML too (server.ts). Which
 *   status such a page comes with is UNCONFIRMED: 200 is the case a client cannot catch by status.
 */
export type MalformedKind = 'missing-field' | 'wrong-type' | 'truncated' | 'html';

export interface MalformedFault {
  /** The endpoint key in the request log, e.g. `GET /wiki/rest/api/group/{groupId}/membersByGroupId`. */
  endpoint: string;
  kind: MalformedKind;
  /** Answers of the endpoint left intact first (default 0); every later 200 is malformed. */
  after?: number;
  /** The top-level field `missing-field` and `wrong-type` break (default `results`). */
  field?: string;
}

/** The HTML page a `malformed: { kind: 'html' }` answer carries (a login interstitial). */
export const MALFORMED_HTML_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log in with Atlassian account</title></head>' +
  '<body><main><h1>Log in to continue</h1><form method="post" action="/login"><input name="username"></form></main></body></html>';

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
  /** Malformed `200` answers from one endpoint (see `MalformedKind`). */
  malformed?: MalformedFault;
}

export type Fault = 'none' | 'drop' | '429' | '503' | '500';

export class FaultInjector {
  private opts: FaultOptions = {};
  private rng: Rng = createRng(0);
  private productRequests = 0;
  /** When the spent hourly quota comes back (fake-clock ms); null while it is not spent. */
  private quotaUntil: number | null = null;
  /** `200` answers of the malformed endpoint so far. */
  private malformedSeen = 0;

  constructor(opts: FaultOptions = {}) {
    this.set(opts);
  }

  /** Replaces all fault settings and restarts the seeded sequence and the revoke counter. */
  set(opts: FaultOptions): void {
    for (const k of ['rate429', 'rate503', 'rate500', 'rateDrop'] as const) {
      const v = opts[k];
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`${k} must be within 0..1, got ${v}`);
    }
    const m = opts.malformed;
    if (m && !(['missing-field', 'wrong-type', 'truncated', 'html'] as const).includes(m.kind)) throw new Error(`malformed.kind must be missing-field, wrong-type, truncated or html, got ${String(m.kind)}`);
    if (m && m.after !== undefined && !(Number.isInteger(m.after) && m.after >= 0)) throw new Error(`malformed.after must be a non-negative integer, got ${m.after}`);
    this.opts = { ...opts };
    this.rng = createRng(opts.seed ?? 0);
    this.productRequests = 0;
    this.quotaUntil = null;
    this.malformedSeen = 0;
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

  /**
   * The answer to send for `endpoint`: `reply` itself, or — for the malformed endpoint's `200`s
   * after the first `after` — a malformed version of it (see `MalformedKind`).
   */
  malform(endpoint: string, reply: Reply): Reply {
    const m = this.opts.malformed;
    if (!m || m.endpoint !== endpoint || reply.status !== 200) return reply;
    if (this.malformedSeen++ < (m.after ?? 0)) return reply;
    return malformedReply(reply, m);
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

/** Another JSON type for `value` (see `MalformedKind`, `wrong-type`). */
function otherType(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length;
  if (typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object') return [value];
  return 'null';
}

export function malformedReply(reply: Reply, m: MalformedFault): Reply {
  const json = { 'content-type': 'application/json;charset=UTF-8' };
  if (m.kind === 'html') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: MALFORMED_HTML_PAGE };
  if (m.kind === 'truncated') {
    const text = JSON.stringify(reply.body);
    return { status: 200, headers: json, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
  }
  const body = reply.body;
  const field = m.field ?? 'results';
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !(field in body)) {
    throw new Error(`malformed ${m.kind}: the answer of ${m.endpoint} has no top-level field "${field}"`);
  }
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (m.kind === 'missing-field') delete copy[field];
  else copy[field] = otherType(copy[field]);
  return { ...reply, body: copy };
}
