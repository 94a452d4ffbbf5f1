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
  ResponseShapeError,
  RetryExhaustedError,
  ScopeError,
} from './errors';
import { createLimiter, DEFAULT_CONCURRENCY } from './limiter';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry';
import { extractErrorMessage, parseResponse } from './schemas';

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

export interface Http {
  getJson<S extends z.ZodType>(url: string, schema: S, endpoint: EndpointName): Promise<z.output<S>>;
  postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, endpoint: EndpointName): Promise<z.output<S>>;
  /** Attempts sent so far, retries included. */
  readonly requestCount: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** §2: the gateway's missing-scope answer is a 401 whose message says so; it is not an expired token. */
const SCOPE_MISMATCH = /scope does not match/i;

type Outcome = { kind: 'response'; status: number; retryAfter: string | null; text: string } | { kind: 'network'; error: unknown };

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

  const basicHeader = auth.kind === 'basic' ? `Basic ${base64Utf8(`${auth.email}:${auth.apiToken}`)}` : null;

  /** One attempt. Returns the bearer token it used (null for basic) so a 401 can name it. */
  async function send(method: 'GET' | 'POST', url: string, body: unknown, endpoint: EndpointName, attempt: number): Promise<[Outcome, string | null]> {
    return limiter.run(async () => {
      // Take the token once a slot is free, so a request that queued through a refresh sends the new one.
      const token = auth.kind === 'bearer' ? await auth.getAccessToken() : null;
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: token !== null ? `Bearer ${token}` : (basicHeader ?? ''),
      };
      if (method === 'POST') headers['Content-Type'] = 'application/json';
      const init: RequestInit = { method, headers };
      if (method === 'POST') init.body = JSON.stringify(body);

      requestCount++;
      const started = now();
      let outcome: Outcome;
      try {
        const res = await doFetch(url, init);
        // Read the body inside the slot: the transfer is part of the load on the site.
        const text = await res.text();
        outcome = { kind: 'response', status: res.status, retryAfter: res.headers.get('Retry-After'), text };
      } catch (error) {
        outcome = { kind: 'network', error };
      }
      onRequest?.({ method, url, endpoint, attempt, status: outcome.kind === 'response' ? outcome.status : null, durationMs: now() - started });
      return [outcome, token];
    });
  }

  async function request(method: 'GET' | 'POST', url: string, body: unknown, schema: z.ZodType, endpoint: EndpointName): Promise<unknown> {
    let refreshedAfter401 = false;
    /** The site-wide pause this request has already waited out (so a frozen test clock cannot loop). */
    let waitedOut = 0;
    for (let attempt = 1; ; attempt++) {
      if (pausedUntil > waitedOut) {
        const deadline = pausedUntil;
        const wait = deadline - now();
        if (wait > 0) await sleep(wait);
        waitedOut = deadline;
      }

      const [outcome, token] = await send(method, url, body, endpoint, attempt);
      const secrets = token !== null ? [token] : auth.kind === 'basic' ? [auth.apiToken, basicHeader ?? ''] : [];

      if (outcome.kind === 'network') {
        const decision = decideRetry({ attempt, status: null, retryAfterHeader: null, networkError: true, nowMs: now() }, policy, random);
        if (decision.retry) {
          await sleep(decision.delayMs);
          continue;
        }
        throw new RetryExhaustedError(endpoint, attempt, redact(`network error: ${describe(outcome.error)}`, secrets), null);
      }

      const { status, text } = outcome;
      if (status >= 200 && status < 300) return parseJson(text, schema, endpoint);

      const message = redactNullable(extractErrorMessage(text), secrets);

      if (status === 401) {
        if (message !== null && SCOPE_MISMATCH.test(message)) throw new ScopeError(endpoint, scopeFor(endpoint));
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
      if (status === 403) throw new PermissionError(endpoint, message ?? 'Forbidden');
      if (status === 404) throw new NotFoundError(endpoint, message ?? 'not found');

      const retryAfter = outcome.retryAfter;
      const decision = decideRetry({ attempt, status, retryAfterHeader: retryAfter, networkError: false, nowMs: now() }, policy, random);
      if (decision.retry) {
        if ((status === 429 || status === 503) && retryAfter !== null && parseRetryAfter(retryAfter, now()) !== null) {
          // §5: Retry-After is per app and tenant, so every request to this site waits it out;
          // the pause check at the top of the loop does the waiting, for this request too.
          pausedUntil = Math.max(pausedUntil, now() + decision.delayMs);
        } else {
          await sleep(decision.delayMs);
        }
        continue;
      }
      if (decision.reason === 'attempts-exhausted') {
        throw new RetryExhaustedError(endpoint, attempt, `HTTP ${status}${message ? `: ${message}` : ''}`, status);
      }
      if (decision.reason === 'retry-after-too-long') {
        const asked = retryAfter !== null && /^\d+(?:\.\d+)?$/.test(retryAfter.trim()) ? `${retryAfter.trim()} s` : `until ${retryAfter ?? '?'}`;
        throw new RetryExhaustedError(endpoint, attempt, `HTTP ${status}, rate limited: Atlassian asked to wait ${asked}`, status);
      }
      throw new HttpError(`${endpoint} failed with HTTP ${status}${message ? `: ${message}` : ''}`, status);
    }
  }

  return {
    async getJson<S extends z.ZodType>(url: string, schema: S, endpoint: EndpointName) {
      // `request` returned `schema.safeParse(…).data`, so this is the schema's output type.
      return (await request('GET', url, undefined, schema, endpoint)) as z.output<S>;
    },
    async postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, endpoint: EndpointName) {
      return (await request('POST', url, body, schema, endpoint)) as z.output<S>;
    },
    get requestCount() {
      return requestCount;
    },
  };
}

function parseJson(text: string, schema: z.ZodType, endpoint: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ResponseShapeError(endpoint, 'the body is not JSON');
  }
  return parseResponse(schema, data, endpoint);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Errors must never carry a credential, even if a body or an exception echoes one. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

function redactNullable(text: string | null, secrets: readonly string[]): string | null {
  return text === null ? null : redact(text, secrets);
}

/** `btoa` only takes Latin-1; e-mail addresses and tokens may not be. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
