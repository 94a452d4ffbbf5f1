/**
 * JSON over HTTP to Atlassian with an injected `fetch`: authentication, a per-site concurrency
 * limit, retries (retry.ts) and the mapping of failures onto the error classes in errors.ts.
 * Runs unchanged in the MV3 service worker and in Node tests. Facts: ../../shared/atlassian-api.md.
 */
import type { z } from 'zod';
import { scopeFor, type EndpointName } from './endpoints';
import {
  AuthRevokedError,
  HttpError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  ResponseShapeError,
  RetryExhaustedError,
  ScopeError,
  UnauthorizedError,
  XsrfRefusedError,
} from './errors';
import { createLimiter, DEFAULT_CONCURRENCY } from './limiter';
import { base64Utf8, basicAuthSecrets, redact, redactNullable } from './redact';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRateLimitReset, parseRetryAfter, type RetryPolicy } from './retry';
import { extractErrorMessage, parseResponse } from './schemas';

export { base64Utf8 } from './redact';

/**
 * The subset of `fetch` the client uses. Pass the global `fetch` itself (it is called unbound,
 * never as a method of an options object, which would throw "Illegal invocation" in browsers).
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type Auth =
  | {
      kind: 'bearer';
      getAccessToken(): Promise<string>;
      /**
       * Called after a 401 with the token that was rejected, so a token manager can skip the
       * refresh when another request already replaced that token (token-manager.ts).
       */
      refreshAccessToken(rejectedToken?: string): Promise<string>;
    }
  | { kind: 'basic'; email: string; apiToken: string };

/** One attempt, reported after it completes (for sync diagnostics and benchmarks). */
export interface RequestEvent {
  method: 'GET' | 'POST';
  url: string;
  endpoint: EndpointName;
  attempt: number;
  /** null on a network error. */
  status: number | null;
  durationMs: number;
}

export interface HttpOptions {
  fetch: FetchLike;
  auth: Auth;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRequest?: (event: RequestEvent) => void;
}

export interface RequestOptions {
  /**
   * The caller can do without this endpoint (Jira): a 401 is reported as `UnauthorizedError`
   * without refreshing the token, and a long rate-limit wait does not pause the other requests.
   */
  optional?: boolean;
  /** Called when the request has its 2xx answer (body read), before it is parsed. */
  onAnswered?: () => void;
}

/** What Atlassian's rate limiting did to this client's requests (§5, §10). */
export interface RateLimitStats {
  /** 429 answers received. */
  throttled: number;
  /** Answers carrying `X-RateLimit-NearLimit: true` (the client slowed down after each). */
  nearLimit: number;
  /** Distinct `RateLimit-Reason` values seen, in order. */
  reasons: string[];
}

export interface Http {
  getJson<S extends z.ZodType>(url: string, schema: S, endpoint: EndpointName, options?: RequestOptions): Promise<z.output<S>>;
  postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, endpoint: EndpointName, options?: RequestOptions): Promise<z.output<S>>;
  /** Attempts sent so far, retries included. */
  readonly requestCount: number;
  readonly rateLimit: RateLimitStats;
}

/**
 * §5: `X-RateLimit-NearLimit: true` means "less than 20% of a budget remains", and the 2026 burst
 * window is 10 seconds (§10). For that long after such an answer, requests leave at most one per
 * NEAR_LIMIT_SPACING_MS, whatever the concurrency.
 */
export const NEAR_LIMIT_WINDOW_MS = 10_000;
export const NEAR_LIMIT_SPACING_MS = 250;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** §2: the gateway's missing-scope answer is a 401 whose message says so; it is not an expired token. */
const SCOPE_MISMATCH = /scope does not match/i;

/** §10: Atlassian's XSRF protection refuses a POST with `403 XSRF check failed`. */
const XSRF_FAILED = /XSRF check failed/i;

interface ResponseOutcome {
  kind: 'response';
  status: number;
  text: string;
  retryAfter: string | null;
  /** §5 headers. `Beta-*` shadow headers are never read. */
  rateLimitReset: string | null;
  rateLimitReason: string | null;
  nearLimit: boolean;
}

type Outcome = ResponseOutcome | { kind: 'network'; error: unknown };

