/**
 * A hand-written fake `fetch` for the client's unit tests: a handler decides the response, every
 * call is recorded, and the number of requests in flight is tracked (for the limiter tests).
 */
import type { FetchLike } from '../../../lib/atlassian/http';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (req: RecordedRequest) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export interface FakeFetch {
  fetch: FetchLike;
  calls: RecordedRequest[];
  readonly maxInFlight: number;
}

export function createFakeFetch(handler: Handler, options: { delayMs?: number } = {}): FakeFetch {
  const calls: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch: FetchLike = async (url, init) => {
    // The client passes a plain object; read it directly (happy-dom's Headers drops some names).
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[key.toLowerCase()] = value;
    const req: RecordedRequest = {
      method: init.method ?? 'GET',
      url: new URL(url),
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
      return await handler(req);
    } finally {
      inFlight--;
    }
  };
  return {
    fetch,
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** An instant `sleep` that records what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}