export function createHttp(options: HttpOptions): Http {
  const doFetch = options.fetch;
  const { auth, onRequest } = options;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const limiter = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  let requestCount = 0;
  /** Set by a 429/503 Retry-After: the whole site waits, not just the request that was told to. */
  let pausedUntil = 0;
  /** After `X-RateLimit-NearLimit`, until when requests are spaced, and when the next may leave. */
  let slowUntil = 0;
  let nextSendAt = 0;
  const rateLimit: RateLimitStats = { throttled: 0, nearLimit: 0, reasons: [] };

  const basicHeader = auth.kind === 'basic' ? `Basic ${base64Utf8(`${auth.email}:${auth.apiToken}`)}` : null;
  /** For basic auth a missing scope can only mean a scoped API token on the gateway (§10). */
  const credential = auth.kind === 'basic' ? 'scoped-token' : 'oauth';

  /** One attempt. Returns the bearer token it used (null for basic) so a 401 can name it. */
  async function send(method: 'GET' | 'POST', url: string, body: unknown, endpoint: EndpointName, attempt: number): Promise<[Outcome, string | null]> {
    return limiter.run(async () => {
      // Take the token once a slot is free, so a request that queued through a refresh sends the new one.
      const token = auth.kind === 'bearer' ? await auth.getAccessToken() : null;
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: token !== null ? `Bearer ${token}` : (basicHeader ?? ''),
      };
      if (method === 'POST') {
        headers['Content-Type'] = 'application/json';
        // §10: without it Atlassian's XSRF check can refuse a POST that carries a browser User-Agent.
        headers['X-Atlassian-Token'] = 'no-check';
      }
      const init: RequestInit = { method, headers };
      if (method === 'POST') init.body = JSON.stringify(body);

      requestCount++;
      const started = now();
      let outcome: Outcome;
      try {
        const res = await doFetch(url, init);
        // Read the body inside the slot: the transfer is part of the load on the site.
        const text = await res.text();
        outcome = {
          kind: 'response',
          status: res.status,
          text,
          retryAfter: res.headers.get('Retry-After'),
          rateLimitReset: res.headers.get('X-RateLimit-Reset'),
          rateLimitReason: res.headers.get('RateLimit-Reason'),
          nearLimit: (res.headers.get('X-RateLimit-NearLimit') ?? '').trim().toLowerCase() === 'true',
        };
      } catch (error) {
        outcome = { kind: 'network', error };
      }
      onRequest?.({ method, url, endpoint, attempt, status: outcome.kind === 'response' ? outcome.status : null, durationMs: now() - started });
      return [outcome, token];
    });
  }

  /** Observes the rate-limit headers of an answer: counts, reasons, and the near-limit slow-down. */
  function observe(outcome: ResponseOutcome): void {
    if (outcome.status === 429) rateLimit.throttled++;
    const reason = outcome.rateLimitReason?.trim();
    if (reason && !rateLimit.reasons.includes(reason)) rateLimit.reasons.push(reason);
    if (outcome.nearLimit) {
      rateLimit.nearLimit++;
      slowUntil = now() + NEAR_LIMIT_WINDOW_MS;
    }
  }

  /** While near the limit, each request takes the next free send time, NEAR_LIMIT_SPACING_MS apart. */
  async function pace(): Promise<void> {
    const t = now();
    if (t >= slowUntil) return;
    const at = Math.max(t, nextSendAt);
    nextSendAt = at + NEAR_LIMIT_SPACING_MS;
    if (at > t) await sleep(at - t);
  }

  async function request(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    schema: z.ZodType,
    endpoint: EndpointName,
    options: RequestOptions,
  ): Promise<unknown> {
    let refreshedAfter401 = false;
    /** The site-wide pause this request has already waited out (so a frozen test clock cannot loop). */
    let waitedOut = 0;
    for (let attempt = 1; ; attempt++) {
      if (pausedUntil > waitedOut) {
        const deadline = pausedUntil;
        const wait = deadline - now();
        // A pause longer than a request may wait (another request hit an hour-long quota): do not
        // send, and report the same time.
        if (wait > policy.maxRetryAfterMs) throw new RateLimitedError(endpoint, deadline, rateLimit.reasons.at(-1) ?? null, 429);
        if (wait > 0) await sleep(wait);
        waitedOut = deadline;
      }
      await pace();

      const [outcome, token] = await send(method, url, body, endpoint, attempt);
      const secrets = token !== null ? [token] : auth.kind === 'basic' ? basicAuthSecrets(auth.email, auth.apiToken) : [];

      if (outcome.kind === 'network') {
        const decision = decideRetry({ attempt, status: null, retryAfterHeader: null, networkError: true, nowMs: now() }, policy, random);
        if (decision.retry) {
          await sleep(decision.delayMs);
          continue;
        }
        throw new RetryExhaustedError(endpoint, attempt, redact(`network error: ${describe(outcome.error)}`, secrets), null);
      }

      observe(outcome);
      const { status, text } = outcome;
      if (status >= 200 && status < 300) {
        options.onAnswered?.();
        return parseJson(text, schema, endpoint);
      }

      const message = redactNullable(extractErrorMessage(text), secrets);

      if (status === 401) {
        if (message !== null && SCOPE_MISMATCH.test(message)) {
          throw new ScopeError(endpoint, scopeFor(endpoint, credential === 'oauth' ? 'classic' : 'granular'), credential);
        }
        if (options.optional) throw new UnauthorizedError(endpoint, message ?? 'Unauthorized');
        if (auth.kind === 'basic') {
          throw new AuthRevokedError('Atlassian rejected the email and API token (revoked, expired or mistyped). Connect again with a valid API token.');
        }
        if (!refreshedAfter401) {
          // §9 step 8, §1.7: a 401 that is not a scope problem means the access token is no longer
          // accepted; refresh once and try again. A second 401 means the grant is gone.
          refreshedAfter401 = true;
          await auth.refreshAccessToken(token ?? undefined);
          continue;
        }
        throw new AuthRevokedError();
      }
      if (status === 403) {
        if (method === 'POST' && XSRF_FAILED.test(text)) throw new XsrfRefusedError(endpoint);
        throw new PermissionError(endpoint, message ?? 'Forbidden');
      }
      if (status === 404) throw new NotFoundError(endpoint, message ?? 'not found');

      const retryAfter = outcome.retryAfter;
      const decision = decideRetry(
        { attempt, status, retryAfterHeader: retryAfter, rateLimitResetHeader: outcome.rateLimitReset, networkError: false, nowMs: now() },
        policy,
        random,
      );
      if (decision.retry) {
        const toldWhen =
          (status === 429 || status === 503) &&
          ((retryAfter !== null && parseRetryAfter(retryAfter, now()) !== null) ||
            (status === 429 && outcome.rateLimitReset !== null && parseRateLimitReset(outcome.rateLimitReset, now()) !== null));
        if (toldWhen) {
          // §5: Retry-After is per app and tenant, so every request to this site waits it out;
          // the pause check at the top of the loop does the waiting, for this request too.
          pausedUntil = Math.max(pausedUntil, now() + decision.delayMs);
        } else {
          await sleep(decision.delayMs);
        }
        continue;
      }
      if (decision.reason === 'retry-after-too-long') {
        // §5, §10: an hour-long quota window. Retrying early "will fail and return the same or
        // longer Retry-After period", so stop here and let the sync pause until then.
        const until = now() + (decision.waitMs ?? 0);
        if (!options.optional) pausedUntil = Math.max(pausedUntil, until);
        throw new RateLimitedError(endpoint, until, outcome.rateLimitReason?.trim() || null, status);
      }
      if (decision.reason === 'attempts-exhausted') {
        throw new RetryExhaustedError(endpoint, attempt, `HTTP ${status}${message ? `: ${message}` : ''}`, status);
      }
      throw new HttpError(`${endpoint} failed with HTTP ${status}${message ? `: ${message}` : ''}`, status);
    }
  }

  return {
    async getJson<S extends z.ZodType>(url: string, schema: S, endpoint: EndpointName, options: RequestOptions = {}) {
      // `request` returned `schema.safeParse(…).data`, so this is the schema's output type.
      return (await request('GET', url, undefined, schema, endpoint, options)) as z.output<S>;
    },
    async postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, endpoint: EndpointName, options: RequestOptions = {}) {
      return (await request('POST', url, body, schema, endpoint, options)) as z.output<S>;
    },
    get requestCount() {
      return requestCount;
    },
    rateLimit,
  };
}

function parseJson(text: string, schema: z.ZodType, endpoint: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ResponseShapeError(endpoint, whyNotJson(text));
  }
  return parseResponse(schema, data, endpoint);
}

/**
 * Why a 2xx body that should be JSON is not, in words an admin can act on: an HTML page (what a
 * proxy, a captive portal or a login redirect followed by `fetch` serves), JSON that stops before
 * its end (a cut-off transfer), or anything else.
 */
export function whyNotJson(text: string): string {
  const body = text.trimStart();
  if (body === '') return 'the body is empty, not JSON';
  if (body.startsWith('<')) return 'the body is an HTML page, not JSON (a proxy or a login page may have answered)';
  if ((body.startsWith('{') || body.startsWith('[')) && endsEarly(body)) return 'the JSON body is truncated (it stops before its end)';
  return 'the body is not JSON';
}

/** Whether JSON text stops inside a string or with objects or arrays still open. */
function endsEarly(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

